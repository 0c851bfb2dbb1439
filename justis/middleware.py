from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api import RETRY_AFTER_SECONDS

DATABASE_ERRORS = (OperationalError, InterfaceError)
STATUS_PATHS = frozenset({"/status/", "/status.json"})


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
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return database_unavailable_response(request)
