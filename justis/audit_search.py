"""The auditors' search of the audit trail: filters, newest first, in pages by keyset (never OFFSET or COUNT).

Each filter maps onto an index of ``AuditEvent`` (``audit_subject_at``, ``audit_action_at``,
``audit_actor_at``, ``audit_at_id``), so a page costs the same at millions of rows as at a hundred.
Every search and every export is itself written to the audit trail.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from applications.bulk import csv_safe

from .audit import Actor, audit_record
from .models import AuditAction, AuditEvent

PAGE_SIZE = 50
EXPORT_BATCH = 2000

# Subject types written by the services (``audit_record(subject_type=…)``).
SUBJECT_TYPES = (
    "application",
    "continuous_enrolment",
    "continuous_run",
    "incident",
    "municipality",
    "outbox_message",
    "person",
    "signal",
    "system",
    "audit_trail",
    "citizen",
)


@dataclass(frozen=True)
class AuditFilter:
    subject_type: str = ""
    subject_id: str = ""
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    def as_data(self) -> dict:
        """The filter as written to the audit trail (JSON)."""
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in self.__dict__.items()
            if value not in ("", None)
        }


@dataclass(frozen=True)
class Cursor:
    """The last row of a page: the next page starts after it (ordering -at, -id)."""

    at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.at.isoformat()}~{self.id}"

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        at_text, _sep, id_text = (value or "").rpartition("~")
        try:
            at = parse_datetime(at_text) if at_text else None
        except ValueError:  # well formed but impossible, like month 13
            return None
        if at is None or timezone.is_naive(at) or not id_text.isdigit() or len(id_text) > 18:
            return None
        return cls(at=at, id=int(id_text))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_matching(criteria: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if criteria.subject_type:
        events = events.filter(subject_type=criteria.subject_type)
    elif criteria.subject_id:
        # The subject index leads with the type: naming every known type keeps the look-up on the index.
        events = events.filter(subject_type__in=SUBJECT_TYPES)
    if criteria.subject_id:
        events = events.filter(subject_id=criteria.subject_id)
    if criteria.actor:
        events = events.filter(actor_label=criteria.actor)
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.date_from:
        events = events.filter(at__gte=_day_start(criteria.date_from))
    if criteria.date_to:
        events = events.filter(at__lt=_day_start(criteria.date_to + timedelta(days=1)))
    return events.order_by("-at", "-id")


def _after(events: QuerySet[AuditEvent], cursor: Cursor | None) -> QuerySet[AuditEvent]:
    if cursor is None:
        return events
    return events.filter(Q(at__lt=cursor.at) | Q(at=cursor.at, id__lt=cursor.id))


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    next_cursor: Cursor | None


def audit_search(*, criteria: AuditFilter, cursor: Cursor | None, user, page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of the search, newest first; the search itself is audited (who searched for what)."""
    rows = list(_after(audit_events_matching(criteria), cursor)[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    audit_record(
        actor=Actor.user(user),
        action=AuditAction.AUDIT_SEARCHED,
        subject_type="audit_trail",
        subject_id="search",
        data={"filter": criteria.as_data(), "after": cursor.encode() if cursor else "", "shown": len(rows)},
    )
    next_cursor = Cursor(at=rows[-1].at, id=rows[-1].id) if more else None
    return AuditPage(events=rows, next_cursor=next_cursor)


def data_text(event: AuditEvent) -> str:
    """The event's data as readable JSON (indented, keys sorted, no escaped accents)."""
    if not event.data:
        return ""
    return json.dumps(event.data, indent=2, sort_keys=True, ensure_ascii=False)


CSV_HEADER = ("at", "actor_kind", "actor_id", "actor", "action", "subject_type", "subject_id", "reason", "data")


def _csv_row(event: AuditEvent) -> list[str]:
    return [
        event.at.isoformat(),
        event.actor_kind,
        csv_safe(event.actor_id),
        csv_safe(event.actor_label),
        event.action,
        event.subject_type,
        csv_safe(event.subject_id),
        csv_safe(event.reason),
        json.dumps(event.data, sort_keys=True, ensure_ascii=False) if event.data else "",
    ]


class _Echo:
    def write(self, value):
        return value


def audit_export_start(*, criteria: AuditFilter, user) -> None:
    """The export is audited before its first row leaves (an interrupted download was still asked for)."""
    audit_record(
        actor=Actor.user(user),
        action=AuditAction.AUDIT_EXPORTED,
        subject_type="audit_trail",
        subject_id="export",
        data={"filter": criteria.as_data()},
    )


def audit_export_lines(criteria: AuditFilter) -> Iterator[str]:
    """The CSV lines of every matching event, newest first, read in keyset batches (constant memory)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    events = audit_events_matching(criteria)
    cursor = None
    while True:
        batch = list(_after(events, cursor)[:EXPORT_BATCH])
        for event in batch:
            yield writer.writerow(_csv_row(event))
        if len(batch) < EXPORT_BATCH:
            return
        cursor = Cursor(at=batch[-1].at, id=batch[-1].id)
