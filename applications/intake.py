"""The municipal intake: what the counter (or the municipal system) records besides the application.

``IntakeData`` travels with ``application_receive`` so the application, its intake record and its
municipal number are written in one transaction. The municipal number is GGGG-LL-YYYYMMDD-NNNN:
municipality code, desk (location) code, date, and the desk's daily sequence (domain.md §1.1.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone

from .models import Desk, IdentityVerification, MayorAdvice, MunicipalIntake, PersonalDataSource

DAILY_SEQUENCE_MAX = 9999

# The municipal remark flags: (flag field, explanation field). Each is a yes/no with a required
# explanation when yes.
REMARK_FLAGS = (
    ("special_findings", "special_findings_text"),
    ("persisted", "persisted_text"),
    ("covog_advice_requested", "covog_advice_text"),
    ("general_explanation", "general_explanation_text"),
)


class DeskSequenceExhausted(Exception):
    """A desk handed out 9999 numbers today: the four digits of the daily sequence are used up."""


@dataclass(frozen=True)
class IntakeData:
    desk: Desk
    personal_data_source: str
    id_document_kind: str
    id_document_number_end: str
    payment_method: str
    clerk: object = None
    special_findings: bool = False
    special_findings_text: str = ""
    persisted: bool = False
    persisted_text: str = ""
    covog_advice_requested: bool = False
    covog_advice_text: str = ""
    general_explanation: bool = False
    general_explanation_text: str = ""
    mayor_advice: str = MayorAdvice.UNKNOWN
    remark: str = ""
    # The organisation as on the form: representative, street, house_number, postcode, city, country, phone.

    @property
    def identity_verification(self) -> str:
        """Data typed by hand (the population register could not be read) is checked later."""
        if self.personal_data_source == PersonalDataSource.MANUAL:
            return IdentityVerification.PENDING
        return IdentityVerification.NOT_NEEDED


def desk_sequence_next(desk: Desk, day: date) -> int:
    """The next number of the desk's daily sequence; must run inside the application's transaction.

    One upsert: concurrent counters at the same desk wait for each other's commit, and a rolled-back
    intake gives its number back.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO applications_deskdaysequence (desk_id, day, last) VALUES (%s, %s, 1)
            ON CONFLICT (desk_id, day) DO UPDATE SET last = applications_deskdaysequence.last + 1
            RETURNING last
            """,
            [desk.pk, day],
        )
        (number,) = cursor.fetchone()
    if number > DAILY_SEQUENCE_MAX:
        raise DeskSequenceExhausted(f"desk {desk} handed out {DAILY_SEQUENCE_MAX} numbers on {day}")
    return number


def municipal_number(desk: Desk, day: date, sequence: int) -> str:
    return f"{desk.municipality.code}-{desk.code}-{day:%Y%m%d}-{sequence:04d}"


def intake_record(*, application, data: IntakeData, fee_cents: int) -> MunicipalIntake:
    """Write the intake of ``application`` (called by ``application_receive`` in its transaction)."""
    now = timezone.now()
    day = timezone.localdate(now)
    sequence = desk_sequence_next(data.desk, day)
    return MunicipalIntake.objects.create(
        application=application,
        municipal_number=municipal_number(data.desk, day, sequence),
        desk=data.desk,
        clerk=data.clerk,
        taken_at=now,
        personal_data_source=data.personal_data_source,
        id_document_kind=data.id_document_kind,
        id_document_number_end=data.id_document_number_end.upper(),
        payment_method=data.payment_method,
        fee_cents=fee_cents,
        mayor_advice=data.mayor_advice,
        remark=data.remark,
        **{flag: getattr(data, flag) for flag, _text in REMARK_FLAGS},
        **{text: getattr(data, text) if getattr(data, flag) else "" for flag, text in REMARK_FLAGS},
    )
