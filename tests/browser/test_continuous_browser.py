"""Continuous screening in a real browser: a screener opens the signals queue from the navigation,
opens a signal and records that a new VOG is required. The pages pass axe (WCAG 2.1 A/AA)."""

from datetime import date

import pytest

from continuous.models import ContinuousEnrolment, EnrolmentStatus, Signal, SignalStatus
from continuous.services import continuous_run
from justis.models import AuditAction, AuditEvent
from notifications.models import OutboxMessage
from tests.continuous_helpers import RUN_DAY, add_record, enrol
from tests.staff import login_browser_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_screener_opens_a_signal_and_requires_a_new_vog(page, screener, assert_accessible, screenshot):
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    continuous_run(day=RUN_DAY)
    signal = Signal.objects.get()
    login_browser_with_second_factor(page, screener)

    page.goto("/beoordeling/")
    with page.expect_navigation():
        page.locator("nav a[href='/beoordeling/signalen/']").click()
    row = page.locator(f"tr[data-signal='{signal.pk}']")
    assert row.get_attribute("data-status") == "open"
    assert "Pieter de Boer" in row.inner_text()
    assert_accessible(page)
    screenshot(page, "1-signals")

    with page.expect_navigation():
        row.locator("th a").click()
    assert page.url.endswith(f"/beoordeling/signalen/{signal.pk}/")
    assert "Kinderopvang De Zonnebloem B.V." in page.locator("[data-links]").inner_text()
    assert page.locator("[data-explanation]").inner_text().strip() != ""
    assert AuditEvent.objects.filter(action=AuditAction.SIGNAL_OPENED, subject_id=str(signal.pk)).count() == 1
    assert_accessible(page)
    screenshot(page, "2-signal")

    # Without a motivation nothing is decided and the form says what is missing.
    page.locator("#id_direct_risk_0").check()
    page.locator("#id_action_1").check()
    with page.expect_navigation():
        page.locator("form[action$='/besluiten/'] button[type='submit']").click()
    assert page.locator(".justis-form__errors a[href='#id_motivation']").count() == 1
    assert Signal.objects.get().status == SignalStatus.OPEN
    assert_accessible(page)

    page.locator("#id_direct_risk_0").check()
    page.locator("#id_action_1").check()
    page.locator("#id_motivation").fill("Diefstal na de inschrijving; er is een direct risico voor de kinderopvang.")
    with page.expect_navigation():
        page.locator("form[action$='/besluiten/'] button[type='submit']").click()
    assert page.url.endswith("/beoordeling/signalen/")
    assert "Pieter de Boer" in page.locator(".justis-messages").inner_text()
    assert page.locator(f"tr[data-signal='{signal.pk}']").get_attribute("data-status") == "decided"
    assert Signal.objects.get().action == "new_vog_required"
    assert ContinuousEnrolment.objects.get().status == EnrolmentStatus.NON_ACTIVE
    assert OutboxMessage.objects.filter(event="continuous_new_vog_required").count() == 2
    assert_accessible(page)
    screenshot(page, "3-decided")


def test_a_functional_admin_enrols_a_person_and_links_an_organisation(page, assert_accessible, screenshot):
    from justis.roles import Role
    from tests.staff import staff_user

    admin = staff_user("beheer.justis", Role.FUNCTIONAL_ADMIN)
    login_browser_with_second_factor(page, admin)
    page.goto("/beheer/continu-screenen/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("a[href='/beheer/continu-screenen/nieuw/']").click()
    page.locator("#id_sector_1").check()
    page.locator("#id_bsn").fill("999990044")
    page.locator("#id_given_names").fill("Sanne")
    page.locator("#id_surname").fill("Visser")
    page.locator("#id_birth_date").fill("1998-07-14")
    page.locator("#id_vog_reference").fill("VOG-2026-000555")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("form button[type='submit']").last.click()
    enrolment = ContinuousEnrolment.objects.get()
    assert enrolment.sector == "taxi"
    assert page.url.endswith(f"/beheer/continu-screenen/{enrolment.pk}/")

    page.locator("#id_link-kvk_number").fill("56789012")
    page.locator("#id_link-name").fill("Taxicentrale Snel & Veilig")
    page.locator("#id_link-contact_email").fill("planning@snelenveilig.example")
    with page.expect_navigation():
        page.locator("form[action$='/koppelen/'] button[type='submit']").click()
    assert page.locator("tr[data-link]").count() == 1
    assert_accessible(page)
    screenshot(page, "enrolment")
