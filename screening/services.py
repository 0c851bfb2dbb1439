"""Screening services: assessing an application against the justice records, issuing the certificate,
and the sweeper that re-queues work that Redis or a worker lost.

Tasks only call these. Every function is safe to run twice: the database decides (guarded status
transitions, one assessment and one certificate per application as unique constraints).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from applications.lifecycle import AWAITING_TASK, Status, application_transition
from applications.models import Application, ApplicationType, IdentityVerification
from applications.verification import identity_check
from justis.adapters import OutsideSystemUnavailable
from justis.audit import Actor, audit_event, audit_record
from justis.models import AuditAction, AuditEvent
from justis.queue import publish_many_on_commit, publish_on_commit

from .catalogue import purpose_code_on, screening_basis_on
from .companies import LEGAL_ENTITY, SCREENED, company_screening, subjects_of
from .jds import jds_client
from .models import Assessment, AssessmentOutcome, Certificate
from .rules import pre_assessment

ASSESSMENT_ACTOR = Actor.system("assessment")
DOCUMENTS_ACTOR = Actor.system("documents")

# Why an application without an applicant's BSN goes to a screener (persons not in the BRP).
SCREENER_REASON_PAPER = "paper application: key persons/identity checked by a screener"

# Crockford's base32 alphabet: no I, L, O, U, so codes are easy to read aloud and type.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def verification_code_new() -> str:
    """16 random symbols of base32 (80 bits), grouped by four: XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def jds_retry_delay(attempt: int) -> timedelta:
    """Back-off while the justice records system does not answer: base, 2×base, 4×base … capped."""
    delay = settings.JDS_RETRY_BASE * (2 ** max(attempt - 1, 0))
    return min(delay, settings.JDS_RETRY_MAX)


def assessment_run(*, application_id: int, attempt_counted: bool = False) -> str:
    """Assess one application waiting for assessment.

    Personal data typed by hand at the counter is first checked against the population register.
    The records of a VOG NP go through the pre-assessment (``screening.rules``): granted when none is
    both relevant for the screening basis and within its look-back period, else a screener assesses
    them; the explanation per record is kept in ``Assessment.findings``.
    A VOG RP or a GVA screens each key person to be screened and the company itself
    (``screening.companies``): granted only when all of them have a BSN and none has a record that
    stands in the way. A VOG NP of a person without a BSN is never granted automatically.
    Returns what happened: ``issued``, ``in_review``, ``on_hold`` (personal data differs from the
    register), ``waiting`` (the register or JDS unavailable; retried later) or ``skipped`` (already
    assessed, or another worker is assessing it right now). ``attempt_counted``: a batch
    (``screening.batch``) has counted this attempt already.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("applicant")
            .filter(pk=application_id, status__in=AWAITING_TASK)
            .first()
        )
        if application is None:
            return "skipped"
        if attempt_counted:
            attempt = application.assessment_attempts
        else:
            Application.objects.filter(pk=application.pk).update(assessment_attempts=F("assessment_attempts") + 1)
            attempt = application.assessment_attempts + 1
        if application.status == Status.RECEIVED:
            application = application_transition(
                application=application, to_status=Status.IN_ASSESSMENT, actor=ASSESSMENT_ACTOR
            )
        applicant = getattr(application, "applicant", None)
        if application.type in (ApplicationType.VOG_RP, ApplicationType.GVA):
            return _assess_company(application, attempt)
        if applicant is None or not applicant.bsn:
            return _refer_to_screener(application, attempt)
        if application.identity_verification == IdentityVerification.PENDING:
            try:
                checked = identity_check(application=application)
            except OutsideSystemUnavailable as exc:
                _wait_for(application, attempt, exc, AuditAction.PERSONAL_DATA_UNAVAILABLE)
                return "waiting"
            if checked == IdentityVerification.MISMATCH:
                application_transition(
                    application=application,
                    to_status=Status.ON_HOLD,
                    actor=ASSESSMENT_ACTOR,
                    reason="the personal data entered at the counter differs from the population register",
                )
                return "on_hold"
        try:
            records = jds_client().records_for(application.applicant.bsn)
        except OutsideSystemUnavailable as exc:
            _wait_for(application, attempt, exc, AuditAction.JUSTICE_DATA_UNAVAILABLE)
            return "waiting"

        justice_read_audit(application, records).save(force_insert=True)
        result = person_pre_assessment(application, records)
        person_assessment(application, result, records).save(force_insert=True)
        reason = assessment_reason(result, records)
        if result.outcome == AssessmentOutcome.AUTO_GRANT:
            application = application_transition(
                application=application, to_status=Status.ISSUED, actor=ASSESSMENT_ACTOR, reason=reason
            )
            certificate_create(application=application)
            return "issued"
        application_transition(
            application=application, to_status=Status.IN_REVIEW, actor=ASSESSMENT_ACTOR, reason=reason
        )
        return "in_review"


def justice_read_audit(application: Application, records) -> AuditEvent:
    """The audit entry of reading one person's justice records for the pre-assessment (not yet saved)."""
    return audit_event(
        actor=ASSESSMENT_ACTOR,
        action=AuditAction.JUSTICE_DATA_READ,
        subject_type="application",
        subject_id=application.reference,
        reason="automatic pre-assessment",
        data={"records": len(records)},
    )


