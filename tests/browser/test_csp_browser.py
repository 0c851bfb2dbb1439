"""The Content Security Policy in a real browser: the pages of every portal load and work without Chromium
blocking anything (no ``securitypolicyviolation`` event, no CSP error in the console).

The listener is added through Playwright (an init script and a binding over the DevTools protocol), which
the page's policy does not govern. The first test shows that it does see a violation.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client

import pytest

from tests.factories import with_theft
from tests.portal import login_with_digid
from tests.staff import login_browser_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)

LISTENER = """
document.addEventListener('securitypolicyviolation', event => window.__cspViolation(
    [event.effectiveDirective, event.blockedURI || '(inline)', (event.sourceFile || '') + ':' + event.lineNumber,
     document.location.pathname].join(' | ')
), true);
"""
JUSTIS_BLUE = "rgb(21, 66, 115)"


@pytest.fixture
def violations(page):
    """What Chromium blocked on ``page``, as text: violation events and CSP errors in the console."""
    found: list[str] = []
    page.context.expose_binding("__cspViolation", lambda source, text: found.append(text))
    page.context.add_init_script(LISTENER)
    page.on(
        "console",
        lambda message: (
            found.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def visit(page, path: str, status: int = 200):
    response = page.goto(path)
    assert response.status == status, path
    assert response.headers.get("content-security-policy"), f"{path}: no policy"
    page.wait_for_load_state("networkidle")
    return response


def assert_nothing_blocked(page, violations):
    page.wait_for_timeout(200)  # violation events are reported asynchronously
    assert not violations, "\n".join(violations)


def test_the_listener_sees_a_violation(page, violations, live_server):
    """A page of the live server's address with an inline style under the site's policy."""
    header = "default-src 'self'; style-src 'self'; script-src 'self'"
    page.route(
        f"{live_server.url}/proef-inline/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": header},
            body="<!DOCTYPE html><html lang='nl'><title>x</title><p style='color: red'>x</p></html>",
        ),
    )
    page.goto("/proef-inline/")
    page.wait_for_timeout(300)
    assert any("style-src" in violation for violation in violations), violations


def test_public_pages(page, violations):
    for path, status in [("/", 200), ("/inloggen/", 200), ("/controleren/", 200), ("/status/", 200)]:
        visit(page, path, status)
    visit(page, "/bestaat-niet/", 404)
    # The language switch (a form post) and the page in English.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_nothing_blocked(page, violations)


def test_citizen_pages(page, violations):
    application = with_theft("999990032")
    client = Client()
    citizen = login_with_digid(client, "999990032")
    type(application).objects.filter(pk=application.pk).update(citizen=citizen)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )
    visit(page, "/mijnjustis/")
    visit(page, f"/mijnjustis/{application.reference}/")
    assert_nothing_blocked(page, violations)


def test_organisation_portal(page, violations, org_user):
    visit(page, "/inloggen/")
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/organisatie/")
    visit(page, "/organisatie/")
    visit(page, "/organisatie/aanvraag-klaarzetten/")
    visit(page, "/organisatie/meerdere-klaarzetten/")
    assert_nothing_blocked(page, violations)


def test_counter_pages(page, violations, clerk):
    login_browser_with_second_factor(page, clerk)
    visit(page, "/balie/")
    page.fill("#id_bsn", "999990032")
    with page.expect_navigation():
        page.click("button[name='action'][value='brp']")  # the counter's script keeps a draft meanwhile
    visit(page, "/balie/aanvragen/")
    visit(page, "/balie/rapport/")
    assert_nothing_blocked(page, violations)


def test_screener_pages(page, violations, screener):
    application = with_theft("999990032")
    login_browser_with_second_factor(page, screener)
    visit(page, "/beoordeling/")
    visit(page, f"/beoordeling/zaken/{application.reference}/")
    assert page.locator(".case-record").first.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    visit(page, "/beoordeling/bezwaren/")
    visit(page, "/beoordeling/signalen/")
    assert_nothing_blocked(page, violations)


def test_staff_login_page(page, violations):
    visit(page, "/medewerkers/inloggen/")
    assert_nothing_blocked(page, violations)


def test_api_docs_render(page, violations):
    visit(page, "/api/docs/")
    page.locator("#swagger-ui .opblock").first.wait_for()
    assert page.locator("#swagger-ui .opblock").count() > 1
    assert_nothing_blocked(page, violations)


@pytest.mark.parametrize(("path", "status"), [("/test-fout/", 500), ("/test-database-weg/", 503)])
def test_error_pages(page, violations, settings, path, status):
    settings.ROOT_URLCONF = "tests.csp_urls"
    visit(page, path, status)
    assert page.locator("h1").evaluate("el => getComputedStyle(el).color") == JUSTIS_BLUE, "errors.css loaded"
    assert_nothing_blocked(page, violations)


def test_digid_mock_login(page, violations):
    """The DigiD mock of development (its pages come from django-digid-eherkenning, overridden in templates/)."""
    visit(page, "/inloggen/")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.locator("a.login_tile[href*='inloggen_bsn']").wait_for()
    page.wait_for_load_state("networkidle")
    page.locator("a.login_tile[href*='inloggen_bsn']").click()
    page.locator("input[name='auth_bsn']").fill("999990019")
    page.locator("#submit-button").click()
    page.wait_for_url("**/mijnjustis/")
    assert_nothing_blocked(page, violations)
