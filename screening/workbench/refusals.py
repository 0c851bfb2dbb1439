"""The final refusal with four eyes: a screener proposes it after the view period, a senior screener
other than the proposer approves it (or sends it back).

Proposing is done by the screener who holds the case, once the view period has ended: every view
given in time has then been read. The proposal releases the case; while it is pending nobody else
decides the case. Approving moves ``intent_to_refuse → refused`` and writes the decision letter
(Dutch, then English: the reasons, the views read, the right to object) in one transaction. Sending
it back keeps the case in ``intent_to_refuse``, free to be taken up again.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications.lifecycle import Status, application_transition
from justis.audit import Actor, audit_record
from justis.models import AuditAction
from justis.roles import Role, user_has_role
from notifications.models import Letter, LetterKind

from ..models import (
    REFUSAL_TEXT_MAX_LENGTH,
    SCREENER_MOTIVATION_MAX_LENGTH,
    SCREENER_MOTIVATION_MIN_LENGTH,
    CaseClaim,
    RefusalProposal,
    RefusalProposalState,
)
from ..zienswijzen import zienswijze_deadline, zienswijzen_for_application
from .selectors import claim_is_current
from .services import CaseNotHeld, InvalidAssessment, RefusalAlreadyProposed, _locked, _release_decided, _summary


class RefusalNotPossible(Exception):
    """The case is not (or no longer) waiting for a final decision after an intention to refuse."""

    def __init__(self, reference: str, status: str):
        self.reference, self.status = reference, status
        super().__init__(f"{reference} is {status}: no refusal can be proposed or approved")


class ViewPeriodRunning(Exception):
    """The view period has not ended yet: the applicant may still give a view."""

    def __init__(self, reference: str, deadline):
        self.reference, self.deadline = reference, deadline
        super().__init__(f"{reference}: the view period runs until {deadline}")


class NoPendingRefusal(Exception):
    """There is no proposal to refuse this case waiting for a second screener (decided already?)."""


class FourEyesRequired(Exception):
    """The reviewer is the proposer, or is not a senior screener."""


def pending_refusal(application) -> RefusalProposal | None:
    return (
        RefusalProposal.objects.select_related("proposed_by")
        .filter(application=application, state=RefusalProposalState.PENDING)
        .first()
    )


def may_review(user, proposal: RefusalProposal) -> bool:
    """Four eyes: a senior screener who did not propose it."""
    return proposal.proposed_by_id != user.pk and user_has_role(user, Role.SENIOR_SCREENER)


def _checked_texts(motivation: str, reasons: str) -> tuple[str, str]:
    motivation, reasons = (motivation or "").strip(), (reasons or "").strip()
    if len(motivation) < SCREENER_MOTIVATION_MIN_LENGTH:
        raise InvalidAssessment("motivation", "the motivation is missing or too short")
    if len(motivation) > SCREENER_MOTIVATION_MAX_LENGTH:
        raise InvalidAssessment("motivation", "the motivation is too long")
    if not reasons:
        raise InvalidAssessment("reasons", "the reasons for the applicant are missing")
    if len(reasons) > REFUSAL_TEXT_MAX_LENGTH:
        raise InvalidAssessment("reasons", "the reasons for the applicant are too long")
    return motivation, reasons


def refusal_propose(*, application, screener, motivation: str, reasons: str) -> RefusalProposal:
    """Propose the final refusal of a case in ``intent_to_refuse`` that ``screener`` holds.

    Raises InvalidAssessment, RefusalNotPossible, CaseNotHeld, ViewPeriodRunning or
    RefusalAlreadyProposed (a second submit: nothing is proposed twice).
    """
    motivation, reasons = _checked_texts(motivation, reasons)
    with transaction.atomic():
        current = _locked(application)
        if current.status != Status.INTENT_TO_REFUSE:
            raise RefusalNotPossible(current.reference, current.status)
        if pending_refusal(current) is not None:
            raise RefusalAlreadyProposed(current.reference)
        claim = CaseClaim.objects.filter(application=current).first()
        if claim is None or claim.screener_id != screener.pk or not claim_is_current(claim):
            raise CaseNotHeld(current.reference)
        deadline = zienswijze_deadline(current)
        if deadline is not None and timezone.localdate() <= deadline:
            raise ViewPeriodRunning(current.reference, deadline)
        proposal = RefusalProposal.objects.create(
            application=current, proposed_by=screener, motivation=motivation, reasons=reasons
        )
        audit_record(
            actor=Actor.user(screener),
            action=AuditAction.REFUSAL_PROPOSED,
            subject_type="application",
            subject_id=current.reference,
            reason=_summary(motivation),
            data={"proposal": proposal.pk, "views": zienswijzen_for_application(current).count()},
        )
        _release_decided(
            claim,
            application=current,
            screener=screener,
            reason="refusal proposed: waits for a second screener",
            data={"proposal": proposal.pk},
        )
    return proposal


def _pending_for_review(application, reviewer):
    current = _locked(application)
    proposal = (
        RefusalProposal.objects.select_for_update()
        .filter(application=current, state=RefusalProposalState.PENDING)
        .first()
    )
    if proposal is None:
        raise NoPendingRefusal(current.reference)
    if not may_review(reviewer, proposal):
        raise FourEyesRequired(current.reference)
    if current.status != Status.INTENT_TO_REFUSE:  # pragma: no cover - a pending proposal keeps the status
        raise RefusalNotPossible(current.reference, current.status)
    return current, proposal


def refusal_approve(*, application, reviewer, note: str = ""):
    """Approve the pending proposal: the certificate is refused and the decision letter is written.

    Raises NoPendingRefusal (also for a second submit) or FourEyesRequired. Returns the refused application.
    """
    from ..pdf import refusal_decision_pdf

    note = (note or "").strip()[:SCREENER_MOTIVATION_MAX_LENGTH]
    with transaction.atomic():
        current, proposal = _pending_for_review(application, reviewer)
        now = timezone.now()
        RefusalProposal.objects.filter(pk=proposal.pk).update(
            state=RefusalProposalState.APPROVED, reviewed_by=reviewer, reviewed_at=now, review_note=note
        )
        refused = application_transition(
            application=current,
            to_status=Status.REFUSED,
            actor=Actor.user(reviewer),
            reason=(
                f"refusal proposed by {proposal.proposed_by.get_username()} and approved by "
                f"{reviewer.get_username()}: {_summary(proposal.motivation)}"
            ),
        )
        audit_record(
            actor=Actor.user(reviewer),
            action=AuditAction.REFUSAL_APPROVED,
            subject_type="application",
            subject_id=refused.reference,
            reason=_summary(note) if note else "",
            data={"proposal": proposal.pk, "proposed_by": proposal.proposed_by.get_username()},
        )
        letter = Letter(application=refused, kind=LetterKind.DECISION)
        content = refusal_decision_pdf(
            application=refused,
            reasons=proposal.reasons,
            views=list(zienswijzen_for_application(refused)),
            decided_on=timezone.localdate(now),
        )
        letter.pdf.save(f"{refused.reference}-besluit.pdf", ContentFile(content), save=False)
        try:
            letter.save()
            CaseClaim.objects.filter(application=refused).delete()
        except BaseException:
            letter.pdf.storage.delete(letter.pdf.name)
            raise
    return refused


def refusal_send_back(*, application, reviewer, note: str) -> RefusalProposal:
    """Send the pending proposal back with a note; the case waits in the queue again.

    Raises InvalidAssessment (no note), NoPendingRefusal or FourEyesRequired.
    """
    note = (note or "").strip()
    if len(note) < SCREENER_MOTIVATION_MIN_LENGTH:
        raise InvalidAssessment("note", "say why the proposal is sent back")
    if len(note) > SCREENER_MOTIVATION_MAX_LENGTH:
        raise InvalidAssessment("note", "the note is too long")
    with transaction.atomic():
        current, proposal = _pending_for_review(application, reviewer)
        proposal.state = RefusalProposalState.REJECTED
        proposal.reviewed_by, proposal.reviewed_at, proposal.review_note = reviewer, timezone.now(), note
        proposal.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        audit_record(
            actor=Actor.user(reviewer),
            action=AuditAction.REFUSAL_SENT_BACK,
            subject_type="application",
            subject_id=current.reference,
            reason=_summary(note),
            data={"proposal": proposal.pk, "proposed_by": proposal.proposed_by.get_username()},
        )
    return proposal