def person_pre_assessment(application: Application, records):
    """The pre-assessment of a VOG NP applicant's records, with the application's screening basis."""
    return pre_assessment(
        records,
        application_date=application.application_date,
        birth_date=application.applicant.birth_date,
        screening_profile=application.screening_profile,
        functieaspecten=list(application.functieaspecten),
        application_type=application.type,
    )


def person_assessment(application: Application, result, records) -> Assessment:
    """The ``Assessment`` row of a VOG NP's pre-assessment (not yet saved)."""
    return Assessment(
        application=application,
        outcome=result.outcome,
        records=[record.as_json() for record in records],
        findings=result.findings_json(),
    )


def assessment_reason(result, records) -> str:
    """Why the pre-assessment of one person granted or sent the case to a screener (the status history)."""
    if result.outcome == AssessmentOutcome.AUTO_GRANT:
        if records:
            return f"{len(records)} justice record(s), none both relevant and within the look-back period"
        return "no justice records"
    return (
        f"{len(records)} justice record(s) found, {result.for_screener} relevant and within the look-back "
        "period: a screener assesses them"
    )


def _assess_company(application: Application, attempt: int) -> str:
    """Screen the key persons and the company of a VOG RP or GVA (``screening.companies``).

    Reads the records of each key person to be screened who has a BSN and of the company by its KvK
    number, all before anything is written; one audit entry per read, naming the key person. The JDS
    unavailable: waits like any other assessment. Granted when nothing stands in the way, else a
    screener assesses.
    """
    subjects = subjects_of(application)
    client = jds_client()
    entity = getattr(application, "legal_entity", None)
    try:
        for subject in subjects:
            if subject.status != SCREENED:
                continue
            if subject.kind == LEGAL_ENTITY:
                subject.records = client.records_for_legal_entity(entity.kvk_number)
            else:
                subject.records = client.records_for(subject.bsn)
    except OutsideSystemUnavailable as exc:
        _wait_for(application, attempt, exc, AuditAction.JUSTICE_DATA_UNAVAILABLE)
        return "waiting"
    for subject in subjects:
        if subject.status != SCREENED:
            continue
        if subject.kind == LEGAL_ENTITY:
            reason, data = f"legal entity {subject.name} (KvK {entity.kvk_number})", {"legal_entity": subject.id}
        else:
            reason, data = f"key person {subject.name} ({subject.role})", {"key_person": subject.id}
        audit_record(
            actor=ASSESSMENT_ACTOR,
            action=AuditAction.JUSTICE_DATA_READ,
            subject_type="application",
            subject_id=application.reference,
            reason=f"{reason} of a {application.type}",
            data={**data, "records": len(subject.records)},
        )
    result = company_screening(application, subjects)
    Assessment.objects.create(
        application=application,
        outcome=result.outcome,
        records=result.records,
        findings=result.findings,
        subjects=result.subjects,
    )
    if result.outcome == AssessmentOutcome.AUTO_GRANT:
        application = application_transition(
            application=application, to_status=Status.ISSUED, actor=ASSESSMENT_ACTOR, reason=result.reason
        )
        certificate_create(application=application)
        return "issued"
    application_transition(
        application=application, to_status=Status.IN_REVIEW, actor=ASSESSMENT_ACTOR, reason=result.reason
    )
    return "in_review"


def _refer_to_screener(application: Application, attempt: int) -> str:
    """No automatic grant for a VOG NP of a person without a BSN: a screener checks the identity."""
    records = []
    people = list(application.key_persons.exclude(bsn="").order_by("pk"))
    try:
        found = [(person, jds_client().records_for(person.bsn)) for person in people]
    except OutsideSystemUnavailable as exc:
        _wait_for(application, attempt, exc, AuditAction.JUSTICE_DATA_UNAVAILABLE)
        return "waiting"
    for person, person_records in found:
        audit_record(
            actor=ASSESSMENT_ACTOR,
            action=AuditAction.JUSTICE_DATA_READ,
            subject_type="application",
            subject_id=application.reference,
            reason="key person of a paper application",
            data={"key_person": person.pk, "records": len(person_records)},
        )
        records += [{**record.as_json(), "key_person": person.pk} for record in person_records]
    Assessment.objects.create(application=application, outcome=AssessmentOutcome.NEEDS_SCREENER, records=records)
    reason = SCREENER_REASON_PAPER
    if records:
        reason += f"; {len(records)} justice record(s) found for key persons"
    application_transition(application=application, to_status=Status.IN_REVIEW, actor=ASSESSMENT_ACTOR, reason=reason)
    return "in_review"


