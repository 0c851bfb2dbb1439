"""The team leads' dashboard (/beheer/dashboard/): intake, backlog, decision dates at risk, throughput,
continuous screening signals and the outbox, as SVG charts with their figures as tables; and the
progress of the day as JSON for the live progress bar (``static/justis/dashboard.js``).

Team leads only (two factors), like the incident screens: the figures are about the whole service, and
screeners have their own queue. The figures come from ``applications.dashboard``.
"""

from __future__ import annotations

from datetime import datetime, time

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from justis.login.access import team_lead_required
from notifications.models import OutboxChannel

from . import dashboard
from .dashboard_charts import Series, stacked_bars
from .lifecycle import Status
from .models import ApplicationType, Channel


def _age_band_labels() -> dict[str, str]:
    return {
        "0-1": _("0–1 days"),
        "2-7": _("2–7 days"),
        "8-28": _("8–28 days"),
        "29+": _("more than 28 days"),
    }


def _outbox_state_labels() -> dict[str, str]:
    return {"pending": _("waiting"), "retrying": _("retrying after a failure"), "parked": _("parked")}


def _table(caption: str, columns: list[str], rows: list[tuple[str, list[int]]]) -> dict:
    return {"caption": caption, "columns": columns, "rows": rows}


def _day_label(day) -> str:
    return formats.date_format(day, "j M")


def _intake(now) -> dict:
    data = dashboard.intake_per_day(now=now)
    counts = data["counts"]
    channels = [Series(key, str(label), index + 1) for index, (key, label) in enumerate(Channel.choices)]
    chart = stacked_bars(
        [(day, _day_label(day)) for day in data["days"]],
        channels,
        lambda day, channel: sum(n for (d, c, _t), n in counts.items() if d == day and c == channel),
        label_every=2,
    )
    rows = []
    for day in data["days"]:
        per_channel = [
            sum(n for (d, c, _t), n in counts.items() if d == day and c == key) for key, _l in Channel.choices
        ]
        per_type = [
            sum(n for (d, _c, t), n in counts.items() if d == day and t == key) for key, _l in ApplicationType.choices
        ]
        rows.append((formats.date_format(day, "l j F"), [*per_channel, *per_type, sum(per_channel)]))
    columns = [str(label) for _k, label in Channel.choices] + list(ApplicationType.values) + [_("total")]
    table = _table(_("Applications received per day, by channel and by product"), columns, rows)
    return {"chart": chart, "table": table}


def _backlog(now) -> dict:
    counts = dashboard.backlog_by_status_and_age(now=now)
    labels = _age_band_labels()
    bands = [Series(key, labels[key], index + 1) for index, (key, _low, _high) in enumerate(dashboard.AGE_BANDS)]
    short = {
        Status.RECEIVED: _("received"),
        Status.IN_ASSESSMENT: _("assessing"),
        Status.IN_REVIEW: _("screener"),
        Status.ON_HOLD: _("on hold"),
        Status.INTENT_TO_REFUSE: _("intent to refuse"),
    }
    statuses = [(status, str(Status(status).label), short[status]) for status in dashboard.BACKLOG_STATUSES]
    chart = stacked_bars(statuses, bands, lambda status, band: counts.get((status, band), 0))
    rows = []
    for status, label, _short in statuses:
        values = [counts.get((status, band.key), 0) for band in bands]
        rows.append((label, [*values, sum(values)]))
    table = _table(
        _("Applications still to be decided, by status and days since receipt"),
        [band.label for band in bands] + [_("total")],
        rows,
    )
    return {"chart": chart, "table": table, "total": sum(counts.values())}


def _throughput(now) -> dict:
    data = dashboard.throughput(now=now)
    counts = data["counts"]
    series = [Series("automatic", _("automatically, without a person"), 3), Series("screener", _("by a screener"), 1)]
    chart = stacked_bars(
        [(hour, formats.time_format(hour, "H:i")) for hour in data["hours"]],
        series,
        lambda hour, by: counts.get((hour, by), 0),
        label_every=3,
    )
    automatic = sum(n for (_h, by), n in counts.items() if by == "automatic")
    total = sum(counts.values())
    rows = [
        (
            formats.time_format(hour, "H:i"),
            [counts.get((hour, "automatic"), 0), counts.get((hour, "screener"), 0), chart.bars[index].total],
        )
        for index, hour in enumerate(data["hours"])
    ]
    table = _table(_("Decisions per hour, the last 24 hours"), [s.label for s in series] + [_("total")], rows)
    share = round(100 * automatic / total) if total else None
    return {"chart": chart, "table": table, "total": total, "automatic": automatic, "automatic_share": share}


def _refusals(now) -> dict:
    data = dashboard.refusals_per_day(now=now)
    counts = data["counts"]
    series = [Series("refused", _("refusals"), 5)]
    chart = stacked_bars(
        [(day, _day_label(day)) for day in data["days"]],
        series,
        lambda day, _key: counts.get(day, 0),
        label_every=2,
    )
    rows = [(formats.date_format(day, "l j F"), [counts.get(day, 0)]) for day in data["days"]]
    return {"chart": chart, "table": _table(_("Refusals per day"), [_("refusals")], rows)}


def _outbox() -> dict:
    counts = dashboard.outbox_health()
    labels = _outbox_state_labels()
    states = [Series(key, labels[key], fill) for key, fill in zip(dashboard.OUTBOX_STATES, (1, 4, 5), strict=True)]
    channels = [(key, str(label)) for key, label in OutboxChannel.choices]
    chart = stacked_bars(channels, states, lambda channel, state: counts.get((channel, state), 0))
    rows = []
    for key, label in channels:
        values = [counts.get((key, state.key), 0) for state in states]
        rows.append((label, [*values, sum(values)]))
    table = _table(_("Messages not delivered yet, by channel"), [s.label for s in states] + [_("total")], rows)
    parked = sum(n for (_c, state), n in counts.items() if state == "parked")
    return {"chart": chart, "table": table, "total": sum(counts.values()), "parked": parked}


def progress_start(now) -> datetime:
    """The live progress bar counts from the start of today (local time)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


@require_GET
@team_lead_required
def overview(request):
    now = timezone.now()
    signals = dashboard.open_signals()
    context = {
        "now": now,
        "progress": dashboard.progress_since(progress_start(now), now=now),
        "intake": _intake(now),
        "backlog": _backlog(now),
        "at_risk": dashboard.at_risk(now=now),
        "throughput": _throughput(now),
        "refusals": _refusals(now),
        "signals": signals,
        "outbox": _outbox(),
    }
    return render(request, "dashboard/overview.html", context)


@require_GET
@team_lead_required
def progress(request):
    """The live progress bar's figures: decided today against still waiting now."""
    now = timezone.now()
    response = JsonResponse(dashboard.progress_since(progress_start(now), now=now))
    response["Cache-Control"] = "no-store"
    return response
