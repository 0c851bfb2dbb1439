"""Taking up (claiming) and releasing a case of the screeners' work queue; opening and deciding it.

Both lock the application row (SELECT … FOR UPDATE) before they look at its claim, so two screeners
who press "take up" at the same moment are served one after the other: the first gets the case, the
second is told who has it. Every claim and release is written to the audit trail in the same
transaction.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications.lifecycle import Status, application_transition
from applications.models import Application, ApplicationType
from justis.audit import Actor, audit_record
from justis.models import AuditAction
from notifications.models import Letter, LetterKind

from ..models import (
    SCREENER_MOTIVATION_MAX_LENGTH,
    SCREENER_MOTIVATION_MIN_LENGTH,
    CaseClaim,
    RefusalProposal,
    RefusalProposalState,
    ScreenerAssessment,
    ScreenerProposal,
)
from ..services import certificate_create
from .selectors import QUEUE_STATUSES, claim_is_current


class CaseNotInQueue(Exception):
    """The application no longer waits for a screener (decided, withdrawn, moved on)."""

    def __init__(self, reference: str):
        self.reference = reference
        super().__init__(f"{reference} is not in the work queue")


class CaseHeldByOther(Exception):
    """Another screener holds a current claim on the case."""

    def __init__(self, claim: CaseClaim):
        self.claim = claim
        super().__init__(f"{claim.application_id} is held by {claim.screener_id}")


class CaseNotHeld(Exception):
    """The screener who releases the case does not hold it (any more)."""


def _locked(application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def case_claim(*, application, user, reason: str = "") -> CaseClaim:
    """Give the case to ``user``. Raises CaseHeldByOther or CaseNotInQueue.

    Claiming a case one already holds starts the claim time again. A claim older than
    CASE_CLAIM_HOURS is taken over; the audit entry names whose claim lapsed.
    """
    with transaction.atomic():
        current = _locked(application)
        if current.status not in QUEUE_STATUSES:
            raise CaseNotInQueue(current.reference)
        now = timezone.now()
        claim = CaseClaim.objects.select_related("screener").filter(application=current).first()
        lapsed_from = None
        if claim is None:
            claim = CaseClaim.objects.create(application=current, screener=user, claimed_at=now)
        else:
            if claim.screener_id != user.pk:
                if claim_is_current(claim, now):
                    raise CaseHeldByOther(claim)
                lapsed_from = claim.screener.get_username()
            claim.screener, claim.claimed_at = user, now
            claim.save(update_fields=["screener", "claimed_at"])
        audit_record(
            actor=Actor.user(user),
            action=AuditAction.CASE_CLAIMED,
            subject_type="application",
            subject_id=current.reference,
            reason=reason,
            data={"lapsed_claim_of": lapsed_from} if lapsed_from else {},
        )
    return claim


def case_release(*, application, user, reason: str = "") -> None:
    """Release the case ``user`` holds, so that another screener can take it up. Raises CaseNotHeld."""
    with transaction.atomic():
        current = _locked(application)
        claim = CaseClaim.objects.filter(application=current).first()
        if claim is None or claim.screener_id != user.pk:
            raise CaseNotHeld(current.reference)
        claim.delete()
        audit_record(
            actor=Actor.user(user),
            action=AuditAction.CASE_RELEASED,
            subject_type="application",
            subject_id=current.reference,
            reason=reason,
        )


# --- Opening and deciding a case -------------------------------------------------------------------


class CaseAlreadyIssued(Exception):
    """The certificate of the case has already been issued (a second submit of the same decision)."""


class CaseNotInReview(Exception):
    """The case is not (or no longer) being reviewed, so no decision can be taken on it now."""

    def __init__(self, reference: str, status: str):
        self.reference, self.status = reference, status
        super().__init__(f"{reference} is {status}, not in review")


class GrantNotAvailable(Exception):
    """The case cannot be granted from the case screen: a VOG NP without its applicant."""


class CaseAlreadyIntendedToRefuse(Exception):
    """The intention to refuse has already been sent (a second submit of the same decision)."""


class RefusalNotAvailable(Exception):
    """No intention to refuse can be sent from the case screen: a VOG NP without its applicant."""


class RefusalAlreadyProposed(Exception):
    """A proposal to refuse this case waits for a second screener: no other decision can be taken now."""


class InvalidAssessment(ValueError):
    """The screener's assessment is incomplete: ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def case_open(*, application, user) -> None:
    """Record that ``user`` opened the case screen, which shows the applicant's justice records."""
    assessment = getattr(application, "assessment", None)
    audit_record(
        actor=Actor.user(user),
        action=AuditAction.CASE_OPENED,
        subject_type="application",
        subject_id=application.reference,
        reason="case screen of the work queue",
        data={"status": application.status, "records": len(assessment.records) if assessment else 0},
    )


