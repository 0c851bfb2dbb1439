"""API-wide behaviour: errors are JSON, and a database outage is a 503 with Retry-After, never a 500."""

from django.db import DatabaseError
from django.utils.translation import gettext as _

from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

RETRY_AFTER_SECONDS = 30


def exception_handler(exc, context):
    if type(exc) is Throttled:
        # DRF's own wording for views without a message of their own (the schema and its documentation).
        from applications.api.throttling import TooManyRequestsFromAddress

        exc = TooManyRequestsFromAddress(exc.wait)
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, DatabaseError):
        response = Response(
            {"detail": _("The service is temporarily unavailable. Nothing was saved; please try again later.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return response
