"""Objections (bezwaar) against a refusal: the period, registration, four eyes and every outcome."""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

import pytest
import time_machine

from applications.lifecycle import Status
from applications.models import StatusChange
from justis.models import AuditAction, AuditEvent
from notifications.models import Letter, LetterKind, OutboxMessage
from screening.models import Certificate, Objection, ObjectionChannel, ObjectionOutcome
from screening.objections import (
    ObjectionError,
    ObjectionFourEyes,
    objection_decide,
    objection_hearing_record,
    objection_period_end,
    objection_register,
)
from screening.pdf import objection_decision_html
from tests.factories import application_in
from tests.objection_factories import refused_application
from tests.test_workbench_case import other_screener  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

GROUNDS = "De diefstal is lang geleden en past niet bij mijn werk als pedagogisch medewerker."
MOTIVATION = "De aanvrager heeft aangetoond dat het risico voor de functie gering is."


def refused_days_ago(days: int, refused_by, **kwargs):
    """An application refused ``days`` days ago (at noon, local time)."""
    moment = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days), time(12)))
    with time_machine.travel(moment, tick=False):
        return refused_application(refused_by=refused_by, **kwargs)


def register(application, user, **changes):
    values = {
        "application": application,
        "registered_by": user,
        "channel": ObjectionChannel.LETTER,
        "received_on": timezone.localdate(),
        "grounds": GROUNDS,
        **changes,
    }
    return objection_register(**values)[0]


# --- The objection period ------------------------------------------------------------------------


def test_the_last_day_is_six_weeks_after_the_refusal(screener, settings):
    application = refused_days_ago(10, screener)
    assert objection_period_end(application) == timezone.localdate() - timedelta(days=10) + timedelta(weeks=6)
    settings.OBJECTION_PERIOD_WEEKS = 8
    assert objection_period_end(application) == timezone.localdate() - timedelta(days=10) + timedelta(weeks=8)


def test_an_objection_received_on_the_last_day_is_in_time(screener):
    application = refused_days_ago(60, screener)
    last_day = objection_period_end(application)
    objection = register(application, screener, received_on=last_day)
    assert not objection.late
    assert objection.period_ends_on == last_day
    assert objection.decision_date == timezone.localdate() - timedelta(days=60)
    # Decided within six weeks after the objection period ended (Awb 7:10).
    assert objection.decision_due_on == last_day + timedelta(weeks=6)


def test_an_objection_received_the_day_after_needs_a_reason_why_the_delay_is_excusable(screener):
    application = refused_days_ago(60, screener)
    day_after = objection_period_end(application) + timedelta(days=1)
    with pytest.raises(ObjectionError) as error:
        register(application, screener, received_on=day_after)
    assert error.value.field == "late_excuse"
    assert not Objection.objects.exists()

    objection = register(application, screener, received_on=day_after, late_excuse="Opgenomen in het ziekenhuis.")
    assert objection.late
    assert objection.late_excuse == "Opgenomen in het ziekenhuis."


def test_the_database_refuses_a_late_objection_without_a_reason(screener):
    application = refused_days_ago(60, screener)
    objection = register(application, screener, received_on=objection_period_end(application))
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.filter(pk=objection.pk).update(received_on=objection.period_ends_on + timedelta(days=1))


def test_an_advisory_committee_gives_twelve_weeks_to_decide(screener):
    application = refused_days_ago(3, screener)
    objection = register(application, screener, advisory_committee=True)
    assert objection.decision_due_on == objection.period_ends_on + timedelta(weeks=12)
    objection = objection_hearing_record(
        objection=objection, screener=screener, hearing_on=timezone.localdate(), notes="", advisory_committee=False
    )
    assert objection.decision_due_on == objection.period_ends_on + timedelta(weeks=6)


# --- Registration ---------------------------------------------------------------------------------


def test_only_a_refused_application_takes_an_objection(screener):
    application = application_in(Status.IN_REVIEW)
    with translation.override("en"), pytest.raises(ObjectionError) as error:
        register(application, screener)
    assert error.value.field == "reference"
    assert "has not been refused" in str(error.value)


def test_the_grounds_are_required(screener):
    application = refused_application(refused_by=screener)
    with pytest.raises(ObjectionError) as error:
        register(application, screener, grounds="   ")
    assert error.value.field == "grounds"
    with pytest.raises(ObjectionError) as error:
        register(application, screener, grounds="x" * 10001)
    assert error.value.field == "grounds"


def test_the_date_of_receipt_is_not_in_the_future_nor_before_the_refusal(screener):
    application = refused_days_ago(5, screener)
    for received_on in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=6)):
        with pytest.raises(ObjectionError) as error:
            register(application, screener, received_on=received_on)
        assert error.value.field == "received_on"


def test_one_open_objection_per_application(screener, other_screener):  # noqa: F811
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    with translation.override("en"), pytest.raises(ObjectionError) as error:
        register(application, screener)
    assert error.value.field == "reference"
    assert "already being handled" in str(error.value)
    # The database holds the line too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(
            application=application,
            channel=ObjectionChannel.LETTER,
            received_on=objection.received_on,
            grounds=GROUNDS,
            decision_date=objection.decision_date,
            period_ends_on=objection.period_ends_on,
            decision_due_on=objection.decision_due_on,
            registered_by=screener,
        )
    # Once decided, a new objection may be registered (e.g. the first was inadmissible).
    objection_decide(
        objection=objection, screener=other_screener, outcome=ObjectionOutcome.INADMISSIBLE, motivation=MOTIVATION
    )
    assert register(application, screener).is_open


