"""Paper applications entered by Justis staff: VOG RP, GVA, and VOG NP of persons not in the BRP (RNI).

A paper form arrives by post (VOG RP, GVA) or as a PDF by e-mail (RNI, domain.md §1.3). An intake
officer enters it with the scan attached, once the fee has been received by bank transfer. From then
on it follows the same lifecycle as every other application: received (the statutory clock starts),
assessed, decided. The application, the legal entity and its key persons, the intake record and the
scans are written in one transaction; a scan stored before a failure is removed again.

The entry form carries a one-time submission key: sending the same form twice (a double click, a
reload) gives the application entered the first time and stores nothing new.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from justis.audit import Actor, audit_record
from justis.models import AuditAction
from justis.storage import private_storage
from screening.zienswijzen import ZienswijzeAttachment

from ..fees import fee_cents
from ..models import (
    LEGAL_FORMS_BY_TYPE,
    URGENT_REASONS_BY_TYPE,
    Application,
    ApplicationType,
    Channel,
    KeyPerson,
    KeyPersonRole,
    LegalEntity,
    LegalForm,
    PaperIntake,
    ScannedDocument,
    ScannedDocumentKind,
)
from ..services import ApplicantData, application_receive
from ..validators import bsn_is_valid

PAPER_CHANNELS = (Channel.PAPER, Channel.RNI_DIRECT)
# A GVA's extra copies cost € 1 each (domain.md §4.5); at most ten on one application.
EXTRA_COPY_CENTS = 100
MAX_EXTRA_COPIES = 10


class PaperApplicationError(Exception):
    """The application cannot be entered; ``field`` names the part of the form that is wrong."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class PurposeData:
    purpose_code: str
    position: str
    purpose_description: str
    screening_profile: str
    functieaspecten: tuple[str, ...]


@dataclass(frozen=True)
class LegalEntityData:
    kvk_number: str
    name: str
    legal_form: str
    street: str
    house_number: str
    city: str
    representative_name: str
    postcode: str = ""


@dataclass(frozen=True)
class KeyPersonData:
    role: str
    given_names: str
    surname: str
    birth_date: date
    nationality: str
    surname_prefix: str = ""
    bsn: str = ""
    birth_place: str = ""
    birth_country: str = ""
    left_on: date | None = None


@dataclass(frozen=True)
class PaperDocument:
    """A scan whose type was recognised from its first bytes (``applications/portals/uploads.py``)."""

    kind: str
    upload: ZienswijzeAttachment = field(compare=False)


# --- Rules (the entry forms check them too, next to the fields) -----------------------------------


def former_director_earliest_left_on(day: date) -> date:
    """The earliest leave date of a former director who still counts: 12 months before ``day``.

    The same rule the screening applies (``FORMER_DIRECTOR_SCREENED_MONTHS``).
    """
    from screening.companies import former_director_screened_from

    return former_director_screened_from(day)


def key_person_problems(person: KeyPersonData, *, legal_form: str, day: date) -> dict[str, str]:
    """What is wrong with one key person, by field; empty when nothing is."""
    problems: dict[str, str] = {}
    if person.bsn and not bsn_is_valid(person.bsn):
        problems["bsn"] = _("This is not a valid BSN: it fails the 11-test. Check the number on the identity document.")
    if person.birth_date > day:
        problems["birth_date"] = _("The date of birth lies in the future.")
    if person.role == KeyPersonRole.FORMER_DIRECTOR:
        earliest = former_director_earliest_left_on(day)
        if person.left_on is None:
            problems["left_on"] = _("Fill in the date on which the former director left.")
        elif person.left_on > day:
            problems["left_on"] = _(
                "The date of leaving lies in the future. A director who is still in office is a director."
            )
        elif person.left_on < earliest:
            problems["left_on"] = _(
                "This director left more than 12 months before the application. A former director counts only "
                "when they left on or after %(date)s: leave this person out."
            ) % {"date": f"{earliest:%d-%m-%Y}"}
    elif person.left_on is not None:
        problems["left_on"] = _("Only a former director has a date of leaving: leave this date empty.")
    if legal_form == LegalForm.EENMANSZAAK and person.role != KeyPersonRole.OWNER:
        problems["role"] = _("An eenmanszaak has only its owner as key person: choose the role “owner”.")
    elif legal_form != LegalForm.EENMANSZAAK and person.role == KeyPersonRole.OWNER:
        problems["role"] = _("Only an eenmanszaak has an owner: choose the person's role in the company.")
    return problems


