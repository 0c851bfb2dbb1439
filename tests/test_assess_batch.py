"""Assessing the backlog in batches (screening/batch.py): the same decisions and the same traces as one
by one, each application taken once, urgent work first, and a failing part does not stop the batch."""

from collections import Counter
from datetime import date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction

import pytest

from applications.lifecycle import Status
from applications.models import Application, DeadlineEvent, StatusChange
from justis.faults import Mode, System, fault_clear, fault_set
from justis.models import AuditEvent
from notifications.models import OutboxMessage
from screening.batch import HEARTBEAT_KEY, URGENT_QUEUE, assessment_batch, assessment_queue, waiting_count
from screening.models import Assessment, Certificate, SimulatedJusticeRecord
from screening.rules import years_before
from screening.services import assessment_run, sweep_stalled_work
from screening.tasks import assess_application, assess_batch
from tests.factories import TEST_ACTOR, received_application

pytestmark = pytest.mark.django_db


def _record(bsn: str, *, years_ago: int, category="property", article="310 Sr"):
    decided = years_before(date.today(), years_ago)
    SimulatedJusticeRecord.objects.create(
        bsn=bsn,
        offence_article=article,
        offence_description="diefstal",
        offence_category=category,
        offence_date=decided - timedelta(days=30),
        decision_date=decided,
        disposal_type="penal_order",
    )


# (BSN, records, arguments of received_application): clean, a recent theft (screener), an old theft
# (outside the look-back period: granted), an urgent request, a profile instead of functieaspecten.
CASES = [
    ("999990019", [], {}),
    ("999990032", [{"years_ago": 1}], {}),
    ("999990044", [{"years_ago": 25}], {}),
    ("999990056", [], {"urgent_reason": "work_abroad"}),
    ("999990068", [{"years_ago": 2}], {"screening_profile": "65"}),
    ("999990071", [{"years_ago": 1}], {"urgent_reason": "work_abroad"}),
]


def _set_of_cases():
    applications = []
    for bsn, records, arguments in CASES:
        if not SimulatedJusticeRecord.objects.filter(bsn=bsn).exists():
            for record in records:
                _record(bsn, **record)
        applications.append(received_application(bsn=bsn, **arguments))
    return applications


def _trace(application) -> dict:
    """Everything an assessment leaves behind, without ids and times."""
    application.refresh_from_db()
    assessment = Assessment.objects.get(application=application)
    certificate = Certificate.objects.filter(application=application).first()
    printed = dict(certificate.printed) if certificate else None
    if printed:
        printed.pop("reference")
    return {
        "status": application.status,
        "decision_due_date": application.decision_due_date,
        "decision_procedure": application.decision_procedure,
        "extended": application.decision_period_extended,
        "attempts": application.assessment_attempts,
        "outcome": assessment.outcome,
        "records": assessment.records,
        "findings": assessment.findings,
        "history": list(
            StatusChange.objects.filter(application=application)
            .order_by("pk")
            .values_list("from_status", "to_status", "actor_id", "reason")
        ),
        "audit": Counter(
            AuditEvent.objects.filter(subject_id=application.reference).values_list("action", "actor_id", "reason")
        ),
        "outbox": Counter(OutboxMessage.objects.filter(application=application).values_list("event", "channel")),
        "deadline_events": list(
            DeadlineEvent.objects.filter(application=application)
            .order_by("pk")
            .values_list("kind", "previous_due_date", "new_due_date", "reason")
        ),
        "certificate": printed,
    }


def test_a_batch_decides_exactly_as_one_by_one(reference_data, settings):
    settings.SMS_BACKEND = "simulator"
    one_by_one = _set_of_cases()
    for application in one_by_one:
        assert assessment_run(application_id=application.pk) in ("issued", "in_review")
    singles = [_trace(application) for application in one_by_one]

    batched = _set_of_cases()
    result = assessment_batch(size=100)
    assert result == {"claimed": len(CASES), "issued": 3, "in_review": 3}
    assert [_trace(application) for application in batched] == singles
    # The outcomes themselves, so a shared mistake on both paths shows too.
    assert [trace["status"] for trace in singles] == [
        Status.ISSUED,
        Status.IN_REVIEW,
        Status.ISSUED,
        Status.ISSUED,
        Status.IN_REVIEW,
        Status.IN_REVIEW,
    ]
    assert singles[1]["extended"]
    assert singles[1]["deadline_events"][0][0] == "extension"
    assert singles[5]["deadline_events"][0][0] == "urgent_conversion"


def test_the_batch_publishes_one_delivery_and_one_rendering_task(reference_data, django_capture_on_commit_callbacks):
    for bsn in ("999990019", "999990044", "999990056"):
        received_application(bsn=bsn)
    with django_capture_on_commit_callbacks() as callbacks:
        assessment_batch(size=10)
    published = Counter(callback.func.__name__ for callback in callbacks if hasattr(callback, "func"))
    tasks = [callback.args[0].name for callback in callbacks if hasattr(callback, "args") and callback.args]
    assert sorted(tasks) == ["notifications.tasks.deliver_outbox_messages", "screening.tasks.render_certificates"]
    assert published == Counter({"publish": 2})
    delivered = next(cb.args[1] for cb in callbacks if cb.args[0].name.endswith("deliver_outbox_messages"))
    decisions = OutboxMessage.objects.filter(event="decision_issued")
    assert len(delivered) == decisions.count() >= 3
    assert sorted(delivered) == sorted(decisions.values_list("pk", flat=True))


