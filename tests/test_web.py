from django.db import OperationalError
from django.test import RequestFactory

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
