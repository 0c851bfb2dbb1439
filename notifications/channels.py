"""Which channels a message goes out on, and how each channel finds its recipient and sends.

The table: e-mail always (to the address known at delivery; none means ``no_recipient``); SMS for a
few short events when the applicant gave a telephone number; the message box (Berichtenbox) for
decisions when the applicant has a BSN. A channel whose backend setting is empty is not used.
Letters go by post through the print queue when the applicant has no e-mail address
(``services.letter_post``). Every channel gets its own outbox row.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import TemplateDoesNotExist, render_to_string

from .models import OutboxChannel

SMS_EVENTS = frozenset({"application_received", "decision_issued", "intent_to_refuse"})
BERICHTENBOX_EVENTS = frozenset({"decision_issued", "decision_refused"})


def _applicant(application):
    return getattr(application, "applicant", None) if application is not None else None


def extra_channels(event: str, application) -> list[str]:
    """The channels besides e-mail that ``event`` goes out on for this application."""
    applicant = _applicant(application)
    if applicant is None:
        return []
    channels = []
    if event in SMS_EVENTS and applicant.phone and settings.SMS_BACKEND:
        channels.append(OutboxChannel.SMS)
    if event in BERICHTENBOX_EVENTS and applicant.bsn and settings.BERICHTENBOX_BACKEND:
        channels.append(OutboxChannel.BERICHTENBOX)
    return channels


def sms_context(message) -> dict:
    """What the SMS templates of ``message`` are rendered with."""
    return {
        "message": message,
        "payload": message.payload,
        "application": message.application,
        "base_url": settings.PUBLIC_BASE_URL,
    }


def sms_render(message, *, version=None) -> str:
    """The short text (Dutch, then English): the administrators' version of the event valid on the day the
    message was written, else ``notifications/sms/<event>.txt``, else ``_default`` (as ``outbox_render``).
    ``version`` renders that ``MessageTemplate`` instead (a preview)."""
    from .models import DEFAULT_TEMPLATE, TemplateChannel
    from .templates_in_force import message_day, render_text, template_in_force

    context = sms_context(message)
    day = message_day(message) if version is None else None
    for name in (message.event, DEFAULT_TEMPLATE):
        in_force = version or template_in_force(name, TemplateChannel.SMS, day)
        if in_force is not None:
            text = render_text(in_force.body, context)
        else:
            try:
                text = render_to_string(f"notifications/sms/{name}.txt", context)
            except TemplateDoesNotExist:
                continue
        return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
    raise TemplateDoesNotExist(f"notifications/sms/{message.event}")


def sms_recipient(message) -> str:
    applicant = _applicant(message.application)
    return applicant.phone if applicant is not None else ""


def berichtenbox_recipient(message) -> str:
    applicant = _applicant(message.application)
    return applicant.bsn if applicant is not None else ""


def postal_address(applicant) -> str:
    if applicant is None or not (applicant.street and applicant.city):
        return ""
    street = " ".join(
        part for part in (applicant.street, applicant.house_number, applicant.house_number_suffix) if part
    )
    lines = [applicant.full_name, street, " ".join(part for part in (applicant.postcode, applicant.city) if part)]
    if applicant.country and applicant.country.lower() not in ("nederland", "nl", "the netherlands"):
        lines.append(applicant.country.upper())
    return "\n".join(lines)


def masked(value: str) -> str:
    """What the outbox shows of a BSN: its last three digits."""
    return "*" * max(len(value) - 3, 0) + value[-3:]
