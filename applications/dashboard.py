"""The figures of the team leads' dashboard: one aggregate query each, on indexed columns.

Each function returns plain data (dicts, lists, numbers); the view turns it into charts and tables
(``applications.dashboard_charts``). No personal or justice data leaves here: counts, and for the most
urgent applications only their reference and decision date.

- intake: applications received per day (the last 14 days, local dates) by channel and product;
- backlog: applications Justis still has to decide, by status and by age band (days since received);
- at risk: the applications whose decision date is at risk, by the rule of the delay notices
  (``applications.deadlines.decisions_at_risk``);
- throughput: decided per hour over the last 24 hours, automatically (the pre-assessment found nothing
  relevant and the system issued the certificate) or by a screener; refusals per day;
- continuous screening signals still open; the outbox: messages waiting, retrying or parked, by channel;
- progress: decided since a moment against what still waits now (the live progress bar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Min, Q, Value, When
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from .deadlines import decisions_at_risk
from .lifecycle import DECIDED, Status

INTAKE_DAYS = 14
REFUSAL_DAYS = 14
THROUGHPUT_HOURS = 24
AT_RISK_LISTED = 8

# Justis still has to decide (on hold included: the clock is suspended, the case is not done).
BACKLOG_STATUSES = (
    Status.RECEIVED,
    Status.IN_ASSESSMENT,
    Status.IN_REVIEW,
    Status.ON_HOLD,
    Status.INTENT_TO_REFUSE,
)

# Age bands in whole days since the local date of receipt: (key, lowest day, highest day or None).
AGE_BANDS = (("0-1", 0, 1), ("2-7", 2, 7), ("8-28", 8, 28), ("29+", 29, None))


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _today(now) -> date:
    return timezone.localdate(now)


def intake_per_day(*, now=None, days: int = INTAKE_DAYS) -> dict:
    """``{"days": [date, …], "counts": {(day, channel, type): n}}`` for the last ``days`` days, today included."""
    from .models import Application

    today = _today(now or timezone.now())
    first = today - timedelta(days=days - 1)
    rows = (
        Application.objects.filter(received_at__gte=_midnight(first))
        .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "channel", "type")
        .annotate(n=Count("pk"))
    )
    counts = {(row["day"], row["channel"], row["type"]): row["n"] for row in rows}
    return {"days": [first + timedelta(days=i) for i in range(days)], "counts": counts}


def backlog_by_status_and_age(*, now=None) -> dict[tuple[str, str], int]:
    """``{(status, band): n}`` of the applications still to be decided; the bands are ``AGE_BANDS``."""
    from .models import Application

    today = _today(now or timezone.now())
    whens = [
        When(received_at__gte=_midnight(today - timedelta(days=high)), then=Value(key))
        for key, _low, high in AGE_BANDS
        if high is not None
    ]
    rows = (
        Application.objects.filter(status__in=BACKLOG_STATUSES)
        .annotate(band=Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField()))
        .values("status", "band")
        .annotate(n=Count("pk"))
    )
    return {(row["status"], row["band"]): row["n"] for row in rows}


@dataclass(frozen=True)
class AtRisk:
    count: int
    overdue: int
    most_urgent: list[dict]  # {"reference", "decision_due_date", "overdue"}


def at_risk(*, now=None, listed: int = AT_RISK_LISTED) -> AtRisk:
    """How many decision dates are at risk (and how many passed already), and the most urgent few."""
    now = now or timezone.now()
    today = _today(now)
    risky = decisions_at_risk(now=now)
    totals = risky.order_by().aggregate(count=Count("pk"), overdue=Count("pk", filter=Q(decision_due_date__lt=today)))
    most_urgent = [
        {**row, "overdue": row["decision_due_date"] < today}
        for row in risky.values("reference", "decision_due_date")[:listed]
    ]
    return AtRisk(count=totals["count"], overdue=totals["overdue"], most_urgent=most_urgent)


def throughput(*, now=None, hours: int = THROUGHPUT_HOURS) -> dict:
    """Decided per hour over the last ``hours`` hours, automatically or by a screener.

    Automatic: the pre-assessment found no relevant record (``AssessmentOutcome.AUTO_GRANT``) and the
    system issued the certificate without a person; every other decision was taken by a screener.
    ``{"hours": [aware datetime, …], "counts": {(hour, "automatic"|"screener"): n}}``.
    """
    from screening.models import AssessmentOutcome

    from .models import Application

    now = now or timezone.now()
    current = now.astimezone(timezone.get_current_timezone()).replace(minute=0, second=0, microsecond=0)
    first = current - timedelta(hours=hours - 1)
    rows = (
        Application.objects.filter(decided_at__gte=first, status__in=DECIDED)
        .annotate(
            hour=TruncHour("decided_at", tzinfo=timezone.get_current_timezone()),
            by=Case(
                When(status=Status.ISSUED, assessment__outcome=AssessmentOutcome.AUTO_GRANT, then=Value("automatic")),
                default=Value("screener"),
                output_field=CharField(),
            ),
        )
        .values("hour", "by")
        .annotate(n=Count("pk"))
    )
    counts = {(row["hour"], row["by"]): row["n"] for row in rows}
    return {"hours": [first + timedelta(hours=i) for i in range(hours)], "counts": counts}


def refusals_per_day(*, now=None, days: int = REFUSAL_DAYS) -> dict:
    """``{"days": [date, …], "counts": {day: n}}``: refusals by the local date of the decision."""
    from .models import Application

    today = _today(now or timezone.now())
    first = today - timedelta(days=days - 1)
    rows = (
        Application.objects.filter(decided_at__gte=_midnight(first), status=Status.REFUSED)
        .annotate(day=TruncDate("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
    )
    return {"days": [first + timedelta(days=i) for i in range(days)], "counts": {r["day"]: r["n"] for r in rows}}


def open_signals() -> dict:
    """Continuous screening signals a screener still has to decide: how many, and since when."""
    from continuous.models import Signal, SignalStatus

    return Signal.objects.filter(status=SignalStatus.OPEN).aggregate(count=Count("pk"), oldest=Min("received_at"))


OUTBOX_STATES = ("pending", "retrying", "parked")


def outbox_health() -> dict[tuple[str, str], int]:
    """``{(channel, state): n}`` of messages not delivered yet: pending (never tried), retrying (a try
    failed, another is due) and parked (tries used up; an operator puts them back)."""
    from notifications.models import OutboxMessage, OutboxStatus

    rows = (
        OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.PARKED])
        .annotate(
            state=Case(
                When(status=OutboxStatus.PARKED, then=Value("parked")),
                When(attempts__gt=0, then=Value("retrying")),
                default=Value("pending"),
                output_field=CharField(),
            )
        )
        .values("channel", "state")
        .annotate(n=Count("pk"))
    )
    return {(row["channel"], row["state"]): row["n"] for row in rows}


# The live progress bar looks back at most this far (a page left open for days still asks a cheap question).
PROGRESS_MAX_LOOKBACK = timedelta(hours=24)


def progress_since(since: datetime, *, now=None) -> dict:
    """Decided since ``since`` against what still waits now: the progress of working through the backlog.

    ``since`` is clamped to at most ``PROGRESS_MAX_LOOKBACK`` ago and never after ``now``. Applications
    received meanwhile count as waiting, so the bar only moves forward when decisions outpace intake.
    """
    from .models import Application

    now = now or timezone.now()
    since = min(max(since, now - PROGRESS_MAX_LOOKBACK), now)
    waiting_filter = Q(status__in=BACKLOG_STATUSES)
    decided_filter = Q(decided_at__gte=since, status__in=DECIDED)
    totals = Application.objects.filter(waiting_filter | decided_filter).aggregate(
        waiting=Count("pk", filter=waiting_filter), decided=Count("pk", filter=decided_filter)
    )
    total = totals["waiting"] + totals["decided"]
    return {
        "since": since.isoformat(),
        "waiting": totals["waiting"],
        "decided": totals["decided"],
        "total": total,
        "percent": round(100 * totals["decided"] / total) if total else 100,
        "at": now.isoformat(),
    }
