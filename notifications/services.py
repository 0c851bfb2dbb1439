"""Telling people. Changes write outbox rows here, inside their own transaction; delivery sends them.

Delivery is at least once and, for concurrent workers, once: a message is claimed with a row lock
(SKIP LOCKED) while it is sent, then marked sent in the same transaction. A failing mail server means a
retry with back-off; after ``OUTBOX_MAX_ATTEMPTS`` the message is parked for an operator. The sweeper
re-queues messages whose delivery message was lost.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import timezone

from justis.adapters import OutsideSystemUnavailable
from justis.queue import publish_many_on_commit, publish_on_commit

from .messages import message_context
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Messages that go to the address the organisation gave in the invitation; others to the applicant.
INVITATION_EVENTS = frozenset({"invitation", "reminder"})


def outbox_enqueue(*, event: str, application=None, dedupe_key: str, payload: dict | None = None) -> OutboxMessage:
    from .tasks import deliver_outbox_message

    message, created = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "event": event,
            "application": application,
            "payload": {"reference": application.reference, **(payload or {})} if application else (payload or {}),
            "next_attempt_at": timezone.now() + settings.OUTBOX_STALE_AFTER,
        },
    )
    if created:
        publish_on_commit(deliver_outbox_message, message.pk)
    return message


def outbox_recipient(message: OutboxMessage) -> str:
    """The e-mail address this message goes to, or "" when there is none."""
    application = message.application
    if application is None:
        return message.payload.get("email", "")
    invitation = getattr(application, "invitation", None)
    applicant = getattr(application, "applicant", None)
    if message.event in INVITATION_EVENTS:
        return invitation.email if invitation else ""
    if message.event == "invitation_expired":
        return ""  # for the organisation: shown in its portal, it has no e-mail address with us yet
    if applicant is not None and applicant.email:
        return applicant.email
    return invitation.email if invitation else ""


def outbox_render(message: OutboxMessage) -> tuple[str, str]:
    """Subject and plain-text body (Dutch, then English) from the templates of the event, or the default."""
    application = message.application
    invitation = getattr(application, "invitation", None) if application else None
    context = {
        "message": message,
        "payload": message.payload,
        "application": application,
        "invitation": invitation,
        "base_url": settings.PUBLIC_BASE_URL,
        **message_context(message),
    }
    for name in (message.event, "_default"):
        try:
            subject = render_to_string(f"notifications/email/{name}.subject.txt", context)
            body = render_to_string(f"notifications/email/{name}.body.txt", context)
        except TemplateDoesNotExist:
            continue
        return " ".join(subject.split()), body.strip() + "\n"
    raise TemplateDoesNotExist(f"notifications/email/{message.event}")


def outbox_retry_delay(attempt: int) -> timedelta:
    return min(settings.OUTBOX_RETRY_BASE * (2 ** max(attempt - 1, 0)), settings.OUTBOX_RETRY_MAX)


def outbox_deliver(*, message_id: int) -> str:
    """Send one pending message. Returns sent, retry, parked, no_recipient or skipped."""
    from .mail import send_email

    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application")
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return "skipped"  # sent already, or another worker is sending it right now
        recipient = outbox_recipient(message)
        if not recipient:
            message.status = OutboxStatus.NO_RECIPIENT
            message.next_attempt_at = None
            message.save(update_fields=["status", "next_attempt_at"])
            return "no_recipient"
        subject, body = outbox_render(message)
        message.attempts += 1
        try:
            send_email(to=recipient, subject=subject, body=body)
        except OutsideSystemUnavailable as exc:
            message.last_error = str(exc)[:255]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.PARKED
                message.next_attempt_at = None
                logger.error("outbox message %s parked after %s attempts: %s", message.pk, message.attempts, exc)
            else:
                message.next_attempt_at = timezone.now() + outbox_retry_delay(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "parked" if message.status == OutboxStatus.PARKED else "retry"
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.recipient = recipient
        message.next_attempt_at = None
        message.save(update_fields=["attempts", "status", "sent_at", "recipient", "next_attempt_at"])
        return "sent"


def outbox_sweep(*, limit: int = 1000) -> int:
    """Re-queue pending messages that are due (retries) or whose delivery message was lost."""
    from .tasks import deliver_outbox_message

    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True), status=OutboxStatus.PENDING)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=now + settings.OUTBOX_STALE_AFTER)
        publish_many_on_commit(deliver_outbox_message, ([pk] for pk in ids))
    return len(ids)
