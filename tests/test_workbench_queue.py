"""The screeners' work queue: order by deadline risk, filters, taking up and releasing cases, access."""

import threading
from datetime import timedelta

from django.test import Client
from django.utils import timezone, translation

import pytest

from applications.lifecycle import Status, application_transition
from applications.models import Application
from justis.login.staff import staff_start_page
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from screening.models import CaseClaim
from screening.workbench.sectors import legal_obligation_sector
from screening.workbench.selectors import CLAIMED_FREE, CLAIMED_MINE, work_queue
from screening.workbench.services import CaseHeldByOther, CaseNotHeld, CaseNotInQueue, case_claim, case_release
from screening.workbench.views import days_left_label
from tests.factories import TEST_ACTOR, application_in, received_application
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

QUEUE = "/beoordeling/"
NOT_LEGAL = {"functieaspecten": ("84",)}  # care for minors outside childcare: no legal obligation
CHILDCARE = {"functieaspecten": ("84", "86")}


def in_review(days_left: int, *, received_days_ago: int = 20, **kwargs) -> Application:
    """An application a screener must review, with ``days_left`` until its decision date."""
    application = application_in(Status.IN_REVIEW, **kwargs)
    today = timezone.localdate()
    Application.objects.filter(pk=application.pk).update(
        decision_due_date=today + timedelta(days=days_left),
        received_at=timezone.now() - timedelta(days=received_days_ago),
    )
    application.refresh_from_db()
    return application


def on_hold(days_left: int, **kwargs) -> Application:
    application = received_application(**kwargs)
    application = application_transition(application=application, to_status=Status.ON_HOLD, actor=TEST_ACTOR)
    Application.objects.filter(pk=application.pk).update(
        decision_due_date=timezone.localdate() + timedelta(days=days_left)
    )
    return application


def references(queryset) -> list[str]:
    return [application.reference for application in queryset]


@pytest.fixture
def other_screener(reference_data):
    return staff_user("screener.two", Role.SCREENER, first_name="Piet", last_name="Bakker")


# --- Order --------------------------------------------------------------------------------------


def test_overdue_cases_come_first_then_the_fewest_days_left(screener):
    later = in_review(20, **NOT_LEGAL)
    overdue = in_review(-2, **NOT_LEGAL)
    soon = in_review(3, **NOT_LEGAL)
    today = in_review(0, **NOT_LEGAL)
    assert references(work_queue(user=screener)) == [o.reference for o in (overdue, today, soon, later)]


def test_on_the_same_day_a_legal_obligation_sector_comes_before_urgent_and_older_cases(screener):
    old_other = in_review(5, received_days_ago=30, **NOT_LEGAL)
    urgent_other = in_review(5, received_days_ago=1, urgent_reason="work_abroad", **NOT_LEGAL)
    education = in_review(5, received_days_ago=1, screening_profile="60")
    childcare = in_review(5, received_days_ago=2, **CHILDCARE)
    next_day_childcare = in_review(6, received_days_ago=40, **CHILDCARE)
    assert references(work_queue(user=screener)) == [
        childcare.reference,  # legal obligation, received earlier than the education case
        education.reference,
        urgent_other.reference,  # no legal obligation, but urgent
        old_other.reference,
        next_day_childcare.reference,  # one day more: after all cases of the day before
    ]


@translation.override("en")
def test_the_legal_obligation_table_knows_childcare_education_taxi_and_youth_care():
    assert legal_obligation_sector(screening_profile="", functieaspecten=["84", "86"]) == "childcare"
    assert legal_obligation_sector(screening_profile="65", functieaspecten=[]) == "taxi"
    assert legal_obligation_sector(screening_profile="60", functieaspecten=[]) == "education"
    assert legal_obligation_sector(screening_profile="75", functieaspecten=[]) == "youth care"
    assert legal_obligation_sector(screening_profile="", functieaspecten=["84"]) is None
    assert legal_obligation_sector(screening_profile="96", functieaspecten=[]) is None


def test_only_cases_that_need_a_person_are_in_the_queue(screener):
    waiting = in_review(5, **NOT_LEGAL)
    held = on_hold(10, bsn="999990032")
    application_in(Status.IN_ASSESSMENT, bsn="999990044")
    application_in(Status.ISSUED, bsn="999990056")
    assert references(work_queue(user=screener)) == [waiting.reference, held.reference]


# --- Days left in words --------------------------------------------------------------------------


