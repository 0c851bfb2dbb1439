"""The case screen of the work queue: the justice records with the pre-assessment, and the grant decision."""

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

import pytest

from applications.lifecycle import Status, application_transition
from applications.models import Application
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from notifications.models import OutboxMessage
from screening.catalogue import function_aspect_on
from screening.models import CaseClaim, Certificate, ScreenerAssessment
from screening.rules import age_on
from screening.services import assessment_run
from screening.workbench.services import (
    CaseAlreadyIssued,
    CaseNotHeld,
    InvalidAssessment,
    case_claim,
    case_grant,
)
from tests.factories import TEST_ACTOR, application_in, received_application, theft_a_year_ago, with_theft
from tests.staff import login_with_second_factor, staff_user
from tests.test_paper import DIRECTOR, post, rp_data

pytestmark = pytest.mark.django_db

MOTIVATION = "Eén diefstal drie jaar geleden, daarna geen contact met justitie; het belang weegt zwaarder."


def case_url(application) -> str:
    return f"/beoordeling/zaken/{application.reference}/"


def grant_url(application) -> str:
    return f"/beoordeling/zaken/{application.reference}/afgeven/"


@pytest.fixture
def other_screener(reference_data):
    return staff_user("screener.two", Role.SCREENER, first_name="Piet", last_name="Bakker")


@pytest.fixture
def vog_rp(intake_officer):
    """A VOG RP whose director (with a BSN) has a theft of a year ago: relevant, so in review."""
    theft_a_year_ago(DIRECTOR["bsn"])
    post(login_with_second_factor(Client(), intake_officer), "vog-rp", rp_data(DIRECTOR))
    application = Application.objects.get(type="VOG_RP")
    assert assessment_run(application_id=application.pk) == "in_review"
    application.refresh_from_db()
    return application


def grant_data(**changes) -> dict:
    return {"record_0": "no", "motivation": MOTIVATION, **changes}


# --- The screen ----------------------------------------------------------------------------------


def test_the_case_screen_shows_applicant_basis_dates_and_findings_in_dutch(screener_client):
    application = with_theft()
    response = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jan Jansen" in html
    assert "17-05-1990" in html
    assert f'data-age="{age_on(date(1990, 5, 17), application.application_date)}"' in html
    for code in ("84", "86"):  # the functieaspecten with their Dutch texts
        assert f"{code} – {function_aspect_on(code, application.application_date).text_nl}" in html
    assert application.decision_due_date.strftime("%d-%m-%Y") in html
    assert 'data-category="vermogen"' in html
    assert 'data-in-window="yes"' in html
    assert 'data-relevant="yes"' in html
    explanation = application.assessment.findings[0]["explanation"]
    assert explanation["nl"] in html
    assert explanation["en"] not in html


def test_the_findings_are_shown_in_english_on_an_english_page(screener_client):
    application = with_theft()
    html = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    explanation = application.assessment.findings[0]["explanation"]
    assert explanation["en"] in html
    assert explanation["nl"] not in html
    assert "Within the look-back period" in html
    assert f"86 – {function_aspect_on('86', application.application_date).text_en}" in html


def test_every_opening_of_the_case_screen_is_audited(screener, screener_client):
    application = with_theft()
    screener_client.get(case_url(application))
    screener_client.get(case_url(application))
    events = AuditEvent.objects.filter(action=AuditAction.CASE_OPENED, subject_id=application.reference)
    assert events.count() == 2
    assert {(event.actor_kind, event.actor_id) for event in events} == {("user", str(screener.pk))}
    assert events.first().data["records"] == 1


def test_cases_outside_review_are_not_found(screener_client):
    issued = application_in(Status.ISSUED, bsn="999990056")
    assessing = application_in(Status.IN_ASSESSMENT, bsn="999990044")
    assert screener_client.get(case_url(issued)).status_code == 404
    assert screener_client.get(case_url(assessing)).status_code == 404
    assert screener_client.get("/beoordeling/zaken/NP-0000-0000/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_OPENED).exists()


def test_a_case_on_hold_can_be_opened_but_not_decided(screener, screener_client):
    application = received_application(bsn="999990044")
    application_transition(application=application, to_status=Status.ON_HOLD, actor=TEST_ACTOR)
    case_claim(application=application, user=screener)
    response = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "no decision can be taken now" in html
    assert "/afgeven/" not in html


def test_the_queue_links_to_the_case_screen(screener_client):
    application = with_theft()
    html = screener_client.get("/beoordeling/").content.decode()
    assert f'href="{case_url(application)}"' in html


def test_a_free_case_offers_take_up_which_returns_to_the_case(screener, screener_client):
    application = with_theft()
    html = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-claim="free"' in html
    assert f'action="/beoordeling/zaken/{application.reference}/oppakken/"' in html
    assert "/afgeven/" not in html  # no decision before the case is taken up

    response = screener_client.post(f"/beoordeling/zaken/{application.reference}/oppakken/", {"back": "case"})
    assert response.status_code == 302
    assert response["Location"] == case_url(application)
    assert CaseClaim.objects.get(application=application).screener == screener
    html = screener_client.get(case_url(application)).content.decode()
    assert 'data-claim="mine"' in html
    assert f'action="{grant_url(application)}"' in html


def test_another_screener_sees_who_holds_the_case_but_cannot_decide(screener, other_screener, client):
    application = with_theft()
    case_claim(application=application, user=screener)
    other = login_with_second_factor(client, other_screener)
    html = other.get(case_url(application)).content.decode()
    assert 'data-claim="other"' in html
    assert "Sanne de Vries" in html
    assert "/afgeven/" not in html

    response = other.post(grant_url(application), grant_data())
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert not Certificate.objects.exists()
    assert not ScreenerAssessment.objects.exists()
    with pytest.raises(CaseNotHeld):
        case_grant(application=application, screener=other_screener, motivation=MOTIVATION, objective={0: False})


def test_clerks_and_citizens_are_refused(clerk_client, citizen):
    application = with_theft()
    assert clerk_client.get(case_url(application)).status_code == 403
    assert clerk_client.post(grant_url(application), grant_data()).status_code == 403
    client = Client()
    client.force_login(citizen)
    assert client.get(case_url(application)).status_code in (302, 403)
    assert client.post(grant_url(application), grant_data()).status_code in (302, 403)
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_OPENED).exists()


