"""Retention: personal data past its period is deleted or anonymised, just in time, once, files included, audited."""

from datetime import UTC, date, datetime, timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command

import pytest
import time_machine

from applications.lifecycle import Status
from applications.models import Applicant, Application, ScannedDocument, StatusChange
from continuous.models import ContinuousEnrolment
from continuous.services import enrolment_end
from justis.models import AuditAction, AuditEvent
from justis.retention import ANONYMISED, ANONYMOUS_BSN, retention_run
from notifications.models import Letter, LetterKind, OutboxMessage, SimulatedSms
from payments.models import Payment, PaymentStatus
from screening.models import Assessment, Zienswijze, ZienswijzeChannel
from tests.continuous_helpers import enrol
from tests.factories import TEST_ACTOR
from tests.objection_factories import refused_application
from tests.portal import prepare

pytestmark = pytest.mark.django_db

# In UTC: adding days to a time in Europe/Amsterdam keeps the wall clock across a change to summer time.
T0 = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_UNFINISHED_DAYS = 90
    settings.RETENTION_DECIDED_YEARS = 5
    settings.RETENTION_CONTINUOUS_ENDED_YEARS = 2
    settings.RETENTION_SIMULATOR_DAYS = 30
    settings.RETENTION_BATCH_SIZE = 2  # several batches even with a handful of rows


def run(at, django_capture_on_commit_callbacks, **kwargs):
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        return retention_run(**kwargs)


@pytest.fixture
def unfinished(org_user):
    """Two requests never received: one prepared, one completed but unpaid (a failed payment, a letter)."""
    with time_machine.travel(T0, tick=False):
        prepared = prepare(org_user)
        unpaid = prepare(org_user, given_names="Els", email="els@example.org")
        Application.objects.filter(pk=unpaid.pk).update(status=Status.SUBMITTED)
        Payment.objects.create(
            application=unpaid,
            amount_cents=4135,
            description="VOG",
            plugin="demo",
            next_url="/",
            status=PaymentStatus.FAILED,
        )
        letter = Letter.objects.create(application=unpaid, kind=LetterKind.DELAY, pdf=ContentFile(b"%PDF", "l.pdf"))
    return {"prepared": prepared, "unpaid": unpaid, "letter_file": letter.pdf.name}


@pytest.fixture
def refused(reference_data, screener):
    """A refused VOG NP with justice data, a view with an attachment, a letter and a scanned form."""
    with time_machine.travel(T0, tick=False):
        application = refused_application(refused_by=screener, bsn="999990019")
        Assessment.objects.create(
            application=application, outcome="needs_screener", records=[{"offence": "diefstal"}], findings=[{"x": 1}]
        )
        zienswijze = Zienswijze.objects.create(
            application=application,
            channel=ZienswijzeChannel.DIGITAL,
            text="Mijn werkgever kent mij al twintig jaar.",
            attachment=ContentFile(b"%PDF", "z.pdf"),
            attachment_original_name="werkgever.pdf",
        )
        letter = Letter.objects.create(
            application=application, kind=LetterKind.DECISION, pdf=ContentFile(b"%PDF", "d.pdf")
        )
        document = ScannedDocument.objects.create(
            application=application,
            kind="application_form",
            file=ContentFile(b"%PDF", "s.pdf"),
            original_name="formulier.pdf",
            content_type="application/pdf",
            size=4,
            uploaded_by=screener,
        )
    application.refresh_from_db()
    return {
        "application": application,
        "files": [zienswijze.attachment.name, letter.pdf.name, document.file.name],
    }


def _exists(name: str) -> bool:
    from justis.storage import private_storage

    return private_storage().exists(name)


def test_unfinished_requests_are_deleted_just_after_their_period(unfinished, django_capture_on_commit_callbacks):
    assert _exists(unfinished["letter_file"])
    just_inside = T0 + timedelta(days=90) - MINUTE
    report = run(just_inside, django_capture_on_commit_callbacks)
    assert report.unfinished_applications_deleted == 0
    assert Application.objects.count() == 2

    report = run(T0 + timedelta(days=90) + MINUTE, django_capture_on_commit_callbacks)
    assert report.unfinished_applications_deleted == 2
    assert not Application.objects.exists()
    assert not Payment.objects.exists()
    assert not Applicant.objects.exists()
    assert not OutboxMessage.objects.exclude(application=None).exists()
    assert not _exists(unfinished["letter_file"])