@translation.override("en")
def test_the_days_left_are_told_in_words():
    assert days_left_label(3) == "3 days left"
    assert days_left_label(1) == "1 day left"
    assert days_left_label(0) == "due today"
    assert days_left_label(-2) == "2 days overdue"
    assert days_left_label(-1) == "1 day overdue"


def test_the_queue_page_shows_the_days_left_and_the_legal_obligation(screener_client):
    in_review(3, **CHILDCARE)
    in_review(0, **NOT_LEGAL)
    in_review(-2, **NOT_LEGAL)
    html = screener_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index("2 days overdue") < html.index("due today") < html.index("3 days left")
    assert html.count("Legal VOG obligation: childcare") == 1


# --- Filters ---------------------------------------------------------------------------------------


def test_filters_by_type_status_overdue_and_claim(screener, other_screener, screener_client):
    overdue = in_review(-1, **NOT_LEGAL)
    mine = in_review(4, **NOT_LEGAL)
    theirs = in_review(5, **NOT_LEGAL)
    held = on_hold(8, bsn="999990032")
    case_claim(application=mine, user=screener)
    case_claim(application=theirs, user=other_screener)

    def shown(**params) -> list[str]:
        response = screener_client.get(QUEUE, params)
        assert response.status_code == 200
        return [row["application"].reference for row in response.context["rows"]]

    assert shown() == [overdue.reference, mine.reference, theirs.reference, held.reference]
    assert shown(status="on_hold") == [held.reference]
    assert shown(status="in_review") == [overdue.reference, mine.reference, theirs.reference]
    assert shown(overdue="on") == [overdue.reference]
    assert shown(claimed="mine") == [mine.reference]
    assert shown(claimed="free") == [overdue.reference, held.reference]
    assert shown(type="GVA") == []
    assert shown(type="VOG_NP", claimed="free", status="in_review") == [overdue.reference]


