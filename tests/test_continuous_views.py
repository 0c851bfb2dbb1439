"""The signals queue and the signal screen for screeners: access, order, audit and the decision."""

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

import pytest

from continuous.models import ContinuousEnrolment, EnrolmentStatus, Sector, Signal, SignalStatus
from continuous.services import continuous_run, signal_decide
from justis.models import AuditAction, AuditEvent
from notifications.models import OutboxMessage
from tests.continuous_helpers import RUN_DAY, add_drink_driving, add_record, enrol
from tests.staff import login_with_second_factor

pytestmark = pytest.mark.django_db

QUEUE = "/beoordeling/signalen/"
MOTIVATION = "Diefstal na de inschrijving; voor de kinderopvang is een nieuwe beoordeling nodig."


@pytest.fixture
def signal(reference_data):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    continuous_run(day=RUN_DAY)
    return Signal.objects.get()


def signal_url(signal) -> str:
    return f"{QUEUE}{signal.pk}/"


def test_only_screeners_with_two_factors_see_signals(clerk, intake_officer, screener, signal):
    response = Client().get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")
    # A screener who gave only the password is sent to give the code.
    password_only = Client()
    password_only.force_login(screener)
    assert password_only.get(signal_url(signal))["Location"].startswith("/medewerkers/inloggen/")
    for user in (clerk, intake_officer):
        staff_client = login_with_second_factor(Client(), user)
        assert staff_client.get(QUEUE).status_code == 403
        assert staff_client.get(signal_url(signal)).status_code == 403
        assert staff_client.post(f"{signal_url(signal)}besluiten/", {}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.SIGNAL_OPENED).exists()


def test_the_queue_lists_open_signals_first_oldest_first_with_days_since_received(screener_client, screener, signal):
    taxi = enrol("999990044", Sector.TAXI, link_to=())
    add_drink_driving(taxi.bsn, decided=date(2026, 8, 4))
    add_record(taxi.bsn, decided=date(2026, 10, 1), article="300 Sr", description="mishandeling", category="violence")
    continuous_run(day=RUN_DAY + timedelta(days=1))
    older, newer = Signal.objects.filter(enrolment=taxi).order_by("pk")
    Signal.objects.filter(pk=signal.pk).update(received_at=timezone.now() - timedelta(days=5))
    Signal.objects.filter(pk=older.pk).update(received_at=timezone.now() - timedelta(days=9))
    signal_decide(signal=older, screener=screener, direct_risk=False, motivation=MOTIVATION, action="none")

    response = screener_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(f'data-signal="{pk}"') for pk in (signal.pk, newer.pk, older.pk)]
    assert order == sorted(order)  # open (oldest first), then decided
    assert 'data-days="5"' in html
    assert "<caption" in html
    assert f'href="{QUEUE}"' in html  # the navigation link for screeners
    assert not AuditEvent.objects.filter(action=AuditAction.SIGNAL_OPENED).exists()  # no justice data shown


def test_opening_a_signal_shows_person_organisations_and_record_and_is_audited(screener_client, screener, signal):
    response = screener_client.get(signal_url(signal), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pieter de Boer" in html
    assert "28-02-1985" in html
    assert 'data-sector="childcare"' in html
    assert "Kinderopvang De Zonnebloem B.V." in html
    assert "310 Sr" in html
    assert signal.finding["explanation"]["nl"] in html
    audit = AuditEvent.objects.get(action=AuditAction.SIGNAL_OPENED)
    assert audit.actor_id == str(screener.pk)
    assert audit.subject_id == str(signal.pk)


def test_a_screener_records_new_vog_required(screener_client, signal):
    response = screener_client.post(
        f"{signal_url(signal)}besluiten/",
        {"direct_risk": "yes", "motivation": MOTIVATION, "action": "new_vog_required"},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DECIDED
    assert signal.direct_risk is True
    assert ContinuousEnrolment.objects.get().status == EnrolmentStatus.NON_ACTIVE
    assert OutboxMessage.objects.filter(event="continuous_new_vog_required").count() == 2  # organisation, person

    # A second post changes nothing and sends nothing again.
    again = screener_client.post(
        f"{signal_url(signal)}besluiten/", {"direct_risk": "no", "motivation": MOTIVATION, "action": "none"}
    )
    assert again.status_code == 302
    signal.refresh_from_db()
    assert signal.action == "new_vog_required"
    assert OutboxMessage.objects.count() == 2
    detail = screener_client.get(signal_url(signal)).content.decode()
    assert 'data-action="new_vog_required"' in detail


def test_errors_name_the_field_and_decide_nothing(screener_client, signal):
    response = screener_client.post(
        f"{signal_url(signal)}besluiten/",
        {"direct_risk": "yes", "motivation": MOTIVATION, "action": "none"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "with a direct risk a new VOG is required" in response.content.decode()
    response = screener_client.post(f"{signal_url(signal)}besluiten/", {"direct_risk": "no"})
    assert response.status_code == 400
    assert 'id="id_motivation_error"' in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN
    assert not OutboxMessage.objects.exists()


def test_an_unknown_signal_is_404(screener_client, reference_data):
    assert screener_client.get(f"{QUEUE}999999/").status_code == 404
