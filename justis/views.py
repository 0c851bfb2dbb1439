from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "home.html")


def bad_request(request, exception=None):
    """400 for requests Django refuses before any view runs (e.g. a body over the size limit)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("The request could not be read: it is too large or malformed.")}, status=400)
    return render(request, "400.html", status=400)


def server_error(request):
    """500, except when the database was the cause (raised outside a view, e.g. by a middleware): then 503."""
    import sys

    from django.template.loader import render_to_string

    from .middleware import DATABASE_ERRORS, database_unavailable_response

    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on our side. Please try again later.")}, status=500)
    return HttpResponse(render_to_string("500.html", request=None), status=500)
