"""The warning before an idle session ends, in a real browser, with a short idle time.

Sessions end after SESSION_COOKIE_AGE seconds without a request; SESSION_IDLE_WARNING_SECONDS before
that, the page opens the dialog #session-timeout. The session middleware and the context processor
read both settings per request, so ``override_settings`` reaches the live server's thread.
"""

import re
import time

from django.test import override_settings

import pytest

from tests.browser.test_digital_path import login_organisation

pytestmark = pytest.mark.django_db(transaction=True)

IDLE, WARNING = 8, 5  # the dialog opens after 3 s; the session ends after 8 s


@pytest.fixture
def short_sessions():
    with override_settings(SESSION_COOKIE_AGE=IDLE, SESSION_IDLE_WARNING_SECONDS=WARNING):
        yield


def logged_in_as(page) -> str:
    user = page.locator(".justis-user")
    return user.inner_text() if user.count() else ""


def test_the_idle_warning_keeps_the_session_or_logs_out(
    page, reference_data, short_sessions, assert_accessible, screenshot
):
    login_organisation(page)
    loaded = time.monotonic()
    dialog = page.locator("#session-timeout")
    assert dialog.get_attribute("data-idle-seconds") == str(IDLE)
    assert not dialog.is_visible()

    # The warning opens after IDLE - WARNING seconds, with the focus on "Ingelogd blijven".
    dialog.wait_for(state="visible", timeout=(IDLE - WARNING + 2) * 1000)
    opened_after = time.monotonic() - loaded
    assert IDLE - WARNING - 0.5 <= opened_after <= IDLE - WARNING + 1.5, opened_after
    assert page.evaluate("document.getElementById('session-timeout').open")
    stay = page.get_by_role("button", name="Ingelogd blijven")
    assert page.evaluate("document.activeElement === document.querySelector('#session-timeout [data-stay]')")
    assert page.get_by_role("dialog", name="U wordt zo uitgelogd").is_visible()
    assert_accessible(page)
    screenshot(page, "1-warning-dialog")

    # Enter on the focused button keeps the session: the dialog closes and, past the moment the
    # session would have ended, the next page still shows the organisation logged in.
    with page.expect_response(lambda r: r.url.endswith("/sessie/verlengen/")) as extended:
        page.keyboard.press("Enter")
    assert extended.value.status == 204
    assert not stay.is_visible()
    time.sleep(max(0, IDLE + 1 - (time.monotonic() - loaded)))
    page.goto("/organisatie/")
    assert page.url.endswith("/organisatie/"), page.url
    assert "Kinderopvang De Zonnebloem" in logged_in_as(page)
    assert_accessible(page)

    # Left alone, the page goes to the login page and says why; the session has ended.
    page.wait_for_url(re.compile(r"/inloggen/\?verlopen=1$"), timeout=(IDLE + 3) * 1000)
    message = page.get_by_text("U bent uitgelogd omdat u een tijd niets hebt gedaan.")
    assert message.is_visible()
    assert logged_in_as(page) == ""
    assert page.locator("#session-timeout").count() == 0
    assert_accessible(page)
    screenshot(page, "2-logged-out")
    page.goto("/organisatie/")
    assert "/inloggen/" in page.url  # the portal asks to log in again
