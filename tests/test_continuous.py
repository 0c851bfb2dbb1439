"""Continuous screening: enrolments and links, the daily run (relevance per sector, idempotency,
catch-up after a JDS outage, independence from intake) and the screener's decision on a signal."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from applications.lifecycle import Status
from continuous.demo import continuous_demo_seed
from continuous.models import (
    ContinuousEnrolment,
    ContinuousRun,
    EnrolmentLink,
    EnrolmentStatus,
    RunStatus,
    Sector,
    Signal,
    SignalAction,
    SignalStatus,
)
from continuous.services import (
    AlreadyEnrolled,
    AlreadyLinked,
    SignalAlreadyDecided,
    continuous_resume,
    continuous_run,
    enrolment_end,
    enrolment_link,
    enrolment_unlink,
    signal_decide,
)
from justis.faults import fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from notifications.models import OutboxMessage
from notifications.services import outbox_recipient, outbox_render
from tests.continuous_helpers import ENROLLED_FROM, RUN_DAY, add_drink_driving, add_record, enrol, organisation
from tests.factories import TEST_ACTOR, received_application

pytestmark = pytest.mark.django_db

MOTIVATION = "Diefstal bij een werkgever in de kinderopvang; het risico voor de kinderen is direct."


# --- Enrolments and links -------------------------------------------------------------------------


def test_enrolling_checks_the_bsn_and_allows_one_open_enrolment_per_sector(reference_data):
    with pytest.raises(ValidationError) as error:
        enrol(bsn="123456789")
    assert "bsn" in error.value.message_dict

    enrolment = enrol()
    with pytest.raises(AlreadyEnrolled):
        enrol()
    taxi = enrol(sector=Sector.TAXI, link_to=())  # the same person as a taxi driver is another enrolment
    assert taxi.pk != enrolment.pk
    assert AuditEvent.objects.filter(
        action=AuditAction.ENROLMENT_CHANGED, subject_type="continuous_enrolment", subject_id=str(enrolment.pk)
    ).exists()

    enrolment_end(enrolment=enrolment, day=date(2026, 1, 31), actor=TEST_ACTOR)
    assert enrol().pk != enrolment.pk  # a new enrolment after the old one ended


def test_linking_unlinking_and_ending(reference_data):
    enrolment = enrol(link_to=())
    zonnebloem = organisation()
    link = enrolment_link(
        enrolment=enrolment, organisation=zonnebloem, contact_email="hr@zonnebloem.example", active_from=ENROLLED_FROM,
        actor=TEST_ACTOR,
    )  # fmt: skip
    with pytest.raises(AlreadyLinked):
        enrolment_link(
            enrolment=enrolment, organisation=zonnebloem, contact_email="x@zonnebloem.example",
            active_from=ENROLLED_FROM, actor=TEST_ACTOR,
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        enrolment_link(
            enrolment=enrolment, organisation=organisation("23456789", "Gastouderbureau Zon"), contact_email="nope",
            active_from=ENROLLED_FROM, actor=TEST_ACTOR,
        )  # fmt: skip
    assert "contact_email" in error.value.message_dict

    enrolment_unlink(link=link, day=date(2025, 6, 30), actor=TEST_ACTOR)
    link.refresh_from_db()
    assert link.active_to == date(2025, 6, 30)
    relinked = enrolment_link(
        enrolment=enrolment, organisation=zonnebloem, contact_email="hr@zonnebloem.example",
        active_from=date(2025, 9, 1), actor=TEST_ACTOR,
    )  # fmt: skip

    enrolment_end(enrolment=enrolment, day=date(2026, 1, 31), actor=TEST_ACTOR)
    relinked.refresh_from_db()
    assert relinked.active_to == date(2026, 1, 31)
    # An ended enrolment is no longer read.
    add_record(enrolment.bsn, decided=date(2026, 3, 1))
    continuous_run(day=RUN_DAY)
    assert not Signal.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ).exists()


# --- Relevance per sector --------------------------------------------------------------------------


def test_childcare_a_relevant_new_record_raises_a_signal_with_the_rules_explanation(reference_data):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    run = continuous_run(day=RUN_DAY)
    assert run.status == RunStatus.DONE
    assert run.enrolments_checked == 1
    assert run.signals_raised == 1
    signal = Signal.objects.get()
    assert signal.enrolment == enrolment
    assert signal.status == SignalStatus.OPEN
    assert signal.record["offence_article"] == "310 Sr"
    assert signal.finding["category"] == "vermogen"
    assert signal.finding["for_screener"] is True
    assert "84, 86" in signal.finding["explanation"]["nl"]
    enrolment.refresh_from_db()
    assert enrolment.last_checked_on == RUN_DAY


def test_childcare_a_traffic_offence_does_not_matter_but_for_a_taxi_driver_it_does(reference_data):
    childcare = enrol("999990044")
    taxi = enrol("999990044", Sector.TAXI, link_to=(("56789012", "Taxicentrale Snel & Veilig", "t@taxi.example"),))
    add_drink_driving("999990044", decided=date(2026, 8, 4))
    continuous_run(day=RUN_DAY)
    signal = Signal.objects.get()
    assert signal.enrolment == taxi
    assert "65" in signal.finding["explanation"]["en"]
    assert not Signal.objects.filter(enrolment=childcare).exists()
    childcare.refresh_from_db()
    assert childcare.last_checked_on == RUN_DAY  # read, found nothing relevant


def test_a_record_decided_before_the_enrolment_raises_nothing(reference_data):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=ENROLLED_FROM - timedelta(days=1))  # weighed for the VOG already
    run = continuous_run(day=RUN_DAY)
    assert run.enrolments_checked == 1
    assert not Signal.objects.exists()


def test_an_acquittal_raises_nothing(reference_data):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1), disposal_type="acquittal")
    continuous_run(day=RUN_DAY)
    assert not Signal.objects.exists()


# --- Idempotency and the JDS outage --------------------------------------------------------------


def test_running_a_day_twice_raises_nothing_twice_and_later_days_do_not_repeat_a_signal(reference_data):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    assert continuous_run(day=RUN_DAY).signals_raised == 1
    assert continuous_run(day=RUN_DAY) is None  # done already
    assert ContinuousRun.objects.filter(day=RUN_DAY).count() == 1
    next_day = continuous_run(day=RUN_DAY + timedelta(days=1))
    assert next_day.enrolments_checked == 1
    assert next_day.signals_raised == 0
    assert Signal.objects.count() == 1
    reads = AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ, subject_id=str(enrolment.pk))
    assert reads.count() == 2  # one read per day, each audited


def test_a_jds_outage_makes_the_run_wait_and_the_next_run_catches_up(reference_data):
    first = enrol()
    second = enrol("999990044", Sector.TAXI, link_to=())
    continuous_run(day=RUN_DAY - timedelta(days=1))
    fault_set(system="jds", mode="down", actor=TEST_ACTOR)
    add_record(first.bsn, decided=RUN_DAY)  # decided on the day of the outage
    add_drink_driving(second.bsn, decided=RUN_DAY)
    waiting = continuous_run(day=RUN_DAY)
    assert waiting.status == RunStatus.WAITING
    assert waiting.next_attempt_at > timezone.now()
    assert "jds" in waiting.last_error
    unavailable = AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_UNAVAILABLE, subject_type="continuous_run")
    assert unavailable.exists()
    for enrolment in (first, second):
        enrolment.refresh_from_db()
        assert enrolment.last_checked_on == RUN_DAY - timedelta(days=1)  # the last successful check
    assert not Signal.objects.exists()

    # Still down the next day: that run waits too.
    assert continuous_run(day=RUN_DAY + timedelta(days=1)).status == RunStatus.WAITING
    fault_clear(system="jds", actor=TEST_ACTOR)
    done = continuous_run(day=RUN_DAY + timedelta(days=1))
    assert done.status == RunStatus.DONE
    assert done.attempts == 2
    assert set(Signal.objects.values_list("enrolment_id", flat=True)) == {first.pk, second.pk}
    earlier = ContinuousRun.objects.get(day=RUN_DAY)
    assert earlier.status == RunStatus.DONE
    assert earlier.completed_by == RUN_DAY + timedelta(days=1)


def test_a_waiting_run_is_resumed_when_due(reference_data):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    fault_set(system="jds", mode="errors", actor=TEST_ACTOR)
    waiting = continuous_run(day=RUN_DAY)
    assert waiting.status == RunStatus.WAITING
    assert continuous_resume(now=timezone.now()) == []  # not due yet: back-off
    fault_clear(system="jds", actor=TEST_ACTOR)
    assert continuous_resume(now=waiting.next_attempt_at + timedelta(seconds=1)) == [RUN_DAY]
    assert ContinuousRun.objects.get(day=RUN_DAY).status == RunStatus.DONE
    assert Signal.objects.count() == 1


def test_signals_keep_flowing_while_intake_is_down(reference_data):
    """The population register down and an application waiting in the assessment queue, unconsumed:
    the run reads only its own tables and the JDS, and raises its signal."""
    application = received_application()
    fault_set(system="brp", mode="down", actor=TEST_ACTOR)
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    run = continuous_run(day=RUN_DAY)
    assert run.status == RunStatus.DONE
    assert Signal.objects.filter(enrolment=enrolment).count() == 1
    application.refresh_from_db()
    assert application.status == Status.RECEIVED  # intake has not moved


def test_continuous_tasks_have_their_own_queue():
    from django.conf import settings

    from justis.celery import app

    for name in ("continuous.tasks.continuous_daily_run", "continuous.tasks.continuous_resume"):
        assert settings.CELERY_TASK_ROUTES[name] == {"queue": "continuous"}
        assert app.amqp.router.route({}, name)["queue"].name == "continuous"
    schedule = settings.CELERY_BEAT_SCHEDULE["continuous-daily-run"]
    assert schedule["task"] == "continuous.tasks.continuous_daily_run"
    assert schedule["schedule"].hour == {2}


# --- The screener's decision ------------------------------------------------------------------------


@pytest.fixture
def childcare_signal(reference_data):
    enrolment = enrol(
        link_to=(
            ("12345678", "Kinderopvang De Zonnebloem B.V.", "personeel@zonnebloem.example"),
            ("23456789", "Gastouderbureau Zon", "planning@zon.example"),
            ("34567890", "BSO De Vlieger", "hr@vlieger.example"),
        )
    )
    ended = EnrolmentLink.objects.get(enrolment=enrolment, organisation__kvk_number="34567890")
    enrolment_unlink(link=ended, day=date(2025, 12, 31), actor=TEST_ACTOR)
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    continuous_run(day=RUN_DAY)
    return Signal.objects.get()


def test_new_vog_required_in_childcare_makes_the_person_non_active_and_tells_the_linked_organisations(
    childcare_signal, screener
):
    signal = signal_decide(
        signal=childcare_signal,
        screener=screener,
        direct_risk=True,
        motivation=MOTIVATION,
        action=SignalAction.NEW_VOG_REQUIRED,
    )
    assert signal.status == SignalStatus.DECIDED
    assert signal.decided_by == screener
    enrolment = ContinuousEnrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.NON_ACTIVE
    messages = OutboxMessage.objects.filter(event="continuous_new_vog_required")
    recipients = sorted(outbox_recipient(message) for message in messages)
    # The organisation unlinked before today is not told; the person is.
    assert recipients == ["personeel@zonnebloem.example", "pieter@example.org", "planning@zon.example"]
    assert all(message.application is None for message in messages)
    to_organisation = messages.get(payload__email="planning@zon.example")
    subject, body = outbox_render(to_organisation)
    assert "Pieter de Boer" in subject
    assert "Gastouderbureau Zon" in body
    assert "non-actief" in body
    assert "non-active" in body
    assert body.index("Met vriendelijke groet") < body.index("Kind regards")  # Dutch, then English
    assert "310" not in body
    assert "diefstal" not in body
    audit = AuditEvent.objects.get(action=AuditAction.SIGNAL_DECIDED)
    assert audit.actor_id == str(screener.pk)
    assert audit.data["action"] == "new_vog_required"

    with pytest.raises(SignalAlreadyDecided):
        signal_decide(
            signal=signal, screener=screener, direct_risk=False, motivation=MOTIVATION, action=SignalAction.NONE
        )
    assert messages.count() == 3


def test_a_taxi_driver_needing_a_new_vog_stays_enrolled_and_the_company_is_told(reference_data, screener):
    enrol("999990044", Sector.TAXI, email="", link_to=(("56789012", "Taxicentrale Snel & Veilig", "t@taxi.example"),))
    add_drink_driving("999990044", decided=date(2026, 8, 4))
    continuous_run(day=RUN_DAY)
    signal_decide(
        signal=Signal.objects.get(),
        screener=screener,
        direct_risk=False,
        motivation="Rijden onder invloed: de chauffeurskaart vraagt een nieuwe beoordeling.",
        action=SignalAction.NEW_VOG_REQUIRED,
    )
    assert ContinuousEnrolment.objects.get().status == EnrolmentStatus.ACTIVE
    message = OutboxMessage.objects.get()
    assert outbox_recipient(message) == "t@taxi.example"
    assert "chauffeurskaart" in outbox_render(message)[1]


def test_no_action_tells_nobody_and_a_direct_risk_needs_a_new_vog(childcare_signal, screener):
    with pytest.raises(ValidationError) as error:
        signal_decide(
            signal=childcare_signal, screener=screener, direct_risk=True, motivation=MOTIVATION, action="none"
        )
    assert "action" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        signal_decide(signal=childcare_signal, screener=screener, direct_risk=False, motivation="kort", action="none")
    assert "motivation" in error.value.message_dict
    signal_decide(signal=childcare_signal, screener=screener, direct_risk=False, motivation=MOTIVATION, action="none")
    assert not OutboxMessage.objects.exists()
    assert ContinuousEnrolment.objects.get().status == EnrolmentStatus.ACTIVE


# --- Demo data ------------------------------------------------------------------------------------


def test_the_demo_enrolments_raise_signals_and_are_repeatable(reference_data):
    from django.core.management import call_command

    call_command("seed_demo")
    assert ContinuousEnrolment.objects.count() == 4
    sectors = set(Signal.objects.values_list("enrolment__bsn", "enrolment__sector"))
    assert sectors == {("999990032", Sector.CHILDCARE), ("999990044", Sector.TAXI)}
    assert continuous_demo_seed() == {"enrolled": 0, "signals": 0}
    assert Signal.objects.count() == 2
