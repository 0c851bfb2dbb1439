from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
import time_machine

from justis.faults import fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from payments.models import DemoProviderPayment, DemoProviderStatus, Payment, PaymentStatus
from payments.plugins.demo import demo_bank_decide
from payments.registry import PluginNotAvailable, plugin_for
from payments.services import (
    ApplicationAlreadyPaid,
    PaymentProviderUnavailable,
    _apply,
    payment_refresh,
    payment_start,
    payment_webhook_received,
    payments_reconcile,
)

from .conftest import AFTER_PAYMENT, DRILL, FEE_CENTS

pytestmark = pytest.mark.django_db


def start(application, amount_cents=FEE_CENTS) -> Payment:
    return payment_start(
        application=application, amount_cents=amount_cents, description="VOG NP", return_url=AFTER_PAYMENT
    )


def provider_says(payment: Payment, status: str) -> None:
    """Set the simulated provider's own record, as the bank would after the payer acted."""
    DemoProviderPayment.objects.filter(provider_id=payment.provider_payment_id).update(status=status)


def audit_actions(application) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_id=application.reference, action__startswith="payment.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


class TestStart:
    def test_creates_a_payment_at_the_provider_and_returns_the_checkout_address(self, application):
        payment = start(application)
        assert payment.status == PaymentStatus.STARTED
        assert payment.plugin == "demo"
        assert payment.next_url == AFTER_PAYMENT
        assert payment.checkout_url == f"/betalen/demo/{payment.provider_payment_id}/"
        row = DemoProviderPayment.objects.get(provider_id=payment.provider_payment_id)
        assert row.amount_cents == FEE_CENTS
        assert row.return_url == f"http://127.0.0.1:8000/betalen/{payment.public_id}/terug/"
        assert row.webhook_url == "http://127.0.0.1:8000/betalen/webhook/demo/"
        assert audit_actions(application) == [AuditAction.PAYMENT_STARTED]

    def test_a_second_start_returns_the_open_payment(self, application):
        first = start(application)
        assert start(application) == first
        assert Payment.objects.count() == 1
        assert DemoProviderPayment.objects.count() == 1

    def test_a_payment_being_processed_is_returned_too(self, application):
        first = start(application)
        provider_says(first, DemoProviderStatus.PENDING)
        assert payment_refresh(payment_id=first.pk, source="return").status == PaymentStatus.PROCESSING
        assert start(application) == first

    def test_another_amount_starts_another_payment(self, application):
        first = start(application)
        assert start(application, amount_cents=FEE_CENTS + 100) != first

    def test_a_paid_application_cannot_be_paid_again(self, application):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.PAID)
        payment_refresh(payment_id=payment.pk, source="return")
        with pytest.raises(ApplicationAlreadyPaid):
            start(application)

    @pytest.mark.parametrize("outcome", [DemoProviderStatus.CANCELED, DemoProviderStatus.FAILED])
    def test_after_a_failed_payment_a_new_one_may_be_started(self, application, outcome):
        first = start(application)
        provider_says(first, outcome)
        assert payment_refresh(payment_id=first.pk, source="return").status in {"cancelled", "failed"}
        second = start(application)
        assert second != first
        assert second.status == PaymentStatus.STARTED

    @pytest.mark.parametrize("mode", ["down", "errors"])
    def test_provider_unavailable_saves_nothing_and_says_so(self, application, mode):
        fault_set(system="payment", mode=mode, actor=DRILL)
        with pytest.raises(PaymentProviderUnavailable) as raised:
            start(application)
        assert "betaalprovider is nu niet bereikbaar" in str(raised.value.user_message)
        assert not Payment.objects.exists()
        fault_clear(system="payment", actor=DRILL)
        assert start(application).status == PaymentStatus.STARTED

    def test_only_addresses_on_this_site_are_accepted_to_return_to(self, application):
        with pytest.raises(ValueError, match="address on this site"):
            payment_start(
                application=application,
                amount_cents=FEE_CENTS,
                description="VOG",
                return_url="https://evil.example/",
            )

    @override_settings(ENABLE_DEMO_PLUGINS=False)
    def test_the_demo_plugin_refuses_when_switched_off(self, application):
        with pytest.raises(PluginNotAvailable):
            start(application)
        with pytest.raises(PluginNotAvailable):
            plugin_for("demo")


