import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api import RETRY_AFTER_SECONDS

DATABASE_ERRORS = (OperationalError, InterfaceError)
STATUS_PATHS = frozenset({"/status/", "/status.json"})
DATABASE_FAILED = "_justis_database_failed"


def _note_database_failure(sender, request=None, **kwargs) -> None:
    """Django turns an error raised in a middleware into a 500 on the spot (its debug page when DEBUG is
    on); mark the request so that ``DatabaseUnavailableMiddleware`` answers 503 instead."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        setattr(request, DATABASE_FAILED, True)


got_request_exception.connect(_note_database_failure, dispatch_uid="justis-database-failed")


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON for the API, else the self-contained maintenance page.

    The page links back to the address asked for (as a GET), so a clerk whose form was kept in
    the browser returns to it and sends it again once the service is back.
    """
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The service is temporarily unavailable. Nothing was saved; please try again later.")},
            status=503,
        )
    else:
        from servicestatus.snapshot import snapshot_read

        # The incidents the team leads published, from the status snapshot (Redis or file), never the database.
        incidents = (snapshot_read() or {}).get("open_incidents", [])
        context = {"retry_path": request.path, "incidents": incidents}
        response = HttpResponse(render_to_string("503.html", context, request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """When PostgreSQL cannot be reached, answer 503 with Retry-After and a page that says what to do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in STATUS_PATHS:
            # The public status page reads a snapshot, never the database: it is served without the
            # session (whose load and save would need PostgreSQL), so it answers during an outage.
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, DATABASE_FAILED, False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return database_unavailable_response(request)
