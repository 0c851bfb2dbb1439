"""The whole digital path in a real browser, with a real Celery worker issuing the certificate.

An organisation logs in (demo eHerkenning), prepares a request; the applicant opens the code, logs in
with DigiD (mock), checks the data from the population register, pays at the demo bank; the worker
assesses and issues; both see the new stage. Every page of ours passes axe (no serious or critical
violation) and gets a screenshot.
"""

import re

import pytest

from applications.lifecycle import Status
from applications.models import Application, Invitation
from screening.models import Certificate
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def login_organisation(page, kvk="12345678"):
    page.goto("/inloggen/")
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    page.get_by_label("KvK-nummer").fill(kvk)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/organisatie/$"))


def login_digid(page, bsn):
    """The DigiD mock: choose the username/password route, type the BSN (simulates DigiD's own pages)."""
    page.locator("a.login_tile[href*='inloggen_bsn']").click()
    page.locator("input[name='auth_bsn']").fill(bsn)
    page.locator("#submit-button").click()


def test_organisation_prepares_applicant_completes_and_pays_worker_issues(
    page, browser, live_server, start_worker, assert_accessible, screenshot
):
    start_worker()

    # --- The organisation prepares a request --------------------------------------------------
    login_organisation(page)
    assert_accessible(page)
    screenshot(page, "1-organisation-requests-empty")
    page.get_by_role("link", name="Nieuwe aanvraag klaarzetten").first.click()
    assert_accessible(page)
    screenshot(page, "2-prepare-form")

    # Sending it half-filled shows what is missing next to the fields, and keeps what was typed.
    page.get_by_label("Voornamen van de aanvrager").fill("Jan")
    page.get_by_role("button", name="Aanvraag klaarzetten en uitnodiging versturen").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()  # the answer to the post, not the old page
    assert page.locator(".utrecht-form-field-error-message").count() >= 3
    assert page.get_by_label("Voornamen van de aanvrager").input_value() == "Jan"
    assert_accessible(page)
    screenshot(page, "3-prepare-form-errors")

    page.get_by_label("Functie", exact=True).fill("Pedagogisch medewerker")
    page.get_by_label(re.compile(r"^84 ")).check()
    page.get_by_label(re.compile(r"^86 ")).check()
    page.get_by_label("Achternaam van de aanvrager").fill("Jansen")
    page.get_by_label("Geboortedatum van de aanvrager").fill("17-05-1990")
    page.get_by_label("E-mailadres van de aanvrager").fill("jan.jansen@example.org")
    page.get_by_role("button", name="Aanvraag klaarzetten en uitnodiging versturen").click()
    page.wait_for_url(re.compile(r"/organisatie/$"))
    application = Application.objects.get()
    assert application.status == Status.PREPARED
    row = page.get_by_role("row", name=re.compile(application.reference))
    assert "Klaargezet" in row.inner_text()
    assert_accessible(page)
    screenshot(page, "4-organisation-request-prepared")

    # --- The applicant, in a browser of their own, with the code from the e-mail ---------------
    code = Invitation.objects.get(application=application).code
    applicant_context = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    applicant = applicant_context.new_page()
    applicant.goto("/aanvraag/")
    assert_accessible(applicant)
    applicant.get_by_label("Aanvraagcode").fill(code.replace("-", " ").lower())  # typed sloppily
    applicant.get_by_role("button", name="Verder").click()
    applicant.wait_for_url(re.compile(r"/inloggen/"))
    assert_accessible(applicant)
    screenshot(applicant, "5-login-choice")
    applicant.get_by_role("link", name="Inloggen met DigiD").click()
    login_digid(applicant, "999990019")
    applicant.wait_for_url(re.compile(r"/aanvraag/aanvullen/$"))
    assert "Jansen" in applicant.content()
    assert "Utrecht" in applicant.content()  # from the population register
    assert_accessible(applicant)
    screenshot(applicant, "6-check-and-confirm")

    applicant.get_by_label("per post").check()
    applicant.get_by_label(re.compile("Ik verklaar")).check()
    applicant.get_by_role("button", name="Bevestigen en naar betalen").click()
    applicant.wait_for_url(re.compile(r"/betalen/$"))
    assert "€ 33,85" in applicant.content()
    assert_accessible(applicant)
    screenshot(applicant, "7-pay")
    applicant.get_by_role("button", name="Betalen met iDEAL").click()
    applicant.wait_for_url(re.compile(r"/betalen/demo/"))
    assert_accessible(applicant)
    screenshot(applicant, "8-demo-bank")
    applicant.get_by_label("ING").check()
    applicant.get_by_role("button", name="Betalen", exact=True).click()
    applicant.wait_for_url(re.compile(rf"/mijnjustis/{application.reference}/$"))
    assert_accessible(applicant)
    screenshot(applicant, "9-paid-received")

    # --- The worker assesses (no records) and issues; the PDF is rendered ----------------------
    wait_for(
        lambda: Certificate.objects.filter(application=application, pdf_rendered_at__isnull=False).exists(),
        timeout=30,
        message="the certificate to be issued and rendered",
    )
    applicant.reload()
    tracker = applicant.locator(".justis-stage-tracker")
    assert tracker.locator("[aria-current='step']").count() == 0  # every stage done
    download = applicant.get_by_role("link", name="Download uw verklaring (pdf)")
    assert download.is_visible()
    with applicant.expect_download() as download_info:
        download.click()
    assert download_info.value.suggested_filename == f"VOG-{application.reference}.pdf"
    assert_accessible(applicant)
    screenshot(applicant, "10-issued-download")

    # --- The organisation sees the new stage, not the outcome ----------------------------------
    page.reload()
    row = page.get_by_role("row", name=re.compile(application.reference))
    assert "Besluit naar de aanvrager gestuurd" in row.inner_text()
    screenshot(page, "11-organisation-decision-sent")
    applicant_context.close()


