"""Retention: personal data is deleted or anonymised when its period (settings ``RETENTION_*``) has passed.

One run (``retention_run``), daily from beat (``justis.tasks.retention_daily``) or by hand
(``manage.py retention [--dry-run]``):

- Applications never received (prepared, completed but unpaid, expired, withdrawn before receipt) whose
  last status change is older than ``RETENTION_UNFINISHED_DAYS`` are deleted with everything of theirs
  (payments that never completed, letters and their files, messages, status history).
- Decided applications (issued, refused, withdrawn or expired after receipt) whose last status change is
  older than ``RETENTION_DECIDED_YEARS`` are anonymised: the personal data of the applicant, key persons,
  invitation and intake, the justice data of the assessment, the texts of views, objections, screeners'
  motivations and refusal reasons, the messages' contents; uploaded files, letters and the certificate's
  PDF are deleted from the storage. Reference, type, channel, purpose, dates, statuses, the outcome and
  the fee stay, for statistics. Skipped while an objection is open or the certificate still carries an
  enrolment in continuous screening that has not ended long enough ago.
- Continuous screening enrolments that ended more than ``RETENTION_CONTINUOUS_ENDED_YEARS`` ago are
  anonymised, with the justice records of their signals and the contents of the messages about them.
- Finished bulk uploads of organisations (rows with names and e-mail addresses) are deleted after
  ``RETENTION_UNFINISHED_DAYS``.
- What the SMS and message box simulators "sent" is deleted after ``RETENTION_SIMULATOR_DAYS``; expired
  sessions are deleted.

Batches of ``RETENTION_BATCH_SIZE`` rows, one transaction each, rows locked with SKIP LOCKED; files are
removed after their batch commits. A run repeated finds nothing left to do (idempotent). Every run
(not a dry run) writes one audit entry (``retention.run``) with its counts and the periods it applied.
The audit trail itself is never deleted: it is append-only (a PostgreSQL trigger refuses UPDATE and
DELETE) and holds no more than identifiers, labels and the data the services chose to record.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .audit import Actor, audit_record
from .bsn_crypto import digest as bsn_digest
from .models import AuditAction

logger = logging.getLogger(__name__)

ANONYMISED = "[geanonimiseerd]"  # for text columns that may not be empty (database constraints)
ANONYMOUS_BSN = "000000000"  # ended enrolments: the column must hold a BSN (encrypted) and its digest

UNFINISHED = ("prepared", "submitted", "expired", "withdrawn")
DECIDED_OR_CLOSED = ("issued", "refused", "withdrawn", "expired")


@dataclass
class RetentionReport:
    dry_run: bool = False
    unfinished_applications_deleted: int = 0
    decided_applications_anonymised: int = 0
    enrolments_anonymised: int = 0
    bulk_uploads_deleted: int = 0
    files_deleted: int = 0
    simulator_messages_deleted: int = 0
    sessions_deleted: int = 0
    cutoffs: dict = field(default_factory=dict)

    def counts(self) -> dict:
        data = asdict(self)
        data.pop("dry_run")
        data.pop("cutoffs")
        return data


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


# --- Which rows are due ------------------------------------------------------------------------


def unfinished_due(now: datetime) -> QuerySet:
    from applications.models import Application

    cutoff = now - timedelta(days=settings.RETENTION_UNFINISHED_DAYS)
    return Application.objects.filter(
        status__in=UNFINISHED,
        received_at__isnull=True,
        anonymised_at__isnull=True,
        status_changed_at__lt=cutoff,
    ).exclude(payments__status="completed")


def _enrolments_kept_query(now: datetime):
    """Enrolments whose certificate must keep its application (not ended, or ended too recently)."""
    from continuous.models import ContinuousEnrolment

    ended_before = years_before(now, settings.RETENTION_CONTINUOUS_ENDED_YEARS).date()
    return ContinuousEnrolment.objects.filter(certificate__application=OuterRef("pk")).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=ended_before)
    )


def decided_due(now: datetime) -> QuerySet:
    from applications.models import Application
    from screening.models import Objection

    cutoff = years_before(now, settings.RETENTION_DECIDED_YEARS)
    return (
        Application.objects.filter(
            status__in=DECIDED_OR_CLOSED,
            received_at__isnull=False,
            anonymised_at__isnull=True,
            status_changed_at__lt=cutoff,
        )
        .exclude(Exists(Objection.objects.filter(application=OuterRef("pk"), outcome="")))
        .exclude(Exists(_enrolments_kept_query(now)))
    )


def enrolments_due(now: datetime) -> QuerySet:
    from continuous.models import ContinuousEnrolment

    ended_before = years_before(now, settings.RETENTION_CONTINUOUS_ENDED_YEARS).date()
    return ContinuousEnrolment.objects.filter(anonymised_at__isnull=True, active_to__lt=ended_before)


def _simulator_due(now: datetime) -> list[QuerySet]:
    from notifications.models import SimulatedBerichtenboxMessage, SimulatedSms

    cutoff = now - timedelta(days=settings.RETENTION_SIMULATOR_DAYS)
    return [
        SimulatedSms.objects.filter(sent_at__lt=cutoff),
        SimulatedBerichtenboxMessage.objects.filter(sent_at__lt=cutoff),
    ]


def _bulk_uploads_due(now: datetime) -> QuerySet:
    """Finished bulk uploads: their rows and report hold names, dates of birth and e-mail addresses."""
    from applications.models import BulkUpload, BulkUploadStatus

    cutoff = now - timedelta(days=settings.RETENTION_UNFINISHED_DAYS)
    return BulkUpload.objects.filter(status=BulkUploadStatus.DONE, updated_at__lt=cutoff)


def _sessions_due(now: datetime) -> QuerySet:
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=now)


# --- The work, per batch -----------------------------------------------------------------------


def _delete_files_after_commit(files: list) -> None:
    """Delete stored files once the batch that let go of them has committed (never before)."""
    if not files:
        return

    def delete():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:  # already gone, or the storage refused: the next run does not look again
                logger.warning("retention: could not delete file %s", name)

    transaction.on_commit(delete)


def _file(field_file) -> tuple | None:
    return (field_file.storage, field_file.name) if field_file else None


def _in_batches(queryset: QuerySet, work, batch_size: int) -> int:
    """Run ``work(rows)`` on the rows of ``queryset`` in batches (ascending pk, each in a transaction)."""
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                queryset.filter(pk__gt=last_pk)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))[:batch_size]
            )
            if not rows:
                return done
            last_pk = rows[-1].pk
            done += work(rows)


def _delete_unfinished(rows, files: list) -> int:
    from applications.models import Application
    from notifications.models import Letter
    from payments.models import Payment

    ids = [row.pk for row in rows]
    files += [_file(letter.pdf) for letter in Letter.objects.filter(application_id__in=ids) if letter.pdf]
    Payment.objects.filter(application_id__in=ids).exclude(status="completed").delete()
    Application.objects.filter(pk__in=ids).delete()
    return len(ids)


def _blank_birth_date(value: date | None) -> date | None:
    """Only the year of birth stays (age groups for statistics)."""
    return value.replace(month=1, day=1) if value else value


def _anonymise_application(application, now: datetime, files: list) -> None:  # noqa: C901 - one list of fields
    from applications.models import (
        Applicant,
        DeadlineEvent,
        Invitation,
        KeyPerson,
        LegalEntity,
        MunicipalIntake,
        ScannedDocument,
        StatusChange,
    )
    from notifications.models import Letter, OutboxMessage
    from screening.models import (
        Assessment,
        Certificate,
        Objection,
        RefusalProposal,
        ScreenerAssessment,
        Zienswijze,
    )

    pk = application.pk
    applicant = Applicant.objects.filter(application_id=pk).first()
    if applicant is not None:
        Applicant.objects.filter(pk=applicant.pk).update(
            bsn="",
            bsn_digest="",  # update() does not derive it: the lookup digest would still find the person
            given_names="",
            surname_prefix="",
            surname="",
            birth_date=_blank_birth_date(applicant.birth_date),
            birth_place="",
            birth_country="",
            street="",
            house_number="",
            house_number_suffix="",
            postcode="",
            city="",
            country="",
            email="",
            phone="",
            gender="",
            nationalities=[],
            previous_identities=[],
        )
    for person in KeyPerson.objects.filter(application_id=pk):
        KeyPerson.objects.filter(pk=person.pk).update(
            bsn="",
            bsn_digest="",
            given_names="",
            surname_prefix="",
            surname="",
            birth_date=_blank_birth_date(person.birth_date),
            birth_place="",
            birth_country="",
            nationality="",
        )
    invitation = Invitation.objects.filter(application_id=pk).first()
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(
            given_names="", surname="", email="", birth_date=_blank_birth_date(invitation.birth_date)
        )
    LegalEntity.objects.filter(application_id=pk).update(representative_name="")
    MunicipalIntake.objects.filter(application_id=pk).update(
        id_document_number_end="",
        special_findings_text="",
        persisted_text="",
        covog_advice_text="",
        general_explanation_text="",
        remark="",
    )
    StatusChange.objects.filter(application_id=pk).exclude(reason="").update(reason="")
    DeadlineEvent.objects.filter(application_id=pk).exclude(reason="").update(reason="")
    # Justice data: the records read and what was found; the outcome stays.
    Assessment.objects.filter(application_id=pk).update(records=[], findings=[], subjects=[])
    ScreenerAssessment.objects.filter(application_id=pk).update(objective=[], motivation=ANONYMISED)
    RefusalProposal.objects.filter(application_id=pk).update(motivation=ANONYMISED, reasons=ANONYMISED, review_note="")
    for zienswijze in Zienswijze.objects.filter(application_id=pk):
        if zienswijze.attachment:
            files.append(_file(zienswijze.attachment))
    Zienswijze.objects.filter(application_id=pk).update(
        text=ANONYMISED, attachment="", attachment_original_name="", attachment_content_type="", attachment_size=None
    )
    Objection.objects.filter(application_id=pk).update(grounds=ANONYMISED, hearing_notes="")
    Objection.objects.filter(application_id=pk).exclude(late_excuse="").update(late_excuse=ANONYMISED)
    Objection.objects.filter(application_id=pk).exclude(motivation="").update(motivation=ANONYMISED)
    for letter in Letter.objects.filter(application_id=pk):
        if letter.pdf:
            files.append(_file(letter.pdf))
    Letter.objects.filter(application_id=pk).delete()  # their print jobs (with the address) go with them
    for document in ScannedDocument.objects.filter(application_id=pk):
        if document.file:
            files.append(_file(document.file))
    ScannedDocument.objects.filter(application_id=pk).delete()
    certificate = Certificate.objects.filter(application_id=pk).first()
    if certificate is not None:
        if certificate.pdf:
            files.append(_file(certificate.pdf))
        printed = {key: value for key, value in certificate.printed.items() if key != "applicant"}
        Certificate.objects.filter(pk=certificate.pk).update(pdf="", printed=printed)
    OutboxMessage.objects.filter(application_id=pk).update(payload={}, recipient="")
    type(application).objects.filter(pk=pk).update(
        citizen=None,
        circumstances="",
        organisation_representative="",
        organisation_phone="",
        last_attempt_error="",
        anonymised_at=now,
    )


def _anonymise_decided(rows, now: datetime, files: list) -> int:
    for application in rows:
        _anonymise_application(application, now, files)
    return len(rows)


def _enrolment_message_keys(ids: list[int]) -> list[str]:
    """The dedupe keys of the messages about these enrolments' signals (to the person, to each link)."""
    from continuous.models import EnrolmentLink, Signal
    from continuous.services import NEW_VOG_EVENT

    links: dict[int, list[int]] = {}
    for enrolment_id, link_id in EnrolmentLink.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", "pk"):
        links.setdefault(enrolment_id, []).append(link_id)
    keys = []
    for signal_id, enrolment_id in Signal.objects.filter(enrolment_id__in=ids).values_list("pk", "enrolment_id"):
        keys.append(f"{NEW_VOG_EVENT}:{signal_id}:person")
        keys += [f"{NEW_VOG_EVENT}:{signal_id}:link:{link_id}" for link_id in links.get(enrolment_id, [])]
    return keys