def urgent_reason_problem(application_type: str, urgent_reason: str) -> str | None:
    """Why this urgent reason is not allowed for this type of application, or None."""
    if not urgent_reason or urgent_reason in URGENT_REASONS_BY_TYPE[application_type]:
        return None
    if application_type == ApplicationType.GVA:
        return _("A GVA has no urgent procedure.")
    if application_type == ApplicationType.VOG_RP:
        return _("A VOG RP may use the urgent procedure only for activities abroad.")
    return _("This reason does not allow the urgent procedure.")


def paper_fee_cents(*, application_type: str, extra_copies: int = 0, day: date | None = None) -> int:
    """The fee of a paper application on ``day`` (today), with € 1 for each extra copy of a GVA."""
    day = day or timezone.localdate()
    return fee_cents(product=application_type, channel_group="paper", day=day) + extra_copies * EXTRA_COPY_CENTS


# --- Writes ---------------------------------------------------------------------------------------


def rni_application_enter(
    *,
    applicant: ApplicantData,
    organisation_name: str,
    kvk_number: str,
    purpose: PurposeData,
    documents: list[PaperDocument],
    entered_by,
    submission_key: uuid.UUID,
) -> tuple[Application, bool]:
    """Enter the VOG NP of a person not registered in the Netherlands (no BSN), sent by e-mail.

    Returns ``(application, created)``; raises ``PaperApplicationError`` or ``IdempotencyConflict``
    (the same submission key was used for other data).
    """
    if applicant.bsn:
        raise PaperApplicationError("bsn", _("A person who has a BSN applies through the municipality."))
    return _enter(
        application_type=ApplicationType.VOG_NP,
        channel=Channel.RNI_DIRECT,
        applicant=applicant,
        organisation_name=organisation_name,
        kvk_number=kvk_number,
        purpose=purpose,
        documents=documents,
        entered_by=entered_by,
        submission_key=submission_key,
    )


def company_application_enter(
    *,
    application_type: str,
    legal_entity: LegalEntityData,
    key_persons: list[KeyPersonData],
    documents: list[PaperDocument],
    entered_by,
    submission_key: uuid.UUID,
    purpose: PurposeData | None = None,
    urgent_reason: str = "",
    extra_copies: int = 0,
) -> tuple[Application, bool]:
    """Enter the paper form of a VOG RP (with purpose and screening) or a GVA (with extra copies).

    Returns ``(application, created)``; raises ``PaperApplicationError`` or ``IdempotencyConflict``.
    """
    day = timezone.localdate()
    if application_type not in (ApplicationType.VOG_RP, ApplicationType.GVA):
        raise ValueError(f"not a company application: {application_type}")
    if legal_entity.legal_form not in LEGAL_FORMS_BY_TYPE[application_type]:
        raise PaperApplicationError(
            "legal_form",
            _("A sole proprietor (eenmanszaak) applies for a VOG NP.")
            if legal_entity.legal_form == LegalForm.EENMANSZAAK
            else _("Choose a legal form from the list."),
        )
    problem = urgent_reason_problem(application_type, urgent_reason)
    if problem:
        raise PaperApplicationError("urgent_reason", problem)
    if application_type == ApplicationType.VOG_RP and purpose is None:
        raise ValueError("a VOG RP needs its purpose and screening")
    if application_type == ApplicationType.GVA:
        purpose = PurposeData("", "", "", "", ())
    elif extra_copies:
        raise PaperApplicationError("extra_copies", _("Extra copies are for a GVA only."))
    if not 0 <= extra_copies <= MAX_EXTRA_COPIES:
        raise PaperApplicationError("extra_copies", _("At most 10 extra copies."))
    if not key_persons:
        raise PaperApplicationError("key_persons", _("Fill in at least one key person."))
    for number, person in enumerate(key_persons, start=1):
        problems = key_person_problems(person, legal_form=legal_entity.legal_form, day=day)
        if problems:
            message = next(iter(problems.values()))
            raise PaperApplicationError(
                "key_persons", _("Key person %(number)d: %(message)s") % {"number": number, "message": message}
            )
    return _enter(
        application_type=application_type,
        channel=Channel.PAPER,
        applicant=None,
        organisation_name=legal_entity.name,
        kvk_number=legal_entity.kvk_number,
        purpose=purpose,
        urgent_reason=urgent_reason,
        documents=documents,
        entered_by=entered_by,
        submission_key=submission_key,
        legal_entity=legal_entity,
        key_persons=key_persons,
        extra_copies=extra_copies,
    )


