"""Rate limits per client address: staff login posts, DigiD/eHerkenning login starts, form posts of the web
pages, and API requests without a valid token (justis/ratelimit.py, applications/api/throttling.py).

Each test sets a small rate; the counts live in the test process's Redis database and are forgotten
between tests (tests/conftest.py).
"""

from __future__ import annotations

import json
import logging

from django.core.cache.backends.redis import RedisCache

import pytest

from applications.api.throttling import AddressRateThrottle

STAFF_LOGIN = "/medewerkers/inloggen/"
SET_LANGUAGE = "/i18n/setlang/"


def staff_login_post(client, **extra):
    data = {"staff_login_view-current_step": "auth", "auth-username": "nobody", "auth-password": "wrong"}
    return client.post(STAFF_LOGIN, data, **extra)


def assert_limited_page(response) -> None:
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    html = response.content.decode()
    assert f"Too many requests from your address. Try again in {seconds} second" in html
    assert "utrecht-skip-link" in html, "the page extends base.html"
    assert "Content-Security-Policy" in response.headers


def test_staff_login_posts_are_limited_per_address(client, db, settings):
    settings.STAFF_LOGIN_RATE = "3/min"
    for _ in range(3):
        assert staff_login_post(client, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert_limited_page(staff_login_post(client, HTTP_ACCEPT_LANGUAGE="en"))
    # Reading the login page is not a login attempt.
    assert client.get(STAFF_LOGIN).status_code == 200
    # Another address has its own count.
    assert staff_login_post(client, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_limited_page_is_in_dutch_by_default(client, db, settings):
    settings.STAFF_LOGIN_RATE = "1/min"
    staff_login_post(client)
    response = staff_login_post(client)
    assert response.status_code == 429
    assert '<html lang="nl">' in response.content.decode()


def test_forwarded_for_is_ignored_without_proxies(client, db, settings):
    settings.STAFF_LOGIN_RATE = "2/min"
    for number in range(2):
        assert staff_login_post(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code == 200
    assert staff_login_post(client, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_forwarded_for_counts_behind_configured_proxies(client, db, settings):
    settings.STAFF_LOGIN_RATE = "2/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(2):
        assert staff_login_post(client, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert staff_login_post(client, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert staff_login_post(client, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_login_starts_are_limited_per_address(client, db, settings):
    settings.LOGIN_START_RATE = "2/min"
    for _ in range(2):
        assert client.get("/digid/login/", {"next": "/mijnjustis/"}).status_code != 429
    assert_limited_page(client.get("/digid/login/", {"next": "/mijnjustis/"}, HTTP_ACCEPT_LANGUAGE="en"))
    # The eHerkenning (demo) start counts in the same scope.
    assert client.get("/inloggen/eherkenning-demo/").status_code == 429
    # Other pages are not login starts.
    assert client.get("/inloggen/").status_code == 200


def test_form_posts_are_limited_per_address(client, db, settings):
    settings.FORM_POST_RATE = "3/min"
    for _ in range(3):
        assert client.post(SET_LANGUAGE, {"language": "en", "next": "/"}).status_code == 302
    assert_limited_page(client.post(SET_LANGUAGE, {"language": "en", "next": "/"}))
    # Reading pages goes on.
    assert client.get("/").status_code == 200
    assert client.post(SET_LANGUAGE, {"language": "en"}, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_the_payment_webhook_is_not_counted(client, db, settings):
    """The provider's servers call it for every payment (RATE_LIMIT_EXEMPT_VIEWS)."""
    settings.FORM_POST_RATE = "1/min"
    for _ in range(3):
        assert client.post("/betalen/webhook/demo/", {"id": "demo_unknown"}).status_code == 200
    assert client.post(SET_LANGUAGE, {"language": "en"}).status_code == 302
    assert client.post(SET_LANGUAGE, {"language": "en"}).status_code == 429


def test_requests_pass_when_redis_is_down(client, db, settings, monkeypatch, caplog):
    settings.STAFF_LOGIN_RATE = "1/min"
    settings.FORM_POST_RATE = "1/min"
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}})
    monkeypatch.setattr(AddressRateThrottle, "cache", down)
    with caplog.at_level(logging.WARNING, logger="applications.api.throttling"):
        for _ in range(3):
            assert staff_login_post(client).status_code == 200
    assert "ip_staff_login limit not applied: the cache cannot be reached" in caplog.text


# --- API -------------------------------------------------------------------------------------------


def test_api_requests_without_a_token_are_limited_per_address(client, db, settings):
    settings.API_ANONYMOUS_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/schema/").status_code == 200
    response = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert json.loads(response.content) == {
        "detail": f"Too many requests from your address. Try again in {seconds} second{'s' if seconds > 1 else ''}."
    }
    assert client.get("/api/schema/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_wrong_tokens_are_counted_before_they_are_refused(client, db, settings, api):
    settings.API_ANONYMOUS_RATE = "2/min"
    wrong = {"HTTP_AUTHORIZATION": "Token guessed", "HTTP_ACCEPT_LANGUAGE": "en"}
    for _ in range(2):
        response = client.get("/api/v1/applications/ABC/", **wrong)
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid or revoked token."
    response = client.get("/api/v1/applications/ABC/", **wrong)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert client.get("/api/v1/applications/ABC/").status_code == 429, "no token at all counts too"
    # A valid token from the same address is not counted here (its token has its own limit).
    for _ in range(3):
        assert api.get("/api/v1/applications/ABC/").status_code == 404


def test_the_certificate_check_api_counts_as_anonymous(client, db, settings):
    settings.API_ANONYMOUS_RATE = "2/min"
    settings.VERIFY_RATE = "100/min"
    for _ in range(2):
        assert client.get("/api/v1/certificates/verify/AAAA-BBBB-CCCC-DDDD/").status_code == 404
    assert client.get("/api/v1/certificates/verify/AAAA-BBBB-CCCC-DDDD/").status_code == 429


@pytest.mark.parametrize("name", ["STAFF_LOGIN_RATE", "LOGIN_START_RATE", "FORM_POST_RATE", "API_ANONYMOUS_RATE"])
def test_rates_are_read_from_the_environment_and_checked(name):
    from tests.test_settings import manage

    result = manage("shell", "-c", f"from django.conf import settings; print(settings.{name})", env={name: "7/hour"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "7/hour"
    result = manage("check", env={name: "lots"})
    assert result.returncode != 0
    assert f"{name} must look like" in result.stderr
