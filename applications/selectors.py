"""Reads of applications, scoped to who asks: access is decided in the query."""

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from .models import Application, Desk, Municipality


def applications_for_municipality(*, municipality: Municipality) -> QuerySet[Application]:
    """The applications that this municipality forwarded, and no others."""
    return Application.objects.filter(municipality=municipality)


def applications_for_organisation(*, organisation) -> QuerySet[Application]:
    """The requests this organisation prepared, newest first."""
    return Application.objects.filter(organisation=organisation, channel="digital_organisation").order_by("-created_at")


def applications_for_citizen(*, citizen) -> QuerySet[Application]:
    """The applicant's own applications, newest first."""
    return Application.objects.filter(citizen=citizen).order_by("-created_at")


def application_for_citizen(*, citizen, reference: str) -> Application | None:
    return applications_for_citizen(citizen=citizen).filter(reference=reference).first()


def bulk_uploads_for_organisation(*, organisation):
    """This organisation's bulk uploads, newest first."""
    from .models import BulkUpload

    return BulkUpload.objects.filter(organisation=organisation).order_by("-created_at")


# --- The municipal counter: the clerk's own municipality only ------------------------------------

# A municipal day is a Dutch calendar day, whatever the server's clock says.
MUNICIPAL_TIMEZONE = ZoneInfo("Europe/Amsterdam")

_MUNICIPAL_NUMBER_START = re.compile(r"^[0-9]{4}-[0-9-]*$")
_REFERENCE_START = re.compile(r"^(NP|RP|GVA)-", re.IGNORECASE)
_DIGITS = re.compile(r"^[0-9]+$")


def municipal_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the Netherlands (an aware datetime)."""
    return datetime.combine(day, time.min, tzinfo=MUNICIPAL_TIMEZONE)


def _counter_search(term: str) -> Q:
    """One search field: a municipal number, a Justis reference, a whole BSN, or a surname.

    A BSN is only found whole (nine digits; spaces and dots are ignored): part of a BSN finds nothing.
    """
    term = " ".join(term.split())
    if _MUNICIPAL_NUMBER_START.match(term):
        return Q(intake__municipal_number__startswith=term)
    if _REFERENCE_START.match(term):
        return Q(reference__istartswith=term.upper())
    digits = term.replace(" ", "").replace(".", "")
    if _DIGITS.match(digits):
        return Q(applicant__bsn=digits) if len(digits) == 9 else Q(pk__in=[])
    surname = Q(applicant__surname__istartswith=term)
    prefix, _space, last = term.rpartition(" ")
    if prefix:  # "van der Berg": the prefix is kept apart from the surname
        surname |= Q(applicant__surname_prefix__iexact=prefix, applicant__surname__istartswith=last)
    return surname


def counter_applications_for_municipality(
    *,
    municipality: Municipality,
    search: str = "",
    desk: Desk | None = None,
    statuses: Iterable[str] | None = None,
    taken_from: date | None = None,
    taken_to: date | None = None,
) -> QuerySet[Application]:
    """The applications this municipality took at its counters or sent from its system, newest first.

    Only applications with a municipal intake record of one of this municipality's desks. The rows
    come with the applicant, the intake and its desk (one query for a page, whatever its length).
    ``taken_from`` and ``taken_to`` are Dutch calendar days, both included.
    """
    applications = (
        applications_for_municipality(municipality=municipality)
        .filter(intake__desk__municipality=municipality)
        .select_related("applicant", "intake", "intake__desk")
        .order_by("-intake__taken_at", "-pk")
    )
    if search.strip():
        applications = applications.filter(_counter_search(search))
    if desk is not None:
        applications = applications.filter(intake__desk=desk)
    if statuses is not None:
        applications = applications.filter(status__in=list(statuses))
    if taken_from is not None:
        applications = applications.filter(intake__taken_at__gte=municipal_day_start(taken_from))
    if taken_to is not None:
        applications = applications.filter(intake__taken_at__lt=municipal_day_start(taken_to + timedelta(days=1)))
    return applications


def counter_application_for_municipality(*, municipality: Municipality, municipal_number: str) -> Application | None:
    """One application of this municipality by its municipal number; None for any other municipality's."""
    return (
        applications_for_municipality(municipality=municipality)
        .filter(intake__desk__municipality=municipality, intake__municipal_number=municipal_number)
        .select_related("applicant", "intake", "intake__desk", "intake__clerk", "organisation")
        .first()
    )


def desks_of_municipality(*, municipality: Municipality) -> QuerySet[Desk]:
    return Desk.objects.filter(municipality=municipality).order_by("code")
