"""A GVA case in a real browser: a screener takes it from the queue, reads the records per key person and
company (a former director who left too long ago listed as not screened) and grants it."""

from datetime import timedelta

from django.utils import timezone

import pytest

from applications.lifecycle import Status
from applications.models import KeyPerson
from screening.companies import months_before
from screening.models import CaseClaim, Certificate, ScreenerAssessment
from screening.services import assessment_run
from tests.staff import login_browser_with_second_factor
from tests.test_paper import director, enter
from tests.test_rp_gva import BSN_A, BSN_B, record

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_screener_takes_a_gva_from_the_queue_and_grants_it(
    page, screener, intake_officer, assert_accessible, screenshot
):
    record(days_ago=2 * 365, bsn=BSN_A)  # a final fraud conviction of the director
    record(days_ago=200, bsn=BSN_B)
    application, _created = enter(intake_officer, "GVA", key_persons=[director(bsn=BSN_A)])
    former = KeyPerson.objects.create(
        application=application,
        role="former_bestuurder",
        bsn=BSN_B,
        given_names="Eva",
        surname="Kramer",
        birth_date=timezone.localdate() - timedelta(days=50 * 365),
        nationality="Nederlandse",
        left_on=months_before(timezone.localdate(), 14),
    )
    assert assessment_run(application_id=application.pk) == "in_review"
    login_browser_with_second_factor(page, screener)

    page.goto("/beoordeling/?type=GVA")
    with page.expect_navigation():
        page.locator(f"tr[data-reference='{application.reference}'] th a").click()
    assert page.url.endswith(f"/beoordeling/zaken/{application.reference}/")
    assert page.locator("[data-legal-entity='87654321']").count() == 1
    not_screened = f"[data-subject='key_person-{former.pk}'][data-subject-status='left_too_long_ago']"
    assert page.locator(not_screened).count() == 1
    person = page.locator("[data-subject-status='screened'] [data-record='0']")
    assert person.locator("[data-ground='fraud']").count() == 1
    assert person.locator("[data-in-window='yes']").count() == 1
    assert_accessible(page)
    screenshot(page, "gva-1-case")

    with page.expect_navigation():
        page.locator("[data-claim] form[action$='/oppakken/'] button").click()
    assert page.locator("[data-claim='mine']").count() == 1
    page.locator("#id_record_0_1").check()  # "no": the conviction would not hinder this tender
    page.locator("#id_motivation").fill(
        "De fraude betrof een eenmalige fout van de bestuurder, die inmiddels is hersteld en gecontroleerd."
    )
    with page.expect_navigation():
        page.locator("form[action$='/afgeven/'] button[type='submit']:not([formaction])").click()

    assert page.url.endswith("/beoordeling/")
    assert application.reference in page.locator(".justis-messages").inner_text()
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    certificate = Certificate.objects.get(application=application)
    assert certificate.valid_until is not None
    assert ScreenerAssessment.objects.get().objective == [{"record": 0, "offence_article": "326 Sr", "hinders": False}]
    assert not CaseClaim.objects.exists()
    assert_accessible(page)
    screenshot(page, "gva-2-granted")
