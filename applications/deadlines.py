"""Statutory decision periods (beslistermijnen): reference data with history, and the arithmetic.

The periods per product and procedure live in ``DecisionPeriod`` (versioned by date, maintained by
functional administrators; defaults below, loaded by a migration). The period valid on the application
date applies. What moves an application's decision date is decided here and applied by the lifecycle
(``applications.lifecycle``) in the same transaction as the status change:

- receipt starts the clock: the urgent period when urgency was asked and the product has one, else the
  regular period;
- entering review extends the regular period once, but only while the first period has not ended
  (an extension after that is unlawful: the case is overdue instead);
- on hold suspends the clock (Awb 4:15); back to received adds the days held;
- anything that stops the urgent fast path (review, on hold, waiting too long) converts the urgent
  procedure to the regular one.

``decision_periods_sweep`` extends and announces, a few days before the first period ends, the cases that
still wait for an assessment (for example while the JDS is down), so that no extension comes too late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from justis.memo import memo_in_batch

# domain.md §4.1, §4.2 and §10.4: product, procedure, period, extension, unit, valid from, note, source.
# The start date of these periods is not given there: they are dated from 2000 so every application has one.
_VOG_PERIODS_SOURCE = (
    "vog-advocaat.nl/beslistermijnen-beslissing-verklaring-omtrent-het-gedrag/ (cites Wjsg art. 37, "
    "article number unconfirmed); justis.nl FAQ after you apply: 'within four to eight weeks'"
)
_SPOED_SOURCE = "justis.nl/producten/vog/vog-aanvragen/spoedprocedure/index.aspx; brielle.nl"
DECISION_PERIODS = (
    (
        "VOG_NP",
        "regular",
        4,
        4,
        "weeks",
        date(2000, 1, 1),
        "4 weeks; 8 weeks when an assessment is needed.",
        _VOG_PERIODS_SOURCE,
    ),
    (
        "VOG_NP",
        "urgent",
        10,
        0,
        "days",
        date(2000, 1, 1),
        "Urgent procedure, only when the JDS is clean: 'within about 1.5 weeks' is published; modelled as "
        "10 days. Records found or anything else that stops the fast path converts it to the regular procedure.",
        _SPOED_SOURCE,
    ),
    (
        "VOG_RP",
        "regular",
        8,
        4,
        "weeks",
        date(2000, 1, 1),
        "8 weeks; 12 weeks when an assessment is needed.",
        "vog-advocaat.nl/beslistermijnen-beslissing-verklaring-omtrent-het-gedrag/",
    ),
    (
        "VOG_RP",
        "urgent",
        5,
        0,
        "working_days",
        date(2000, 1, 1),
        "Urgent procedure for activities abroad: at most 5 working days (Saturdays and Sundays skipped; "
        "public holidays are not modelled).",
        _SPOED_SOURCE,
    ),
    (
        "GVA",
        "regular",
        8,
        8,
        "weeks",
        date(2000, 1, 1),
        "A company (legal person): 8 weeks, extended by 8. A natural person would have 4 + 4 weeks. "
        "No urgent procedure for a GVA.",
        "justis.nl/producten/gva/gva-aanvragen/; triplaw.nl/nieuws/per-1-juli-2017-...",
    ),
)


def decision_periods_load(apps=None) -> int:
    """Load the default periods. Safe to run again; a version an administrator changed is left alone."""
    if apps is not None:
        model = apps.get_model("applications", "DecisionPeriod")
    else:
        from .models import DecisionPeriod as model
    from justis.reference_history import load_missing

    fields = ("product", "procedure", "period", "extension", "unit", "valid_from", "note", "source")
    rows = [dict(zip(fields, values, strict=True)) for values in DECISION_PERIODS]
    load_missing(model, rows, key=("product", "procedure", "valid_from"), migrating=apps is not None)
    return model.objects.count()


class DecisionPeriodMissing(LookupError):
    pass


def add_period(start: date, amount: int, unit: str) -> date:
    """The day ``amount`` units after ``start``. Working days skip Saturdays and Sundays."""
    if unit == "weeks":
        return start + timedelta(weeks=amount)
    if unit == "days":
        return start + timedelta(days=amount)
    if unit == "working_days":
        day, left = start, amount
        while left > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day
    raise ValueError(f"unknown unit {unit!r}")


@memo_in_batch
def period_on(*, product: str, procedure: str, day: date):
    """The decision period of ``product`` and ``procedure`` valid on ``day``, or None (e.g. no urgent GVA)."""
    from .models import DecisionPeriod

    period = (
        DecisionPeriod.objects.filter(product=product, procedure=procedure, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if period is None and not DecisionPeriod.objects.filter(product=product, procedure=procedure).exists():
        # An empty table (a fresh database before its data is loaded) must not stop receiving applications:
        # the published defaults apply. A product that has versions but none for ``day`` has no period.
        period = next(
            (
                DecisionPeriod(product=p, procedure=r, period=n, extension=x, unit=u, valid_from=f)
                for p, r, n, x, u, f, _note, _source in DECISION_PERIODS
                if (p, r) == (product, procedure) and f <= day
            ),
            None,
        )
    return period


def decision_due_date(
    *,
    application_type: str,
    application_date: date,
    extended: bool = False,
    urgent: bool = False,
    suspended_days: int = 0,
) -> date:
    """The last day for the decision: the period valid on the application date, the extension when
    ``extended``, plus the days the clock was suspended."""
    procedure = "urgent" if urgent else "regular"
    period = period_on(product=application_type, procedure=procedure, day=application_date)
    if period is None:
        raise DecisionPeriodMissing(f"no {procedure} decision period for {application_type} on {application_date}")
    amount = period.period + (period.extension if extended else 0)
    return add_period(application_date, amount, period.unit) + timedelta(days=suspended_days)


# --- What a status change does to the clock --------------------------------------------------------


@dataclass(frozen=True)
class ClockEvent:
    """A DeadlineEvent to write; ``message`` is the outbox event that announces it to the applicant."""

    kind: str
    previous_due_date: date | None
    new_due_date: date | None
    reason: str
    days: int | None = None
    message: str | None = None


REASON_ASSESSMENT = "an assessment of justice records is needed"
REASON_WAITING = "the assessment could not be completed within the first period"
REASON_ON_HOLD = "waiting for missing information (Awb 4:15)"


def _today(now) -> date:
    return timezone.localdate(now)


def _convert(application, fields: dict, events: list, reason: str) -> None:
    """The urgent fast path stopped: the regular period runs from the application date."""
    previous = fields.get("decision_due_date", application.decision_due_date)
    due = decision_due_date(
        application_type=application.type,
        application_date=application.application_date,
        suspended_days=application.suspended_days,
    )
    fields.update(decision_procedure="converted", decision_due_date=due)
    events.append(ClockEvent("urgent_conversion", previous, due, reason, message="urgent_converted"))


def _extend(application, fields: dict, events: list, reason: str, now) -> None:
    """Extend once, and only before the first period has ended; after it the case stays overdue."""
    previous = fields.get("decision_due_date", application.decision_due_date)
    if application.decision_period_extended or previous is None or _today(now) > previous:
        return
    due = decision_due_date(
        application_type=application.type,
        application_date=application.application_date,
        extended=True,
        suspended_days=application.suspended_days,
    )
    fields.update(decision_period_extended=True, decision_due_date=due)
    events.append(ClockEvent("extension", previous, due, reason, message="decision_period_extended"))


def clock_on_entry(application, *, source: str, target: str, now) -> tuple[dict, list[ClockEvent]]:
    """What entering ``target`` from ``source`` changes on the decision date, and the events to record.

    ``application`` is the row as it was before the change.
    """
    from .lifecycle import Status

    fields: dict = {}
    events: list[ClockEvent] = []
    today = _today(now)
    urgent = application.decision_procedure == "urgent"
    if target == Status.RECEIVED:
        if application.decision_due_date is None:
            application_date = application.application_date or today
            urgent = bool(application.urgent_reason) and (
                period_on(product=application.type, procedure="urgent", day=application_date) is not None
            )
            fields.update(
                decision_procedure="urgent" if urgent else "regular",
                decision_due_date=decision_due_date(
                    application_type=application.type, application_date=application_date, urgent=urgent
                ),
            )
        elif source == Status.ON_HOLD:
            held = max((today - timezone.localdate(application.status_changed_at)).days, 0)
            due = application.decision_due_date + timedelta(days=held)
            fields.update(suspended_days=application.suspended_days + held, decision_due_date=due)
            events.append(ClockEvent("resumption", application.decision_due_date, due, REASON_ON_HOLD, days=held))
    elif target == Status.ON_HOLD:
        if urgent:
            _convert(application, fields, events, "the urgent procedure stopped: information is missing")
        due = fields.get("decision_due_date", application.decision_due_date)
        events.append(ClockEvent("suspension", due, due, REASON_ON_HOLD))
    elif target == Status.IN_REVIEW:
        if urgent:
            _convert(application, fields, events, "the urgent procedure stopped: a screener assesses the case")
        _extend(application, fields, events, REASON_ASSESSMENT, now)
    return fields, events


# --- The sweep ----------------------------------------------------------------------------------


def decision_periods_sweep(*, now=None, limit: int = 1000) -> dict[str, int]:
    """Extend and announce in time for cases still waiting for an assessment; convert stalled urgent ones.

    Looks at applications in received / in_assessment whose first period ends within
    ``DECISION_EXTENSION_DAYS_BEFORE`` days (and has not ended): urgent ones are converted to the
    regular procedure, regular ones extended. Rows being assessed right now are skipped (SKIP LOCKED)
    and picked up by the next run; an application extended or converted before is not selected again.
    """
    from .lifecycle import AWAITING_TASK, deadline_events_record
    from .models import Application

    now = now or timezone.now()
    today = _today(now)
    horizon = today + timedelta(days=settings.DECISION_EXTENSION_DAYS_BEFORE)
    counts = {"extended": 0, "converted": 0}
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(skip_locked=True)
            .filter(status__in=AWAITING_TASK, decision_due_date__lte=horizon)
            .filter(Q(decision_procedure="urgent") | Q(decision_period_extended=False, decision_due_date__gte=today))
            .order_by("decision_due_date", "pk")[:limit]
        )
        for application in applications:
            fields: dict = {}
            events: list[ClockEvent] = []
            if application.decision_procedure == "urgent":
                _convert(application, fields, events, "the urgent procedure could not be completed in time")
                counts["converted"] += 1
            else:
                _extend(application, fields, events, REASON_WAITING, now)
                counts["extended"] += bool(events)
            if not fields:
                continue
            Application.objects.filter(pk=application.pk).update(updated_at=now, **fields)
            for name, value in fields.items():
                setattr(application, name, value)
            deadline_events_record(application, events, now=now)
    return counts


# Statuses in which Justis still has to decide and the clock runs (on hold it is suspended).
_CLOCK_RUNNING = ("received", "in_assessment", "in_review", "intent_to_refuse")


def decisions_at_risk(*, now=None):
    """The applications whose decision date is at risk, most urgent first: the clock runs, the period can
    no longer be extended (extended already, or its first period has ended) and the decision date is at
    most ``DECISION_AT_RISK_DAYS`` away or has passed. The one rule for the delay notices, the team
    leads' dashboard and the operators' metric."""
    from .models import Application

    now = now or timezone.now()
    horizon = _today(now) + timedelta(days=settings.DECISION_AT_RISK_DAYS)
    return (
        Application.objects.filter(status__in=_CLOCK_RUNNING, decision_due_date__lte=horizon)
        .filter(Q(decision_period_extended=True) | Q(decision_due_date__lt=_today(now)))
        .order_by("decision_due_date", "pk")
    )


def decision_delay_notices(*, now=None, limit: int = 1000) -> int:
    """Tell applicants whose decision date is at risk, once per decision date: ``decision_delayed``.

    An application whose clock runs, that can no longer be extended (extended already, or its first
    period has ended) and whose decision date is at most ``DECISION_AT_RISK_DAYS`` away (or passed)
    gets one notice with that date. The dedupe key holds the date, so a repeat of the sweep sends
    nothing twice, and a later date (after a suspension) can be announced again. Returns how many
    notices were written.
    """
    from notifications.models import OutboxMessage
    from notifications.services import outbox_enqueue

    now = now or timezone.now()
    written = 0
    for application in decisions_at_risk(now=now)[:limit]:
        key = f"decision-delayed:{application.pk}:{application.decision_due_date.isoformat()}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        with transaction.atomic():
            outbox_enqueue(
                event="decision_delayed",
                application=application,
                dedupe_key=key,
                payload={
                    "reference": application.reference,
                    "decision_due_date": application.decision_due_date.isoformat(),
                    "overdue": application.decision_due_date < _today(now),
                },
            )
        written += 1
    return written
