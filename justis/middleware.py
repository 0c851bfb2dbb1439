from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api import RETRY_AFTER_SECONDS


class DatabaseUnavailableMiddleware:
    """When PostgreSQL cannot be reached, answer 503 with Retry-After and a page that says what to do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": _("The service is temporarily unavailable. Nothing was saved; please try again later.")},
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