def test_fewest_days_first_and_nothing_taken_twice(reference_data):
    ordinary = [received_application(bsn=bsn, screening_profile="40") for bsn in ("999990019", "999990044")]
    urgent = received_application(bsn="999990056", urgent_reason="work_abroad")
    first = assessment_batch(size=1)
    assert first["claimed"] == 1
    urgent.refresh_from_db()
    assert urgent.status == Status.ISSUED  # ten days beat four weeks
    assert waiting_count() == 2
    assert assessment_batch(size=10)["claimed"] == 2
    assert assessment_batch(size=10) == {"claimed": 0}
    for application in ordinary:
        application.refresh_from_db()
        assert application.status == Status.ISSUED
        assert application.assessment_attempts == 1


def test_a_second_assessment_or_certificate_is_refused_by_the_database(reference_data):
    application = received_application()
    assessment_batch(size=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(application=application, outcome="auto_grant", records=[], findings=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(application=application, verification_code="X", printed={})
    # A late single task for the same application changes nothing.
    assert assessment_run(application_id=application.pk) == "skipped"
    assert StatusChange.objects.filter(application=application, to_status=Status.ISSUED).count() == 1


def test_records_unavailable_the_batch_waits_and_nothing_is_decided(reference_data):
    applications = [received_application(bsn=bsn) for bsn in ("999990019", "999990044")]
    fault_set(system=System.JDS, mode=Mode.DOWN, actor=TEST_ACTOR)
    try:
        assert assessment_batch(size=10) == {"claimed": 2, "waiting": 2}
    finally:
        fault_clear(system=System.JDS, actor=TEST_ACTOR)
    for application in applications:
        application.refresh_from_db()
        assert application.status == Status.RECEIVED
        assert application.next_attempt_at is not None
        assert application.last_attempt_error
    assert not Assessment.objects.exists()
    # Not due yet: the next batch leaves them alone until their retry time.
    assert assessment_batch(size=10) == {"claimed": 0}


def test_an_unexpected_error_in_one_application_leaves_the_rest_of_the_batch(reference_data, monkeypatch):
    from applications.models import ApplicationType

    clean = received_application(bsn="999990019")
    company = received_application(bsn="999990044")
    Application.objects.filter(pk=company.pk).update(type=ApplicationType.VOG_RP)  # goes one by one

    def broken(application):
        raise RuntimeError("a bug in the company path")

    monkeypatch.setattr("screening.services.subjects_of", broken)
    result = assessment_batch(size=10)
    assert result == {"claimed": 2, "failed": 1, "issued": 1}
    clean.refresh_from_db()
    company.refresh_from_db()
    assert clean.status == Status.ISSUED
    assert company.status == Status.RECEIVED
    assert company.next_attempt_at is not None


def test_urgent_and_legal_obligation_applications_go_to_the_urgent_queue(reference_data):
    assert assessment_queue(received_application(bsn="999990019")) == URGENT_QUEUE  # childcare (86)
    taxi = received_application(bsn="999990044", screening_profile="65")
    assert assessment_queue(taxi) == URGENT_QUEUE
    other = received_application(bsn="999990056", screening_profile="40")
    assert assessment_queue(other) == "assessment"
    urgent_other = received_application(bsn="999990068", screening_profile="40", urgent_reason="work_abroad")
    assert assessment_queue(urgent_other) == URGENT_QUEUE


def test_receiving_publishes_the_assessment_on_its_queue(reference_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        received_application(bsn="999990056", screening_profile="40")
        received_application(bsn="999990019")
    routed = [
        callback.keywords.get("queue")
        for callback in callbacks
        if getattr(callback, "args", None) and callback.args[0] is assess_application
    ]
    assert routed == ["assessment", URGENT_QUEUE]


def test_the_sweeper_starts_batch_chains_for_a_backlog(
    reference_data, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.ASSESSMENT_BATCH_THRESHOLD = 2
    settings.ASSESSMENT_BATCH_CHAINS = 2
    cache.delete(HEARTBEAT_KEY)  # no batch ran lately
    for bsn in ("999990019", "999990044", "999990056"):
        received_application(bsn=bsn)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        counts = sweep_stalled_work()
    assert counts["applications"] == 0
    assert counts["batch_chains"] == 2
    published = []
    monkeypatch.setattr("justis.queue.publish", lambda task, *args, **kw: published.append(task.name) or True)
    for callback in callbacks:
        callback()
    assert published == ["screening.tasks.assess_batch"] * 2  # and no single assessments
    # A batch that ran just now (heartbeat) means no new chains on the next sweep.
    assessment_batch(size=1)
    assert "batch_chains" not in sweep_stalled_work()


def test_a_full_batch_queues_the_next_one(reference_data, monkeypatch):
    published = []
    monkeypatch.setattr("justis.queue.publish", lambda task, *args, **kw: published.append((task.name, args)))
    for bsn in ("999990019", "999990044", "999990056"):
        received_application(bsn=bsn)
    assert assess_batch.run(2)["claimed"] == 2
    assert published == [("screening.tasks.assess_batch", (2,))]
    assert assess_batch.run(2)["claimed"] == 1
    assert len(published) == 1  # the last, partial batch ends the chain


def test_a_bad_application_on_the_batch_path_does_not_stop_the_others(reference_data):
    good = received_application(bsn="999990019")
    bad = received_application(bsn="999990044")
    Application.objects.filter(pk=bad.pk).update(functieaspecten=["99"])  # unknown in the catalogue
    result = assessment_batch(size=10)
    assert result == {"claimed": 2, "issued": 1, "failed": 1}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == Status.ISSUED
    assert bad.status == Status.IN_ASSESSMENT
    assert bad.next_attempt_at is not None
    assert not Assessment.objects.filter(application=bad).exists()