def records_for_screener(application) -> list[int]:
    """Indexes (in ``Assessment.records``) of the records the pre-assessment put before the screener."""
    assessment = getattr(application, "assessment", None)
    if assessment is None:
        return []
    return [index for index, finding in enumerate(assessment.findings) if finding.get("for_screener")]


def _objective(application, objective: dict[int, bool]) -> list[dict]:
    assessment = getattr(application, "assessment", None)
    answers = []
    for index in records_for_screener(application):
        if index not in objective:
            raise InvalidAssessment("objective", f"record {index}: the objective criterion is not answered")
        answers.append(
            {
                "record": index,
                "offence_article": assessment.findings[index].get("offence_article", ""),
                "hinders": bool(objective[index]),
            }
        )
    return answers


def screener_assessment_record(
    *, application, screener, motivation: str, objective: dict[int, bool], outcome_proposal: str
) -> ScreenerAssessment:
    """Record the screener's assessment (objective criterion per record, the weighing) and audit it."""
    motivation = (motivation or "").strip()
    if len(motivation) < SCREENER_MOTIVATION_MIN_LENGTH:
        raise InvalidAssessment("motivation", "the motivation is too short")
    if len(motivation) > SCREENER_MOTIVATION_MAX_LENGTH:
        raise InvalidAssessment("motivation", "the motivation is too long")
    answers = _objective(application, objective)
    with transaction.atomic():
        assessment = ScreenerAssessment.objects.create(
            application=application,
            screener=screener,
            objective=answers,
            motivation=motivation,
            outcome_proposal=outcome_proposal,
        )
        audit_record(
            actor=Actor.user(screener),
            action=AuditAction.CASE_ASSESSED,
            subject_type="application",
            subject_id=application.reference,
            reason=f"proposal: {outcome_proposal}",
            data={
                "screener_assessment": assessment.pk,
                "hinders": [answer["record"] for answer in answers if answer["hinders"]],
            },
        )
    return assessment


