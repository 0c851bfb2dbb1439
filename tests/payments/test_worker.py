"""The demo bank's webhook really runs on a Celery worker (real Redis, real PostgreSQL)."""

import re

from django.test import Client

import pytest

from justis.models import AuditAction, AuditEvent
from payments.models import Payment, PaymentStatus
from payments.services import payment_start
from tests.conftest import wait_for
from tests.factories import received_application

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_webhook_task_completes_the_payment_on_a_worker(start_worker):
    start_worker("default", name="payments")
    application = received_application()
    payment = payment_start(
        application=application, amount_cents=4495, description="VOG NP", return_url="/aanvraag/klaar/"
    )
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(payment.checkout_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(payment.checkout_url, {"csrfmiddlewaretoken": token, "bank": "RABONL2U", "action": "pay"})
    assert response.status_code == 302  # the payer does not come back: only the webhook can complete it

    wait_for(
        lambda: Payment.objects.filter(pk=payment.pk, status=PaymentStatus.COMPLETED).exists(),
        message="the webhook task to complete the payment",
    )
    event = AuditEvent.objects.get(action=AuditAction.PAYMENT_COMPLETED, subject_id=application.reference)
    assert event.data["source"] == "webhook"
    # The payer's late return changes nothing.
    assert browser.get(response.url).url == "/aanvraag/klaar/"
    assert AuditEvent.objects.filter(action=AuditAction.PAYMENT_COMPLETED).count() == 1
