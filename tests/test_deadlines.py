"""Statutory decision periods: the arithmetic, the versioned periods and what status changes do to the date.

The arithmetic is checked with Hypothesis over any start date and amount; the paths through the
lifecycle draw their cases from a seeded random generator (the same cases on every run).
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.deadlines import (
    DecisionPeriodMissing,
    add_period,
    decision_due_date,
    decision_periods_load,
    period_on,
)
from applications.lifecycle import Status, application_transition
from applications.models import DeadlineEvent, DecisionPeriod
from notifications.models import OutboxMessage
from tests.factories import TEST_ACTOR, received_application

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SAMPLES = 200


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


def days_between(start: date, end: date):
    return [start + timedelta(days=n) for n in range(1, (end - start).days + 1)]


# --- Arithmetic (no database) -------------------------------------------------------------------------


DAYS = st.dates(min_value=date(2013, 1, 1), max_value=date(2040, 12, 31))


@given(start=DAYS, amount=st.integers(min_value=1, max_value=60))
def test_working_days_skip_weekends_and_count_exactly(start, amount):
    end = add_period(start, amount, "working_days")
    assert end.weekday() < 5
    assert sum(day.weekday() < 5 for day in days_between(start, end)) == amount


@given(start=DAYS, amount=st.integers(min_value=0, max_value=60))
def test_weeks_and_days_are_calendar_periods(start, amount):
    assert add_period(start, amount, "weeks") == start + timedelta(days=7 * amount)
    assert add_period(start, amount, "days") == start + timedelta(days=amount)


def test_five_working_days_from_a_friday_is_the_next_friday():
    assert add_period(date(2026, 11, 20), 5, "working_days") == date(2026, 11, 27)
    assert add_period(date(2026, 11, 21), 5, "working_days") == date(2026, 11, 27)  # a Saturday


# --- The periods as data ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_defaults_of_the_domain_are_loaded_with_their_sources(reference_data):
    periods = {(p.product, p.procedure): p for p in DecisionPeriod.objects.all()}
    assert set(periods) == {("VOG_NP", "regular"), ("VOG_NP", "urgent"), ("VOG_RP", "regular"), ("VOG_RP", "urgent"),
                            ("GVA", "regular")}  # fmt: skip
    assert (periods["VOG_NP", "regular"].period, periods["VOG_NP", "regular"].extension) == (4, 4)
    assert (periods["VOG_NP", "urgent"].period, periods["VOG_NP", "urgent"].unit) == (10, "days")
    assert "1.5 weeks" in periods["VOG_NP", "urgent"].note
    assert (periods["VOG_RP", "urgent"].period, periods["VOG_RP", "urgent"].unit) == (5, "working_days")
    assert all(period.source for period in periods.values())
    assert decision_periods_load() == len(periods)  # loading again adds nothing


@pytest.mark.django_db
def test_vog_np_is_decided_within_four_weeks_or_eight_with_an_assessment():
    day = date(2026, 11, 23)
    assert decision_due_date(application_type="VOG_NP", application_date=day) == date(2026, 12, 21)
    assert decision_due_date(application_type="VOG_NP", application_date=day, extended=True) == date(2027, 1, 18)
    assert decision_due_date(application_type="VOG_NP", application_date=day, urgent=True) == date(2026, 12, 3)


@pytest.mark.django_db
def test_vog_rp_and_gva_have_longer_periods_and_a_gva_has_no_urgent_procedure():
    day = date(2026, 1, 1)
    assert decision_due_date(application_type="VOG_RP", application_date=day) == date(2026, 2, 26)
    assert decision_due_date(application_type="VOG_RP", application_date=day, extended=True) == date(2026, 3, 26)
    assert decision_due_date(application_type="VOG_RP", application_date=day, urgent=True) == date(2026, 1, 8)
    assert decision_due_date(application_type="GVA", application_date=day, extended=True) == date(2026, 4, 23)
    assert period_on(product="GVA", procedure="urgent", day=day) is None
    with pytest.raises(DecisionPeriodMissing):
        decision_due_date(application_type="GVA", application_date=day, urgent=True)


@pytest.mark.django_db
@settings(max_examples=50, deadline=None)
@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30)),
    held=st.integers(0, 120),
    extended=st.booleans(),
)
def test_suspended_days_are_added_to_the_decision_date(day, held, extended):
    plain = decision_due_date(application_type="VOG_NP", application_date=day, extended=extended)
    assert decision_due_date(
        application_type="VOG_NP", application_date=day, extended=extended, suspended_days=held
    ) == plain + timedelta(days=held)


def _new_version(product, procedure, *, valid_from, **values):
    old = DecisionPeriod.objects.get(product=product, procedure=procedure, valid_to__isnull=True)
    DecisionPeriod.objects.filter(pk=old.pk).update(valid_to=valid_from - timedelta(days=1))
    return DecisionPeriod.objects.create(
        product=product,
        procedure=procedure,
        valid_from=valid_from,
        **{"period": old.period, "extension": old.extension, "unit": old.unit, **values},
    )


@pytest.mark.django_db
def test_a_period_changed_from_a_date_applies_to_applications_from_that_date_only(reference_data):
    change = date(2027, 3, 1)
    _new_version("VOG_NP", "regular", valid_from=change, period=6, extension=2)
    before = change - timedelta(days=1)
    assert decision_due_date(application_type="VOG_NP", application_date=before) == before + timedelta(weeks=4)
    assert decision_due_date(application_type="VOG_NP", application_date=change) == change + timedelta(weeks=6)
    assert decision_due_date(application_type="VOG_NP", application_date=change, extended=True) == change + timedelta(
        weeks=8
    )

    with time_machine.travel(at(before), tick=False):
        earlier = received_application(bsn="999990019")
    with time_machine.travel(at(change), tick=False):
        later = received_application(bsn="999990032")
    assert earlier.decision_due_date == before + timedelta(weeks=4)
    assert later.decision_due_date == change + timedelta(weeks=6)
    # A case received before the change keeps its period, also when it is extended after the change.
    with time_machine.travel(at(change + timedelta(days=2)), tick=False):
        for step in (Status.IN_ASSESSMENT, Status.IN_REVIEW):
            earlier = application_transition(application=earlier, to_status=step, actor=TEST_ACTOR)
    assert earlier.decision_due_date == before + timedelta(weeks=8)


@pytest.mark.django_db
def test_a_product_with_versions_but_none_for_the_day_has_no_period(reference_data):
    DecisionPeriod.objects.filter(product="VOG_RP", procedure="urgent").update(valid_from=date(2030, 1, 1))
    assert period_on(product="VOG_RP", procedure="urgent", day=date(2029, 12, 31)) is None
    assert period_on(product="VOG_RP", procedure="urgent", day=date(2030, 1, 1)) is not None


# --- The lifecycle moves the date -----------------------------------------------------------------------

START = date(2026, 11, 2)  # a Monday


def _move(application, status, day):
    with time_machine.travel(at(day), tick=False):
        return application_transition(application=application, to_status=status, actor=TEST_ACTOR)


@pytest.mark.django_db
def test_a_suspension_adds_exactly_the_days_held_and_receiving_again_keeps_the_clock(reference_data):
    rng = random.Random(13)
    for n in range(8):
        with time_machine.travel(at(START), tick=False):
            application = received_application(bsn="999990019" if n % 2 else "999990032")
        first_due = application.decision_due_date
        held_from = START + timedelta(days=rng.randrange(0, 20))
        held = rng.randrange(0, 40)
        application = _move(application, Status.ON_HOLD, held_from)
        assert application.decision_due_date == first_due  # shown unchanged while on hold
        application = _move(application, Status.RECEIVED, held_from + timedelta(days=held))
        assert application.decision_due_date == first_due + timedelta(days=held)
        assert application.suspended_days == held
        assert application.application_date == START  # receiving again does not restart the clock
        kinds = list(application.deadline_events.values_list("kind", "days"))
        assert kinds == [("suspension", None), ("resumption", held)]


@pytest.mark.django_db
def test_the_period_is_extended_at_most_once_whatever_the_path(reference_data):
    """Random walks through assessment, review and suspension: one extension at most, announced once,
    and the date always equals the period (extended or not) plus the days suspended."""
    rng = random.Random(17)
    moves = {
        Status.RECEIVED: [Status.IN_ASSESSMENT, Status.ON_HOLD],
        Status.IN_ASSESSMENT: [Status.IN_REVIEW, Status.ON_HOLD],
        Status.ON_HOLD: [Status.RECEIVED],
        Status.IN_REVIEW: [],
    }
    for _ in range(10):
        with time_machine.travel(at(START), tick=False):
            application = received_application()
        day = START
        while moves[application.status]:
            day += timedelta(days=rng.randrange(0, 12))
            application = _move(application, rng.choice(moves[application.status]), day)
            extensions = application.deadline_events.filter(kind="extension").count()
            assert extensions <= 1
            assert extensions == int(application.decision_period_extended)
            assert (
                OutboxMessage.objects.filter(application=application, event="decision_period_extended").count()
                == extensions
            )
            resumed = sum(application.deadline_events.filter(kind="resumption").values_list("days", flat=True))
            assert application.suspended_days == resumed
            assert application.decision_due_date == decision_due_date(
                application_type="VOG_NP",
                application_date=START,
                extended=application.decision_period_extended,
                suspended_days=resumed,
            )


@pytest.mark.django_db
def test_review_before_the_first_period_ends_extends_and_announces_the_new_date(reference_data):
    with time_machine.travel(at(START), tick=False):
        application = received_application()
    application = _move(application, Status.IN_ASSESSMENT, START)
    last_day = START + timedelta(weeks=4)
    application = _move(application, Status.IN_REVIEW, last_day)  # the last day still counts
    assert application.decision_period_extended
    assert application.decision_due_date == START + timedelta(weeks=8)
    event = DeadlineEvent.objects.get(application=application, kind="extension")
    assert (event.previous_due_date, event.new_due_date) == (last_day, START + timedelta(weeks=8))
    assert event.announced_at is not None
    message = OutboxMessage.objects.get(application=application, event="decision_period_extended")
    assert message.payload["new_due_date"] == (START + timedelta(weeks=8)).isoformat()


@pytest.mark.django_db
def test_after_the_first_period_no_extension_is_lawful_and_the_case_is_overdue(reference_data, screener):
    from screening.workbench.selectors import work_queue

    with time_machine.travel(at(START), tick=False):
        application = received_application()
    application = _move(application, Status.IN_ASSESSMENT, START)
    late = START + timedelta(weeks=4, days=1)
    application = _move(application, Status.IN_REVIEW, late)
    assert not application.decision_period_extended
    assert application.decision_due_date == START + timedelta(weeks=4)
    assert not DeadlineEvent.objects.filter(application=application, kind="extension").exists()
    assert not OutboxMessage.objects.filter(application=application, event="decision_period_extended").exists()
    with time_machine.travel(at(late), tick=False):
        assert list(work_queue(user=screener, overdue_only=True)) == [application]
