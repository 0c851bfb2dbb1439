"""Stacked bar charts as plain numbers for a server-rendered SVG (``templates/dashboard/_bar_chart.html``).

No chart library and no JavaScript: the template draws rectangles and text from the geometry worked
out here. Colours are CSS classes (``static/justis/dashboard.css``: ``justis-chart__fill--N``), never
style attributes, so the page works under a strict Content Security Policy. Every chart comes with its
figures as a table for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 240
LEFT = 44  # room for the axis figures
BOTTOM = 28  # room for the category labels
TOP = 8
RIGHT = 8


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    fill: int  # the colour class number: justis-chart__fill--<fill>


@dataclass
class Segment:
    y: float
    height: float
    fill: int
    value: int
    label: str


@dataclass
class Bar:
    key: object
    label: str
    short_label: str
    x: float
    width: float
    centre: float
    total: int
    show_label: bool
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Gridline:
    y: float
    value: int


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: float
    baseline: float
    label_y: float
    bars: list[Bar]
    gridlines: list[Gridline]
    series: list[Series]
    total: int


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def stacked_bars(
    categories: list[tuple[object, str]],
    series: list[Series],
    value,
    *,
    label_every: int = 1,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """A vertical stacked bar per category; ``value(category_key, series_key)`` gives each segment's size.

    ``categories`` are (key, label) pairs, or (key, label, short label) when the label is too long to
    stand under its bar; every ``label_every``-th label is drawn under its bar (the table has them all).
    """
    plot_width = width - LEFT - RIGHT
    plot_height = height - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(categories), 1)
    bar_width = max(slot * 0.7, 1)
    categories = [(c[0], c[1], c[2] if len(c) > 2 else c[1]) for c in categories]
    values = {(c, s.key): int(value(c, s.key) or 0) for c, _label, _short in categories for s in series}
    totals = {c: sum(values[(c, s.key)] for s in series) for c, _label, _short in categories}
    top = nice_ceiling(max(totals.values(), default=0))
    scale = plot_height / top
    bars = []
    for index, (key, label, short) in enumerate(categories):
        x = LEFT + index * slot + (slot - bar_width) / 2
        bar = Bar(
            key=key,
            label=label,
            short_label=short,
            x=round(x, 1),
            width=round(bar_width, 1),
            centre=round(x + bar_width / 2, 1),
            total=totals[key],
            show_label=index % label_every == 0,
        )
        y = baseline
        for item in series:
            amount = values[(key, item.key)]
            if not amount:
                continue
            segment_height = amount * scale
            y -= segment_height
            bar.segments.append(Segment(round(y, 1), round(segment_height, 1), item.fill, amount, item.label))
        bars.append(bar)
    # A line at zero, at the top and halfway when that is a whole number (no 2.5 applications on the axis).
    steps = (0, top // 2, top) if top % 2 == 0 else (0, top)
    gridlines = [Gridline(round(baseline - step * scale, 1), step) for step in steps]
    return Chart(
        width=width,
        height=height,
        left=LEFT,
        right=width - RIGHT,
        baseline=baseline,
        label_y=baseline + 18,
        bars=bars,
        gridlines=gridlines,
        series=series,
        total=sum(totals.values()),
    )
