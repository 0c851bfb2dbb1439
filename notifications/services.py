"""Telling people. Changes write outbox rows here, inside their own transaction; delivery sends them.

Delivery is at least once and, for concurrent workers, once: a message is claimed with a row lock
(SKIP LOCKED) while it is sent, then marked sent in the same transaction. One row per channel (e-mail,
SMS, message box, letter); a failing channel means a retry with back-off for its rows only; after
``OUTBOX_MAX_ATTEMPTS`` the message is parked for an operator. The sweeper
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
from justis.breaker import CircuitOpen
from justis.queue import publish_many_on_commit, publish_on_commit

from .messages import message_context
from .models import OutboxChannel, OutboxMessage, OutboxStatus, PrintJob

logger = logging.getLogger(__name__)

# Messages that go to the address the organisation gave in the invitation; others to the applicant.
INVITATION_EVENTS = frozenset({"invitation", "reminder"})


def _enqueue_row(*, event, application, dedupe_key, payload, channel) -> tuple[OutboxMessage, bool]:
    from .tasks import deliver_outbox_message

    message, created = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "event": event,
            "channel": channel,
            "application": application,
            "payload": {"reference": application.reference, **(payload or {})} if application else (payload or {}),
            "next_attempt_at": timezone.now() + settings.OUTBOX_STALE_AFTER,
        },
    )
    if created:
        publish_on_commit(deliver_outbox_message, message.pk)
    return message, created


def outbox_enqueue(*, event: str, application=None, dedupe_key: str, payload: dict | None = None) -> OutboxMessage:
    """Write the message for ``event``: the e-mail row (returned) and one row per other channel it uses.

    The e-mail row keeps ``dedupe_key``; another channel's row has ``<dedupe_key>:<channel>``, so a
    second call for the same change writes nothing. The channels are chosen when the message is written.
    """
    from .channels import extra_channels

    message, created = _enqueue_row(
        event=event, application=application, dedupe_key=dedupe_key, payload=payload, channel=OutboxChannel.EMAIL
    )
    for channel in extra_channels(event, application) if created else ():
        _enqueue_row(
            event=event, application=application, dedupe_key=f"{dedupe_key}:{channel}", payload=payload, channel=channel
        )
    return message


def outbox_enqueue_many(items) -> list[int]:
    """``outbox_enqueue`` for many new changes at once (a batch of assessments): the same rows, written
    with one insert, and one delivery task for all of them after commit.

    ``items`` are ``(event, application, dedupe_key, payload)``; the dedupe keys must be new (they name
    changes written in this transaction), so there is nothing to skip.
    """
    from .channels import extra_channels
    from .tasks import deliver_outbox_messages

    due = timezone.now() + settings.OUTBOX_STALE_AFTER
    rows = []
    for event, application, dedupe_key, payload in items:
        body = {"reference": application.reference, **(payload or {})}
        for channel, key in [(OutboxChannel.EMAIL, dedupe_key)] + [
            (channel, f"{dedupe_key}:{channel}") for channel in extra_channels(event, application)
        ]:
            rows.append(
                OutboxMessage(
                    event=event,
                    channel=channel,
                    application=application,
                    dedupe_key=key,
                    payload=body,
                    next_attempt_at=due,
                )
            )
    ids = [row.pk for row in OutboxMessage.objects.bulk_create(rows)]
    if ids:
        publish_on_commit(deliver_outbox_messages, ids)
    return ids


def letter_post(letter) -> OutboxMessage | None:
    """Send ``letter`` by post (a job in the print queue) when the applicant has no e-mail address.

    Called in the transaction that writes the letter; the print job itself is made by delivery.
    """
    applicant = getattr(letter.application, "applicant", None)
    if applicant is None or applicant.email:
        return None
    message, _created = _enqueue_row(
        event=f"letter_{letter.kind}",
        application=letter.application,
        dedupe_key=f"letter:{letter.pk}",
        payload={"letter": letter.pk},
        channel=OutboxChannel.LETTER,
    )
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


def outbox_context(message: OutboxMessage) -> dict:
    """What the e-mail (and message box) templates of ``message`` are rendered with."""
    application = message.application
    invitation = getattr(application, "invitation", None) if application else None
    return {
        "message": message,
        "payload": message.payload,
        "application": application,
        "invitation": invitation,
        "base_url": settings.PUBLIC_BASE_URL,
        **message_context(message),
    }


def outbox_render(message: OutboxMessage, *, version=None) -> tuple[str, str]:
    """Subject and plain-text body (Dutch, then English) of ``message``.

    The wording is the administrators' version of the event valid on the day the message was written
    (``templates_in_force``), else the template files of the event, else those of ``_default`` (a version of
    ``_default`` before its files). ``version`` renders that ``MessageTemplate`` instead (a preview).
    """
    from .models import DEFAULT_TEMPLATE, TemplateChannel
    from .templates_in_force import message_day, render_text, template_in_force

    context = outbox_context(message)
    day = message_day(message) if version is None else None
    for name in (message.event, DEFAULT_TEMPLATE):
        in_force = version or template_in_force(name, TemplateChannel.EMAIL, day)
        if in_force is not None:
            subject, body = render_text(in_force.subject, context), render_text(in_force.body, context)
        else:
            try:
                subject = render_to_string(f"notifications/email/{name}.subject.txt", context)
                body = render_to_string(f"notifications/email/{name}.body.txt", context)
            except TemplateDoesNotExist:
                continue
        return " ".join(subject.split()), body.strip() + "\n"
    raise TemplateDoesNotExist(f"notifications/email/{message.event}")


def outbox_retry_delay(attempt: int) -> timedelta:
    return min(settings.OUTBOX_RETRY_BASE * (2 ** max(attempt - 1, 0)), settings.OUTBOX_RETRY_MAX)


def _send(message: OutboxMessage, recipient: str) -> str:
    """Hand the message to its channel; returns what the outbox records as the recipient."""
    from .channels import masked, sms_render

    if message.channel == OutboxChannel.EMAIL:
        from .mail import send_email

        subject, body = outbox_render(message)
        send_email(to=recipient, subject=subject, body=body)
        return recipient
    if message.channel == OutboxChannel.SMS:
        from .sms import sms_client

        sms_client().send(to=recipient, text=sms_render(message), reference=message.dedupe_key)
        return recipient
    if message.channel == OutboxChannel.BERICHTENBOX:
        from .berichtenbox import berichtenbox_client

        subject, body = outbox_render(message)
        berichtenbox_client().deliver(bsn=recipient, subject=subject, body=body, reference=message.dedupe_key)
        return masked(recipient)
    if message.channel == OutboxChannel.LETTER:
        PrintJob.objects.get_or_create(letter_id=message.payload["letter"], defaults={"address": recipient})
        return recipient.splitlines()[0]
    raise ValueError(f"unknown channel {message.channel!r}")


def _recipient(message: OutboxMessage) -> str:
    from .channels import berichtenbox_recipient, postal_address, sms_recipient

    if message.channel == OutboxChannel.SMS:
        return sms_recipient(message)
    if message.channel == OutboxChannel.BERICHTENBOX:
        return berichtenbox_recipient(message)
    if message.channel == OutboxChannel.LETTER:
        return postal_address(getattr(message.application, "applicant", None))
    return outbox_recipient(message)


def outbox_deliver(*, message_id: int) -> str:
    """Send one pending message on its channel. Returns sent, retry, parked, no_recipient or skipped.

    Every channel the same way: the row is claimed with SKIP LOCKED, the send happens while it is
    held and the row is marked sent in that transaction. A channel that does not answer means a retry
    with back-off for this row only (each row is its own task), and parking after the last try.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application")
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return "skipped"  # sent already, or another worker is sending it right now
        recipient = _recipient(message)
        if not recipient:
            message.status = OutboxStatus.NO_RECIPIENT
            message.next_attempt_at = None
            message.save(update_fields=["status", "next_attempt_at"])
            return "no_recipient"
        message.attempts += 1
        try:
            shown = _send(message, recipient)
        except OutsideSystemUnavailable as exc:
            message.last_error = str(exc)[:255]
            if isinstance(exc, CircuitOpen):
                # Refused by the channel's circuit breaker without trying: not an attempt, so a long
                # outage never parks messages; they wait for the breaker's probe to succeed.
                message.attempts -= 1
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.PARKED
                message.next_attempt_at = None
                logger.error(
                    "outbox message %s (%s) parked after %s attempts: %s",
                    message.pk,
                    message.channel,
                    message.attempts,
                    exc,
                )
            else:
                message.next_attempt_at = timezone.now() + outbox_retry_delay(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "parked" if message.status == OutboxStatus.PARKED else "retry"
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.recipient = shown
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


# --- Operators: what is stuck, and sending it again ----------------------------------------------


def _stuck_filter(now) -> Q:
    """Parked, or pending and overdue by more than ``OUTBOX_STALE_AFTER`` (its delivery is not moving)."""
    return Q(status=OutboxStatus.PARKED) | Q(
        status=OutboxStatus.PENDING, next_attempt_at__lt=now - settings.OUTBOX_STALE_AFTER
    )


def outbox_counts() -> dict[str, dict[str, int]]:
    """Number of messages per channel and status: ``{channel: {status: n}}``, every pair present."""
    from django.db.models import Count

    counts = {channel: dict.fromkeys(OutboxStatus.values, 0) for channel in OutboxChannel.values}
    for row in OutboxMessage.objects.values("channel", "status").annotate(n=Count("pk")):
        counts.setdefault(row["channel"], dict.fromkeys(OutboxStatus.values, 0))[row["status"]] = row["n"]
    return counts


def outbox_stuck(*, limit: int = 200):
    return (
        OutboxMessage.objects.filter(_stuck_filter(timezone.now()))
        .select_related("application")
        .order_by("created_at", "pk")[:limit]
    )


def _put_back(ids: list[int], *, actor, reason: str) -> int:
    from justis.audit import audit_record
    from justis.models import AuditAction

    from .tasks import deliver_outbox_message

    if not ids:
        return 0
    now = timezone.now()
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxStatus.PENDING, attempts=0, last_error="", next_attempt_at=now + settings.OUTBOX_STALE_AFTER
    )
    for pk in ids:
        audit_record(
            actor=actor,
            action=AuditAction.OUTBOX_RESENT,
            subject_type="outbox_message",
            subject_id=str(pk),
            reason=reason,
        )
    publish_many_on_commit(deliver_outbox_message, ([pk] for pk in ids))
    return len(ids)


def outbox_resend(*, message_id: int, actor) -> bool:
    """Put one stuck message back for delivery (pending, attempts reset), audited.

    Only a parked or stuck message is put back: a second click finds it pending again and does nothing.
    """
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_stuck_filter(timezone.now()), pk=message_id)
            .values_list("pk", flat=True)
        )
        return _put_back(ids, actor=actor, reason="resend") == 1


def outbox_resend_parked(*, channel: str, actor) -> int:
    """Put every parked message of ``channel`` back for delivery; returns how many."""
    if channel not in OutboxChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PARKED, channel=channel)
            .values_list("pk", flat=True)
        )
        return _put_back(ids, actor=actor, reason=f"resend all parked ({channel})")
