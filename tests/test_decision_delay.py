"""Applicants hear once when their decision date is at risk and the period cannot be extended any more."""

from datetime import timedelta

from django.utils import timezone

import pytest

from applications.deadlines import decision_delay_notices
from applications.lifecycle import Status
from applications.models import Application
from notifications.models import OutboxMessage
from notifications.services import outbox_render
from tests.factories import application_in

pytestmark = pytest.mark.django_db


def due_in(application, days: int, *, extended: bool = True):
    Application.objects.filter(pk=application.pk).update(
        decision_due_date=timezone.localdate() + timedelta(days=days), decision_period_extended=extended
    )
    application.refresh_from_db()
    return application


def notices(application):
    return OutboxMessage.objects.filter(application=application, event="decision_delayed")


def test_an_extended_case_close_to_its_date_is_told_once(settings):
    settings.DECISION_AT_RISK_DAYS = 5
    application = due_in(application_in(Status.IN_REVIEW), 5)
    far = due_in(application_in(Status.IN_REVIEW, bsn="999990020"), 6)

    assert decision_delay_notices() == 1
    assert decision_delay_notices() == 0  # the next sweep sends nothing twice
    assert notices(application).count() == 1
    assert not notices(far).exists()
    message = notices(application).get()
    assert message.payload["decision_due_date"] == application.decision_due_date.isoformat()
    assert message.payload["overdue"] is False
    subject, body = outbox_render(message)
    assert application.reference in subject
    assert "in gebreke" in body
    assert "notice of default" in body


def test_a_case_that_can_still_be_extended_is_not_told_but_an_overdue_one_is(settings):
    settings.DECISION_AT_RISK_DAYS = 5
    extendable = due_in(application_in(Status.IN_ASSESSMENT), 2, extended=False)
    overdue = due_in(application_in(Status.IN_ASSESSMENT, bsn="999990020"), -1, extended=False)

    decision_delay_notices()

    assert not notices(extendable).exists()  # the extension sweep announces that one
    assert notices(overdue).get().payload["overdue"] is True


def test_decided_and_suspended_cases_are_not_told_and_a_new_date_is_told_again(settings):
    settings.DECISION_AT_RISK_DAYS = 5
    issued = due_in(application_in(Status.ISSUED), 1)
    case = due_in(application_in(Status.IN_REVIEW, bsn="999990020"), 1)
    decision_delay_notices()
    assert not notices(issued).exists()
    assert notices(case).count() == 1

    due_in(case, 3)  # a later decision date (e.g. after a suspension) is announced again
    decision_delay_notices()
    assert notices(case).count() == 2
