"""An intake officer enters the e-mailed form of a person not registered in the Netherlands, in a real browser.

The officer (logged in with both factors) opens the paper back office, chooses the RNI form, fills it
in with a PDF scan, and lands on the detail page of the received application. Every page passes axe
(no serious or critical violation) and gets a screenshot.
"""

import re

import pytest

from applications.models import Application, ScannedDocument
from justis.roles import Role
from tests.staff import login_browser_with_second_factor, staff_user

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log_in_as_intake_officer(page, live_server):
    """The session of an officer who gave the password and the authenticator code, handed to the browser."""
    officer = staff_user("intake.justis", Role.INTAKE_OFFICER)
    login_browser_with_second_factor(page, officer, base_url=live_server.url)


def test_an_intake_officer_enters_an_rni_application_with_a_scan(
    page, live_server, reference_data, assert_accessible, screenshot
):
    log_in_as_intake_officer(page, live_server)

    page.goto("/backoffice/papier/")
    assert_accessible(page)
    screenshot(page, "1-list")
    page.locator("a[href='/backoffice/papier/nieuw/rni/']").click()
    page.wait_for_url(re.compile(r"/nieuw/rni/$"))
    assert page.locator("input[type='file']#id_scan").get_attribute("accept") == ".pdf,.jpg,.jpeg,.png"
    assert_accessible(page)

    page.locator("#id_position").fill("Verpleegkundige")
    page.locator("input[name='functieaspecten'][value='84']").check()
    page.locator("#id_given_names").fill("Anna Maria")
    page.locator("#id_surname").fill("Kowalska")
    page.locator("#id_birth_date").fill("12-03-1988")
    page.locator("#id_birth_place").fill("Kraków")
    page.locator("#id_birth_country").fill("Polen")
    page.locator("#id_nationalities").fill("Poolse")
    page.locator("#id_street").fill("ul. Floriańska 12")
    page.locator("#id_city").fill("Kraków")
    page.locator("#id_country").fill("Polen")
    page.locator("#id_email").fill("anna@example.org")
    page.locator("#id_organisation_name").fill("Zorggroep Oost B.V.")
    page.locator("#id_payment_confirmed").check()
    page.locator("#id_scan").set_input_files(
        {"name": "aanvraagformulier.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    screenshot(page, "2-form-filled")
    page.locator("button[type='submit'][data-once]").click()

    page.wait_for_url(re.compile(r"/backoffice/papier/[A-Z]{2,3}-\d{6}-[0-9A-Z]{6}/$"))
    application = Application.objects.get()
    assert application.reference in page.locator("h1").inner_text()
    assert application.channel == "rni_direct"
    assert application.applicant.bsn == ""
    assert page.locator("[data-status='received']").first.is_visible()
    assert page.get_by_role("link", name=re.compile("aanvraagformulier.pdf")).is_visible()
    assert ScannedDocument.objects.get().file.read() == PDF
    assert_accessible(page)
    screenshot(page, "3-detail")
