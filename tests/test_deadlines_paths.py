"""Deadlines along the paths of an application: the sweep that extends in time, the urgent procedure and
its conversion, and the notices to the applicant."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.deadlines import decision_periods_sweep
from applications.lifecycle import Status, application_transition
from applications.models import DeadlineEvent
from notifications.models import OutboxMessage
from notifications.services import outbox_render
from notifications.templatetags.message_dates import long_en, long_nl
from screening.services import assessment_run
from tests.factories import TEST_ACTOR, received_application, theft_a_year_ago

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _data(reference_data):
    pass


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


def received_on(day: date, **kwargs):
    with time_machine.travel(at(day), tick=False):
        return received_application(**kwargs)


def notices(application, event):
    return list(OutboxMessage.objects.filter(application=application, event=event))


# --- The sweep --------------------------------------------------------------------------------------------


def test_the_sweep_extends_cases_still_waiting_a_few_days_before_the_first_period_ends(settings):
    settings.DECISION_EXTENSION_DAYS_BEFORE = 3
    waiting = received_on(START)
    assessing = application_transition(
        application=received_on(START, bsn="999990032"), to_status=Status.IN_ASSESSMENT, actor=TEST_ACTOR
    )
    first_end = START + timedelta(weeks=4)

    assert decision_periods_sweep(now=at(first_end - timedelta(days=4))) == {"extended": 0, "converted": 0}
    assert decision_periods_sweep(now=at(first_end - timedelta(days=3))) == {"extended": 2, "converted": 0}
    for application in (waiting, assessing):
        application.refresh_from_db()
        assert application.decision_period_extended
        assert application.decision_due_date == START + timedelta(weeks=8)
        (notice,) = notices(application, "decision_period_extended")
        assert notice.payload["new_due_date"] == (START + timedelta(weeks=8)).isoformat()
        event = DeadlineEvent.objects.get(application=application, kind="extension")
        assert event.announced_at == at(first_end - timedelta(days=3))

    # Running again, or entering review later, extends nothing more and says nothing more.
    assert decision_periods_sweep(now=at(first_end - timedelta(days=1))) == {"extended": 0, "converted": 0}
    with time_machine.travel(at(first_end + timedelta(days=2)), tick=False):
        assessing = application_transition(application=assessing, to_status=Status.IN_REVIEW, actor=TEST_ACTOR)
    assert assessing.decision_due_date == START + timedelta(weeks=8)
    assert len(notices(assessing, "decision_period_extended")) == 1
    assert DeadlineEvent.objects.filter(kind="extension").count() == 2


def test_the_sweep_does_not_extend_after_the_first_period_has_ended():
    application = received_on(START)
    late = START + timedelta(weeks=4, days=1)
    assert decision_periods_sweep(now=at(late)) == {"extended": 0, "converted": 0}
    application.refresh_from_db()
    assert not application.decision_period_extended
    assert application.decision_due_date == START + timedelta(weeks=4)
    assert notices(application, "decision_period_extended") == []


def test_the_sweep_leaves_cases_on_hold_and_decided_alone():
    on_hold = application_transition(application=received_on(START), to_status=Status.ON_HOLD, actor=TEST_ACTOR)
    issued = received_on(START, bsn="999990032")
    for step in (Status.IN_ASSESSMENT, Status.ISSUED):
        issued = application_transition(application=issued, to_status=step, actor=TEST_ACTOR)
    assert decision_periods_sweep(now=at(START + timedelta(weeks=4) - timedelta(days=1))) == {
        "extended": 0,
        "converted": 0,
    }
    assert not DeadlineEvent.objects.filter(application__in=[on_hold, issued], kind="extension").exists()


def test_the_sweep_converts_an_urgent_case_that_cannot_be_finished_in_time():
    application = received_on(START, urgent_reason="work_abroad")
    assert application.decision_procedure == "urgent"
    assert application.decision_due_date == START + timedelta(days=10)
    assert decision_periods_sweep(now=at(START + timedelta(days=7))) == {"extended": 0, "converted": 1}
    application.refresh_from_db()
    assert application.decision_procedure == "converted"
    assert application.decision_due_date == START + timedelta(weeks=4)
    assert len(notices(application, "urgent_converted")) == 1
    assert decision_periods_sweep(now=at(START + timedelta(days=8))) == {"extended": 0, "converted": 0}


# --- The urgent procedure -------------------------------------------------------------------------------


def test_a_clean_urgent_application_is_issued_within_the_urgent_period():
    application = received_application(urgent_reason="adoption")
    assert application.decision_procedure == "urgent"
    assert application.decision_due_date == application.application_date + timedelta(days=10)
    assert assessment_run(application_id=application.pk) == "issued"
    application.refresh_from_db()
    assert application.decision_procedure == "urgent"
    assert not application.deadline_events.exists()
    assert notices(application, "urgent_converted") == []


def test_an_urgent_application_with_a_record_is_converted_to_regular_and_extended_with_notices():
    theft_a_year_ago("999990032")
    application = received_application(bsn="999990032", urgent_reason="work_abroad")
    assert assessment_run(application_id=application.pk) == "in_review"
    application.refresh_from_db()
    day = application.application_date
    assert application.decision_procedure == "converted"
    assert application.decision_period_extended
    assert application.decision_due_date == day + timedelta(weeks=8)
    events = list(application.deadline_events.values_list("kind", "previous_due_date", "new_due_date"))
    assert events == [
        ("urgent_conversion", day + timedelta(days=10), day + timedelta(weeks=4)),
        ("extension", day + timedelta(weeks=4), day + timedelta(weeks=8)),
    ]

    (converted,) = notices(application, "urgent_converted")
    (extended,) = notices(application, "decision_period_extended")
    subject, body = outbox_render(converted)
    assert application.reference in subject
    assert "spoedprocedure" in body
    assert "urgent procedure" in body
    assert body.index("Beste Jan Jansen") < body.index("Dear Jan Jansen")  # Dutch, then English
    assert long_nl(day + timedelta(weeks=4)) in body.split("---")[0]
    assert long_en(day + timedelta(weeks=4)) in body.split("---")[1]
    subject, body = outbox_render(extended)
    assert "meer tijd nodig" in subject
    assert long_nl(day + timedelta(weeks=8)) in body.split("---")[0]
    assert long_en(day + timedelta(weeks=8)) in body.split("---")[1]


def test_an_urgent_application_put_on_hold_is_converted_and_the_hold_suspends_the_regular_period():
    application = received_on(START, urgent_reason="candidacy")
    with time_machine.travel(at(START), tick=False):
        application = application_transition(application=application, to_status=Status.ON_HOLD, actor=TEST_ACTOR)
    assert application.decision_procedure == "converted"
    assert application.decision_due_date == START + timedelta(weeks=4)
    assert [e.kind for e in application.deadline_events.all()] == ["urgent_conversion", "suspension"]
    with time_machine.travel(at(START + timedelta(days=9)), tick=False):
        application = application_transition(application=application, to_status=Status.RECEIVED, actor=TEST_ACTOR)
    assert application.decision_due_date == START + timedelta(weeks=4, days=9)
    assert application.decision_procedure == "converted"  # receiving again does not make it urgent again
    assert len(notices(application, "urgent_converted")) == 1


def test_beat_runs_the_sweep_through_its_task(settings):
    from applications.tasks import decision_periods_sweep_task

    assert settings.CELERY_BEAT_SCHEDULE["decision-periods-sweep"]["task"] == decision_periods_sweep_task.name
    application = received_on(START)
    with time_machine.travel(at(START + timedelta(weeks=4) - timedelta(days=2)), tick=False):
        assert decision_periods_sweep_task() == {"extended": 1, "converted": 0, "delay_notices": 0}
    application.refresh_from_db()
    assert application.decision_period_extended
