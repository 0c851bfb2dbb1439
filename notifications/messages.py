"""The messages: every event the outbox can carry, what its templates get, and a sample of each.

The templates are files (``templates/notifications/email/<event>.subject.txt`` and ``.body.txt``, Dutch
then English, plain text), unless functional administrators wrote a version of the wording valid on the
day the message was written (``MessageTemplate``, ``templates_in_force.py``). ``message_context`` adds what
they need besides the message itself: the dates written out in both languages by the ``message_dates``
filters, the MijnJustis link and how to reach Justis. Functional administrators read every template rendered
for a sample application at ``/beheer/berichtsjablonen/`` (``admin_views.py``). No message carries justice data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MessageEvent:
    name: str
    description: str
    recipient: str


APPLICANT = _("the applicant")
ORGANISATION = _("the organisation that prepared the application")

EVENTS: tuple[MessageEvent, ...] = (
    MessageEvent("invitation", _("An organisation prepared an application: link and application code."), APPLICANT),
    MessageEvent("reminder", _("The application code expires soon and the application is not completed."), APPLICANT),
    MessageEvent(
        "invitation_expired", _("The applicant did not complete the prepared application in time."), ORGANISATION
    ),
    MessageEvent(
        "application_submitted", _("The applicant completed the application; the payment is still due."), APPLICANT
    ),
    MessageEvent(
        "application_received",
        _("The application is received (after the payment, or at the municipality): the expected decision date."),
        APPLICANT,
    ),
    MessageEvent(
        "urgent_converted", _("The urgent procedure stopped: the regular decision period applies."), APPLICANT
    ),
    MessageEvent("decision_period_extended", _("The decision period is extended: the new date and why."), APPLICANT),
    MessageEvent("information_requested", _("The application is on hold: information is missing."), APPLICANT),
    MessageEvent("intent_to_refuse", _("Intention to refuse: the letter and the last day for a view."), APPLICANT),
    MessageEvent("zienswijze_received", _("A view on the intention to refuse was received."), APPLICANT),
    MessageEvent("decision_issued", _("The VOG is issued: how to download it."), APPLICANT),
    MessageEvent("decision_refused", _("The VOG is refused: the letter and the right to object."), APPLICANT),
    MessageEvent("application_withdrawn", _("The application is withdrawn."), APPLICANT),
    MessageEvent("objection_received", _("An objection was received: the date of the decision on it."), APPLICANT),
    MessageEvent("objection_upheld", _("The objection is upheld: the VOG is issued after all."), APPLICANT),
    MessageEvent("objection_decided", _("The objection is unfounded or inadmissible: the refusal stands."), APPLICANT),
    MessageEvent(
        "continuous_new_vog_required",
        _("Continuous screening: a new VOG is required (to the person and the linked organisations)."),
        _("the person and the linked organisations"),
    ),
    MessageEvent(
        "decision_delayed",
        _("The decision date is close or has passed and the period cannot be extended any more."),
        APPLICANT,
    ),
    MessageEvent(
        "incident_opened",
        _("A disruption was published on the status page: what it means for the application."),
        _("everyone with an open application, and the organisations that prepared one"),
    ),
    MessageEvent(
        "incident_resolved",
        _("The disruption is over."),
        _("everyone who was told about the disruption"),
    ),
)
EVENT_NAMES = frozenset(event.name for event in EVENTS)
TEMPLATE_DIR = settings.BASE_DIR / "templates" / "notifications" / "email"


def events_with_templates() -> list[MessageEvent]:
    """``EVENTS``, then any other event that has template files (added by later work), by name."""
    others = sorted(
        path.name.removesuffix(".subject.txt")
        for path in TEMPLATE_DIR.glob("*.subject.txt")
        if not path.name.startswith("_")
    )
    return [*EVENTS, *(MessageEvent(name, "", "") for name in others if name not in EVENT_NAMES)]


PRODUCTS = {
    "VOG_NP": ("Verklaring Omtrent het Gedrag (VOG)", "Certificate of Conduct (VOG)"),
    "VOG_RP": (
        "Verklaring Omtrent het Gedrag voor een rechtspersoon (VOG RP)",
        "Certificate of Conduct for a legal entity (VOG RP)",
    ),
    "GVA": ("Gedragsverklaring aanbesteden (GVA)", "Conduct certificate for public tenders (GVA)"),
}


def _name(person) -> str:
    if person is None:
        return ""
    parts = (person.given_names, getattr(person, "surname_prefix", ""), person.surname)
    return " ".join(part for part in parts if part)


def _local_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def message_context(message) -> dict:
    """What the templates of ``message`` need besides the message, its payload and the application."""
    payload = message.payload or {}
    application = message.application
    reference = payload.get("reference") or (application.reference if application else "")
    context = {
        "mijnjustis_url": f"{settings.PUBLIC_BASE_URL}/mijnjustis/{reference}/" if reference else "",
        "contact_phone": settings.JUSTIS_CONTACT_PHONE,
        "contact_address": ", ".join(settings.JUSTIS_CONTACT_ADDRESS),
        "view_period_days": settings.ZIENSWIJZE_PERIOD_DAYS,
        "objection_period_weeks": settings.OBJECTION_PERIOD_WEEKS,
        "applicant": None,
        "decision_due_date": None,
        "view_deadline": payload.get("view_deadline"),
        "objection_deadline": None,
        "after_payment": False,
        "applicant_name": "",
        "product_nl": PRODUCTS["VOG_NP"][0],
        "product_en": PRODUCTS["VOG_NP"][1],
    }
    if application is None:
        return context
    context["applicant"] = applicant = getattr(application, "applicant", None)
    invitation = getattr(application, "invitation", None)
    context["applicant_name"] = _name(applicant) or _name(invitation)
    context["product_nl"], context["product_en"] = PRODUCTS.get(application.type, PRODUCTS["VOG_NP"])
    context["decision_due_date"] = application.decision_due_date
    context["after_payment"] = bool(invitation and invitation.fee_cents)
    decided_on = _local_date(application.decided_at)
    if decided_on is not None:
        context["objection_deadline"] = decided_on + timedelta(weeks=settings.OBJECTION_PERIOD_WEEKS)
    if context["view_deadline"] is None and message.event == "intent_to_refuse" and application.pk:
        from screening.zienswijzen import zienswijze_deadline

        context["view_deadline"] = zienswijze_deadline(application)
    return context


# --- Samples for the functional administrators ----------------------------------------------------

SAMPLE_REFERENCE = "NP-7K2Q9M4XHD"
SAMPLE_DAY = date(2026, 11, 23)


def sample_payloads(event: str) -> list[dict]:
    """The payloads ``event`` is written with (one per variant), as the code that enqueues it writes them."""
    later = SAMPLE_DAY + timedelta(weeks=4)
    return {
        "reminder": [{"code": "ABCD-EFGH-JKLM", "expires_at": "2026-12-07T23:59:00+01:00"}],
        "urgent_converted": [{"new_due_date": later.isoformat(), "new_due_date_display": later.strftime("%d-%m-%Y")}],
        "decision_period_extended": [
            {"new_due_date": later.isoformat(), "new_due_date_display": later.strftime("%d-%m-%Y")}
        ],
        "decision_delayed": [
            {"decision_due_date": later.isoformat(), "overdue": False},
            {"decision_due_date": SAMPLE_DAY.isoformat(), "overdue": True},
        ],
        "intent_to_refuse": [
            {"view_deadline": (SAMPLE_DAY + timedelta(days=settings.ZIENSWIJZE_PERIOD_DAYS)).isoformat()}
        ],
        "zienswijze_received": [{"zienswijze": 1}],
        "objection_received": [{"objection": 1, "decision_due_on": (SAMPLE_DAY + timedelta(weeks=12)).isoformat()}],
        "objection_decided": [
            {"objection": 1, "outcome": "unfounded"},
            {"objection": 1, "outcome": "inadmissible"},
        ],
        "continuous_new_vog_required": [
            {
                "email": "persoon@example.org",
                "recipient": "person",
                "person_name": "Jan Jansen",
                "birth_date": "1990-05-17",
                "sector": "childcare",
                "vog_reference": "NP-3F8K2M9QRT",
                "non_active": True,
            },
            {
                "email": "personeel@example.org",
                "recipient": "organisation",
                "organisation_name": "Kinderopvang De Zonnebloem",
                "person_name": "Jan Jansen",
                "birth_date": "1990-05-17",
                "sector": "childcare",
                "vog_reference": "NP-3F8K2M9QRT",
                "non_active": True,
            },
        ],
    }.get(event, [{}])


def sample_application():
    """An application of the digital channel that is never saved: what the samples are rendered with."""
    from applications.models import Applicant, Application, Invitation

    noon = datetime.combine(SAMPLE_DAY, time(12), tzinfo=timezone.get_default_timezone())
    application = Application(
        reference=SAMPLE_REFERENCE,
        type="VOG_NP",
        channel="digital_organisation",
        status="received",
        organisation_name="Kinderopvang De Zonnebloem",
        purpose_code="WRE",
        position="Pedagogisch medewerker",
        application_date=SAMPLE_DAY - timedelta(weeks=4),
        received_at=noon - timedelta(weeks=4),
        decision_due_date=SAMPLE_DAY,
        decided_at=noon,
    )
    Applicant(
        application=application,
        given_names="Jan",
        surname="Jansen",
        birth_date=date(1990, 5, 17),
        email="jan@example.org",
    )
    Invitation(
        application=application,
        code="ABCD-EFGH-JKLM",
        given_names="Jan",
        surname="Jansen",
        birth_date=date(1990, 5, 17),
        email="jan@example.org",
        sent_at=noon - timedelta(weeks=6),
        expires_at=noon - timedelta(weeks=4),
        fee_cents=4135,
    )
    return application


def message_samples(application=None) -> list[dict]:
    """Every event with each variant rendered (the wording in force today): name, description, recipient,
    subject, body and, for the events that go out by SMS, the SMS."""
    from .channels import SMS_EVENTS, sms_render
    from .services import outbox_render

    application = application or sample_application()
    samples = []
    for event in events_with_templates():
        for message in sample_messages(event.name, application):
            subject, body = outbox_render(message)
            samples.append(
                {
                    "event": event,
                    "variant": sample_variant(message),
                    "subject": subject,
                    "body": body,
                    "sms": sms_render(message) if event.name in SMS_EVENTS else "",
                }
            )
    return samples


def sample_messages(event: str, application=None) -> list:
    """The messages of ``event`` for the sample application (never saved), one per variant of its payload."""
    from .models import OutboxMessage

    application = application or sample_application()
    messages = []
    for payload in sample_payloads(event):
        if event == "continuous_new_vog_required":
            messages.append(OutboxMessage(event=event, application=None, payload=payload))
        else:
            messages.append(
                OutboxMessage(
                    event=event, application=application, payload={"reference": application.reference, **payload}
                )
            )
    return messages


def sample_variant(message) -> str:
    return message.payload.get("outcome") or message.payload.get("recipient") or ""
