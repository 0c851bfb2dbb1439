"""Long dates for messages that carry Dutch and English in one text, whatever the active language.

``{{ day|long_nl }}`` gives "23 november 2026", ``{{ day|long_en }}`` "23 November 2026". A value may be
a date, a datetime (shown as the local date) or an ISO date string as stored in an outbox payload; an
empty value gives "".
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return date.fromisoformat(text[:10])
    return as_date(parsed)


@register.filter
def long_nl(value) -> str:
    day = as_date(value)
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}" if day else ""


@register.filter
def long_en(value) -> str:
    day = as_date(value)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}" if day else ""
