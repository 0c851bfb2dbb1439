"""Reads of applications, scoped to who asks: access is decided in the query."""

from django.db.models import QuerySet

from .models import Application, Municipality


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
