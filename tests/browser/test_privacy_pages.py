"""The auditors' search and the citizen's own data, in a real browser: usable by keyboard and mouse, axe-clean.

An auditor (two factors) searches the audit trail for one application, sees its entries with the data
folded open, and the CSV export link carries the same filter. A citizen opens "your data" from
MijnJustis, then the summary page. Every page passes axe, gets a screenshot, and the Content Security
Policy blocks nothing on them.
"""

from django.conf import settings
from django.test import Client

import pytest

from justis.audit import Actor, audit_record
from justis.models import AuditAction
from justis.roles import Role
from tests.browser.test_csp_browser import assert_nothing_blocked, violations  # noqa: F401 - a fixture
from tests.factories import received_application
from tests.staff import login_browser_with_second_factor, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_auditor_searches_the_trail_of_one_application(
    page,
    reference_data,
    assert_accessible,
    screenshot,
    violations,  # noqa: F811 - the fixture imported above
):
    application = received_application()
    audit_record(
        actor=Actor(kind="user", identifier="7", label="screener.a"),
        action=AuditAction.CASE_OPENED,
        subject_type="application",
        subject_id=application.reference,
        reason="Beoordeling",
        data={"records": 2},
    )
    login_browser_with_second_factor(page, staff_user("auditor.justis", Role.AUDITOR))
    page.goto("/beheer/audittrail/")
    assert_accessible(page)
    screenshot(page, "empty")

    page.locator("#id_subject_id").fill(application.reference)
    with page.expect_navigation():
        page.locator("#id_subject_id").press("Enter")
    rows = page.locator("tr[data-event]")
    assert rows.count() >= 2  # received, opened
    assert "screener.a" in rows.first.inner_text()
    page.locator("tr[data-event] summary").first.click()
    assert '"records": 2' in page.locator("pre.audit-data").first.inner_text()
    export = page.locator("a[href*='/beheer/audittrail/export.csv']")
    assert f"subject_id={application.reference}" in export.get_attribute("href")
    assert_accessible(page)
    screenshot(page, "results")
    assert_nothing_blocked(page, violations)  # the Content Security Policy lets the page work as it is


def test_a_citizen_reads_what_the_download_holds_and_views_the_summary(
    page,
    reference_data,
    citizen,
    assert_accessible,
    screenshot,
    violations,  # noqa: F811 - the fixture imported above
):
    application = received_application()
    application.citizen = citizen
    application.save(update_fields=["citizen"])
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )
    page.goto("/mijnjustis/")
    with page.expect_navigation():
        page.locator("a[href='/mijnjustis/mijn-gegevens/']").click()
    assert_accessible(page)
    screenshot(page, "explanation")
    with page.expect_navigation():
        page.locator("a[href='/mijnjustis/mijn-gegevens/overzicht/']").click()
    assert page.locator(f'section[data-application="{application.reference}"]').is_visible()
    assert_accessible(page)
    screenshot(page, "summary")
    assert_nothing_blocked(page, violations)