# --- The assessment ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("motivation", "message"),
    [
        ("", "This field is required."),
        ("too short", "Ensure this value has at least 20 characters (it has 9)."),
        ("x" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
    ],
)
def test_the_motivation_is_required_and_limited(screener, screener_client, motivation, message):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(
        grant_url(application), grant_data(motivation=motivation), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert not ScreenerAssessment.objects.exists()


def test_the_objective_criterion_must_be_answered_for_each_relevant_record(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(grant_url(application), {"motivation": MOTIVATION}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with pytest.raises(InvalidAssessment) as raised:
        case_grant(application=application, screener=screener, motivation=MOTIVATION, objective={})
    assert raised.value.field == "objective"
    assert not ScreenerAssessment.objects.exists()


def test_the_motivation_dutch_message_on_a_dutch_page(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(grant_url(application), grant_data(motivation=""), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert 'href="#id_motivation"' in response.content.decode()  # the summary links to the field
    assert "Dit veld is vereist." in response.content.decode()


# --- The grant ------------------------------------------------------------------------------------


def test_the_holder_grants_status_certificate_claim_outbox_and_audit(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(grant_url(application), grant_data(record_0="yes"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/beoordeling/"
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    assert application.decided_at is not None
    assert Certificate.objects.filter(application=application).count() == 1
    assert not CaseClaim.objects.filter(application=application).exists()
    assessment = ScreenerAssessment.objects.get(application=application)
    assert (assessment.screener, assessment.outcome_proposal, assessment.motivation) == (screener, "grant", MOTIVATION)
    assert assessment.objective == [{"record": 0, "offence_article": "310 Sr", "hinders": True}]
    change = application.status_changes.get(to_status=Status.ISSUED)
    assert (change.from_status, change.actor_id) == (Status.IN_REVIEW, str(screener.pk))
    assert "Eén diefstal drie jaar geleden" in change.reason
    assert OutboxMessage.objects.filter(application=application, event="decision_issued", channel="email").count() == 1
    actions = set(
        AuditEvent.objects.filter(subject_id=application.reference, actor_id=str(screener.pk)).values_list(
            "action", flat=True
        )
    )
    assert {AuditAction.CASE_ASSESSED, AuditAction.STATUS_CHANGED, AuditAction.CASE_RELEASED} <= actions
    assert AuditEvent.objects.filter(subject_id=application.reference, action=AuditAction.CERTIFICATE_CREATED).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"The certificate for case {application.reference} has been issued."]


def test_a_double_submit_issues_one_certificate(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    screener_client.post(grant_url(application), grant_data())
    response = screener_client.post(grant_url(application), grant_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert Certificate.objects.filter(application=application).count() == 1
    assert ScreenerAssessment.objects.filter(application=application).count() == 1
    assert OutboxMessage.objects.filter(application=application, event="decision_issued", channel="email").count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == f"The certificate for case {application.reference} has already been issued."
    with pytest.raises(CaseAlreadyIssued):
        case_grant(application=application, screener=screener, motivation=MOTIVATION, objective={0: False})


def test_a_lapsed_claim_does_not_allow_a_decision(screener, settings):
    application = with_theft()
    case_claim(application=application, user=screener)
    CaseClaim.objects.filter(application=application).update(
        claimed_at=timezone.now() - timedelta(hours=settings.CASE_CLAIM_HOURS + 1)
    )
    with pytest.raises(CaseNotHeld):
        case_grant(application=application, screener=screener, motivation=MOTIVATION, objective={0: False})
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_a_vog_rp_is_shown_with_its_company_and_granted_from_the_case_screen(screener, screener_client, vog_rp):
    case_claim(application=vog_rp, user=screener)
    html = screener_client.get(case_url(vog_rp), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-legal-entity="87654321"' in html
    person = vog_rp.key_persons.get()
    assert f'data-subject="key_person-{person.pk}"' in html
    assert f'action="{grant_url(vog_rp)}"' in html

    response = screener_client.post(grant_url(vog_rp), grant_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        f"The certificate for case {vog_rp.reference} has been issued."
    ]
    vog_rp.refresh_from_db()
    assert vog_rp.status == Status.ISSUED
    certificate = Certificate.objects.get(application=vog_rp)
    assert certificate.printed["legal_entity"]["kvk_number"] == "87654321"
    assert certificate.valid_until is None
    assert ScreenerAssessment.objects.get(application=vog_rp).objective == [
        {"record": 0, "offence_article": "310 Sr", "hinders": False}
    ]
