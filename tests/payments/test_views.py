"""The payer's path through Django's test client: start → demo bank → pay → return → completed."""

import re

from django.contrib.messages import get_messages
from django.test import Client, override_settings

import pytest

import justis.queue
from justis.faults import fault_set
from payments.models import DemoProviderPayment, DemoProviderStatus, Payment, PaymentStatus
from payments.services import payment_start
from payments.tasks import demo_webhook

from .conftest import AFTER_PAYMENT, DRILL, FEE_CENTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def payment(application):
    return payment_start(
        application=application, amount_cents=FEE_CENTS, description="VOG NP 2026", return_url=AFTER_PAYMENT
    )


@pytest.fixture
def published(monkeypatch):
    """Messages published after commit, instead of sending them to Redis."""
    sent = []
    monkeypatch.setattr(justis.queue, "publish", lambda task, *args: sent.append((task, args)) or True)
    return sent


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def bank_page(browser, payment):
    response = browser.get(payment.checkout_url)
    assert response.status_code == 200
    return response


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestDemoBank:
    def test_pay_return_and_complete(
        self, browser, payment, completed_signals, published, django_capture_on_commit_callbacks
    ):
        page = bank_page(browser, payment)
        html = page.content.decode()
        assert "Betalen met iDEAL" in html
        assert "€&nbsp;44,95" in html
        assert 'class="utrecht-radio-button"' in html
        assert '<label class="utrecht-form-label utrecht-form-label--radio" for="id_bank_2">ING</label>' in html

        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(
                payment.checkout_url, {"csrfmiddlewaretoken": csrf_token(page), "bank": "INGBNL2A", "action": "pay"}
            )
        assert response.status_code == 302
        assert response.url == f"http://127.0.0.1:8000/betalen/{payment.public_id}/terug/"
        row = DemoProviderPayment.objects.get(provider_id=payment.provider_payment_id)
        assert (row.status, row.bank) == (DemoProviderStatus.PAID, "INGBNL2A")
        # The bank delivers the webhook through a task, published after commit.
        assert published == [(demo_webhook, (payment.provider_payment_id,))]
        # The payer is back before the webhook ran: the return page asks the provider itself.
        response = browser.get(response.url)
        assert response.status_code == 302
        assert response.url == AFTER_PAYMENT
        assert messages_of(response) == ["Bedankt: uw betaling is ontvangen."]
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.COMPLETED
        # The late webhook changes nothing.
        assert demo_webhook.run(payment.provider_payment_id) == PaymentStatus.COMPLETED
        assert completed_signals == [payment.pk]
        # Back to the bank page (back button): the bank sends the payer on instead of charging twice.
        assert browser.get(payment.checkout_url).url == f"http://127.0.0.1:8000/betalen/{payment.public_id}/terug/"

    def test_cancel(self, browser, payment, completed_signals, published):
        page = bank_page(browser, payment)
        response = browser.post(payment.checkout_url, {"csrfmiddlewaretoken": csrf_token(page), "action": "cancel"})
        response = browser.get(response.url)
        assert response.url == AFTER_PAYMENT
        assert messages_of(response) == [
            "De betaling is niet gelukt. Er is geen geld afgeschreven; u kunt het opnieuw proberen."
        ]
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.CANCELLED
        assert completed_signals == []

    def test_paying_needs_a_bank(self, browser, payment):
        page = bank_page(browser, payment)
        response = browser.post(payment.checkout_url, {"csrfmiddlewaretoken": csrf_token(page), "action": "pay"})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "Kies uw bank om te betalen." in html
        assert 'aria-invalid="true"' in html
        assert DemoProviderPayment.objects.get().status == DemoProviderStatus.OPEN

    def test_without_the_csrf_token_nothing_happens(self, browser, payment):
        response = browser.post(payment.checkout_url, {"bank": "INGBNL2A", "action": "pay"})
        assert response.status_code == 403
        assert DemoProviderPayment.objects.get().status == DemoProviderStatus.OPEN

    def test_in_english(self, browser, payment):
        browser.cookies["django_language"] = "en"
        html = bank_page(browser, payment).content.decode()
        assert "Pay with iDEAL" in html
        assert "Choose your bank" in html
        assert ">Cancel</button>" in html

    def test_unknown_payment_is_404(self, browser, payment):
        assert browser.get("/betalen/demo/demo_unknown/").status_code == 404

    @override_settings(ENABLE_DEMO_PLUGINS=False)
    def test_switched_off_the_demo_pages_do_not_exist(self, browser, payment):
        assert browser.get(payment.checkout_url).status_code == 404
        assert browser.post("/betalen/webhook/demo/", {"id": payment.provider_payment_id}).status_code == 404


