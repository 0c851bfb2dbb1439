"""Taking up (claiming) and releasing a case of the screeners' work queue.

Both lock the application row (SELECT … FOR UPDATE) before they look at its claim, so two screeners
who press "take up" at the same moment are served one after the other: the first gets the case, the
second is told who has it. Every claim and release is written to the audit trail in the same
transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from applications.models import Application
from justis.audit import Actor, audit_record
from justis.models import AuditAction

from ..models import CaseClaim
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
