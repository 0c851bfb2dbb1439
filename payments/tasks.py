"""Celery tasks: thin, idempotent, given ids only. The services do the work."""

from celery import shared_task


@shared_task(name="payments.tasks.demo_webhook")
def demo_webhook(provider_payment_id: str) -> str | None:
    """The demo bank calls our webhook, as a real provider would after the payer acted."""
    from .services import PaymentProviderUnavailable, payment_webhook_received

    try:
        payment = payment_webhook_received(plugin_id="demo", provider_payment_id=provider_payment_id)
    except PaymentProviderUnavailable:
        return None  # like a provider whose webhook failed: the return page and reconciliation catch up
    return payment.status if payment else None


@shared_task(name="payments.tasks.reconcile_payments")
def reconcile_payments() -> dict:
    from .services import payments_reconcile

    return payments_reconcile()