def test_an_unfinished_request_with_a_completed_payment_is_never_deleted(
    unfinished, django_capture_on_commit_callbacks
):
    Payment.objects.filter(application=unfinished["unpaid"]).update(status=PaymentStatus.COMPLETED)
    report = run(T0 + timedelta(days=400), django_capture_on_commit_callbacks)
    assert report.unfinished_applications_deleted == 1
    assert list(Application.objects.values_list("pk", flat=True)) == [unfinished["unpaid"].pk]


def test_decided_applications_are_anonymised_just_after_their_period(refused, django_capture_on_commit_callbacks):
    application = refused["application"]
    decided_at = application.status_changed_at
    report = run(decided_at.replace(year=decided_at.year + 5) - MINUTE, django_capture_on_commit_callbacks)
    assert report.decided_applications_anonymised == 0
    assert Applicant.objects.get(application=application).surname == "Jansen"
    assert all(_exists(name) for name in refused["files"])

    report = run(decided_at.replace(year=decided_at.year + 5) + MINUTE, django_capture_on_commit_callbacks)
    assert report.decided_applications_anonymised == 1
    assert report.files_deleted == 3
    application.refresh_from_db()
    # Kept for statistics: reference, type, dates, outcome.
    assert application.reference
    assert application.status == Status.REFUSED
    assert application.received_at is not None
    assert application.anonymised_at is not None
    assert application.citizen is None
    applicant = Applicant.objects.get(application=application)
    assert (applicant.bsn, applicant.given_names, applicant.surname, applicant.email, applicant.birth_place) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert applicant.birth_date == date(1990, 1, 1)  # only the year of birth stays
    assert applicant.bsn_digest == ""  # the lookup digest would still find the person
    assert not Applicant.objects.filter(bsn="999990019").exists()
    assessment = Assessment.objects.get(application=application)
    assert (assessment.records, assessment.findings, assessment.outcome) == ([], [], "needs_screener")
    zienswijze = Zienswijze.objects.get(application=application)
    assert zienswijze.text == ANONYMISED
    assert not zienswijze.attachment
    assert zienswijze.attachment_original_name == ""
    assert not Letter.objects.filter(application=application).exists()
    assert not ScannedDocument.objects.filter(application=application).exists()
    assert not StatusChange.objects.filter(application=application).exclude(reason="").exists()
    assert not any(_exists(name) for name in refused["files"])
    assert not OutboxMessage.objects.filter(application=application).exclude(payload={}).exists()


def test_a_run_repeated_changes_nothing_more(unfinished, refused, django_capture_on_commit_callbacks):
    later = T0 + timedelta(days=6 * 365)
    first = run(later, django_capture_on_commit_callbacks)
    assert (first.unfinished_applications_deleted, first.decided_applications_anonymised) == (2, 1)
    anonymised_at = Application.objects.get().anonymised_at
    second = run(later + timedelta(days=1), django_capture_on_commit_callbacks)
    assert not any(second.counts().values())
    assert Application.objects.get().anonymised_at == anonymised_at


def test_an_open_objection_keeps_the_personal_data(refused, screener, django_capture_on_commit_callbacks):
    from screening.models import Objection, ObjectionChannel

    application = refused["application"]
    Objection.objects.create(
        application=application,
        channel=ObjectionChannel.LETTER,
        received_on=T0.date(),
        grounds="Onterecht.",
        decision_date=T0.date(),
        period_ends_on=T0.date() + timedelta(days=42),
        decision_due_on=T0.date() + timedelta(days=84),
        registered_by=screener,
    )
    report = run(T0 + timedelta(days=6 * 365), django_capture_on_commit_callbacks)
    assert report.decided_applications_anonymised == 0
    assert Applicant.objects.get(application=application).surname == "Jansen"