def _anonymise_enrolments(rows, now: datetime) -> int:
    from continuous.models import ContinuousEnrolment, Signal
    from notifications.models import OutboxMessage, OutboxStatus

    ids = [row.pk for row in rows]
    # The messages about them carry the name and date of birth: emptied once no longer waiting to go.
    OutboxMessage.objects.filter(dedupe_key__in=_enrolment_message_keys(ids)).exclude(
        status=OutboxStatus.PENDING
    ).update(payload={}, recipient="")
    for enrolment in rows:
        ContinuousEnrolment.objects.filter(pk=enrolment.pk).update(
            bsn=ANONYMOUS_BSN,
            bsn_digest=bsn_digest(ANONYMOUS_BSN),  # the column must hold a digest; not the person's any more
            given_names="",
            surname="",
            email="",
            birth_date=_blank_birth_date(enrolment.birth_date),
            anonymised_at=now,
        )
    Signal.objects.filter(enrolment_id__in=ids).update(record={}, finding={}, motivation="")
    return len(ids)


def _count_files_unfinished(queryset) -> int:
    from notifications.models import Letter

    return Letter.objects.filter(application__in=queryset).exclude(pdf="").count()


def _count_files_decided(queryset) -> int:
    from applications.models import ScannedDocument
    from notifications.models import Letter
    from screening.models import Certificate, Zienswijze

    return (
        Letter.objects.filter(application__in=queryset).exclude(pdf="").count()
        + ScannedDocument.objects.filter(application__in=queryset).exclude(file="").count()
        + Zienswijze.objects.filter(application__in=queryset).exclude(attachment="").count()
        + Certificate.objects.filter(application__in=queryset).exclude(pdf="").count()
    )


