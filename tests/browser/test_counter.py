"""The counter intake in a real browser.

A clerk (logged in with both factors; the staff login page is not part of this screen) fetches the
applicant from the population register, completes the form and forwards it; the done page shows the
municipal number. What the clerk types is kept in the browser: a reload brings it back, and when the
answer to "forward" is lost (the service was unavailable) the restored draft forwards the same
application again, never a second one. Every page passes axe and gets a screenshot.
"""

import json
import re

import pytest

from applications.models import Application
from justis.models import AuditAction, AuditEvent
from tests.staff import login_browser_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = "Object.keys(localStorage).filter(key => key.startsWith('justis.counter.draft:'))"
MUNICIPAL_NUMBER = re.compile(r"^0363-01-\d{8}-\d{4}$")


def fetch_from_register(page, bsn="999990032"):
    page.fill("#id_bsn", bsn)
    with page.expect_navigation():
        page.click("button[name='action'][value='brp']")


def fill_the_rest(page):
    """What the register does not know: the organisation, purpose, screening and the desk's part."""
    page.fill("#id_org_name", "Taxi Centraal B.V.")
    page.fill("#id_org_representative", "A. Visser")
    page.fill("#id_org_street", "Stationsplein")
    page.fill("#id_org_house_number", "1a")
    page.fill("#id_org_postcode", "1012 AB")
    page.fill("#id_org_city", "Amsterdam")
    page.fill("#id_org_phone", "020 1234567")
    page.fill("#id_position", "Taxichauffeur")
    page.check("input[name='functieaspecten'][value='84']")
    page.select_option("#id_id_document_kind", "passport")
    page.fill("#id_id_document_number_end", "x4b2")
    page.check("input[name='payment_method'][value='pin']")
    page.check("#id_fee_received")


def forward(page):
    with page.expect_navigation():
        page.click("button[name='action'][value='forward']")


def test_a_clerk_fetches_the_applicant_and_forwards(page, clerk, assert_accessible, screenshot):
    login_browser_with_second_factor(page, clerk)
    page.goto("/balie/")
    assert_accessible(page)
    screenshot(page, "1-empty-form")

    fetch_from_register(page)
    assert page.input_value("#id_given_names") == "Pieter"
    assert page.input_value("#id_surname_prefix") == "de"
    assert page.input_value("#id_birth_date") == "28-02-1985"
    assert page.input_value("#id_postcode") == "9711 NN"
    fill_the_rest(page)
    # Enter in a field sends nothing: no second read of the register, no early forward.
    reads = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).count()
    page.press("#id_phone", "Enter")
    page.wait_for_timeout(1000)
    assert page.url.endswith("/balie/")
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).count() == reads
    assert not Application.objects.exists()
    # A yes shows the explanation that goes with it.
    assert not page.is_visible("#id_special_findings_text")
    page.check("input[name='special_findings'][value='yes']")
    assert page.is_visible("#id_special_findings_text")
    page.fill("#id_special_findings_text", "Paspoort beschadigd")
    assert_accessible(page)
    screenshot(page, "2-filled-in")

    forward(page)
    assert re.search(r"/balie/doorgezet/NP-", page.url)
    number = page.inner_text("[data-municipal-number]")
    assert MUNICIPAL_NUMBER.match(number), number
    application = Application.objects.get()
    assert application.intake.municipal_number == number
    assert application.intake.special_findings_text == "Paspoort beschadigd"
    assert page.evaluate(DRAFTS) == []
    assert_accessible(page)
    screenshot(page, "3-done")


def test_the_draft_survives_a_reload_and_a_lost_answer_without_a_second_application(
    page, clerk, assert_accessible, screenshot
):
    login_browser_with_second_factor(page, clerk)
    page.goto("/balie/")
    notice = page.locator("[data-draft-notice]")
    assert not notice.is_visible()

    # Typed, then reloaded: everything comes back, with the form's first key; never the CSRF token.
    key = page.input_value("#id_idempotency_key")
    page.fill("#id_bsn", "999990032")
    page.fill("#id_org_name", "Taxi Centraal B.V.")
    page.check("input[name='circumstances'][value='yes']")
    page.fill("#id_circumstances_text", "Nachtritten")
    page.reload()
    assert notice.is_visible()
    assert page.input_value("#id_bsn") == "999990032"
    assert page.input_value("#id_org_name") == "Taxi Centraal B.V."
    assert page.is_checked("input[name='circumstances'][value='yes']")
    assert page.input_value("#id_circumstances_text") == "Nachtritten"
    assert page.is_visible("#id_circumstances_text")
    assert page.input_value("#id_idempotency_key") == key
    [draft_key] = page.evaluate(DRAFTS)
    draft = json.loads(page.evaluate("key => localStorage.getItem(key)", draft_key))
    assert "csrfmiddlewaretoken" not in draft["fields"]
    assert_accessible(page)
    screenshot(page, "1-draft-restored")

    # Forwarded, but the answer is lost (the service was unavailable): the draft stays.
    fetch_from_register(page)
    fill_the_rest(page)

    def lose_the_answer(route):
        route.fetch(max_redirects=0)
        route.fulfill(status=503, content_type="text/html", body="<html lang='nl'><title>503</title></html>")

    page.route("**/balie/", lose_the_answer)
    forward(page)
    page.unroute("**/balie/")
    assert Application.objects.count() == 1
    assert page.evaluate(DRAFTS) == [draft_key]

    # Opening the counter again restores the draft; forwarding it gives the same application.
    page.goto("/balie/")
    assert notice.is_visible()
    assert page.input_value("#id_idempotency_key") == key
    forward(page)
    number = page.inner_text("[data-municipal-number]")
    assert Application.objects.count() == 1
    assert Application.objects.get().intake.municipal_number == number
    assert page.evaluate(DRAFTS) == []

    # A new form starts empty, with a new key; a restored draft can be thrown away.
    page.goto("/balie/")
    assert not notice.is_visible()
    assert page.input_value("#id_bsn") == ""
    assert page.input_value("#id_idempotency_key") != key
    page.fill("#id_bsn", "999990019")
    page.reload()
    assert page.input_value("#id_bsn") == "999990019"
    with page.expect_navigation():
        page.click("[data-draft-discard]")
    assert page.input_value("#id_bsn") == ""
    assert not notice.is_visible()
    assert page.evaluate(DRAFTS) == []


def test_the_clerk_finds_an_application_and_reads_the_daily_report(page, clerk, desk, assert_accessible, screenshot):
    from applications.models import PersonalDataSource
    from tests.factories import counter_application

    typed = counter_application(desk, surname="Visser", personal_data_source=PersonalDataSource.MANUAL)
    counter_application(desk, surname="Bakker", payment_method="cash")
    login_browser_with_second_factor(page, clerk)
    page.goto("/balie/aanvragen/")
    assert page.locator("tbody tr").count() == 2
    assert_accessible(page)
    screenshot(page, "1-overview")

    page.fill("input[name='q']", "Visser")
    with page.expect_navigation():
        page.press("input[name='q']", "Enter")
    assert page.locator("tbody tr").count() == 1
    with page.expect_navigation():
        page.click(f"text={typed.intake.municipal_number}")
    assert typed.reference in page.content()
    assert_accessible(page)
    screenshot(page, "2-detail")

    page.goto("/balie/rapport/")
    row = page.locator("tr[data-desk='01']")
    assert row.locator("td").first.inner_text() == "2"
    assert_accessible(page)
    screenshot(page, "3-report")
