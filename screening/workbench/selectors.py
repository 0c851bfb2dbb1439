"""Reads of the screeners' work queue: which cases need a person, in which order."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone

from applications.lifecycle import Status
from applications.models import Application

from .sectors import legal_obligation_expression

# Cases that wait for a screener: records to weigh (in review), or information missing (on hold).
QUEUE_STATUSES = (Status.IN_REVIEW, Status.ON_HOLD)

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
    now=None,
):
    """The cases in the work queue, most at risk first.

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
