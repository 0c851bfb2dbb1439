"""The staff login in a real browser: a clerk gives the password, then the authenticator app's code."""

import re

from django.utils import translation

import pytest
from django_otp.oath import totp

pytestmark = pytest.mark.django_db(transaction=True)


def dutch(message: str) -> str:
    with translation.override("nl"):
        return str(translation.gettext(message))


def test_a_clerk_logs_in_with_password_and_code_and_lands_at_the_counter(page, clerk, assert_accessible, screenshot):
    page.goto("/balie/")
    page.wait_for_url(re.compile(r"/medewerkers/inloggen/\?next=/balie/$"))
    assert page.get_by_role("heading", level=1).inner_text() == dutch("Log in for staff")
    assert_accessible(page)
    screenshot(page, "1-password")

    page.get_by_label("Gebruikersnaam").fill("clerk.amsterdam")
    page.get_by_label("Wachtwoord").fill("correct horse battery staple")
    page.keyboard.press("Enter")

    code_field = page.get_by_label(dutch("Code from the authenticator app"))
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    assert page.evaluate("document.activeElement.name") == "token-otp_token"
    code_field.fill("12 34")  # too short: said next to the field and in the summary, not counted as an attempt
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").filter(has_text=dutch("The code has 6 digits.")).is_visible()
    assert code_field.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    screenshot(page, "2-code-error")

    device = clerk.totpdevice_set.get()
    code_field.fill(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/balie/$"))
    assert page.locator("h1").inner_text() == dutch("New VOG application at the counter")
