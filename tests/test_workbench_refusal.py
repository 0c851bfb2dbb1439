"""The intention to refuse (voornemen tot weigering) from the case screen: the letter, the view period."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from applications.lifecycle import Status
from applications.models import Application
from justis.models import AuditAction, AuditEvent
from notifications.models import Letter, LetterKind, OutboxMessage
from screening.models import CaseClaim, Certificate, ScreenerAssessment
from screening.services import assessment_run
from screening.workbench.services import (
    CaseAlreadyIntendedToRefuse,
    CaseNotHeld,
    InvalidAssessment,
    case_claim,
    case_intend_refusal,
)
from screening.zienswijzen import zienswijze_deadline
from tests.factories import theft_a_year_ago, with_theft
from tests.portal import login_with_digid
from tests.portal import received_for_jan as portal_received_for_jan
from tests.staff import login_with_second_factor
from tests.test_workbench_case import MOTIVATION, case_url, other_screener, vog_rp  # noqa: F401

pytestmark = pytest.mark.django_db

REASONS = "U bent in het afgelopen jaar veroordeeld voor diefstal. Dat past niet bij werk met geld van anderen."


def refuse_url(application) -> str:
    return f"/beoordeling/zaken/{application.reference}/voornemen-weigering/"


def refuse_data(**changes) -> dict:
    return {"record_0": "yes", "motivation": MOTIVATION, "reasons": REASONS, **changes}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def jan_in_review(org_user):
    """Jan's own application (he logged in with DigiD), with a theft of a year ago: in review.

    Built with a browser of its own: the ``client`` of the tests is the screener's.
    """
    received_for_jan = portal_received_for_jan.__wrapped__(Client(), org_user)
    theft_a_year_ago("999990019")
    assert assessment_run(application_id=received_for_jan.pk) == "in_review"
    return Application.objects.get(pk=received_for_jan.pk)


# --- The happy path -------------------------------------------------------------------------------


def test_the_holder_sends_the_intention_letter_outbox_audit_and_claim(
    screener, screener_client, jan_in_review, settings
):
    application = jan_in_review
    case_claim(application=application, user=screener)
    html = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'formaction="{refuse_url(application)}"' in html
    assert "Send the intention to refuse" in html
    assert "not yet available" not in html

    response = screener_client.post(refuse_url(application), refuse_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/beoordeling/"
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE
    assert application.decided_at is None
    assert not Certificate.objects.filter(application=application).exists()
    assert not CaseClaim.objects.filter(application=application).exists()
    assessment = ScreenerAssessment.objects.get(application=application)
    assert (assessment.screener, assessment.outcome_proposal) == (screener, "refuse")
    assert assessment.objective == [{"record": 0, "offence_article": "310 Sr", "hinders": True}]
    change = application.status_changes.get(to_status=Status.INTENT_TO_REFUSE)
    assert (change.from_status, change.actor_id) == (Status.IN_REVIEW, str(screener.pk))
    assert REASONS in change.reason
    assert OutboxMessage.objects.filter(application=application, event="intent_to_refuse").count() == 1

    letter = Letter.objects.get(application=application)
    assert letter.kind == LetterKind.INTENTION_TO_REFUSE
    with letter.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    deadline = zienswijze_deadline(application)
    assert deadline == timezone.localdate() + timedelta(days=settings.ZIENSWIJZE_PERIOD_DAYS)
    assert messages_of(response) == [
        f"The intention to refuse for case {application.reference} has been sent. The applicant may give a view "
        f"until {deadline.day} {deadline:%B} {deadline.year}."
    ]
    actions = set(
        AuditEvent.objects.filter(subject_id=application.reference, actor_id=str(screener.pk)).values_list(
            "action", flat=True
        )
    )
    assert {AuditAction.CASE_ASSESSED, AuditAction.STATUS_CHANGED, AuditAction.CASE_RELEASED} <= actions
    released = AuditEvent.objects.get(subject_id=application.reference, action=AuditAction.CASE_RELEASED)
    assert released.data == {"letter": letter.pk, "kind": "intention_to_refuse"}


def test_the_letter_holds_the_reasons_and_the_last_day_for_a_view_in_dutch_and_english(screener, jan_in_review):
    from screening.pdf import intention_to_refuse_html

    case_claim(application=jan_in_review, user=screener)
    application = case_intend_refusal(
        application=jan_in_review, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
    )
    deadline = zienswijze_deadline(application)
    html = intention_to_refuse_html(
        application=application, reasons=REASONS, deadline=deadline, sent_on=timezone.localdate()
    )
    assert html.count(REASONS) == 2  # Dutch, then English below
    assert "Voornemen tot weigering" in html
    assert "Intention to refuse" in html
    assert "Jan Jansen" in html
    assert application.reference in html
    assert f"{deadline.day} {deadline:%B} {deadline.year}" in html  # English date
    assert "MijnJustis" in html
    assert "Postbus" in html


def test_the_applicant_sees_the_letter_and_can_give_a_view_in_mijnjustis(screener, jan_in_review, settings):
    case_claim(application=jan_in_review, user=screener)
    case_intend_refusal(
        application=jan_in_review, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
    )
    letter = Letter.objects.get(application=jan_in_review)
    jan = Client()
    login_with_digid(jan, "999990019")

    detail = jan.get(f"/mijnjustis/{jan_in_review.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    assert detail.status_code == 200
    html = detail.content.decode()
    letter_url = f"/mijnjustis/{jan_in_review.reference}/brieven/{letter.pk}.pdf"
    assert letter_url in html
    assert f"/mijnjustis/{jan_in_review.reference}/zienswijze/" in html
    assert detail.context["zienswijze_deadline"] == timezone.localdate() + timedelta(
        days=settings.ZIENSWIJZE_PERIOD_DAYS
    )
    download = jan.get(letter_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    form = jan.get(f"/mijnjustis/{jan_in_review.reference}/zienswijze/")
    assert form.status_code == 200


# --- Validation -----------------------------------------------------------------------------------


def test_a_refusal_needs_a_record_answered_yes(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(refuse_url(application), refuse_data(record_0="no"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "at least one record that would hinder the purpose" in response.context["form"].errors["record_0"][0]
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert not ScreenerAssessment.objects.exists()
    assert not Letter.objects.exists()
    with pytest.raises(InvalidAssessment) as raised:
        case_intend_refusal(
            application=application, screener=screener, objective={0: False}, motivation=MOTIVATION, reasons=REASONS
        )
    assert raised.value.field == "objective"
    assert not ScreenerAssessment.objects.exists()  # rolled back with the refusal


@pytest.mark.parametrize("reasons", ["", "   "])
def test_a_refusal_needs_the_reasons_for_the_applicant(screener, screener_client, reasons):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(refuse_url(application), refuse_data(reasons=reasons), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.context["form"].errors["reasons"] == [
        "Give the reasons for the applicant: they are printed in the letter."
    ]
    assert "Give the reasons for the applicant" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    with pytest.raises(InvalidAssessment) as raised:
        case_intend_refusal(
            application=application, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=reasons
        )
    assert raised.value.field == "reasons"


def test_the_reasons_are_limited_to_5000_characters(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(refuse_url(application), refuse_data(reasons="x" * 5001))
    assert response.status_code == 400
    assert "reasons" in response.context["form"].errors
    assert not Letter.objects.exists()


def test_a_grant_ignores_the_reasons_field(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    response = screener_client.post(
        f"/beoordeling/zaken/{application.reference}/afgeven/", refuse_data(record_0="no", reasons="")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ISSUED


# --- Who and how often ----------------------------------------------------------------------------


def test_a_screener_who_does_not_hold_the_case_cannot_refuse(screener, other_screener, client):  # noqa: F811
    application = with_theft()
    case_claim(application=application, user=other_screener)
    response = login_with_second_factor(client, screener).post(
        refuse_url(application), refuse_data(), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(application)
    assert messages_of(response) == [f"Take up case {application.reference} before you decide on it."]
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert not Letter.objects.exists()
    assert not ScreenerAssessment.objects.exists()
    with pytest.raises(CaseNotHeld):
        case_intend_refusal(
            application=application, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
        )


def test_a_double_submit_sends_one_letter(screener, screener_client):
    application = with_theft()
    case_claim(application=application, user=screener)
    screener_client.post(refuse_url(application), refuse_data())
    response = screener_client.post(refuse_url(application), refuse_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert Letter.objects.filter(application=application).count() == 1
    assert ScreenerAssessment.objects.filter(application=application).count() == 1
    assert OutboxMessage.objects.filter(application=application, event="intent_to_refuse").count() == 1
    already = f"The intention to refuse for case {application.reference} has already been sent."
    assert messages_of(response)[-1] == already
    with pytest.raises(CaseAlreadyIntendedToRefuse):
        case_intend_refusal(
            application=application, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
        )
    assert Letter.objects.filter(application=application).count() == 1


def test_an_intention_to_refuse_a_vog_rp_is_a_letter_to_the_company(screener, screener_client, vog_rp):  # noqa: F811
    from screening.pdf import intention_to_refuse_html

    case_claim(application=vog_rp, user=screener)
    html = screener_client.get(case_url(vog_rp), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/voornemen-weigering/" in html

    response = screener_client.post(
        refuse_url(vog_rp),
        {"record_0": "yes", "motivation": MOTIVATION, "reasons": REASONS},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    vog_rp.refresh_from_db()
    assert vog_rp.status == Status.INTENT_TO_REFUSE
    letter = Letter.objects.get(application=vog_rp)
    assert letter.kind == LetterKind.INTENTION_TO_REFUSE
    assert letter.pdf.read().startswith(b"%PDF")
    text = intention_to_refuse_html(
        application=vog_rp, reasons=REASONS, deadline=zienswijze_deadline(vog_rp), sent_on=timezone.localdate()
    )
    assert "Transport Noord B.V." in text
    assert "KvK-nummer: 87654321" in text
    assert "MijnJustis" not in text  # a company gives its view by letter or phone
