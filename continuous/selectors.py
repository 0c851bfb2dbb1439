"""Reads of continuous screening for the screens: only its own tables and the organisations linked."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from .models import EnrolmentLink, Signal, SignalStatus


def signal_queue():
    """Open signals first, the oldest first; then the decided ones, also by the day received."""
    return (
        Signal.objects.select_related("enrolment")
        .annotate(
            open_first=Case(
                When(status=SignalStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("open_first", "received_at", "pk")
    )


def open_signal_count() -> int:
    return Signal.objects.filter(status=SignalStatus.OPEN).count()


def signal_get(pk: int) -> Signal | None:
    return Signal.objects.select_related("enrolment", "decided_by").filter(pk=pk).first()


def linked_organisations(enrolment, day=None) -> list[EnrolmentLink]:
    """The organisations linked to the person on ``day`` (today)."""
    day = day or timezone.localdate()
    return list(
        EnrolmentLink.objects.select_related("organisation")
        .filter(enrolment=enrolment, active_from__lte=day)
        .exclude(active_to__lt=day)
        .order_by("organisation__name", "pk")
    )
