"""Objections in a real browser: one screener registers an objection that came in by letter, a second
screener (not the one who refused) upholds it, and the certificate is issued.

The screeners' sessions (password and authenticator code given) are handed to the browser. The
screens pass axe.
"""

import pytest

from applications.lifecycle import Status
from notifications.models import Letter, LetterKind
from screening.models import Certificate, Objection, ObjectionOutcome
from tests.objection_factories import refused_application
from tests.staff import login_browser_with_second_factor
from tests.test_workbench_case import other_screener  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_screener_registers_an_objection_and_another_upholds_it(
    page,
    browser,
    screener,
    other_screener,  # noqa: F811
    assert_accessible,
    screenshot,
):
    application = refused_application(refused_by=screener)
    login_browser_with_second_factor(page, screener)

    page.goto("/beoordeling/")
    with page.expect_navigation():
        page.locator("nav a[href='/beoordeling/bezwaren/']").click()
    assert page.locator("tr[data-reference]").count() == 0
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("a[href='/beoordeling/bezwaren/registreren/']").click()

    # Without the grounds the form says what is missing and registers nothing.
    page.locator("#id_reference").fill(application.reference)
    with page.expect_navigation():
        page.locator("button[data-once]").click()
    assert page.locator(".justis-form__errors a[href='#id_grounds']").count() == 1
    assert not Objection.objects.exists()
    assert_accessible(page)
    screenshot(page, "1-grounds-missing")

    page.locator("#id_grounds").fill("De weigering houdt geen rekening met mijn werk van de afgelopen vijf jaar.")
    with page.expect_navigation():
        page.locator("button[data-once]").click()
    objection = Objection.objects.get()
    assert page.url.endswith(f"/beoordeling/bezwaren/{objection.pk}/")
    # The screener who refused does not get the decision form.
    assert page.locator("form[action$='/beslissen/']").count() == 0
    assert_accessible(page)
    screenshot(page, "2-registered")

    second = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=page.base_url)
    try:
        other = second.new_page()
        other.set_default_timeout(10_000)
        login_browser_with_second_factor(other, other_screener, base_url=page.base_url)
        other.goto("/beoordeling/bezwaren/")
        row = other.locator(f"tr[data-reference='{application.reference}']")
        assert row.locator("[data-days]").inner_text().strip() != ""
        with other.expect_navigation():
            row.locator("th a").click()
        other.locator(f"input[name='outcome'][value='{ObjectionOutcome.UPHELD}']").check()
        other.locator("#id_motivation").fill("Het risico voor de functie is na vijf jaar zonder nieuwe feiten gering.")
        assert_accessible(other)
        screenshot(other, "3-decide")
        with other.expect_navigation():
            other.locator("form[action$='/beslissen/'] button[type='submit']").click()
        assert other.url.endswith("/beoordeling/bezwaren/")
        assert application.reference in other.locator(".justis-messages").inner_text()
        screenshot(other, "4-upheld")
    finally:
        second.close()

    application.refresh_from_db()
    objection.refresh_from_db()
    assert application.status == Status.ISSUED
    assert objection.outcome == ObjectionOutcome.UPHELD
    assert objection.decided_by == other_screener
    assert Certificate.objects.filter(application=application).count() == 1
    assert Letter.objects.filter(application=application, kind=LetterKind.OBJECTION_DECISION).count() == 1
