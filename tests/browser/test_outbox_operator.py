"""An operator finds a message the SMS gateway could not take and puts it back in the queue.

The operator (two factors) opens the delivery screen: the SMS row counts one parked message, the
stuck list names its event, application and last error. "Opnieuw versturen" puts it back (the list
is empty, a message says so, and the audit trail has the resend). The page passes axe.
"""

import pytest

from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from notifications.models import OutboxMessage, OutboxStatus
from tests.factories import received_application
from tests.staff import login_browser_with_second_factor, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_resends_a_parked_sms(page, live_server, reference_data, assert_accessible, screenshot):
    application = received_application()
    message = OutboxMessage.objects.get(application=application, event="application_received")
    OutboxMessage.objects.filter(pk=message.pk).update(
        channel="sms",
        status=OutboxStatus.PARKED,
        attempts=8,
        next_attempt_at=None,
        last_error="sms unavailable: connection refused",
    )
    operator = staff_user("operator.justis", Role.OPERATOR)
    login_browser_with_second_factor(page, operator)

    page.goto("/beheer/berichten/")
    assert page.locator("h1").inner_text() == "Verzending van berichten"
    sms_row = page.locator('tr[data-channel="sms"]')
    assert "1" in sms_row.inner_text()
    stuck = page.locator(f'tr[data-message="{message.pk}"]')
    assert application.reference in stuck.inner_text()
    assert "connection refused" in stuck.inner_text()
    assert_accessible(page)
    screenshot(page, "parked")

    with page.expect_navigation():
        stuck.get_by_role("button", name="Opnieuw versturen").click()
    assert page.locator(f'tr[data-message="{message.pk}"]').count() == 0
    assert page.get_by_text("Geen vastgelopen berichten.").is_visible()
    assert page.get_by_text("Het bericht staat weer in de wachtrij en wordt opnieuw verstuurd.").is_visible()
    screenshot(page, "resent")

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    assert AuditEvent.objects.filter(action=AuditAction.OUTBOX_RESENT, subject_id=str(message.pk)).count() == 1