def _wait_for(application: Application, attempt: int, exc: Exception, action: AuditAction) -> None:
    """An outside system did not answer: try again after a back-off; the sweeper re-queues it then."""
    retry_at = timezone.now() + jds_retry_delay(attempt)
    Application.objects.filter(pk=application.pk).update(next_attempt_at=retry_at, last_attempt_error=str(exc)[:255])
    audit_record(
        actor=ASSESSMENT_ACTOR,
        action=action,
        subject_type="application",
        subject_id=application.reference,
        data={"attempt": attempt, "error": str(exc)[:255], "retry_at": retry_at.isoformat()},
    )


def wait_for_many(applications, exc: Exception, action: AuditAction) -> None:
    """``_wait_for`` for every application of a batch whose records could not be read."""
    for application in applications:
        _wait_for(application, application.assessment_attempts + 1, exc, action)


def certificate_printed_data(application: Application) -> dict:
    """What the certificate shows, in the wording valid on the application date.

    A VOG NP names the applicant; a VOG RP and a GVA name the legal entity (name, KvK number, seat).
    A GVA has no purpose or screening basis: it states that no exclusion ground stands in the way.
    """
    day = application.application_date
    printed = {"reference": application.reference, "type": application.type, "application_date": day.isoformat()}
    entity = getattr(application, "legal_entity", None)
    if entity is not None:
        town = " ".join(filter(None, (entity.postcode, entity.city)))
        printed["legal_entity"] = {
            "name": entity.name,
            "kvk_number": entity.kvk_number,
            "seat": entity.city,
            "legal_form": entity.legal_form,
            "address": f"{entity.street} {entity.house_number}, {town}",
        }
    else:
        applicant = application.applicant
        printed["applicant"] = {
            "name": applicant.full_name,
            "birth_date": applicant.birth_date.isoformat(),
            "birth_place": applicant.birth_place,
            "birth_country": applicant.birth_country,
        }
    if application.type == ApplicationType.GVA:
        printed["title"] = {"nl": "Gedragsverklaring Aanbesteden", "en": "Certificate of conduct for public tenders"}
        return printed
    basis = screening_basis_on(
        screening_profile=application.screening_profile, functieaspecten=list(application.functieaspecten), day=day
    )
    purpose = purpose_code_on(application.purpose_code, day)
    printed["title"] = {"nl": "Verklaring Omtrent het Gedrag", "en": "Certificate of Conduct"}
    printed["organisation"] = application.organisation_name if entity is None else ""
    printed["purpose"] = {
        "code": purpose.code,
        "nl": purpose.text_nl,
        "en": purpose.text_en,
        "position": application.position,
        "description": application.purpose_description,
    }
    printed["screening_basis"] = basis.printed()
    return printed


def certificate_valid_until(application: Application, issued_on: date) -> date | None:
    """The last day a GVA is valid: GVA_VALIDITY_YEARS after its issue date. A VOG has no validity (None)."""
    if application.type != ApplicationType.GVA:
        return None
    years = settings.GVA_VALIDITY_YEARS
    try:
        return issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        return issued_on.replace(year=issued_on.year + years, day=28)


def certificate_expired(certificate: Certificate, today: date | None = None) -> bool:
    """Whether a certificate with a validity (a GVA) is past its last valid day."""
    if certificate.valid_until is None:
        return False
    return (today or timezone.localdate()) > certificate.valid_until


def certificate_shown(application: Application, today: date | None = None) -> dict | None:
    """The certificate of an application as staff screens show it: code, issue date and, for a GVA,
    the last valid day and whether it has expired (verlopen). None when there is no certificate."""
    certificate = Certificate.objects.filter(application=application).first()
    if certificate is None:
        return None
    return {
        "verification_code": certificate.verification_code,
        "issued_on": timezone.localdate(certificate.issued_at),
        "valid_until": certificate.valid_until,
        "expired": certificate_expired(certificate, today),
    }