def test_ended_enrolments_are_anonymised_two_years_after_their_end(reference_data, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        ended = enrol(bsn="999990032")
        enrolment_end(enrolment=ended, day=date(2026, 1, 10), actor=TEST_ACTOR)
        running = enrol(bsn="999990044")
    report = run(datetime(2028, 1, 10, 11, 0, tzinfo=UTC), django_capture_on_commit_callbacks)
    assert report.enrolments_anonymised == 0  # ended exactly two years ago: not yet longer
    report = run(datetime(2028, 1, 11, 11, 0, tzinfo=UTC), django_capture_on_commit_callbacks)
    assert report.enrolments_anonymised == 1
    ended.refresh_from_db()
    assert (ended.bsn, ended.given_names, ended.surname, ended.email) == (ANONYMOUS_BSN, "", "", "")
    assert ended.birth_date == date(1985, 1, 1)
    assert not ContinuousEnrolment.objects.filter(pk=ended.pk, bsn="999990032").exists()
    assert ContinuousEnrolment.objects.get(pk=running.pk).surname == "de Boer"


def test_simulator_messages_and_expired_sessions_are_trimmed(db, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        SimulatedSms.objects.create(to="0612345678", text="Uw VOG")
        store = SessionStore()
        store["x"] = 1
        store.create()
    with time_machine.travel(T0 + timedelta(days=30) - MINUTE, tick=False):
        fresh = SimulatedSms.objects.create(to="0612345678", text="Nog een")
    report = run(T0 + timedelta(days=30) + MINUTE, django_capture_on_commit_callbacks)
    assert report.simulator_messages_deleted == 1
    assert list(SimulatedSms.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert report.sessions_deleted == 1
    assert not Session.objects.exists()


def test_each_run_is_audited_with_its_counts(refused, django_capture_on_commit_callbacks):
    run(T0 + timedelta(days=6 * 365), django_capture_on_commit_callbacks)
    run(T0 + timedelta(days=6 * 365 + 1), django_capture_on_commit_callbacks)
    events = list(AuditEvent.objects.filter(action=AuditAction.RETENTION_RUN).order_by("at"))
    assert len(events) == 2
    assert events[0].actor_kind == "system"
    assert events[0].data["counts"]["decided_applications_anonymised"] == 1
    assert events[0].data["counts"]["files_deleted"] == 3
    assert events[0].data["periods"]["decided_years"] == 5
    assert events[1].data["counts"]["decided_applications_anonymised"] == 0


def test_the_dry_run_counts_and_changes_nothing(unfinished, refused, capsys, django_capture_on_commit_callbacks):
    with time_machine.travel(T0 + timedelta(days=6 * 365), tick=False):
        call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out
    assert "       2  unfinished applications (never received) to delete" in out
    assert "       1  decided applications to anonymise" in out
    assert Application.objects.count() == 3
    assert Applicant.objects.get(application=refused["application"]).surname == "Jansen"
    assert all(_exists(name) for name in refused["files"])
    assert not AuditEvent.objects.filter(action=AuditAction.RETENTION_RUN).exists()


def test_the_command_runs_and_the_task_is_scheduled_daily(refused, settings, capsys):
    from justis.tasks import retention_daily

    with time_machine.travel(T0 + timedelta(days=6 * 365), tick=False):
        call_command("retention")
    assert "       1  decided applications anonymised" in capsys.readouterr().out
    assert AuditEvent.objects.get(action=AuditAction.RETENTION_RUN).actor_label == "manage.py retention"
    entry = settings.CELERY_BEAT_SCHEDULE["retention-daily"]
    assert entry["task"] == "justis.tasks.retention_daily"
    assert entry["task"] == retention_daily.name
    with time_machine.travel(T0 + timedelta(days=6 * 365), tick=False):
        assert retention_daily.apply().get()["decided_applications_anonymised"] == 0  # done already
    assert AuditEvent.objects.filter(action=AuditAction.RETENTION_RUN).count() == 2


def test_the_audit_trail_itself_is_never_touched(refused, django_capture_on_commit_callbacks):
    before = AuditEvent.objects.count()
    run(T0 + timedelta(days=6 * 365), django_capture_on_commit_callbacks)
    assert AuditEvent.objects.count() == before + 1


def test_a_certificate_still_used_in_continuous_screening_keeps_its_application(
    reference_data, django_capture_on_commit_callbacks
):
    from screening.models import Certificate
    from tests.factories import application_in

    with time_machine.travel(T0, tick=False):
        application = application_in(Status.ISSUED, bsn="999990032")
        certificate = Certificate.objects.create(
            application=application,
            verification_code="ABCD-EFGH-JKLM",
            printed={"type": "VOG_NP", "application_date": "2026-01-10", "applicant": {"name": "Pieter de Boer"}},
            pdf=ContentFile(b"%PDF", "c.pdf"),
        )
        enrolment = enrol(bsn="999990032")
        ContinuousEnrolment.objects.filter(pk=enrolment.pk).update(certificate=certificate)
    report = run(T0 + timedelta(days=6 * 365), django_capture_on_commit_callbacks)
    assert report.decided_applications_anonymised == 0

    with time_machine.travel(T0 + timedelta(days=6 * 365), tick=False):
        enrolment_end(enrolment=enrolment, day=date(2031, 1, 1), actor=TEST_ACTOR)
    report = run(T0 + timedelta(days=9 * 365), django_capture_on_commit_callbacks)
    assert (report.decided_applications_anonymised, report.enrolments_anonymised) == (1, 1)
    certificate.refresh_from_db()
    assert "applicant" not in certificate.printed
    assert certificate.printed["type"] == "VOG_NP"  # a check of the code still answers "genuine"
    assert not certificate.pdf


def test_finished_bulk_uploads_are_deleted_after_the_unfinished_period(org_user, django_capture_on_commit_callbacks):
    from applications.models import BulkUpload

    upload = BulkUpload.objects.create(
        organisation=org_user.organisation,
        uploaded_by=org_user,
        file_name="medewerkers.csv",
        purpose={},
        rows=[{"name": "Jan Jansen", "email": "jan@example.org"}],
        status="done",
    )
    waiting = BulkUpload.objects.create(
        organisation=org_user.organisation, uploaded_by=org_user, file_name="later.csv", purpose={}, rows=[]
    )
    BulkUpload.objects.update(updated_at=T0)
    assert run(T0 + timedelta(days=90) - MINUTE, django_capture_on_commit_callbacks).bulk_uploads_deleted == 0
    assert run(T0 + timedelta(days=90) + MINUTE, django_capture_on_commit_callbacks).bulk_uploads_deleted == 1
    assert list(BulkUpload.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert not BulkUpload.objects.filter(pk=upload.pk).exists()


def test_messages_about_an_anonymised_enrolment_lose_their_personal_data(
    reference_data, django_capture_on_commit_callbacks
):
    from continuous.models import Signal
    from continuous.services import NEW_VOG_EVENT

    with time_machine.travel(T0, tick=False):
        enrolment = enrol(bsn="999990032")
        signal = Signal.objects.create(enrolment=enrolment, record_key="r1", record={"offence": "x"})
        link = enrolment.links.get()
        sent = [
            OutboxMessage.objects.create(
                event=NEW_VOG_EVENT,
                dedupe_key=key,
                payload={"email": "pieter@example.org", "person_name": "Pieter de Boer"},
                recipient="pieter@example.org",
                status="sent",
            )
            for key in (f"{NEW_VOG_EVENT}:{signal.pk}:person", f"{NEW_VOG_EVENT}:{signal.pk}:link:{link.pk}")
        ]
        other = OutboxMessage.objects.create(
            event=NEW_VOG_EVENT, dedupe_key="someone-else", payload={"person_name": "Els"}, status="sent"
        )
        enrolment_end(enrolment=enrolment, day=date(2026, 1, 10), actor=TEST_ACTOR)
    run(T0 + timedelta(days=3 * 365), django_capture_on_commit_callbacks)
    for message in sent:
        message.refresh_from_db()
        assert (message.payload, message.recipient) == ({}, "")
    other.refresh_from_db()
    assert other.payload == {"person_name": "Els"}
    signal.refresh_from_db()
    assert signal.record == {}
