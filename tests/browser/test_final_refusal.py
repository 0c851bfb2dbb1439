"""The final refusal in a real browser: after the view period a screener registers a view given by
phone, proposes the refusal, and a senior screener approves it (four eyes). Every screen passes axe."""

from django.utils import timezone

import pytest

from applications.lifecycle import Status
from justis.roles import Role
from notifications.models import Letter, LetterKind
from screening.models import RefusalProposal, Zienswijze
from tests.staff import login_browser_with_second_factor, staff_user
from tests.test_final_refusal import FINAL_REASONS, MOTIVATION, intended, period_ended

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_view_by_phone_a_proposal_and_a_senior_who_approves(page, screener, assert_accessible, screenshot):
    application = period_ended(intended(screener))
    senior = staff_user("senior.justis", Role.SENIOR_SCREENER, first_name="Marieke", last_name="Bos")
    login_browser_with_second_factor(page, screener)

    page.goto("/beoordeling/")
    row = page.locator(f"tr[data-reference='{application.reference}']")
    assert "View period ended" in row.inner_text() or "Zienswijzetermijn voorbij" in row.inner_text()
    with page.expect_navigation():
        row.locator("th a").click()
    with page.expect_navigation():
        page.locator("[data-claim] form[action$='/oppakken/'] button").click()
    assert page.locator("[data-view-period='ended']").count() == 1
    assert_accessible(page)
    screenshot(page, "1-intention-period-ended")

    # The applicant phoned: the screener writes down what was said.
    form = page.locator("form[data-register-view]")
    form.locator("input[value='phone']").check()
    form.locator("#id_received_on").fill(timezone.localdate().strftime("%d-%m-%Y"))
    form.locator("#id_text").fill("De aanvrager belde: het was een eenmalige fout, hij was toen net 19.")
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    assert page.locator("[data-views='1']").count() == 1
    assert Zienswijze.objects.get(application=application).channel == "phone"

    # Proposing without the weighing: the form names the field and proposes nothing.
    with page.expect_navigation():
        page.locator("form[data-propose-refusal] button[type='submit']").click()
    assert page.locator(".justis-form__errors a[href='#id_motivation']").count() == 1
    assert not RefusalProposal.objects.exists()
    assert_accessible(page)

    page.locator("form[data-propose-refusal] #id_motivation").fill(MOTIVATION)
    page.locator("form[data-propose-refusal] #id_reasons").fill(FINAL_REASONS)
    with page.expect_navigation():
        page.locator("form[data-propose-refusal] button[type='submit']").click()
    assert page.url.endswith("/beoordeling/")
    assert RefusalProposal.objects.get().state == "pending"
    screenshot(page, "2-refusal-proposed")

    # The senior screener finds it with the filter and approves it.
    page.context.clear_cookies()
    login_browser_with_second_factor(page, senior)
    page.goto("/beoordeling/?awaiting_approval=on")
    with page.expect_navigation():
        page.locator(f"tr[data-reference='{application.reference}'] th a").click()
    assert page.locator("[data-proposal]").count() == 1
    assert_accessible(page)
    screenshot(page, "3-senior-reviews")
    with page.expect_navigation():
        page.locator("form[action$='/weigering-akkoord/'] button[type='submit']:not([formaction])").click()
    assert application.reference in page.locator(".justis-messages").inner_text()
    application.refresh_from_db()
    assert application.status == Status.REFUSED
    assert Letter.objects.filter(application=application, kind=LetterKind.DECISION).count() == 1
    screenshot(page, "4-refused")
