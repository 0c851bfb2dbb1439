"""Reads of the screeners' work queue: which cases need a person, in which order."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from applications.lifecycle import Status
from applications.models import Application, StatusChange

from ..models import RefusalProposal, RefusalProposalState, Zienswijze
from .sectors import legal_obligation_expression

# Cases that wait for a screener: records to weigh (in review), information missing (on hold), or the
# final decision after an intention to refuse (view period, views to read, a refusal to approve).
QUEUE_STATUSES = (Status.IN_REVIEW, Status.INTENT_TO_REFUSE, Status.ON_HOLD)

CLAIMED_ALL = "all"
CLAIMED_MINE = "mine"
CLAIMED_FREE = "free"


def claim_duration() -> timedelta:
    return timedelta(hours=settings.CASE_CLAIM_HOURS)


def claim_is_current(claim, now=None) -> bool:
    """Whether a claim still holds: one older than CASE_CLAIM_HOURS counts as released."""
    return claim is not None and claim.claimed_at > (now or timezone.now()) - claim_duration()


def work_queue(
    *,
    user,
    types=None,
    statuses=None,
    claimed: str = CLAIMED_ALL,
    overdue_only: bool = False,
    awaiting_approval: bool = False,
    now=None,
):
    """The cases in the work queue, most at risk first.

    Each case carries ``pending_refusal`` (a refusal waits for a second screener), ``views_received``
    and ``intent_sent_at`` (when the intention to refuse was sent), so the queue shows its stage.
    Order: the statutory decision date (fewest days left first, so overdue cases lead); on the same
    date, sectors with a legal VOG obligation first, then urgent applications, then the oldest received.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    claim_valid_after = now - claim_duration()
    applications = Application.objects.filter(status__in=statuses or QUEUE_STATUSES)
    if types:
        applications = applications.filter(type__in=types)
    if overdue_only:
        applications = applications.filter(decision_due_date__lt=today)
    pending = RefusalProposal.objects.filter(application=OuterRef("pk"), state=RefusalProposalState.PENDING)
    applications = applications.annotate(
        pending_refusal=Exists(pending),
        views_received=Exists(Zienswijze.objects.filter(application=OuterRef("pk"))),
        intent_sent_at=Subquery(
            StatusChange.objects.filter(application=OuterRef("pk"), to_status=Status.INTENT_TO_REFUSE)
            .order_by("-at")
            .values("at")[:1]
        ),
    )
    if awaiting_approval:
        applications = applications.filter(pending_refusal=True)
    current_claim = Q(claim__isnull=False, claim__claimed_at__gt=claim_valid_after)
    if claimed == CLAIMED_MINE:
        applications = applications.filter(current_claim, claim__screener=user)
    elif claimed == CLAIMED_FREE:
        applications = applications.exclude(current_claim)
    return (
        applications.select_related("claim__screener")
        .annotate(
            legal_obligation=legal_obligation_expression(),
            urgent=Case(
                When(~Q(urgent_reason=""), then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by(
            F("decision_due_date").asc(nulls_last=True),
            F("legal_obligation").desc(),
            F("urgent").desc(),
            F("received_at").asc(nulls_last=True),
            "pk",
        )
    )
