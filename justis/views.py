from django.http import JsonResponse
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