def test_an_organisation_prepares_a_request_by_keyboard_alone(page, reference_data, assert_accessible, screenshot):
    """No mouse: Tab, Space and Enter reach and operate every control of the prepare form."""
    login_organisation(page)
    page.goto("/organisatie/aanvraag-klaarzetten/")

    def focus(selector):
        visited = []
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            visited.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        pytest.fail(f"could not reach {selector} by Tab; visited {visited}")

    focus("#id_position")
    page.keyboard.type("Leerkracht")
    focus("input[name='functieaspecten'][value='84']")
    page.keyboard.press("Space")
    focus("#id_given_names")
    page.keyboard.type("Sanne")
    focus("#id_surname")
    page.keyboard.type("Visser")
    focus("#id_birth_date")
    page.keyboard.type("14-07-1998")
    focus("#id_email")
    page.keyboard.type("sanne@example.org")
    focus("button[type='submit'][data-once]")
    screenshot(page, "filled-by-keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/organisatie/$"))
    application = Application.objects.get()
    assert application.functieaspecten == ["84"]
    assert application.invitation.birth_date.isoformat() == "1998-07-14"
    assert_accessible(page)


def test_the_prepare_form_shows_only_the_fields_that_apply(page, reference_data, screenshot):
    login_organisation(page)
    page.goto("/organisatie/aanvraag-klaarzetten/")
    profile = page.get_by_label("Specifiek screeningsprofiel", exact=True)
    description = page.get_by_label("Omschrijving van het doel")
    assert not profile.is_visible()
    assert not description.is_visible()
    page.get_by_label("Een specifiek screeningsprofiel").check()
    page.get_by_label("Ander doel").check()
    assert profile.is_visible()
    assert description.is_visible()
    assert not page.get_by_label("Functie", exact=True).is_visible()
    profile.select_option("96")
    screenshot(page, "profile-and-other-purpose")


def test_bulk_preparation_shows_progress_and_a_report_per_line(
    page, start_worker, tmp_path, assert_accessible, screenshot
):
    start_worker()
    rows = "".join(f"Persoon{i};Test;01-01-19{60 + i % 40:02d};p{i}@example.org\n" for i in range(60))
    csv_file = tmp_path / "vrijwilligers.csv"
    csv_file.write_text("voornamen;achternaam;geboortedatum;e-mailadres\n" + rows + "Fout;Regel;31-02-1990;geen\n")
    login_organisation(page)
    page.get_by_role("link", name="Meerdere aanvragen klaarzetten (CSV)").click()
    assert_accessible(page)
    page.get_by_label("Functie", exact=True).fill("Vrijwilliger sportclub")
    page.get_by_label(re.compile(r"^84 ")).check()
    page.get_by_label("CSV-bestand met de aanvragers").set_input_files(str(csv_file))
    screenshot(page, "1-bulk-form")
    page.get_by_role("button", name="Uploaden en aanvragen klaarzetten").click()
    page.wait_for_url(re.compile(r"/meerdere-klaarzetten/\d+/$"))
    progress = page.locator("progress")
    assert progress.get_attribute("max") == "61"
    screenshot(page, "2-bulk-progress")
    page.get_by_role("table").wait_for(timeout=30_000)  # the page reloads itself when done
    assert "60 klaargezet, 1 geweigerd" in page.content() or "61 van 61" in page.content()
    refused = page.get_by_role("row", name=re.compile("Fout Regel"))
    assert "Geweigerd" in refused.inner_text()
    assert_accessible(page)
    screenshot(page, "3-bulk-report")
    assert Application.objects.count() == 60
