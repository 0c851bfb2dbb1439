"""What a careless or unlucky user does: nothing is lost or doubled, and the page says what to do.

Double clicks, the back button, reloads, a code typed sloppily or wrongly, the wrong DigiD, someone
else's address. Each test counts the rows that must not double (applications, invitations, payments,
outbox messages) and runs axe on every page it visits.
"""

import re
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from applications.invitations import application_prepare
from applications.lifecycle import Status
from applications.models import Application, Invitation, Organisation, StatusChange
from notifications.models import OutboxMessage
from payments.models import Payment, PaymentStatus
from tests.browser.test_digital_path import login_digid, login_organisation

pytestmark = pytest.mark.django_db(transaction=True)

PREPARE = "Aanvraag klaarzetten en uitnodiging versturen"
CONFIRM = "Bevestigen en naar betalen"
PAY = "Betalen met iDEAL"


def counts() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "invitations": Invitation.objects.count(),
        "payments": Payment.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def fill_prepare_form(page):
    page.get_by_label("Functie", exact=True).fill("Pedagogisch medewerker")
    page.get_by_label(re.compile(r"^84 ")).check()
    page.get_by_label("Voornamen van de aanvrager").fill("Jan")
    page.get_by_label("Achternaam van de aanvrager").fill("Jansen")
    page.get_by_label("Geboortedatum van de aanvrager").fill("17-05-1990")
    page.get_by_label("E-mailadres van de aanvrager").fill("jan.jansen@example.org")


@pytest.fixture
def prepared(reference_data):
    """A request of Kinderopvang De Zonnebloem for Jan Jansen (BSN 999990019, born 17-05-1990)."""
    organisation = Organisation.objects.create(kvk_number="12345678", name="Kinderopvang De Zonnebloem B.V.")
    user = get_user_model().objects.create(username="kvk-12345678-demo", organisation=organisation)
    return application_prepare(
        organisation=organisation,
        prepared_by=user,
        purpose_code="WRE",
        position="Pedagogisch medewerker",
        purpose_description="",
        screening_profile="",
        functieaspecten=["84", "86"],
        given_names="Jan",
        surname="Jansen",
        birth_date=date(1990, 5, 17),
        email="jan.jansen@example.org",
    )


def open_with_code(page, code, bsn="999990019"):
    """The applicant types the code, logs in with DigiD and lands on "Controleren en bevestigen"."""
    page.goto("/aanvraag/")
    page.get_by_label("Aanvraagcode").fill(code)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(re.compile(r"/inloggen/"))
    page.get_by_role("link", name="Inloggen met DigiD").click()
    login_digid(page, bsn)


def confirm(page):
    page.wait_for_url(re.compile(r"/aanvraag/aanvullen/$"))
    page.get_by_label("per post").check()
    page.get_by_label(re.compile("Ik verklaar")).check()
    page.get_by_role("button", name=CONFIRM).click()


def to_status_count(application, status) -> int:
    return StatusChange.objects.filter(application=application, to_status=status).count()


# --- 1. The organisation --------------------------------------------------------------------------


def test_a_double_click_and_a_resubmit_after_back_prepare_one_request(
    page, reference_data, assert_accessible, screenshot
):
    login_organisation(page)
    page.goto("/organisatie/aanvraag-klaarzetten/")
    fill_prepare_form(page)
    page.get_by_role("button", name=PREPARE).dblclick()
    page.wait_for_url(re.compile(r"/organisatie/$"))
    application = Application.objects.get()
    assert counts() == {"applications": 1, "invitations": 1, "payments": 0, "outbox": 1}
    assert page.get_by_role("row", name=re.compile(application.reference)).is_visible()
    assert_accessible(page)
    screenshot(page, "1-prepared-once")

    # Back to the form: the browser shows it again with what was typed; sending it again is a mistake.
    page.go_back()
    page.wait_for_url(re.compile(r"/aanvraag-klaarzetten/$"))
    assert page.get_by_label("Achternaam van de aanvrager").input_value() == "Jansen"
    # The date of birth has autocomplete="off" (it is someone else's), so Chromium does not restore
    # it: the user types it again.
    birth_date = page.get_by_label("Geboortedatum van de aanvrager")
    if not birth_date.input_value():
        birth_date.fill("17-05-1990")
    screenshot(page, "2-form-after-back")
    with page.expect_navigation():
        page.get_by_role("button", name=PREPARE).click()
    assert page.url.endswith("/organisatie/aanvraag-klaarzetten/")
    alert = page.locator(".utrecht-alert, [role='alert']").filter(has_text=application.reference)
    assert alert.count() == 1, page.locator("main").inner_text()
    assert "is al een aanvraag klaargezet" in alert.inner_text()
    assert counts() == {"applications": 1, "invitations": 1, "payments": 0, "outbox": 1}
    assert_accessible(page)
    screenshot(page, "3-refused-second-request")

    # Another person is still fine.
    page.get_by_label("Voornamen van de aanvrager").fill("Sanne")
    page.get_by_label("Achternaam van de aanvrager").fill("Visser")
    page.get_by_label("Geboortedatum van de aanvrager").fill("14-07-1998")
    page.get_by_label("E-mailadres van de aanvrager").fill("sanne@example.org")
    page.get_by_role("button", name=PREPARE).click()
    page.wait_for_url(re.compile(r"/organisatie/$"))
    assert Application.objects.count() == 2


