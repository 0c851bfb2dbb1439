"""The municipality's daily report: per desk, what was taken at the counter on one Dutch calendar day.

``daily_report`` counts in one aggregate query over the desks of the municipality (desks without
applications that day are in it with zeros). ``daily_report_csv`` writes the same rows for a
spreadsheet set to Dutch and leaves an audit entry of the export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils.translation import gettext as _

from justis.audit import Actor, audit_record
from justis.models import AuditAction

from ..bulk import csv_safe
from ..models import CounterPaymentMethod, Municipality, PersonalDataSource
from ..selectors import desks_of_municipality, municipal_day_start


@dataclass(frozen=True)
class DeskDay:
    """One desk's day (or the total of all desks, with an empty code)."""

    code: str
    name: str
    taken: int = 0
    urgent: int = 0
    manual: int = 0
    pin_cents: int = 0
    cash_cents: int = 0

    @property
    def fees_cents(self) -> int:
        return self.pin_cents + self.cash_cents


@dataclass(frozen=True)
class DailyReport:
    municipality: Municipality
    day: date
    desks: tuple[DeskDay, ...]

    @property
    def total(self) -> DeskDay:
        return DeskDay(
            code="",
            name=_("Total"),
            taken=sum(desk.taken for desk in self.desks),
            urgent=sum(desk.urgent for desk in self.desks),
            manual=sum(desk.manual for desk in self.desks),
            pin_cents=sum(desk.pin_cents for desk in self.desks),
            cash_cents=sum(desk.cash_cents for desk in self.desks),
        )


def daily_report(*, municipality: Municipality, day: date) -> DailyReport:
    """Per desk of ``municipality``: applications taken on ``day`` (Europe/Amsterdam), urgent ones, ones
    with personal data entered by hand, and the fees taken by PIN and in cash. One query.
    """
    start, end = municipal_day_start(day), municipal_day_start(day + timedelta(days=1))
    # The day's condition sits in the join, so a desk without applications that day still has its row.
    rows = (
        desks_of_municipality(municipality=municipality)
        .annotate(
            day_intakes=FilteredRelation(
                "intakes", condition=Q(intakes__taken_at__gte=start, intakes__taken_at__lt=end)
            )
        )
        .values("code", "name")
        .annotate(
            taken=Count("day_intakes"),
            urgent=Count("day_intakes", filter=~Q(day_intakes__application__urgent_reason="")),
            manual=Count("day_intakes", filter=Q(day_intakes__personal_data_source=PersonalDataSource.MANUAL)),
            pin_cents=Sum(
                "day_intakes__fee_cents",
                filter=Q(day_intakes__payment_method=CounterPaymentMethod.PIN),
                default=0,
            ),
            cash_cents=Sum(
                "day_intakes__fee_cents",
                filter=Q(day_intakes__payment_method=CounterPaymentMethod.CASH),
                default=0,
            ),
        )
        .order_by("code")
    )
    return DailyReport(municipality=municipality, day=day, desks=tuple(DeskDay(**row) for row in rows))


def amount(cents: int) -> str:
    """41,35: euros with a decimal comma and no currency sign, as a Dutch spreadsheet reads a number."""
    return f"{cents // 100},{cents % 100:02d}"


def daily_report_filename(*, municipality: Municipality, day: date) -> str:
    return f"vog-balie-{municipality.code}-{day.isoformat()}.csv"


def daily_report_csv(*, municipality: Municipality, day: date, actor: Actor) -> str:
    """The daily report as CSV text (semicolons, decimal commas, starting with a byte order mark so
    that spreadsheets read it as UTF-8). Writes the audit entry of the export.
    """
    report = daily_report(municipality=municipality, day=day)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("Location code"),
            _("Desk"),
            _("Applications taken"),
            _("Urgent"),
            _("Personal data entered by hand"),
            _("Fees by PIN (EUR)"),
            _("Fees in cash (EUR)"),
            _("Fees in total (EUR)"),
        ]
    )
    for row in (*report.desks, report.total):
        writer.writerow(
            [
                row.code,
                csv_safe(str(row.name)),
                row.taken,
                row.urgent,
                row.manual,
                amount(row.pin_cents),
                amount(row.cash_cents),
                amount(row.fees_cents),
            ]
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.MUNICIPAL_REPORT_EXPORTED,
            subject_type="municipality",
            subject_id=municipality.code,
            data={"day": day.isoformat(), "applications": report.total.taken},
        )
    return buffer.getvalue()
