"""A team lead publishes an incident; the citizen sees the banner and the status page shows the channel down.

The team lead (two factors) fills in the incident form, first with a missing title (the error stands
next to the field), then completely. A citizen logged in with DigiD (mock) sees the banner in
MijnJustis; the public status page shows "digital applications" down with a labelled badge. Every
page passes axe (no serious or critical violation).
"""

import re

import pytest

from justis.roles import Role
from servicestatus.models import Incident
from tests.browser.test_digital_path import login_digid
from tests.staff import login_browser_with_second_factor, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def snapshot_file(settings, tmp_path):
    from django.core.cache import cache

    from servicestatus.snapshot import CACHE_KEY

    settings.STATUS_SNAPSHOT_FILE = tmp_path / "status.json"
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


def test_a_published_incident_shows_in_the_banner_and_on_the_status_page(
    page, browser, live_server, reference_data, assert_accessible, screenshot
):
    team_lead = staff_user("teamlead.justis", Role.TEAM_LEAD, first_name="Tess", last_name="Bakker")
    login_browser_with_second_factor(page, team_lead)

    page.goto("/beheer/storingen/nieuw/")
    assert_accessible(page)
    page.locator("#id_title_nl").fill("Digitaal aanvragen werkt niet")
    page.locator("#id_text_nl").fill(
        "U kunt tijdelijk niet digitaal aanvragen. Aanvragen die al binnen zijn, gaan niet verloren."
    )
    page.locator("#id_text_en").fill("You cannot apply online for now. Applications already received are safe.")
    page.locator("#id_channel_digital_applications").select_option("down")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#id_title_en_error").is_visible()
    assert page.locator("#id_title_en").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    screenshot(page, "1-incident-form-error")

    page.locator("#id_title_en").fill("Applying online does not work")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    incident = Incident.objects.get()
    page.wait_for_url(re.compile(rf"/beheer/storingen/{incident.pk}/$"))
    assert page.locator(".justis-status-banner").is_visible()
    assert_accessible(page)
    screenshot(page, "2-incident-published")

    citizen = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    citizen_page = citizen.new_page()
    try:
        citizen_page.goto("/mijnjustis/")
        citizen_page.wait_for_url(re.compile(r"/inloggen/"))
        citizen_page.get_by_role("link", name="Inloggen met DigiD").click()
        login_digid(citizen_page, "999990019")
        citizen_page.wait_for_url(re.compile(r"/mijnjustis/"))
        banner = citizen_page.get_by_role("region", name=re.compile("Incident|Storing"))
        assert "Digitaal aanvragen werkt niet" in banner.inner_text()
        assert_accessible(citizen_page)
        screenshot(citizen_page, "3-citizen-banner")

        citizen_page.get_by_role("link", name=re.compile("status")).click()
        citizen_page.wait_for_url(re.compile(r"/status/$"))
        row = citizen_page.locator("tr[data-channel='digital_applications']")
        badge = row.locator(".justis-status-badge--down")
        assert badge.is_visible()
        assert badge.inner_text().strip().endswith(("Down", "Buiten gebruik"))
        assert citizen_page.locator("tr[data-channel='screening'] .justis-status-badge--operational").is_visible()
        assert "U kunt tijdelijk niet digitaal aanvragen." in citizen_page.locator("main").inner_text()
        assert_accessible(citizen_page)
        screenshot(citizen_page, "4-status-page")
    finally:
        citizen.close()