# --- 2. and 3. The applicant: reload, back, double click, paying twice -----------------------------


def test_reload_and_back_after_confirming_change_nothing(page, prepared, assert_accessible, screenshot):
    open_with_code(page, prepared.invitation.code)
    page.wait_for_url(re.compile(r"/aanvraag/aanvullen/$"))
    assert_accessible(page)
    confirm(page)
    page.wait_for_url(re.compile(rf"/mijnjustis/{prepared.reference}/betalen/$"))
    before = counts()
    assert before["applications"] == 1
    assert before["payments"] == 0

    page.reload()
    assert page.url.endswith(f"/mijnjustis/{prepared.reference}/betalen/")
    assert page.get_by_role("button", name=PAY).is_visible()

    # Back to "Controleren en bevestigen": the applicant is sent on to paying.
    page.go_back()
    page.wait_for_load_state()
    if page.url.endswith("/aanvraag/aanvullen/"):  # shown from the browser's cache: confirming again
        assert_accessible(page)
        screenshot(page, "1-confirm-page-after-back")
        page.get_by_role("button", name=CONFIRM).click()
    page.wait_for_url(re.compile(rf"/mijnjustis/{prepared.reference}/betalen/$"))
    assert_accessible(page)
    screenshot(page, "2-sent-on-to-pay")

    # The applicant opens the page by its address again: the same.
    page.goto("/aanvraag/aanvullen/")
    page.wait_for_url(re.compile(rf"/mijnjustis/{prepared.reference}/betalen/$"))

    assert counts() == before
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert to_status_count(application, Status.SUBMITTED) == 1
    assert application.applicant.bsn == "999990019"


def test_a_double_click_on_pay_and_paying_again_after_back_pay_once(page, prepared, assert_accessible, screenshot):
    open_with_code(page, prepared.invitation.code)
    confirm(page)
    page.wait_for_url(re.compile(r"/betalen/$"))
    page.get_by_role("button", name=PAY).dblclick()
    page.wait_for_url(re.compile(r"/betalen/demo/"))
    bank_url = page.url
    assert Payment.objects.count() == 1
    page.get_by_label("ING").check()
    page.get_by_role("button", name="Betalen", exact=True).click()
    page.wait_for_url(re.compile(rf"/mijnjustis/{prepared.reference}/$"))
    assert "Bedankt" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "1-paid")

    # Back to the bank and pay again: the bank sends the payer back; nothing is paid twice.
    page.go_back()
    page.wait_for_load_state()
    if page.url == bank_url:  # the bank page from the browser's cache
        page.get_by_label("ING").check()
        page.get_by_role("button", name="Betalen", exact=True).click()
    page.wait_for_url(re.compile(rf"/mijnjustis/{prepared.reference}/$"))
    assert_accessible(page)
    screenshot(page, "2-after-paying-again")

    # Even back to "Betalen met iDEAL": the application is paid, so MijnJustis shows it.
    page.goto(f"/mijnjustis/{prepared.reference}/betalen/")
    page.wait_for_url(re.compile(rf"/mijnjustis/{prepared.reference}/$"))
    assert not page.get_by_role("button", name=PAY).count()

    assert Payment.objects.count() == 1
    assert Payment.objects.get().status == PaymentStatus.COMPLETED
    application = Application.objects.get()
    assert application.status == Status.RECEIVED
    assert to_status_count(application, Status.RECEIVED) == 1
    assert counts()["applications"] == 1