class TestRefresh:
    @pytest.mark.parametrize("source", ["return", "webhook", "reconcile"])
    def test_completes_from_the_provider_and_signals_once(self, application, completed_signals, source):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.PAID)
        refreshed = payment_refresh(payment_id=payment.pk, source=source)
        assert refreshed.status == PaymentStatus.COMPLETED
        assert refreshed.completed_at is not None
        assert completed_signals == [payment.pk]
        event = AuditEvent.objects.get(action=AuditAction.PAYMENT_COMPLETED)
        assert event.data == {"payment": str(payment.public_id), "status": "completed", "source": source}

    def test_an_open_payment_stays_started(self, application, completed_signals):
        payment = start(application)
        assert payment_refresh(payment_id=payment.pk, source="return").status == PaymentStatus.STARTED
        assert completed_signals == []

    def test_a_replayed_webhook_signals_only_once(self, application, completed_signals):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.PAID)
        for _ in range(3):
            payment_webhook_received(plugin_id="demo", provider_payment_id=payment.provider_payment_id)
        payment_refresh(payment_id=payment.pk, source="return")
        assert completed_signals == [payment.pk]
        assert audit_actions(application) == [AuditAction.PAYMENT_STARTED, AuditAction.PAYMENT_COMPLETED]

    def test_the_webhook_body_is_never_trusted(self, application, completed_signals):
        payment = start(application)  # the provider still says "open"
        payment_webhook_received(plugin_id="demo", provider_payment_id=payment.provider_payment_id)
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.STARTED
        assert completed_signals == []

    def test_webhooks_for_unknown_payments_change_nothing(self, application):
        start(application)
        assert payment_webhook_received(plugin_id="demo", provider_payment_id="demo_guessed") is None
        assert payment_webhook_received(plugin_id="mollie", provider_payment_id="tr_unknown") is None

    def test_statuses_move_forward_only(self, application, completed_signals):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.PENDING)
        assert payment_refresh(payment_id=payment.pk, source="webhook").status == PaymentStatus.PROCESSING
        provider_says(payment, DemoProviderStatus.OPEN)  # a stale answer: never back to started
        assert payment_refresh(payment_id=payment.pk, source="return").status == PaymentStatus.PROCESSING
        provider_says(payment, DemoProviderStatus.PAID)
        assert payment_refresh(payment_id=payment.pk, source="webhook").status == PaymentStatus.COMPLETED
        provider_says(payment, DemoProviderStatus.FAILED)  # a completed payment never goes back
        assert payment_refresh(payment_id=payment.pk, source="reconcile").status == PaymentStatus.COMPLETED
        assert completed_signals == [payment.pk]

    def test_a_late_refresh_that_read_an_older_status_changes_nothing(self, application, completed_signals):
        payment = start(application)
        stale = Payment.objects.get(pk=payment.pk)  # read by a slow refresh while the payer was paying
        provider_says(payment, DemoProviderStatus.PAID)
        payment_refresh(payment_id=payment.pk, source="webhook")
        assert _apply(stale, PaymentStatus.PROCESSING, "return") is False
        assert _apply(stale, PaymentStatus.EXPIRED, "reconcile") is False
        assert _apply(stale, PaymentStatus.COMPLETED, "return") is False
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.COMPLETED
        assert completed_signals == [payment.pk]

    def test_a_failed_payment_is_audited(self, application, completed_signals):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.EXPIRED)
        assert payment_refresh(payment_id=payment.pk, source="reconcile").status == PaymentStatus.EXPIRED
        event = AuditEvent.objects.get(action=AuditAction.PAYMENT_FAILED)
        assert event.data["status"] == "expired"
        assert completed_signals == []

    def test_provider_down_counts_the_attempt_and_raises(self, application):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.PAID)
        fault_set(system="payment", mode="down", actor=DRILL)
        with pytest.raises(PaymentProviderUnavailable):
            payment_refresh(payment_id=payment.pk, source="return")
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.STARTED
        assert payment.attempts == 2
        assert "connection refused" in payment.last_error
        fault_clear(system="payment", actor=DRILL)
        payment = payment_refresh(payment_id=payment.pk, source="return")
        assert payment.status == PaymentStatus.COMPLETED
        assert payment.last_error == ""

    def test_a_receiver_that_fails_leaves_the_payment_open_for_the_next_refresh(self, application):
        from payments.signals import payment_completed

        def broken(sender, payment, **kwargs):
            raise RuntimeError("application could not be moved on")

        payment = start(application)
        provider_says(payment, DemoProviderStatus.PAID)
        payment_completed.connect(broken, weak=False, dispatch_uid="tests.broken")
        try:
            with pytest.raises(RuntimeError):
                payment_refresh(payment_id=payment.pk, source="webhook")
        finally:
            payment_completed.disconnect(dispatch_uid="tests.broken")
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.STARTED
        assert payment_refresh(payment_id=payment.pk, source="reconcile").status == PaymentStatus.COMPLETED

    def test_a_second_paid_payment_does_not_break_the_one_payment_rule(self, application, completed_signals):
        first = start(application)
        second = start(application, amount_cents=FEE_CENTS + 100)  # the fee changed while the first was open
        provider_says(first, DemoProviderStatus.PAID)
        provider_says(second, DemoProviderStatus.PAID)
        assert payment_refresh(payment_id=first.pk, source="webhook").status == PaymentStatus.COMPLETED
        second = payment_refresh(payment_id=second.pk, source="webhook")
        assert second.status == PaymentStatus.STARTED
        assert "refund needed" in second.last_error
        assert completed_signals == [first.pk]


