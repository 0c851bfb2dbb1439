"""The citizen's right of access (GDPR art. 15): everything MijnJustis holds about them, in one download.

``citizen_data`` gathers the account and every application of the logged-in citizen, as the citizen may
see it: statuses and dates, the fee and payments, the messages sent to them, the letters, and the files
they uploaded (listed by name). Justice data that led to an intention to refuse or a refusal appears only
as the letters the citizen has already received; the raw records, the assessments and the screeners'
notes stay out, as do the names of staff. Everything is selected through the citizen's own applications
(``selectors.applications_for_citizen``), so nobody else's data can enter it. Each download is audited.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from justis.audit import Actor, audit_record
from justis.models import AuditAction

from .fees import decimal_euros
from .lifecycle import Status
from .selectors import applications_for_citizen

FORMAT_VERSION = 1


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _euros(cents: int | None) -> str | None:
    return None if cents is None else decimal_euros(cents)


def _profile(citizen) -> dict:
    return {
        "bsn": citizen.bsn,
        "first_name": citizen.first_name,
        "last_name": citizen.last_name,
        "email": citizen.email,
        "account_created_at": _when(citizen.date_joined),
        "last_login_at": _when(citizen.last_login),
    }


def _applicant(application) -> dict | None:
    applicant = getattr(application, "applicant", None)
    if applicant is None:
        return None
    return {
        "bsn": applicant.bsn,
        "given_names": applicant.given_names,
        "surname_prefix": applicant.surname_prefix,
        "surname": applicant.surname,
        "birth_date": _when(applicant.birth_date),
        "birth_place": applicant.birth_place,
        "birth_country": applicant.birth_country,
        "gender": applicant.get_gender_display() if applicant.gender else "",
        "nationalities": list(applicant.nationalities),
        "address": {
            "street": applicant.street,
            "house_number": applicant.house_number,
            "house_number_suffix": applicant.house_number_suffix,
            "postcode": applicant.postcode,
            "town": applicant.city,
            "country": applicant.country,
        },
        "email": applicant.email,
        "phone": applicant.phone,
        "previous_identities": applicant.previous_identities,
    }


def _fee_cents(application) -> int | None:
    for relation in ("invitation", "intake", "paper_intake"):
        related = getattr(application, relation, None)
        if related is not None and related.fee_cents is not None:
            return related.fee_cents
    return None


def _messages_to_applicant(application) -> list[dict]:
    """The messages sent to the applicant (not those to the organisation that prepared the application)."""
    from notifications.messages import APPLICANT, EVENTS
    from notifications.models import OutboxStatus

    to_applicant = {event.name: str(event.description) for event in EVENTS if event.recipient == APPLICANT}
    incidents = {event.name: str(event.description) for event in EVENTS if event.name.startswith("incident_")}
    rows = []
    for message in application.outbox_messages.all():
        if message.event in to_applicant:
            description = to_applicant[message.event]
        elif message.event in incidents and "organisation" not in message.payload:
            description = incidents[message.event]
        else:
            continue
        rows.append(
            {
                "event": message.event,
                "about": description,
                "channel": message.get_channel_display(),
                "to": message.recipient,
                "status": message.get_status_display(),
                "created_at": _when(message.created_at),
                "sent_at": _when(message.sent_at) if message.status == OutboxStatus.SENT else None,
            }
        )
    return rows


def _application(application) -> dict:
    certificate = getattr(application, "certificate", None)
    return {
        "reference": application.reference,
        "type": application.get_type_display(),
        "channel": application.get_channel_display(),
        "organisation": application.organisation_name,
        "purpose": {
            "purpose_code": application.purpose_code,
            "position": application.position,
            "description": application.purpose_description,
            "screening_profile": application.screening_profile,
            "functieaspecten": list(application.functieaspecten),
        },
        "status": application.get_status_display(),
        "dates": {
            "created_at": _when(application.created_at),
            "application_date": _when(application.application_date),
            "received_at": _when(application.received_at),
            "decision_due_date": _when(application.decision_due_date),
            "decided_at": _when(application.decided_at),
        },
        # The statuses and when they were reached; who at Justis moved it on and their notes stay out.
        "status_history": [
            {
                "status": Status(change.to_status).label if change.to_status in Status.values else change.to_status,
                "at": _when(change.at),
            }
            for change in sorted(application.status_changes.all(), key=lambda change: (change.at, change.pk))
        ],
        "applicant": _applicant(application),
        "fee": _euros(_fee_cents(application)),
        "payments": [
            {
                "amount": _euros(payment.amount_cents),
                "currency": payment.currency,
                "status": payment.get_status_display(),
                "started_at": _when(payment.created_at),
                "completed_at": _when(payment.completed_at),
            }
            for payment in application.payments.all()
        ],
        "certificate": None
        if certificate is None
        else {"issued_at": _when(certificate.issued_at), "valid_until": _when(certificate.valid_until)},
        "letters": [
            {"id": letter.pk, "kind": letter.get_kind_display(), "date": _when(letter.created_at)}
            for letter in application.letters.all()
        ],
        "messages": _messages_to_applicant(application),
        "views_given": [
            {
                "submitted_at": _when(zienswijze.submitted_at),
                "channel": zienswijze.get_channel_display(),
                "text": zienswijze.text,
                "attachment": zienswijze.attachment_original_name or None,
            }
            for zienswijze in application.zienswijzen.all()
        ],
        "objections": [
            {
                "received_on": _when(objection.received_on),
                "channel": objection.get_channel_display(),
                "grounds": objection.grounds,
                "decision_due_on": _when(objection.decision_due_on),
                "outcome": objection.get_outcome_display() if objection.outcome else None,
                "decided_at": _when(objection.decided_at),
            }
            for objection in application.objections.all()
        ],
        "documents": [{"name": name, "uploaded_at": uploaded_at} for name, uploaded_at in _documents(application)],
    }


def _documents(application) -> list[tuple[str, str | None]]:
    """The files uploaded for this application, by name: attachments of views and scanned paper forms."""
    documents = [
        (zienswijze.attachment_original_name, _when(zienswijze.submitted_at))
        for zienswijze in application.zienswijzen.all()
        if zienswijze.attachment_original_name
    ]
    documents += [
        (document.original_name, _when(document.uploaded_at)) for document in application.scanned_documents.all()
    ]
    return documents


def citizen_data(citizen) -> dict:
    """Everything about ``citizen`` in MijnJustis, as plain JSON-ready data."""
    from notifications.models import Letter, OutboxMessage

    applications = (
        applications_for_citizen(citizen=citizen)
        .select_related("applicant", "invitation", "intake", "paper_intake", "certificate")
        .prefetch_related(
            "status_changes",
            "payments",
            Prefetch("letters", queryset=Letter.objects.order_by("created_at", "pk")),
            Prefetch("outbox_messages", queryset=OutboxMessage.objects.order_by("created_at", "pk")),
            "zienswijzen",
            "objections",
            "scanned_documents",
        )
    )
    return {
        "format_version": FORMAT_VERSION,
        "created_at": _when(timezone.now()),
        "controller": "Justis, Ministerie van Justitie en Veiligheid",
        "profile": _profile(citizen),
        "applications": [_application(application) for application in applications],
    }


def citizen_data_download(*, citizen, kind: str) -> dict:
    """The data for a download (``kind`` "json" or "summary"), audited with what was handed out."""
    data = citizen_data(citizen)
    audit_record(
        actor=Actor.user(citizen),
        action=AuditAction.PERSONAL_DATA_EXPORTED,
        subject_type="citizen",
        subject_id=citizen.pk,
        data={"format": kind, "applications": [row["reference"] for row in data["applications"]]},
    )
    return data


def citizen_data_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
