"""A functional administrator ends a look-back rule in /beheer/ with a reason, then reads its history.

The change form asks for the reason of the change; saving without one keeps the form with the error next
to the field. The history page lists the loaded first version and the administrator's version with the
reason and "valid to: — → 30-06-2027"; the version page shows that version read-only. Both pass axe.
Screenshots go to .local/test-artifacts/screenshots/ (git-ignored).
"""

import pytest
from playwright.sync_api import expect

from justis.roles import Role
from screening.models import LookBackRule
from tests.staff import login_browser_with_second_factor, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_functional_admin_changes_a_rule_and_reads_its_versions(
    page, live_server, reference_data, assert_accessible, screenshot
):
    rule = LookBackRule.objects.filter(valid_to__isnull=True, years__isnull=False).order_by("code").first()
    admin = staff_user("beheer.justis", Role.FUNCTIONAL_ADMIN, first_name="Femke", last_name="de Vries")
    login_browser_with_second_factor(page, admin)

    page.goto(f"/beheer/screening/lookbackrule/{rule.pk}/change/")
    page.fill("#id_valid_to", "2027-06-30")
    page.click("input[name=_save]")
    expect(page.locator(".field-change_reason .errorlist")).to_be_visible()
    assert page.locator("#id_change_reason").is_visible()
    rule.refresh_from_db()
    assert rule.valid_to is None
    screenshot(page, "1-reason-required")

    page.fill("#id_valid_to", "2027-06-30")
    page.fill("#id_change_reason", "Beleidsregels VOG 2027")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    rule.refresh_from_db()
    assert rule.valid_to.isoformat() == "2027-06-30"

    page.goto(f"/beheer/screening/lookbackrule/{rule.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == 2
    newest = rows.nth(0).inner_text()
    assert "Beleidsregels VOG 2027" in newest
    assert "beheer.justis" in newest
    assert "— → 30-06-2027" in newest
    assert "geladen met de dienst" in rows.nth(1).inner_text()
    assert_accessible(page)
    screenshot(page, "2-history")

    rows.nth(0).locator("a").click()
    assert page.locator("h1").inner_text().startswith("Versie van")
    expect(page.locator("#content-main table")).to_have_count(2)
    assert page.locator("#content-main").locator("input, textarea, select").count() == 0
    assert_accessible(page)
    screenshot(page, "3-version")