class TestReconcile:
    def test_asks_again_about_payments_open_too_long(self, application, completed_signals):
        paid = start(application)
        demo_bank_decide(provider_id=paid.provider_payment_id, pay=True, bank="INGBNL2A")  # webhook lost
        assert payments_reconcile()["checked"] == 0  # too young
        with time_machine.travel(timezone.now() + timedelta(seconds=901), tick=False):
            assert payments_reconcile() == {"checked": 1, "changed": 1, "unavailable": 0}
            # Asked about once per period.
            assert payments_reconcile()["checked"] == 0
        paid.refresh_from_db()
        assert paid.status == PaymentStatus.COMPLETED
        assert completed_signals == [paid.pk]
        assert AuditEvent.objects.get(action=AuditAction.PAYMENT_COMPLETED).data["source"] == "reconcile"

    def test_an_abandoned_payment_expires(self, application):
        payment = start(application)
        with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
            assert payments_reconcile()["changed"] == 1
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.EXPIRED

    def test_provider_down_is_counted_and_tried_next_period(self, application):
        payment = start(application)
        fault_set(system="payment", mode="down", actor=DRILL)
        moment = timezone.now() + timedelta(seconds=901)
        with time_machine.travel(moment, tick=False):
            assert payments_reconcile() == {"checked": 1, "changed": 0, "unavailable": 1}
        fault_clear(system="payment", actor=DRILL)
        provider_says(payment, DemoProviderStatus.PAID)
        with time_machine.travel(moment + timedelta(seconds=901), tick=False):
            assert payments_reconcile()["changed"] == 1

    def test_final_payments_are_left_alone(self, application):
        payment = start(application)
        provider_says(payment, DemoProviderStatus.CANCELED)
        payment_refresh(payment_id=payment.pk, source="return")
        with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
            assert payments_reconcile()["checked"] == 0

    def test_the_task_runs_the_service(self, application):
        from payments.tasks import reconcile_payments

        start(application)
        assert reconcile_payments.run() == {"checked": 0, "changed": 0, "unavailable": 0}