def _summary(motivation: str, limit: int = 200) -> str:
    text = " ".join(motivation.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _held_case_for_decision(
    application, screener, *, done_status: str, done_error, unavailable_error, from_statuses=(Status.IN_REVIEW,)
):
    """Lock a case that ``screener`` may decide now; returns (application, claim) or raises why not.

    Raises ``done_error`` when the case already has ``done_status`` (a second submit),
    ``unavailable_error`` for a VOG NP without an applicant, CaseNotInReview (not in one of
    ``from_statuses``), RefusalAlreadyProposed or CaseNotHeld. A VOG RP and a GVA are decided like a
    VOG NP. Call inside a transaction.
    """
    current = _locked(application)
    if current.status == done_status:
        raise done_error(current.reference)
    if not decidable(current):
        raise unavailable_error(current.reference)
    if current.status not in from_statuses:
        raise CaseNotInReview(current.reference, current.status)
    if RefusalProposal.objects.filter(application=current, state=RefusalProposalState.PENDING).exists():
        raise RefusalAlreadyProposed(current.reference)
    claim = CaseClaim.objects.filter(application=current).first()
    if claim is None or claim.screener_id != screener.pk or not claim_is_current(claim):
        raise CaseNotHeld(current.reference)
    return current, claim


def decidable(application) -> bool:
    """Whether the case screen can decide this type: a VOG RP or GVA (the company), or a VOG NP with its applicant."""
    if application.type in (ApplicationType.VOG_RP, ApplicationType.GVA):
        return hasattr(application, "legal_entity")
    return hasattr(application, "applicant")


def _release_decided(claim, *, application, screener, reason: str, data: dict | None = None) -> None:
    claim.delete()
    audit_record(
        actor=Actor.user(screener),
        action=AuditAction.CASE_RELEASED,
        subject_type="application",
        subject_id=application.reference,
        reason=reason,
        data=data,
    )


def case_grant(*, application, screener, motivation: str, objective: dict[int, bool] | None = None):
    """Issue the certificate of a case in review, as the screener who holds it decided.

    In one transaction: the screener's assessment, in_review → issued, the certificate, the claim
    released. A second submit finds the case issued and raises CaseAlreadyIssued; nothing is done
    twice. Raises GrantNotAvailable (no applicant or company), CaseNotInReview, CaseNotHeld or
    InvalidAssessment.
    Returns the issued application.
    """
    with transaction.atomic():
        current, claim = _held_case_for_decision(
            application,
            screener,
            done_status=Status.ISSUED,
            done_error=CaseAlreadyIssued,
            unavailable_error=GrantNotAvailable,
            # After an intention to refuse, a view can still lead to the certificate.
            from_statuses=(Status.IN_REVIEW, Status.INTENT_TO_REFUSE),
        )
        assessment = screener_assessment_record(
            application=current,
            screener=screener,
            motivation=motivation,
            objective=objective or {},
            outcome_proposal=ScreenerProposal.GRANT,
        )
        issued = application_transition(
            application=current,
            to_status=Status.ISSUED,
            actor=Actor.user(screener),
            reason=f"granted by the screener: {_summary(assessment.motivation)}",
        )
        certificate_create(application=issued)
        _release_decided(claim, application=issued, screener=screener, reason="decided: certificate issued")
    return issued


REFUSAL_REASONS_MAX_LENGTH = 5000
# The status change into intent_to_refuse keeps the reasons sent to the applicant after this prefix.
INTENTION_REASONS_PREFIX = "intention to refuse sent by the screener; reasons for the applicant: "


def intention_reasons(application) -> str:
    """The reasons printed in the last intention to refuse sent for ``application`` ("" when none)."""
    from applications.models import StatusChange

    change = (
        StatusChange.objects.filter(application=application, to_status=Status.INTENT_TO_REFUSE).order_by("-at").first()
    )
    if change is None or not change.reason.startswith(INTENTION_REASONS_PREFIX):
        return ""
    return change.reason[len(INTENTION_REASONS_PREFIX) :]


def case_intend_refusal(
    *, application, screener, objective: dict[int, bool] | None, motivation: str, reasons: str
) -> Application:
    """Send the intention to refuse (voornemen tot weigering) of a case in review, as its holder decided.

    At least one record must be answered "would hinder the purpose". In one transaction: the
    screener's assessment (proposal: refuse), in_review → intent_to_refuse with the reasons (which
    starts the view period and writes the outbox message), the letter to the applicant with its PDF
    (one short page, rendered here) and the claim released. A second submit finds the status changed
    and raises CaseAlreadyIntendedToRefuse; no second letter. Raises RefusalNotAvailable,
    CaseNotInReview, CaseNotHeld or InvalidAssessment. Returns the application in intent_to_refuse.
    """
    from ..pdf import intention_to_refuse_pdf
    from ..zienswijzen import zienswijze_deadline

    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidAssessment("reasons", "the reasons for the applicant are missing")
    if len(reasons) > REFUSAL_REASONS_MAX_LENGTH:
        raise InvalidAssessment("reasons", "the reasons for the applicant are too long")
    with transaction.atomic():
        current, claim = _held_case_for_decision(
            application,
            screener,
            done_status=Status.INTENT_TO_REFUSE,
            done_error=CaseAlreadyIntendedToRefuse,
            unavailable_error=RefusalNotAvailable,
        )
        assessment = screener_assessment_record(
            application=current,
            screener=screener,
            motivation=motivation,
            objective=objective or {},
            outcome_proposal=ScreenerProposal.REFUSE,
        )
        if not any(answer["hinders"] for answer in assessment.objective):
            # Only the answers for the records the pre-assessment put forward count; rolled back.
            raise InvalidAssessment("objective", "no record would hinder the purpose: a refusal needs at least one")
        intended = application_transition(
            application=current,
            to_status=Status.INTENT_TO_REFUSE,
            actor=Actor.user(screener),
            reason=INTENTION_REASONS_PREFIX + reasons,
        )
        letter = Letter(application=intended, kind=LetterKind.INTENTION_TO_REFUSE)
        content = intention_to_refuse_pdf(
            application=intended, reasons=reasons, deadline=zienswijze_deadline(intended), sent_on=timezone.localdate()
        )
        letter.pdf.save(f"{intended.reference}-voornemen.pdf", ContentFile(content), save=False)
        try:
            letter.save()
            _release_decided(
                claim,
                application=intended,
                screener=screener,
                reason="decided: intention to refuse sent",
                data={"letter": letter.pk, "kind": letter.kind},
            )
        except BaseException:
            # The transaction is rolled back: do not leave the PDF behind without its row.
            letter.pdf.storage.delete(letter.pdf.name)
            raise
    return intended
