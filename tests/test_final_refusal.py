"""After the intention to refuse: views registered by letter or phone, the proposal to refuse, and its
approval by a second, senior screener (four eyes) with the decision letter."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

import pytest

from applications.lifecycle import Status
from applications.models import StatusChange
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from notifications.models import Letter, LetterKind
from screening.models import CaseClaim, Certificate, RefusalProposal, RefusalProposalState, Zienswijze
from screening.pdf import refusal_decision_html
from screening.workbench.refusals import (
    FourEyesRequired,
    NoPendingRefusal,
    RefusalNotPossible,
    ViewPeriodRunning,
    refusal_approve,
    refusal_propose,
    refusal_send_back,
)
from screening.workbench.selectors import work_queue
from screening.workbench.services import (
    CaseNotHeld,
    InvalidAssessment,
    RefusalAlreadyProposed,
    case_claim,
    case_grant,
    case_intend_refusal,
    intention_reasons,
)
from screening.zienswijzen import ZienswijzeError, zienswijze_deadline, zienswijze_register
from tests.factories import with_theft
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

MOTIVATION = "De diefstal is recent en raakt direct aan het omgaan met geld en goederen van anderen."
REASONS = "U bent in het afgelopen jaar veroordeeld voor diefstal. Dat past niet bij dit werk."
FINAL_REASONS = "U bent vorig jaar veroordeeld voor diefstal. Uw zienswijze neemt het risico niet weg."


@pytest.fixture
def senior(reference_data):
    return staff_user("senior.justis", Role.SENIOR_SCREENER, first_name="Marieke", last_name="Bos")


@pytest.fixture
def other_senior(reference_data):
    return staff_user("senior2.justis", Role.SENIOR_SCREENER)


def intended(screener, bsn="999990032"):
    """A VOG NP with a theft of a year ago for which ``screener`` sent the intention to refuse today."""
    application = with_theft(bsn)
    case_claim(application=application, user=screener)
    return case_intend_refusal(
        application=application, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
    )


def period_ended(application, days_ago: int = 15):
    """Move the sending of the intention ``days_ago`` days back, so its view period has ended."""
    StatusChange.objects.filter(application=application, to_status=Status.INTENT_TO_REFUSE).update(
        at=timezone.now() - timedelta(days=days_ago)
    )
    return application


def proposed(screener, bsn="999990032"):
    application = period_ended(intended(screener, bsn))
    case_claim(application=application, user=screener)
    refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)
    return application


# --- Views registered by a screener ------------------------------------------------------------------


def test_a_phone_view_is_registered_with_audit_and_outbox(screener):
    application = intended(screener)
    case_claim(application=application, user=screener)
    yesterday = timezone.localdate() - timedelta(days=1)
    StatusChange.objects.filter(application=application, to_status=Status.INTENT_TO_REFUSE).update(
        at=timezone.now() - timedelta(days=3)
    )

    view = zienswijze_register(
        application=application, screener=screener, channel="phone", text="  Ik was toen 19.  ", received_on=yesterday
    )

    assert (view.channel, view.text, view.submitted_by) == ("phone", "Ik was toen 19.", screener)
    assert timezone.localdate(view.submitted_at) == yesterday
    entry = AuditEvent.objects.get(action=AuditAction.ZIENSWIJZE_RECEIVED, subject_id=application.reference)
    assert entry.actor_id == str(screener.pk) or entry.actor_label
    assert entry.data["channel"] == "phone"
    assert entry.data["after_period"] is False
    assert application.outbox_messages.filter(event="zienswijze_received").count() == 1


@pytest.mark.parametrize(
    ("channel", "text", "days", "message"),
    [
        ("digital", "tekst", 0, "by letter or by phone"),
        ("letter", "   ", 0, "Write down the view"),
        ("letter", "tekst", -1, "between the date of the intention"),
        ("letter", "tekst", 2, "between the date of the intention"),
    ],
)
def test_a_registered_view_is_refused_with_the_reason(screener, channel, text, days, message):
    application = intended(screener)
    with translation.override("en"), pytest.raises(ZienswijzeError, match=message):
        zienswijze_register(
            application=application,
            screener=screener,
            channel=channel,
            text=text,
            received_on=timezone.localdate() - timedelta(days=days),
        )
    assert not Zienswijze.objects.filter(application=application).exists()


def test_a_view_after_the_period_is_still_registered_and_marked_late(screener):
    application = period_ended(intended(screener), days_ago=20)
    view = zienswijze_register(
        application=application, screener=screener, channel="letter", text="Te laat, maar lees het.",
        received_on=timezone.localdate(),
    )  # fmt: skip
    assert view.pk
    assert AuditEvent.objects.get(action=AuditAction.ZIENSWIJZE_RECEIVED).data["after_period"] is True


def test_no_view_can_be_registered_on_a_case_still_in_review(screener):
    application = with_theft()
    with translation.override("en"), pytest.raises(ZienswijzeError, match="intention to refuse is pending"):
        zienswijze_register(
            application=application, screener=screener, channel="letter", text="x", received_on=timezone.localdate()
        )


# --- Proposing the refusal ----------------------------------------------------------------------------


def test_no_refusal_is_proposed_while_the_view_period_runs(screener):
    application = intended(screener)
    case_claim(application=application, user=screener)
    with pytest.raises(ViewPeriodRunning) as running:
        refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)
    assert running.value.deadline == zienswijze_deadline(application)
    assert not RefusalProposal.objects.exists()


def test_the_period_boundary_last_day_is_still_open(screener, settings):
    application = intended(screener)
    case_claim(application=application, user=screener)
    period_ended(application, days_ago=settings.ZIENSWIJZE_PERIOD_DAYS)
    with pytest.raises(ViewPeriodRunning):
        refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)
    period_ended(application, days_ago=settings.ZIENSWIJZE_PERIOD_DAYS + 1)
    assert refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)


def test_proposing_needs_the_claim_and_releases_it(screener):
    application = period_ended(intended(screener))
    with pytest.raises(CaseNotHeld):
        refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)
    case_claim(application=application, user=screener)

    proposal = refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)

    assert proposal.state == RefusalProposalState.PENDING
    assert not CaseClaim.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE
    assert AuditEvent.objects.filter(action=AuditAction.REFUSAL_PROPOSED, subject_id=application.reference).count() == 1
    # A second submit proposes nothing twice.
    case_claim(application=application, user=screener)
    with pytest.raises(RefusalAlreadyProposed):
        refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)
    assert RefusalProposal.objects.filter(application=application).count() == 1


@pytest.mark.parametrize(
    ("motivation", "reasons", "field"), [("kort", FINAL_REASONS, "motivation"), (MOTIVATION, " ", "reasons")]
)
def test_a_proposal_needs_motivation_and_reasons(screener, motivation, reasons, field):
    application = period_ended(intended(screener))
    case_claim(application=application, user=screener)
    with pytest.raises(InvalidAssessment) as invalid:
        refusal_propose(application=application, screener=screener, motivation=motivation, reasons=reasons)
    assert invalid.value.field == field


def test_no_grant_while_a_refusal_awaits_approval(screener):
    application = proposed(screener)
    case_claim(application=application, user=screener)
    with pytest.raises(RefusalAlreadyProposed):
        case_grant(application=application, screener=screener, motivation=MOTIVATION, objective={0: False})
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE


def test_a_view_can_still_lead_to_the_certificate(screener):
    application = intended(screener)
    case_claim(application=application, user=screener)
    issued = case_grant(
        application=application, screener=screener, motivation=MOTIVATION + " De zienswijze overtuigt.",
        objective={0: False},
    )  # fmt: skip
    assert issued.status == Status.ISSUED
    assert Certificate.objects.filter(application=application).exists()


# --- Four eyes ----------------------------------------------------------------------------------------


def test_the_proposer_and_a_plain_screener_cannot_approve(screener, senior):
    application = proposed(screener)
    plain = staff_user("screener2.justis", Role.SCREENER)
    for reviewer in (screener, plain):
        with pytest.raises(FourEyesRequired):
            refusal_approve(application=application, reviewer=reviewer)
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE


def test_a_senior_cannot_approve_their_own_proposal(senior, other_senior):
    application = proposed(senior)
    with pytest.raises(FourEyesRequired):
        refusal_approve(application=application, reviewer=senior)
    assert refusal_approve(application=application, reviewer=other_senior).status == Status.REFUSED


def test_the_database_refuses_a_review_by_the_proposer(screener):
    application = proposed(screener)
    proposal = RefusalProposal.objects.get(application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        RefusalProposal.objects.filter(pk=proposal.pk).update(
            state="approved", reviewed_by=screener, reviewed_at=timezone.now()
        )


def test_a_senior_approves_the_refusal_with_the_decision_letter(screener, senior):
    application = proposed(screener)
    zienswijze_register(
        application=application, screener=screener, channel="letter", text="Ik heb spijt.",
        received_on=timezone.localdate(),
    )  # fmt: skip

    refused = refusal_approve(application=application, reviewer=senior, note="Akkoord.")

    assert refused.status == Status.REFUSED
    assert refused.decided_at is not None
    proposal = RefusalProposal.objects.get(application=application)
    assert (proposal.state, proposal.reviewed_by, proposal.review_note) == ("approved", senior, "Akkoord.")
    change = StatusChange.objects.get(application=application, to_status=Status.REFUSED)
    assert change.actor_id == str(senior.pk) or senior.get_username() in change.reason
    assert "screener.justis" in change.reason
    assert "senior.justis" in change.reason
    letter = Letter.objects.get(application=application, kind=LetterKind.DECISION)
    assert letter.pdf.read(4) == b"%PDF"
    assert AuditEvent.objects.filter(action=AuditAction.REFUSAL_APPROVED, subject_id=application.reference).exists()
    assert application.outbox_messages.filter(event="decision_refused", channel="email").count() == 1
    assert not Certificate.objects.filter(application=application).exists()
    # A second approval finds nothing pending.
    with pytest.raises(NoPendingRefusal):
        refusal_approve(application=application, reviewer=senior)


def test_the_decision_letter_gives_reasons_views_and_the_objection_period(screener, settings):
    application = proposed(screener)
    view = zienswijze_register(
        application=application, screener=screener, channel="phone", text="x", received_on=timezone.localdate()
    )
    decided_on = timezone.localdate()
    html = refusal_decision_html(application=application, reasons=FINAL_REASONS, views=[view], decided_on=decided_on)
    until = decided_on + timedelta(weeks=settings.OBJECTION_PERIOD_WEEKS)
    assert FINAL_REASONS in html
    assert "telefonisch" in html
    assert "by phone" in html
    assert f"{until.day} " in html
    assert str(until.year) in html
    assert "bezwaar maken" in html
    assert "object" in html
    assert application.reference in html


def test_a_sent_back_proposal_returns_the_case_to_the_queue(screener, senior):
    application = proposed(screener)
    with pytest.raises(InvalidAssessment):
        refusal_send_back(application=application, reviewer=senior, note="nee")

    refusal_send_back(application=application, reviewer=senior, note="Weeg de zienswijze zwaarder mee, graag.")

    proposal = RefusalProposal.objects.get(application=application)
    assert proposal.state == RefusalProposalState.REJECTED
    assert proposal.reviewed_by == senior
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE
    with pytest.raises(NoPendingRefusal):
        refusal_approve(application=application, reviewer=senior)
    # The screener can propose again (or grant).
    case_claim(application=application, user=screener)
    refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)
    assert RefusalProposal.objects.filter(application=application, state="pending").count() == 1


def test_no_refusal_on_a_case_not_in_intent_to_refuse(screener):
    application = with_theft()
    case_claim(application=application, user=screener)
    with pytest.raises(RefusalNotPossible):
        refusal_propose(application=application, screener=screener, motivation=MOTIVATION, reasons=FINAL_REASONS)


def test_intention_reasons_are_read_back(screener):
    assert intention_reasons(intended(screener)) == REASONS


# --- The queue and the screens ------------------------------------------------------------------------


def test_the_queue_shows_the_stage_and_filters_refusals_awaiting_approval(screener, senior, screener_client):
    waiting = intended(screener)
    pending = proposed(screener, bsn="999990019")
    rows = {application.reference: application for application in work_queue(user=senior)}
    assert rows[waiting.reference].pending_refusal is False
    assert rows[pending.reference].pending_refusal is True
    assert [a.reference for a in work_queue(user=senior, awaiting_approval=True)] == [pending.reference]

    html = screener_client.get("/beoordeling/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    deadline = zienswijze_deadline(waiting)
    assert f"View period until {deadline:%d-%m-%Y}" in html
    assert "Refusal awaits a second screener" in html
    html = screener_client.get("/beoordeling/?awaiting_approval=on", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert pending.reference in html
    assert waiting.reference not in html


def case_url(application, action: str = "") -> str:
    return f"/beoordeling/zaken/{application.reference}/{action}"


def test_the_case_screen_after_the_period_offers_the_proposal(screener, screener_client):
    application = period_ended(intended(screener))
    case_claim(application=application, user=screener)
    html = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-view-period="ended"' in html
    assert "data-propose-refusal" in html
    assert "data-register-view" in html
    assert "data-grant" in html
    assert REASONS in html  # the reasons of the intention, prefilled
    assert "Reasons for the applicant (only for an intention to refuse)" not in html

    response = screener_client.post(
        case_url(application, "weigering-voorstellen/"), {"motivation": MOTIVATION, "reasons": FINAL_REASONS}
    )
    assert response.status_code == 302
    assert RefusalProposal.objects.get(application=application).reasons == FINAL_REASONS


def test_the_case_screen_during_the_period_offers_no_proposal(screener, screener_client):
    application = intended(screener)
    case_claim(application=application, user=screener)
    html = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-view-period="open"' in html
    assert "data-propose-refusal" not in html
    assert "data-refusal-after" in html
    response = screener_client.post(
        case_url(application, "weigering-voorstellen/"),
        {"motivation": MOTIVATION, "reasons": FINAL_REASONS},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert "may give a view until" in " ".join(str(m) for m in response.wsgi_request._messages)
    assert not RefusalProposal.objects.exists()


def test_registering_a_view_through_the_screen_shows_field_errors(screener, screener_client):
    application = intended(screener)
    case_claim(application=application, user=screener)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = screener_client.post(
        case_url(application, "zienswijze/"),
        {"channel": "letter", "received_on": tomorrow.strftime("%d-%m-%Y"), "text": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be in the future" in html
    assert "This field is required" in html
    response = screener_client.post(
        case_url(application, "zienswijze/"),
        {"channel": "letter", "received_on": timezone.localdate().strftime("%d-%m-%Y"), "text": "Mijn brief."},
    )
    assert response.status_code == 302
    assert Zienswijze.objects.get(application=application).channel == "letter"


def test_a_view_cannot_be_registered_without_the_claim(screener, screener_client):
    application = intended(screener)
    response = screener_client.post(
        case_url(application, "zienswijze/"),
        {"channel": "letter", "received_on": timezone.localdate().strftime("%d-%m-%Y"), "text": "Mijn brief."},
    )
    assert response.status_code == 302
    assert not Zienswijze.objects.exists()


def test_the_senior_approves_through_the_screen_the_proposer_sees_no_buttons(screener, screener_client, senior, client):
    application = proposed(screener)
    html = screener_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-awaiting-review" in html
    assert "data-send-back" not in html
    response = screener_client.post(case_url(application, "weigering-akkoord/"), {"note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE

    senior_client = login_with_second_factor(client.__class__(), senior)
    html = senior_client.get(case_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-send-back" in html
    assert FINAL_REASONS in html
    response = senior_client.post(case_url(application, "weigering-akkoord/"), {"note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REFUSED
    assert Letter.objects.filter(application=application, kind=LetterKind.DECISION).count() == 1


def test_neither_the_proposer_nor_the_approver_decides_the_objection(screener, senior, other_senior):
    from screening.objections import ObjectionFourEyes, objection_decide, objection_register

    application = proposed(screener)
    refusal_approve(application=application, reviewer=senior)
    objection, _created = objection_register(
        application=application,
        registered_by=other_senior,
        channel="letter",
        received_on=timezone.localdate(),
        grounds="Ik ben het niet eens met de weigering.",
    )
    for refuser in (screener, senior):
        with pytest.raises(ObjectionFourEyes):
            objection_decide(objection=objection, screener=refuser, outcome="upheld", motivation="Gegrond.")
    decided = objection_decide(objection=objection, screener=other_senior, outcome="upheld", motivation="Gegrond.")
    assert decided.outcome == "upheld"
    application.refresh_from_db()
    assert application.status == Status.ISSUED
