from django.conf import settings
from django.db import OperationalError
from django.test import RequestFactory, override_settings

import pytest

from justis.middleware import DatabaseUnavailableMiddleware


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_database_outage_is_a_friendly_503_with_retry_after():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    page = middleware.process_exception(RequestFactory().get("/"), OperationalError("connection refused"))
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "Tijdelijk niet beschikbaar" in page.content.decode()
    assert "Temporarily unavailable" in page.content.decode()
    api = middleware.process_exception(RequestFactory().post("/api/v1/applications/"), OperationalError("down"))
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("a bug")) is None


@pytest.mark.django_db
def test_home_page_in_dutch_and_english(client):
    dutch = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 200
    assert "Verklaring Omtrent het Gedrag" in dutch.content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Certificate of Conduct" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.django_db
def test_the_header_says_who_is_logged_in(client, django_user_model):
    user = django_user_model.objects.create_user("jjansen", password="a-long-test-password", first_name="Jan")
    user.last_name = "Jansen"
    user.save()
    assert "Ingelogd als" not in client.get("/").content.decode()
    client.force_login(user)
    page = client.get("/").content.decode()
    assert '<span class="justis-user__name">Jan Jansen</span>' in page


def test_messages_render_as_alerts_with_a_role():
    from django.contrib import messages
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template.loader import render_to_string

    request = RequestFactory().get("/")
    request.session, request.user = {}, AnonymousUser()
    request._messages = FallbackStorage(request)
    messages.success(request, "Uw aanvraag is verstuurd.")
    messages.error(request, "De betaling is mislukt.")
    page = render_to_string("home.html", request=request)
    assert '<div class="utrecht-alert utrecht-alert--ok" role="status">' in page
    assert '<div class="utrecht-alert utrecht-alert--error" role="alert">' in page
    assert "Uw aanvraag is verstuurd." in page


@pytest.fixture
def unreachable_database():
    """Point the connection at a port where no PostgreSQL listens, as in an outage; restore afterwards."""
    from django.db import connection

    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict["PORT"] = port


@pytest.mark.django_db(transaction=True)
def test_a_clerk_forwarding_during_a_database_outage_gets_the_maintenance_page(clerk_client, unreachable_database):
    clerk_client.raise_request_exception = False
    response = clerk_client.post("/balie/", {"surname": "Jansen"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Uw browser heeft bewaard wat u typte" in page
    assert '<a href="/balie/">Opnieuw proberen</a>' in page


@pytest.mark.django_db(transaction=True)
def test_a_database_error_outside_a_view_is_a_503_too(client, unreachable_database):
    """A middleware that reads the database fails before any view: the error handler answers 503."""
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, "tests.test_web.EagerUser"]):
        response = client.get("/")
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.content.decode()


class EagerUser:
    """A middleware that touches request.user (as an access log or a 2FA check would)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 - loads the session and the user from the database
        return self.get_response(request)


@pytest.mark.django_db(transaction=True)
def test_a_database_error_outside_a_view_is_a_503_with_debug_on_too(client, unreachable_database):
    """``make run`` serves with DEBUG on: an outage still shows the maintenance page, not Django's debug page."""
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    with override_settings(DEBUG=True, MIDDLEWARE=[*settings.MIDDLEWARE, "tests.test_web.EagerUser"]):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
        api = client.get("/api/v1/applications/NP-X/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Tijdelijk niet beschikbaar" in response.content.decode()
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
