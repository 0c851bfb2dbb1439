from datetime import timedelta

from django.db import IntegrityError, transaction

import pytest

from applications.lifecycle import CREATED, TRANSITIONS, InvalidTransition, Status, application_transition
from applications.models import Application, StatusChange
from justis.models import AuditAction, AuditEvent
from notifications.models import OutboxMessage
from tests.factories import TEST_ACTOR, application_in, received_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data(reference_data):
    pass


def test_receiving_starts_the_clock_and_records_history_audit_and_outbox_together():
    application = received_application()
    assert application.status == Status.RECEIVED
    assert application.application_date is not None
    assert application.decision_due_date == application.application_date + timedelta(weeks=4)
    assert application.next_attempt_at is not None  # the sweeper's safety net is armed
    change = StatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.actor_label) == (CREATED, Status.RECEIVED, "test")
    assert (
        AuditEvent.objects.filter(action=AuditAction.APPLICATION_RECEIVED, subject_id=application.reference).count()
        == 1
    )
    assert list(OutboxMessage.objects.filter(application=application).values_list("event", flat=True)) == [
        "application_received"
    ]


def test_the_assessment_is_queued_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        received_application()
    published = sorted(callback.args[0].name for callback in callbacks)
    # Published when the transaction commits, never before: the assessment, and the message that says so.
    assert published == ["notifications.tasks.deliver_outbox_message", "screening.tasks.assess_application"]


def test_issuing_goes_through_assessment_and_leaves_a_complete_trail():
    application = application_in(Status.ISSUED)
    assert application.status == Status.ISSUED
    assert application.decided_at is not None
    assert application.next_attempt_at is None
    history = list(application.status_changes.order_by("at").values_list("from_status", "to_status"))
    assert history == [
        (CREATED, Status.RECEIVED),
        (Status.RECEIVED, Status.IN_ASSESSMENT),
        (Status.IN_ASSESSMENT, Status.ISSUED),
    ]
    assert AuditEvent.objects.filter(subject_id=application.reference).count() == 3
    emails = OutboxMessage.objects.filter(application=application, channel="email")
    events = sorted(emails.values_list("event", flat=True))
    assert events == ["application_received", "decision_issued"]


def test_entering_review_extends_the_statutory_period_and_says_so():
    application = application_in(Status.IN_REVIEW)
    assert application.decision_period_extended
    assert application.decision_due_date == application.application_date + timedelta(weeks=8)
    assert OutboxMessage.objects.filter(application=application, event="decision_period_extended").exists()


def test_a_transition_not_in_the_table_is_refused_and_changes_nothing():
    application = application_in(Status.ISSUED)
    before = (StatusChange.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(InvalidTransition):
        application_transition(application=application, to_status=Status.IN_REVIEW, actor=TEST_ACTOR)
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    assert (StatusChange.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()) == before


def test_the_same_transition_twice_happens_once():
    application = application_in(Status.IN_ASSESSMENT)
    application_transition(application=application, to_status=Status.ISSUED, actor=TEST_ACTOR)
    with pytest.raises(InvalidTransition):
        application_transition(application=application, to_status=Status.ISSUED, actor=TEST_ACTOR)
    assert application.status_changes.filter(to_status=Status.ISSUED).count() == 1


def test_the_database_refuses_two_screening_bases():
    application = received_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(screening_profile="45")  # aspects stay set


def test_the_database_refuses_no_screening_basis():
    application = received_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(functieaspecten=[])


def test_transition_table_only_uses_known_statuses_and_every_status_is_reachable():
    statuses = set(Status.values)
    for transition in TRANSITIONS:
        assert transition.source in statuses | {CREATED}
        assert transition.target in statuses
    assert {t.target for t in TRANSITIONS} == statuses
    decided = {Status.ISSUED, Status.REFUSED}
    # A decision is final, except that an upheld objection against a refusal issues the certificate.
    assert [(t.source, t.target) for t in TRANSITIONS if t.source in decided] == [(Status.REFUSED, Status.ISSUED)]