class TestReturn:
    def test_unknown_payment_is_404(self, browser):
        assert browser.get("/betalen/6f1c1c2e-1111-4c8e-9a41-2b7c0f6b1d2a/terug/").status_code == 404

    def test_still_open(self, browser, payment):
        response = browser.get(f"/betalen/{payment.public_id}/terug/")
        assert response.url == AFTER_PAYMENT
        assert messages_of(response) == [
            "Uw betaling wordt verwerkt. Deze pagina toont het resultaat zodra het bekend is."
        ]

    def test_provider_down_still_brings_the_payer_back(self, browser, payment):
        fault_set(system="payment", mode="down", actor=DRILL)
        response = browser.get(f"/betalen/{payment.public_id}/terug/")
        assert response.status_code == 302
        assert response.url == AFTER_PAYMENT
        assert "betaalprovider" in messages_of(response)[0]

    def test_never_redirects_to_another_site(self, browser, payment):
        Payment.objects.filter(pk=payment.pk).update(next_url="https://evil.example/")
        assert browser.get(f"/betalen/{payment.public_id}/terug/").url == "/"


class TestWebhook:
    URL = "/betalen/webhook/demo/"

    def test_unknown_id_is_200(self, browser, payment):
        response = browser.post(self.URL, {"id": "demo_guessed"})
        assert response.status_code == 200

    def test_get_is_405(self, browser):
        assert browser.get(self.URL).status_code == 405

    def test_without_an_id_is_400(self, browser):
        assert browser.post(self.URL, {}).status_code == 400

    def test_unknown_plugin_is_404(self, browser):
        assert browser.post("/betalen/webhook/paypal/", {"id": "x"}).status_code == 404

    def test_completes_a_paid_payment_without_csrf(self, browser, payment, completed_signals):
        DemoProviderPayment.objects.update(status=DemoProviderStatus.PAID)
        response = browser.post(self.URL, {"id": payment.provider_payment_id, "status": "ignored"})
        assert response.status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.COMPLETED
        assert browser.post(self.URL, {"id": payment.provider_payment_id}).status_code == 200
        assert completed_signals == [payment.pk]

    def test_a_body_claiming_paid_is_not_believed(self, browser, payment, completed_signals):
        browser.post(self.URL, {"id": payment.provider_payment_id, "status": "paid"})
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.STARTED

    def test_provider_down_is_still_200(self, browser, payment):
        fault_set(system="payment", mode="errors", actor=DRILL)
        assert browser.post(self.URL, {"id": payment.provider_payment_id}).status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.STARTED
        assert "503" in payment.last_error

    def test_a_failing_receiver_is_logged_not_500(self, browser, payment, caplog):
        from payments.signals import payment_completed

        def broken(sender, payment, **kwargs):
            raise RuntimeError("boom")

        DemoProviderPayment.objects.update(status=DemoProviderStatus.PAID)
        payment_completed.connect(broken, weak=False, dispatch_uid="tests.broken")
        try:
            assert browser.post(self.URL, {"id": payment.provider_payment_id}).status_code == 200
        finally:
            payment_completed.disconnect(dispatch_uid="tests.broken")
        assert "webhook of demo" in caplog.text
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.STARTED
