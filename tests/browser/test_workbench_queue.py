"""The screeners' work queue in a real browser: a screener sees the cases most at risk first and takes one up.

The screener's session (password and authenticator code given) is handed to the browser; the staff
login itself has its own browser test. The page passes axe before and after taking up a case.
"""

from datetime import timedelta

from django.utils import timezone

import pytest

from applications.lifecycle import Status
from applications.models import Application
from screening.models import CaseClaim
from tests.factories import application_in
from tests.staff import login_browser_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def in_review(days_left: int, **kwargs) -> Application:
    application = application_in(Status.IN_REVIEW, **kwargs)
    Application.objects.filter(pk=application.pk).update(
        decision_due_date=timezone.localdate() + timedelta(days=days_left)
    )
    return application


def test_a_screener_sees_the_queue_most_at_risk_first_and_takes_up_a_case(
    page, screener, assert_accessible, screenshot
):
    later = in_review(12, bsn="999990032", functieaspecten=("84",))
    overdue = in_review(-2, bsn="999990044", functieaspecten=("84",))
    childcare = in_review(3, functieaspecten=("84", "86"))
    login_browser_with_second_factor(page, screener)

    page.goto("/beoordeling/")
    rows = page.locator("tbody tr")
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.reference)") == [
        overdue.reference,
        childcare.reference,
        later.reference,
    ]
    overdue_row = page.locator(f"tr[data-reference='{overdue.reference}']")
    assert overdue_row.locator("td[data-days='-2'] .queue-badge--overdue").count() == 1
    assert page.locator(f"tr[data-reference='{childcare.reference}'] [data-legal-obligation]").count() == 1
    assert page.locator(f"tr[data-reference='{later.reference}'] [data-legal-obligation]").count() == 0
    assert_accessible(page)
    screenshot(page, "1-queue")

    with page.expect_navigation():
        page.locator(f"tr[data-reference='{childcare.reference}'] form[action$='/oppakken/'] button").click()
    assert page.url.endswith("/beoordeling/")
    assert childcare.reference in page.locator(".justis-messages").inner_text()
    row = page.locator(f"tr[data-reference='{childcare.reference}']")
    assert row.locator("form[action$='/vrijgeven/'] button").count() == 1
    assert row.locator("form[action$='/oppakken/']").count() == 0
    assert CaseClaim.objects.get().application_id == childcare.pk
    assert CaseClaim.objects.get().screener_id == screener.pk
    assert_accessible(page)
    screenshot(page, "2-case-taken-up")