def retention_run(*, now: datetime | None = None, dry_run: bool = False, actor: Actor | None = None) -> RetentionReport:
    """Delete or anonymise what has passed its period. ``dry_run`` only counts what would be done."""
    now = now or timezone.now()
    actor = actor or Actor.system("retention")
    batch_size = settings.RETENTION_BATCH_SIZE
    report = RetentionReport(
        dry_run=dry_run,
        cutoffs={
            "unfinished_days": settings.RETENTION_UNFINISHED_DAYS,
            "decided_years": settings.RETENTION_DECIDED_YEARS,
            "continuous_ended_years": settings.RETENTION_CONTINUOUS_ENDED_YEARS,
            "simulator_days": settings.RETENTION_SIMULATOR_DAYS,
        },
    )
    unfinished, decided, enrolments = unfinished_due(now), decided_due(now), enrolments_due(now)
    if dry_run:
        report.unfinished_applications_deleted = unfinished.count()
        report.decided_applications_anonymised = decided.count()
        report.enrolments_anonymised = enrolments.count()
        report.bulk_uploads_deleted = _bulk_uploads_due(now).count()
        report.files_deleted = _count_files_unfinished(unfinished) + _count_files_decided(decided)
        report.simulator_messages_deleted = sum(queryset.count() for queryset in _simulator_due(now))
        report.sessions_deleted = _sessions_due(now).count()
        return report

    def letting_go_of_files(work):
        """``work(rows, files)`` as a batch step: the files it lets go of are deleted once the batch commits."""

        def step(rows):
            files: list = []
            done = work(rows, files)
            report.files_deleted += len(files)
            _delete_files_after_commit(files)
            return done

        return step

    report.unfinished_applications_deleted = _in_batches(
        unfinished, letting_go_of_files(_delete_unfinished), batch_size
    )
    report.decided_applications_anonymised = _in_batches(
        decided, letting_go_of_files(lambda rows, files: _anonymise_decided(rows, now, files)), batch_size
    )
    report.enrolments_anonymised = _in_batches(enrolments, lambda rows: _anonymise_enrolments(rows, now), batch_size)
    report.bulk_uploads_deleted = _delete_in_batches(_bulk_uploads_due(now), batch_size)
    for queryset in _simulator_due(now):
        report.simulator_messages_deleted += _delete_in_batches(queryset, batch_size)
    report.sessions_deleted = _delete_in_batches(_sessions_due(now), batch_size, key="session_key")
    audit_record(
        actor=actor,
        action=AuditAction.RETENTION_RUN,
        subject_type="system",
        subject_id="retention",
        data={"counts": report.counts(), "periods": report.cutoffs},
    )
    return report


def _delete_in_batches(queryset: QuerySet, batch_size: int, key: str = "pk") -> int:
    deleted = 0
    while True:
        keys = list(queryset.values_list(key, flat=True)[:batch_size])
        if not keys:
            return deleted
        with transaction.atomic():
            _total, per_model = queryset.model.objects.filter(**{f"{key}__in": keys}).delete()
        deleted += per_model.get(queryset.model._meta.label, 0)