def test_an_unknown_filter_value_is_named_and_shows_no_cases(screener_client):
    in_review(3, **NOT_LEGAL)
    response = screener_client.get(QUEUE, {"status": "issued"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "status" in response.context["form"].errors


def test_the_queue_is_paginated(screener_client, monkeypatch):
    from screening.workbench import views

    assert views.PAGE_SIZE == 50
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for days in (1, 2, 3):
        in_review(days, **NOT_LEGAL)
    first = screener_client.get(QUEUE)
    second = screener_client.get(QUEUE, {"page": 2})
    assert len(first.context["rows"]) == 2
    assert [row["days"] for row in second.context["rows"]] == [3]


# --- Taking up and releasing -----------------------------------------------------------------------


def test_taking_up_and_releasing_a_case_is_audited(screener):
    application = in_review(5, **NOT_LEGAL)
    claim = case_claim(application=application, user=screener)
    assert claim.screener == screener
    assert references(work_queue(user=screener, claimed=CLAIMED_MINE)) == [application.reference]
    case_release(application=application, user=screener)
    assert not CaseClaim.objects.exists()
    events = AuditEvent.objects.filter(subject_id=application.reference, actor_id=str(screener.pk))
    assert sorted(events.values_list("action", flat=True)) == [AuditAction.CASE_CLAIMED, AuditAction.CASE_RELEASED]


def test_a_case_another_screener_holds_cannot_be_taken_or_released(screener, other_screener):
    application = in_review(5, **NOT_LEGAL)
    case_claim(application=application, user=other_screener)
    with pytest.raises(CaseHeldByOther) as held:
        case_claim(application=application, user=screener)
    assert held.value.claim.screener == other_screener
    with pytest.raises(CaseNotHeld):
        case_release(application=application, user=screener)
    assert CaseClaim.objects.get().screener == other_screener
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CLAIMED).count() == 1


def test_a_claim_older_than_the_claim_time_counts_as_released(screener, other_screener, settings):
    settings.CASE_CLAIM_HOURS = 8
    application = in_review(5, **NOT_LEGAL)
    case_claim(application=application, user=other_screener)
    CaseClaim.objects.update(claimed_at=timezone.now() - timedelta(hours=8, minutes=1))
    assert references(work_queue(user=screener, claimed=CLAIMED_FREE)) == [application.reference]
    assert references(work_queue(user=other_screener, claimed=CLAIMED_MINE)) == []

    case_claim(application=application, user=screener)
    assert CaseClaim.objects.get().screener == screener
    event = AuditEvent.objects.filter(action=AuditAction.CASE_CLAIMED, actor_id=str(screener.pk)).get()
    assert event.data == {"lapsed_claim_of": other_screener.username}


def test_a_claim_within_the_claim_time_still_holds(screener, other_screener, settings):
    settings.CASE_CLAIM_HOURS = 8
    application = in_review(5, **NOT_LEGAL)
    case_claim(application=application, user=other_screener)
    CaseClaim.objects.update(claimed_at=timezone.now() - timedelta(hours=7, minutes=59))
    with pytest.raises(CaseHeldByOther):
        case_claim(application=application, user=screener)


def test_a_case_that_left_the_queue_cannot_be_taken_up(screener):
    issued = application_in(Status.ISSUED)
    with pytest.raises(CaseNotInQueue):
        case_claim(application=issued, user=screener)
    assert not CaseClaim.objects.exists()


def test_the_take_up_button_claims_and_a_held_case_gives_a_clear_message(screener, other_screener, screener_client):
    application = in_review(5, **NOT_LEGAL)
    taken = in_review(6, bsn="999990032", **NOT_LEGAL)
    case_claim(application=taken, user=other_screener)
    screener_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages are checked in English

    response = screener_client.post(
        f"{QUEUE}zaken/{application.reference}/oppakken/", {"query": "claimed=mine"}, follow=True
    )
    assert response.redirect_chain == [(f"{QUEUE}?claimed=mine", 302)]
    assert f"You have taken up case {application.reference}." in response.content.decode()
    assert CaseClaim.objects.get(application=application).screener == screener

    response = screener_client.post(f"{QUEUE}zaken/{taken.reference}/oppakken/", follow=True)
    html = response.content.decode()
    assert f"Case {taken.reference} has already been taken up by Piet Bakker" in html
    assert CaseClaim.objects.get(application=taken).screener == other_screener

    response = screener_client.post(f"{QUEUE}zaken/{application.reference}/vrijgeven/", follow=True)
    assert f"You have released case {application.reference}" in response.content.decode()
    assert not CaseClaim.objects.filter(application=application).exists()


def test_taking_up_needs_a_post_with_csrf(screener):
    application = in_review(5, **NOT_LEGAL)
    client = login_with_second_factor(Client(enforce_csrf_checks=True), screener)
    assert client.get(f"{QUEUE}zaken/{application.reference}/oppakken/").status_code == 405
    assert client.post(f"{QUEUE}zaken/{application.reference}/oppakken/").status_code == 403
    assert not CaseClaim.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_screeners_taking_up_the_same_case_at_once_only_one_wins(screener, other_screener):
    from django.db import connection

    application = in_review(5, **NOT_LEGAL)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(user):
        from django.db import connections

        try:
            barrier.wait()
            case_claim(application=application, user=user)
            outcomes.append("won")
        except CaseHeldByOther:
            outcomes.append("held")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(user,)) for user in (screener, other_screener)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    connection.close()
    assert sorted(outcomes) == ["held", "won"]
    assert CaseClaim.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CLAIMED).count() == 1


# --- Access ----------------------------------------------------------------------------------------


def test_a_screener_and_a_senior_screener_see_the_queue(screener_client, reference_data):
    assert screener_client.get(QUEUE).status_code == 200
    senior = staff_user("senior.justis", Role.SENIOR_SCREENER)
    assert login_with_second_factor(Client(), senior).get(QUEUE).status_code == 200


def test_others_are_refused(clerk_client, intake_officer, citizen, screener):
    application = in_review(5, **NOT_LEGAL)
    anonymous = Client().get(QUEUE)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/medewerkers/inloggen/")
    assert clerk_client.get(QUEUE).status_code == 403
    assert clerk_client.post(f"{QUEUE}zaken/{application.reference}/oppakken/").status_code == 403
    assert login_with_second_factor(Client(), intake_officer).get(QUEUE).status_code == 403
    citizen_client = Client()
    citizen_client.force_login(citizen)
    refused = citizen_client.get(QUEUE)
    assert refused.status_code == 302
    assert refused.url.startswith("/medewerkers/inloggen/")
    # A screener who has not given the authenticator code in this session goes back to the login.
    password_only = Client()
    password_only.force_login(screener)
    assert password_only.post(f"{QUEUE}zaken/{application.reference}/oppakken/").status_code == 302
    assert not CaseClaim.objects.exists()


def test_a_screener_starts_at_the_queue(screener):
    assert staff_start_page(screener) == QUEUE
