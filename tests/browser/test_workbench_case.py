"""The case screen in a real browser: a screener opens a case from the queue, takes it up and grants it
or sends the intention to refuse.

The screener's session (password and authenticator code given) is handed to the browser, as in the
queue's browser test. The case screen passes axe before and after taking up the case.
"""

import pytest

from applications.lifecycle import Status
from notifications.models import Letter, LetterKind
from screening.models import CaseClaim, Certificate, ScreenerAssessment
from tests.factories import with_theft
from tests.staff import login_browser_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_screener_opens_a_case_from_the_queue_takes_it_up_and_grants_it(
    page, screener, assert_accessible, screenshot
):
    application = with_theft("999990032")
    login_browser_with_second_factor(page, screener)

    page.goto("/beoordeling/")
    with page.expect_navigation():
        page.locator(f"tr[data-reference='{application.reference}'] th a").click()
    assert page.url.endswith(f"/beoordeling/zaken/{application.reference}/")
    record = page.locator("[data-record='0']")
    assert record.locator("[data-in-window='yes']").count() == 1
    assert record.locator("[data-relevant='yes']").count() == 1
    assert record.locator("[data-explanation]").inner_text().strip() != ""
    assert page.locator("[data-claim='free']").count() == 1
    assert page.locator("form[action$='/afgeven/']").count() == 0
    assert_accessible(page)
    screenshot(page, "1-case-free")

    with page.expect_navigation():
        page.locator("[data-claim] form[action$='/oppakken/'] button").click()
    assert page.url.endswith(f"/beoordeling/zaken/{application.reference}/")
    assert page.locator("[data-claim='mine']").count() == 1
    assert CaseClaim.objects.get().screener_id == screener.pk
    assert_accessible(page)
    screenshot(page, "2-case-taken-up")

    # Without a motivation the form says what is missing and decides nothing.
    page.locator("#id_record_0_1").check()
    with page.expect_navigation():
        page.locator("form[action$='/afgeven/'] button[type='submit']:not([formaction])").click()
    assert page.locator(".justis-form__errors a[href='#id_motivation']").count() == 1
    assert not Certificate.objects.exists()
    assert_accessible(page)
    screenshot(page, "3-motivation-missing")

    page.locator("#id_record_0_1").check()
    page.locator("#id_motivation").fill(
        "Eén diefstal een jaar geleden, daarna geen contact met justitie; het belang van de aanvrager weegt zwaarder."
    )
    with page.expect_navigation():
        page.locator("form[action$='/afgeven/'] button[type='submit']:not([formaction])").click()
    assert page.url.endswith("/beoordeling/")
    assert application.reference in page.locator(".justis-messages").inner_text()
    assert page.locator(f"tr[data-reference='{application.reference}']").count() == 0
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    assert Certificate.objects.filter(application=application).count() == 1
    assert ScreenerAssessment.objects.get().objective == [{"record": 0, "offence_article": "310 Sr", "hinders": False}]
    assert not CaseClaim.objects.exists()
    assert_accessible(page)
    screenshot(page, "4-granted")


def test_a_screener_sends_the_intention_to_refuse_after_giving_the_reasons(
    page, screener, assert_accessible, screenshot
):
    application = with_theft("999990032")
    login_browser_with_second_factor(page, screener)
    page.goto(f"/beoordeling/zaken/{application.reference}/")
    with page.expect_navigation():
        page.locator("[data-claim] form[action$='/oppakken/'] button").click()

    # Refusing without the reasons for the applicant: the form says what is missing and sends nothing.
    page.locator("#id_record_0_0").check()
    page.locator("#id_motivation").fill(
        "Diefstal een jaar geleden, bij werk met geld van anderen; het risico weegt zwaarder dan het belang."
    )
    with page.expect_navigation():
        page.locator("button[data-refuse]").click()
    assert page.locator(".justis-form__errors a[href='#id_reasons']").count() == 1
    assert not Letter.objects.exists()
    assert_accessible(page)
    screenshot(page, "5-refusal-reasons-missing")

    page.locator("#id_record_0_0").check()
    page.locator("#id_reasons").fill("U bent een jaar geleden veroordeeld voor diefstal.")
    with page.expect_navigation():
        page.locator("button[data-refuse]").click()
    assert page.url.endswith("/beoordeling/")
    assert application.reference in page.locator(".justis-messages").inner_text()
    application.refresh_from_db()
    assert application.status == Status.INTENT_TO_REFUSE
    assert Letter.objects.get(application=application).kind == LetterKind.INTENTION_TO_REFUSE
    assert not CaseClaim.objects.exists()
