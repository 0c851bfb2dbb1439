"""The site's URLs plus two that fail, for the tests of the error pages (ROOT_URLCONF in a test)."""

from django.db import OperationalError
from django.urls import include, path


def boom(request):
    raise RuntimeError("a bug, for the 500 page")


def database_down(request):
    raise OperationalError("connection refused, for the 503 page")


urlpatterns = [
    path("test-fout/", boom),
    path("test-database-weg/", database_down),
    path("", include("justis.urls")),
]

handler400 = "justis.views.bad_request"
handler500 = "justis.views.server_error"
