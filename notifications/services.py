"""Telling people. Changes write outbox rows here, inside their own transaction."""

from .models import OutboxMessage


def outbox_enqueue(*, event: str, application=None, dedupe_key: str, payload: dict | None = None) -> OutboxMessage:
    message, _ = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "event": event,
            "application": application,
            "payload": {"reference": application.reference, **(payload or {})} if application else (payload or {}),
        },
    )
    return message
