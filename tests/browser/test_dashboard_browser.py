"""A team lead watches the backlog shrink on the dashboard while applications are decided.

The team lead (two factors) opens /beheer/dashboard/: the five charts are drawn as SVG with bars, each
with its table behind "show the figures", and the page passes axe. The progress of today stands at one
decided of four; two applications are decided in the database while the page is open, and within a
few polls the <progress> element and the figures show three of four without reloading the page.
Screenshots go to .local/test-artifacts/screenshots/ (git-ignored).
"""

import pytest
from playwright.sync_api import expect

from applications.lifecycle import Status, application_transition
from applications.models import Application
from justis.roles import Role
from tests.factories import TEST_ACTOR, application_in, received_application
from tests.staff import login_browser_with_second_factor, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_team_lead_sees_the_charts_and_the_progress_move(
    page, live_server, reference_data, assert_accessible, screenshot
):
    waiting = [application_in(Status.IN_ASSESSMENT) for _ in range(2)]
    received_application()
    application_in(Status.ISSUED)
    team_lead = staff_user("teamlead.justis", Role.TEAM_LEAD, first_name="Tess", last_name="Bakker")
    login_browser_with_second_factor(page, team_lead)

    page.goto("/beheer/dashboard/")
    assert page.locator("h1").inner_text() == "Dashboard"
    charts = page.locator("svg.justis-chart__svg[role=img]")
    assert charts.count() == 5
    assert page.locator("#chart-backlog svg.justis-chart__svg rect").count() >= 1
    assert page.locator("#chart-throughput svg.justis-chart__svg rect").count() >= 1
    assert page.locator("#chart-backlog svg.justis-chart__svg").bounding_box()["height"] > 100
    progress = page.locator("#progress-bar")
    assert progress.get_attribute("max") == "4"
    assert progress.get_attribute("value") == "1"
    assert page.locator("[data-progress-waiting]").inner_text() == "3"
    assert_accessible(page)
    page.locator("#chart-backlog summary").click()
    assert page.locator('table[data-table="chart-backlog"]').is_visible()
    assert_accessible(page)
    screenshot(page, "1-dashboard")

    for application in waiting:
        application_transition(application=application, to_status=Status.ISSUED, actor=TEST_ACTOR)
    assert Application.objects.filter(status=Status.ISSUED).count() == 3

    # The script polls every 5 seconds; <progress>'s value property reflects its attribute.
    expect(page.locator("#progress-bar")).to_have_attribute("value", "3", timeout=20_000)
    assert page.locator("#progress-bar").evaluate("bar => bar.max") == 4
    assert page.locator("[data-progress-decided]").inner_text() == "3"
    assert page.locator("[data-progress-waiting]").inner_text() == "1"
    assert page.locator("[data-progress-percent]").inner_text() == "75"
    screenshot(page, "2-progress-moved")