# --- 4. and 5. Codes and the wrong person ------------------------------------------------------


def code_error(page) -> str:
    """The error message shown next to the code field (and pointed at by it)."""
    field = page.get_by_label("Aanvraagcode")
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator("#id_code_error")
    assert "id_code_error" in field.get_attribute("aria-describedby")
    return error.inner_text()


def test_wrong_and_sloppy_codes_say_what_to_do(page, prepared, browser, live_server, assert_accessible, screenshot):
    code = prepared.invitation.code
    page.goto("/aanvraag/")
    assert_accessible(page)
    for typed, expected, name in [
        ("7K3Q-9MX", "12 letters en cijfers", "too-short"),
        ("AAAA-BBBB-CCCC", "kennen deze aanvraagcode niet", "unknown"),
    ]:
        page.get_by_label("Aanvraagcode").fill(typed)
        with page.expect_navigation():  # the answer, not the error of the try before
            page.get_by_role("button", name="Verder").click()
        assert expected in code_error(page)
        assert page.get_by_label("Aanvraagcode").input_value() == typed  # kept, to correct
        assert_accessible(page)
        screenshot(page, f"code-{name}")

    page.get_by_label("Aanvraagcode").fill("  " + code.replace("-", " ").lower() + " ")
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(re.compile(r"/inloggen/"))
    assert_accessible(page)

    Invitation.objects.filter(pk=prepared.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page.goto("/aanvraag/")
    page.get_by_label("Aanvraagcode").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Verder").click()
    assert "verlopen" in code_error(page)
    assert "organisatie" in code_error(page)
    assert_accessible(page)
    screenshot(page, "code-expired")
    assert counts() == {"applications": 1, "invitations": 1, "payments": 0, "outbox": 1}


def test_logging_in_as_someone_else_completes_nothing_and_keeps_the_request_free(
    page, prepared, browser, live_server, assert_accessible, screenshot
):
    open_with_code(page, prepared.invitation.code, bsn="999990020")  # Fatima El Amrani, born 2001
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "geboortedatum" in main.lower()
    assert "eigen DigiD" in main
    assert not page.get_by_role("button", name=CONFIRM).count()
    assert_accessible(page)
    screenshot(page, "wrong-person")
    application = Application.objects.get()
    assert application.status == Status.PREPARED
    assert application.citizen is None
    assert Invitation.objects.get().accepted_by is None
    assert counts() == {"applications": 1, "invitations": 1, "payments": 0, "outbox": 1}

    # The right person can still take it up, in a browser of their own.
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    jan = context.new_page()
    open_with_code(jan, prepared.invitation.code)
    confirm(jan)
    jan.wait_for_url(re.compile(r"/betalen/$"))
    assert Application.objects.get().citizen.bsn == "999990019"
    assert counts()["applications"] == 1
    context.close()


# --- 6. Someone else's pages ------------------------------------------------------------------


def test_another_applicants_page_and_the_organisation_portal_are_closed(
    page, prepared, browser, live_server, assert_accessible, screenshot
):
    # Jan takes up his request.
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    jan = context.new_page()
    open_with_code(jan, prepared.invitation.code)
    confirm(jan)
    jan.wait_for_url(re.compile(r"/betalen/$"))
    context.close()

    # Fatima, logged in with her own DigiD, tries his page and the organisation portal.
    page.goto("/inloggen/")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    login_digid(page, "999990020")
    page.wait_for_url(re.compile(r"/mijnjustis/$"))
    for path in (f"/mijnjustis/{prepared.reference}/", f"/mijnjustis/{prepared.reference}/betalen/"):
        response = page.goto(path)
        assert response.status == 404
        assert "Pagina niet gevonden" in page.locator("h1").inner_text()
        assert "Jansen" not in page.content()
        assert_accessible(page)
    screenshot(page, "404-other-applicant")

    response = page.goto("/organisatie/")
    assert response.status == 403
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").is_visible()
    assert_accessible(page)
    screenshot(page, "403-organisation-portal")
    assert Application.objects.get().status == Status.SUBMITTED
