"""Views (zienswijzen) on an intention to refuse.

When a screener intends to refuse, the application enters ``intent_to_refuse`` and the applicant may
give a view up to and including the last day of the view period (``ZIENSWIJZE_PERIOD_DAYS`` after the
day it entered that status). Several views are allowed within the period. After it, the applicant
phones Justis; screeners will register views given by letter or phone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applications.lifecycle import Status
from applications.models import Application, StatusChange
from justis.audit import Actor, audit_record
from justis.models import AuditAction
from notifications.services import outbox_enqueue

from .models import ZIENSWIJZE_TEXT_MAX_LENGTH, Zienswijze, ZienswijzeChannel


class ZienswijzeError(Exception):
    """The view cannot be taken; the message says why and what the applicant can do."""


@dataclass(frozen=True)
class ZienswijzeAttachment:
    """An attachment whose type was recognised from its first bytes (see applications/portals/uploads.py)."""

    file: File
    original_name: str
    content_type: str
    extension: str  # without the dot: "pdf", "jpg", "png"
    size: int


# --- Reads ---------------------------------------------------------------------------------------


def intent_to_refuse_sent_at(application: Application):
    """When the application last entered ``intent_to_refuse`` (the intention was sent), or None."""
    change = (
        StatusChange.objects.filter(application=application, to_status=Status.INTENT_TO_REFUSE).order_by("-at").first()
    )
    return change.at if change else None


def zienswijze_deadline(application: Application) -> date | None:
    """The last day on which the applicant may give a view, or None when no intention was sent."""
    sent_at = intent_to_refuse_sent_at(application)
    if sent_at is None:
        return None
    return timezone.localdate(sent_at) + timedelta(days=settings.ZIENSWIJZE_PERIOD_DAYS)


def zienswijzen_for_application(application: Application) -> QuerySet[Zienswijze]:
    return Zienswijze.objects.filter(application=application).order_by("submitted_at", "id")


def zienswijze_period_open(application: Application) -> bool:
    deadline = zienswijze_deadline(application)
    return application.status == Status.INTENT_TO_REFUSE and deadline is not None and timezone.localdate() <= deadline


def period_ended_message(deadline: date) -> str:
    return _(
        "The period for giving your view ended on %(date)s. Do you still want to give your view? "
        "Phone Justis: the number is in the letter about the intention to refuse."
    ) % {"date": formats.date_format(deadline, "j F Y")}


# --- Writes --------------------------------------------------------------------------------------


def _received(zienswijze: Zienswijze, *, actor: Actor, data: dict, reason: str = "") -> None:
    """The audit entry and the outbox message of a view just saved (same transaction)."""
    audit_record(
        actor=actor,
        action=AuditAction.ZIENSWIJZE_RECEIVED,
        subject_type="application",
        subject_id=zienswijze.application.reference,
        reason=reason,
        data={"zienswijze": zienswijze.pk, "channel": zienswijze.channel, "characters": len(zienswijze.text), **data},
    )
    outbox_enqueue(
        event="zienswijze_received",
        application=zienswijze.application,
        dedupe_key=f"zienswijze:{zienswijze.pk}",
        payload={"zienswijze": zienswijze.pk},
    )


def zienswijze_submit(
    *,
    application: Application,
    citizen,
    text: str,
    attachment: ZienswijzeAttachment | None = None,
    submission_key: uuid.UUID | None = None,
) -> tuple[Zienswijze, bool]:
    """Save the applicant's view given in MijnJustis; returns ``(view, created)``.

    Only the applicant, only while the application is in ``intent_to_refuse`` and only up to and
    including the last day of the view period. The view, its audit entry and the outbox message are
    written in one transaction. The same ``submission_key`` again (a double click, a reload of the
    POST) returns the view saved the first time, with ``created`` False, and stores nothing new.
    """
    text = text.strip()
    if not text:
        raise ZienswijzeError(_("Write your view."))
    if len(text) > ZIENSWIJZE_TEXT_MAX_LENGTH:
        raise ZienswijzeError(_("Your view is too long: at most 5,000 characters."))
    with transaction.atomic():
        # The row lock makes concurrent submissions of the same form wait for each other.
        current = Application.objects.select_for_update().get(pk=application.pk)
        if submission_key is not None:
            earlier = Zienswijze.objects.filter(application=current, submission_key=submission_key).first()
            if earlier is not None:
                return earlier, False
        if current.citizen_id is None or current.citizen_id != citizen.pk:
            raise ZienswijzeError(_("Only the applicant can give a view on this application."))
        if current.status != Status.INTENT_TO_REFUSE:
            raise ZienswijzeError(
                _("You cannot give a view on this application: Justis has not sent an intention to refuse.")
            )
        deadline = zienswijze_deadline(current)
        if deadline is None or timezone.localdate() > deadline:
            raise ZienswijzeError(period_ended_message(deadline) if deadline else _("The period for a view is over."))

        zienswijze = Zienswijze(
            application=current,
            channel=ZienswijzeChannel.DIGITAL,
            text=text,
            submitted_by=citizen,
            submission_key=submission_key,
        )
        if attachment is not None:
            zienswijze.attachment_original_name = attachment.original_name[:255]
            zienswijze.attachment_content_type = attachment.content_type
            zienswijze.attachment_size = attachment.size
            # The stored name is ours; the applicant's file name is only kept as data.
            zienswijze.attachment.save(f"{uuid.uuid4().hex}.{attachment.extension}", attachment.file, save=False)
        try:
            zienswijze.save()
            _received(
                zienswijze,
                actor=Actor.user(citizen),
                data={
                    "attachment": bool(zienswijze.attachment),
                    "attachment_content_type": zienswijze.attachment_content_type,
                    "attachment_size": zienswijze.attachment_size,
                },
            )
        except BaseException:
            # The transaction is rolled back: do not leave the file behind without its row.
            if zienswijze.attachment:
                zienswijze.attachment.storage.delete(zienswijze.attachment.name)
            raise
    return zienswijze, True


REGISTERED_CHANNELS = (ZienswijzeChannel.LETTER, ZienswijzeChannel.PHONE)


def zienswijze_register(
    *, application: Application, screener, channel: str, text: str, received_on: date
) -> Zienswijze:
    """Register a view the applicant gave by letter or by phone, as the screener who holds the case.

    Allowed while the case is in ``intent_to_refuse``, also after the view period (a view phoned in
    late is still read before the decision); ``received_on`` may not lie in the future nor before the
    intention was sent. The view, its audit entry and the outbox message are written in one transaction.
    The caller checks that the screener holds the case.
    """
    text = text.strip()
    if channel not in REGISTERED_CHANNELS:
        raise ZienswijzeError(_("Choose how the view came in: by letter or by phone."))
    if not text:
        raise ZienswijzeError(_("Write down the view (for a phone call: what the applicant said)."))
    if len(text) > ZIENSWIJZE_TEXT_MAX_LENGTH:
        raise ZienswijzeError(_("The view is too long: at most 5,000 characters."))
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status != Status.INTENT_TO_REFUSE:
            raise ZienswijzeError(_("A view can only be registered while an intention to refuse is pending."))
        sent_at = intent_to_refuse_sent_at(current)
        if received_on > timezone.localdate() or (sent_at and received_on < timezone.localdate(sent_at)):
            raise ZienswijzeError(
                _("The date received must lie between the date of the intention to refuse and today.")
            )
        received_at = (
            timezone.make_aware(datetime.combine(received_on, time(12, 0)))
            if received_on != timezone.localdate()
            else timezone.now()
        )
        zienswijze = Zienswijze.objects.create(
            application=current, channel=channel, text=text, submitted_by=screener, submitted_at=received_at
        )
        deadline = zienswijze_deadline(current)
        _received(
            zienswijze,
            actor=Actor.user(screener),
            reason=f"registered by a screener ({channel})",
            data={"received_on": received_on.isoformat(), "after_period": bool(deadline and received_on > deadline)},
        )
    return zienswijze
