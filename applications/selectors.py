"""Reads of applications, scoped to who asks: access is decided in the query."""

from django.db.models import QuerySet

from .models import Application, Municipality


def applications_for_municipality(*, municipality: Municipality) -> QuerySet[Application]:
    """The applications that this municipality forwarded, and no others."""
    return Application.objects.filter(municipality=municipality)
