"""The applicant gives a view (zienswijze) on an intention to refuse, in a real browser.

Jan Jansen's free request is received and a screener intends to refuse it. He logs in with DigiD
(mock), sees the intention and the last day for a view, sends the form empty (the errors stand next
to the fields), then sends his view with a small PDF, and sees it listed. Every page passes axe (no
serious or critical violation) and gets a screenshot.
"""

import re
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from applications.invitations import ContactDetails, application_complete, invitation_accept
from applications.lifecycle import Status, application_transition
from applications.models import Organisation
from justis.audit import Actor
from screening.models import Zienswijze
from screening.zienswijzen import zienswijze_deadline
from tests.browser.test_digital_path import login_digid
from tests.test_digital_channel import prepare

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def intent_to_refuse_for_jan():
    """Jan Jansen's free request, completed by him and moved on to an intention to refuse."""
    organisation = Organisation.objects.create(
        kvk_number="12345678",
        name="Kinderopvang De Zonnebloem B.V.",
        free_vog_admitted_until=timezone.localdate() + timedelta(days=30),
    )
    org_user = User.objects.create(username="kvk-12345678-demo", organisation=organisation)
    citizen = User.digid_objects.digid_create("999990019")
    application = prepare(org_user, is_free=True, functieaspecten=["84"])
    application = invitation_accept(invitation=application.invitation, citizen=citizen)
    from applications.brp import brp_client

    application = application_complete(
        application=application,
        citizen=citizen,
        person=brp_client().person("999990019"),
        contact=ContactDetails(email="jan@example.org", delivery="post"),
    )
    assert application.status == Status.RECEIVED
    actor = Actor.system("test")
    for status in (Status.IN_ASSESSMENT, Status.IN_REVIEW, Status.INTENT_TO_REFUSE):
        application = application_transition(application=application, to_status=status, actor=actor)
    return application


def dutch_date(day: date) -> str:
    months = "januari februari maart april mei juni juli augustus september oktober november december".split()
    return f"{day.day} {months[day.month - 1]} {day.year}"


def test_the_applicant_gives_a_view_with_an_attachment(page, reference_data, assert_accessible, screenshot):
    application = intent_to_refuse_for_jan()
    deadline = dutch_date(zienswijze_deadline(application))
    detail_url = f"/mijnjustis/{application.reference}/"

    page.goto(detail_url)
    page.wait_for_url(re.compile(r"/inloggen/"))
    page.get_by_role("link", name="Inloggen met DigiD").click()
    login_digid(page, "999990019")
    page.wait_for_url(re.compile(rf"{detail_url}$"))

    alert = page.get_by_role("alert").filter(has_text="Justis is van plan uw aanvraag te weigeren")
    assert alert.is_visible()
    assert f"tot en met {deadline}" in alert.inner_text()
    assert_accessible(page)
    screenshot(page, "1-detail-intent-to-refuse")

    page.get_by_role("link", name="Zienswijze geven").click()
    page.wait_for_url(re.compile(r"/zienswijze/$"))
    assert page.locator("h1").inner_text() == "Zienswijze geven"
    assert f"tot en met {deadline}" in page.content()
    assert page.locator("input[type='file']").get_attribute("accept") == ".pdf,.jpg,.jpeg,.png"
    assert_accessible(page)
    screenshot(page, "2-form")

    # Sent empty: the error stands next to the text field and in the summary, nothing is saved.
    with page.expect_navigation():  # wait for the answer, not for the page that is still shown
        page.get_by_role("button", name="Zienswijze versturen").click()
    error = page.locator("#id_text_error")
    assert error.inner_text().strip() == "Schrijf uw zienswijze."
    assert page.get_by_label("Uw zienswijze").get_attribute("aria-invalid") == "true"
    assert page.locator(".justis-form__errors").is_visible()
    assert not Zienswijze.objects.exists()
    assert_accessible(page)
    screenshot(page, "3-form-errors")

    page.get_by_label("Uw zienswijze").fill(
        "De boete is van 2024 en betrof een eenmalige fout. Sindsdien werk ik zonder problemen met kinderen."
    )
    page.get_by_label("Bijlage (niet verplicht)").set_input_files(
        {"name": "brief-werkgever.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    screenshot(page, "4-form-filled")
    page.get_by_role("button", name="Zienswijze versturen").click()
    page.wait_for_url(re.compile(rf"{detail_url}$"))

    assert page.get_by_text("Justis heeft uw zienswijze ontvangen").is_visible()
    views = page.locator("h2:has-text('Uw zienswijzen') + ul li")
    assert views.count() == 1
    assert "met bijlage" in views.first.inner_text()
    zienswijze = Zienswijze.objects.get()
    assert zienswijze.attachment_original_name == "brief-werkgever.pdf"
    assert zienswijze.attachment.read() == PDF
    assert_accessible(page)
    screenshot(page, "5-detail-view-received")
