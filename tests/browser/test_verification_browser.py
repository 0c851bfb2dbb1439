"""An organisation checks a certificate on the public verification page, in a real browser."""

from applications.lifecycle import Status
from screening.models import CertificateCheck
from screening.services import certificate_create
from tests.factories import application_in


def test_an_organisation_types_a_code_and_sees_whether_the_certificate_is_genuine(
    page, reference_data, assert_accessible, screenshot
):
    certificate = certificate_create(application=application_in(Status.ISSUED))
    code = certificate.verification_code

    page.goto("/controleren/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text() == "Check a certificate"
    assert_accessible(page)

    page.fill("#id_code", code.lower().replace("-", " "))
    page.fill("#id_organisation", "Kinderopvang De Zon")
    with page.expect_navigation():
        page.get_by_role("button", name="Check", exact=True).click()

    result = page.locator('[data-result="genuine"]')
    assert result.get_by_role("heading").inner_text() == "This is a genuine certificate issued by Justis."
    assert "(VOG NP)" in page.locator('[data-field="type"]').inner_text()
    assert "84" in page.locator('[data-field="screening_basis"]').inner_text()
    assert "Jansen" not in page.content()
    assert_accessible(page)
    screenshot(page, "genuine")

    page.fill("#id_code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    with page.expect_navigation():
        page.get_by_role("button", name="Check", exact=True).click()
    assert page.locator('[data-result="not-found"]').get_by_role("heading").inner_text() == (
        "No certificate has this code."
    )
    assert_accessible(page)
    screenshot(page, "not-found")

    page.goto(f"/controleren/{code}/")  # the address in the QR code
    assert page.locator('[data-result="genuine"]').is_visible()

    checks = list(CertificateCheck.objects.order_by("pk").values_list("certificate_id", "organisation_name"))
    assert checks == [(certificate.pk, "Kinderopvang De Zon"), (None, ""), (certificate.pk, "")]