def test_registration_is_audited_and_acknowledged(screener):
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    event = AuditEvent.objects.get(action=AuditAction.OBJECTION_REGISTERED)
    assert event.subject_id == application.reference
    assert event.actor_id == str(screener.pk)
    assert event.data["objection"] == objection.pk
    assert event.data["late"] is False
    message = OutboxMessage.objects.get(event="objection_received")
    assert message.application_id == application.pk
    assert message.payload["decision_due_on"] == objection.decision_due_on.isoformat()


# --- Deciding -------------------------------------------------------------------------------------


def test_the_screener_who_refused_may_not_decide_on_the_objection(screener, other_screener):  # noqa: F811
    application = refused_application(refused_by=screener)
    assert StatusChange.objects.filter(application=application, to_status=Status.REFUSED).get().actor_id == str(
        screener.pk
    )
    objection = register(application, other_screener)
    with pytest.raises(ObjectionFourEyes):
        objection_decide(objection=objection, screener=screener, outcome=ObjectionOutcome.UPHELD, motivation=MOTIVATION)
    objection.refresh_from_db()
    application.refresh_from_db()
    assert objection.is_open
    assert application.status == Status.REFUSED
    assert not Letter.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OBJECTION_DECIDED).exists()


def test_an_upheld_objection_issues_the_certificate_with_a_letter(screener, other_screener):  # noqa: F811
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    objection = objection_decide(
        objection=objection, screener=other_screener, outcome=ObjectionOutcome.UPHELD, motivation=MOTIVATION
    )
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    assert objection.outcome == ObjectionOutcome.UPHELD
    assert objection.decided_by == other_screener
    assert objection.decided_at is not None
    assert Certificate.objects.filter(application=application).count() == 1
    change = StatusChange.objects.filter(application=application).first()
    assert (change.from_status, change.to_status, change.actor_id) == (
        Status.REFUSED,
        Status.ISSUED,
        str(other_screener.pk),
    )
    assert OutboxMessage.objects.filter(application=application, event="objection_upheld").count() == 1
    assert not OutboxMessage.objects.filter(event="objection_decided").exists()
    letter = Letter.objects.get(application=application, kind=LetterKind.OBJECTION_DECISION)
    with letter.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    event = AuditEvent.objects.get(action=AuditAction.OBJECTION_DECIDED)
    assert event.actor_id == str(other_screener.pk)
    assert event.data["outcome"] == "upheld"
    assert event.data["letter"] == letter.pk
    assert event.data["certificate"] == application.certificate.pk


def test_a_decided_objection_is_not_decided_twice(screener, other_screener):  # noqa: F811
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    objection_decide(
        objection=objection, screener=other_screener, outcome=ObjectionOutcome.UPHELD, motivation=MOTIVATION
    )
    with pytest.raises(ObjectionError) as error:
        objection_decide(
            objection=objection, screener=other_screener, outcome=ObjectionOutcome.UPHELD, motivation=MOTIVATION
        )
    assert error.value.field == "outcome"
    assert Letter.objects.count() == 1
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("outcome", [ObjectionOutcome.UNFOUNDED, ObjectionOutcome.INADMISSIBLE])
def test_an_unfounded_or_inadmissible_objection_leaves_the_refusal(screener, other_screener, outcome):  # noqa: F811
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    objection_decide(objection=objection, screener=other_screener, outcome=outcome, motivation=MOTIVATION)
    application.refresh_from_db()
    assert application.status == Status.REFUSED
    assert not Certificate.objects.exists()
    assert Letter.objects.filter(application=application, kind=LetterKind.OBJECTION_DECISION).count() == 1
    message = OutboxMessage.objects.get(event="objection_decided")
    assert message.payload["outcome"] == outcome
    assert not OutboxMessage.objects.filter(event="objection_upheld").exists()
    assert AuditEvent.objects.get(action=AuditAction.OBJECTION_DECIDED).data["outcome"] == outcome


def test_the_decision_needs_an_outcome_and_a_motivation(screener, other_screener):  # noqa: F811
    objection = register(refused_application(refused_by=screener), screener)
    for outcome, motivation, field in (("", MOTIVATION, "outcome"), ("upheld", "  ", "motivation")):
        with pytest.raises(ObjectionError) as error:
            objection_decide(objection=objection, screener=other_screener, outcome=outcome, motivation=motivation)
        assert error.value.field == field
    objection.refresh_from_db()
    assert objection.is_open


def test_the_letter_gives_the_right_of_appeal_only_when_the_refusal_stands(screener, other_screener):  # noqa: F811
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    objection.outcome, objection.motivation, objection.decided_at = "unfounded", MOTIVATION, timezone.now()
    html = objection_decision_html(objection=objection, application=application, sent_on=timezone.localdate())
    assert 'data-outcome="unfounded"' in html
    assert "Your objection is <strong>unfounded</strong>" in html
    assert "beroep instellen bij de rechtbank" in html
    assert html.index("Beslissing op uw bezwaar") < html.index("Decision on your objection")
    assert MOTIVATION in html
    objection.outcome = "upheld"
    html = objection_decision_html(objection=objection, application=application, sent_on=timezone.localdate())
    assert 'data-outcome="upheld"' in html
    assert "ongegrond" not in html
    assert "beroep instellen" not in html
    objection.outcome = "inadmissible"
    html = objection_decision_html(objection=objection, application=application, sent_on=timezone.localdate())
    assert 'data-outcome="inadmissible"' in html
    assert "beroep instellen bij de rechtbank" in html