def _fingerprint(**parts) -> str:
    """A hash of what was entered (the kinds of documents, not the files), to tell a repeated form from another."""
    payload = {key: asdict(value) if is_dataclass(value) else value for key, value in parts.items()}
    payload["key_persons"] = [asdict(person) for person in parts["key_persons"]]
    payload["documents"] = sorted(document.kind for document in parts["documents"])
    return hashlib.sha256(json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def _enter(
    *,
    application_type: str,
    channel: str,
    applicant: ApplicantData | None,
    organisation_name: str,
    kvk_number: str,
    purpose: PurposeData,
    documents: list[PaperDocument],
    entered_by,
    submission_key: uuid.UUID,
    urgent_reason: str = "",
    legal_entity: LegalEntityData | None = None,
    key_persons: list[KeyPersonData] = (),
    extra_copies: int = 0,
) -> tuple[Application, bool]:
    if not any(document.kind == ScannedDocumentKind.APPLICATION_FORM for document in documents):
        raise PaperApplicationError("scan", _("Attach the scan of the application form."))
    fee = paper_fee_cents(application_type=application_type, extra_copies=extra_copies)
    fingerprint = _fingerprint(
        application_type=application_type,
        applicant=applicant,
        organisation_name=organisation_name,
        kvk_number=kvk_number,
        purpose=purpose,
        urgent_reason=urgent_reason,
        legal_entity=legal_entity,
        key_persons=key_persons,
        extra_copies=extra_copies,
        documents=documents,
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            application, created = application_receive(
                application_type=application_type,
                channel=channel,
                applicant=applicant,
                organisation_name=organisation_name,
                kvk_number=kvk_number,
                purpose_code=purpose.purpose_code,
                position=purpose.position,
                purpose_description=purpose.purpose_description,
                screening_profile=purpose.screening_profile,
                functieaspecten=list(purpose.functieaspecten),
                urgent_reason=urgent_reason,
                actor=Actor.user(entered_by),
                municipality=None,
                idempotency_key=f"paper:{submission_key}",
                request_fingerprint=fingerprint,
            )
            if not created:
                return application, False
            if legal_entity is not None:
                LegalEntity.objects.create(application=application, **asdict(legal_entity))
            KeyPerson.objects.bulk_create(KeyPerson(application=application, **asdict(p)) for p in key_persons)
            PaperIntake.objects.create(
                application=application, entered_by=entered_by, fee_cents=fee, extra_copies=extra_copies
            )
            for document in documents:
                row = ScannedDocument(
                    application=application,
                    kind=document.kind,
                    original_name=document.upload.original_name[:255],
                    content_type=document.upload.content_type,
                    size=document.upload.size,
                    uploaded_by=entered_by,
                )
                # The stored name is ours; the sender's file name is only kept as data.
                row.file.save(f"{uuid.uuid4().hex}.{document.upload.extension}", document.upload.file, save=False)
                stored.append(row.file.name)
                row.save()
    except BaseException:
        # The transaction is rolled back: do not leave scans behind without their rows.
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    return application, True


# --- Reads ----------------------------------------------------------------------------------------


def paper_applications() -> QuerySet[Application]:
    """The applications entered at Justis from paper (or an RNI e-mail), newest first."""
    return (
        Application.objects.filter(channel__in=PAPER_CHANNELS)
        .select_related("applicant", "legal_entity")
        .order_by("-created_at", "-id")
    )


def paper_application(reference: str) -> Application | None:
    return (
        paper_applications()
        .select_related("paper_intake", "paper_intake__entered_by")
        .filter(reference=reference)
        .first()
    )


def scanned_document_download(*, application: Application, document_id: int, user) -> ScannedDocument | None:
    """A scan of this application, for an intake officer; every download leaves an audit entry."""
    document = application.scanned_documents.filter(pk=document_id).first()
    if document is None:
        return None
    audit_record(
        actor=Actor.user(user),
        action=AuditAction.DOCUMENT_DOWNLOADED,
        subject_type="application",
        subject_id=application.reference,
        data={"document": document.pk, "kind": document.kind},
    )
    return document