def certificate_new(application: Application, now) -> Certificate:
    issued_on = timezone.localdate(now)
    valid_until = certificate_valid_until(application, issued_on)
    printed = {**certificate_printed_data(application), "issued_on": issued_on.isoformat()}
    if valid_until is not None:
        printed["valid_until"] = valid_until.isoformat()
    return Certificate(
        application=application,
        verification_code=verification_code_new(),
        issued_at=now,
        printed=printed,
        valid_until=valid_until,
        render_due_at=now + settings.ASSESSMENT_STALE_AFTER,
    )


def _certificate_audit(certificate: Certificate):
    return audit_event(
        actor=ASSESSMENT_ACTOR,
        action=AuditAction.CERTIFICATE_CREATED,
        subject_type="application",
        subject_id=certificate.application.reference,
        data={"certificate": certificate.pk},
    )


def certificate_create(*, application: Application) -> Certificate:
    """Create the certificate of an issued application; its PDF is rendered after commit, elsewhere."""
    from .tasks import render_certificate

    certificate = certificate_new(application, timezone.now())
    certificate.save(force_insert=True)
    _certificate_audit(certificate).save(force_insert=True)
    publish_on_commit(render_certificate, certificate.pk)
    return certificate


def certificates_create(certificates: list[Certificate]) -> list[Certificate]:
    """``certificate_create`` for a batch of issued applications (``certificate_new`` of each): two inserts
    and one rendering task."""
    from .tasks import render_certificates

    certificates = Certificate.objects.bulk_create(certificates)
    AuditEvent.objects.bulk_create(_certificate_audit(certificate) for certificate in certificates)
    if certificates:
        publish_on_commit(render_certificates, [certificate.pk for certificate in certificates])
    return certificates


def certificate_render(*, certificate_id: int) -> bool:
    """Render the certificate PDF, outside any assessment transaction. Returns False if already done."""
    from .pdf import certificate_pdf

    certificate = Certificate.objects.filter(pk=certificate_id, pdf_rendered_at__isnull=True).first()
    if certificate is None:
        return False
    Certificate.objects.filter(pk=certificate_id).update(render_attempts=F("render_attempts") + 1)
    content = certificate_pdf(certificate)  # slow part: no lock, no transaction held
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.pdf_rendered_at is not None:
            return False
        reference = certificate.printed["reference"]
        certificate.pdf.save(f"{reference}.pdf", ContentFile(content), save=False)
        certificate.pdf_rendered_at = timezone.now()
        certificate.render_due_at = None
        certificate.save(update_fields=["pdf", "pdf_rendered_at", "render_due_at"])
        audit_record(
            actor=DOCUMENTS_ACTOR,
            action=AuditAction.CERTIFICATE_RENDERED,
            subject_type="application",
            subject_id=reference,
            data={"certificate": certificate.pk, "bytes": len(content)},
        )
    return True


def sweep_stalled_work(*, limit: int = 5000) -> dict[str, int]:
    """Re-queue work that waits longer than it should: lost messages, killed workers, JDS retries due.

    Claims rows with SKIP LOCKED (a row being assessed right now is left alone), pushes their next
    due time forward so the next sweep does not queue them again, and publishes after commit.
    """
    from .batch import batch_chains_start, waiting_count
    from .tasks import assess_application, render_certificate

    now = timezone.now()
    later = now + settings.ASSESSMENT_STALE_AFTER
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True)
    batches = 0
    with transaction.atomic():
        if waiting_count(now, limit=settings.ASSESSMENT_BATCH_THRESHOLD + 1) > settings.ASSESSMENT_BATCH_THRESHOLD:
            # A backlog: batches take it (and whatever is due with it), fewest days to the decision date first.
            application_ids = []
            batches = batch_chains_start()
        else:
            application_ids = list(
                Application.objects.select_for_update(skip_locked=True)
                .filter(due, status__in=AWAITING_TASK)
                .order_by("next_attempt_at")
                .values_list("pk", flat=True)[:limit]
            )
            Application.objects.filter(pk__in=application_ids).update(next_attempt_at=later)
        certificate_ids = list(
            Certificate.objects.select_for_update(skip_locked=True)
            .filter(Q(render_due_at__lte=now) | Q(render_due_at__isnull=True), pdf_rendered_at__isnull=True)
            .values_list("pk", flat=True)[:limit]
        )
        Certificate.objects.filter(pk__in=certificate_ids).update(render_due_at=later)

        publish_many_on_commit(assess_application, ([pk] for pk in application_ids))
        publish_many_on_commit(render_certificate, ([pk] for pk in certificate_ids))
    counts = {"applications": len(application_ids), "certificates": len(certificate_ids)}
    if batches:
        counts["batch_chains"] = batches
    return counts
