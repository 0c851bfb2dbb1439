"""The demo plugin: a simulated iDEAL bank for development and drills (``ENABLE_DEMO_PLUGINS``).

The simulated provider keeps its own record of each payment (``DemoProviderPayment``) and shows a
bank page at ``/betalen/demo/<provider id>/``. Paying or cancelling there sets the provider status,
sends the payer to the return address and delivers the webhook through a Celery task, as a real
provider would. ``start`` and ``fetch_status`` obey the fault switches of ``System.PAYMENT``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justis.adapters import OutsideSystemError
from justis.faults import System, simulate_faults
from justis.queue import publish_on_commit

from ..models import DemoProviderPayment, DemoProviderStatus
from ..registry import PluginNotAvailable, register
from .base import MOLLIE_STYLE_STATUSES, BasePlugin

BANKS = [
    ("ABNANL2A", "ABN AMRO"),
    ("ASNBNL21", "ASN Bank"),
    ("INGBNL2A", "ING"),
    ("RABONL2U", "Rabobank"),
    ("SNSBNL2A", "SNS"),
    ("TRIONL2U", "Triodos Bank"),
]
# Like iDEAL at Mollie: an open payment nobody finishes expires after 15 minutes.
EXPIRES_AFTER = timedelta(minutes=15)


def demo_enabled() -> bool:
    return bool(settings.ENABLE_DEMO_PLUGINS)


@register
class DemoPlugin(BasePlugin):
    identifier = "demo"
    verbose_name = _("Demo bank (development only)")

    def __init__(self, *, timeout: float = 10.0):
        self.timeout = timeout

    @classmethod
    def is_enabled(cls) -> bool:
        return demo_enabled()

    @classmethod
    def from_settings(cls) -> DemoPlugin:
        return cls(timeout=settings.PAYMENT_TIMEOUT_SECONDS)

    def start(self, payment, *, return_url: str, webhook_url: str) -> str:
        if not demo_enabled():
            raise PluginNotAvailable(self.identifier)
        simulate_faults(System.PAYMENT, timeout=self.timeout)
        row = DemoProviderPayment.objects.create(
            provider_id="demo_" + secrets.token_hex(10),
            amount_cents=payment.amount_cents,
            description=payment.description,
            return_url=return_url,
            webhook_url=webhook_url,
        )
        payment.provider_payment_id = row.provider_id
        return reverse("payments:demo-bank", args=[row.provider_id])

    def fetch_status(self, payment) -> str:
        if not demo_enabled():
            raise PluginNotAvailable(self.identifier)
        simulate_faults(System.PAYMENT, timeout=self.timeout)
        row = DemoProviderPayment.objects.filter(provider_id=payment.provider_payment_id).first()
        if row is None:
            raise OutsideSystemError(System.PAYMENT, f"unknown payment {payment.provider_payment_id}")
        return MOLLIE_STYLE_STATUSES[demo_status(row)]


def demo_status(row: DemoProviderPayment) -> str:
    """The provider's status of ``row``: an open payment left alone too long has expired."""
    if row.status == DemoProviderStatus.OPEN and row.created_at < timezone.now() - EXPIRES_AFTER:
        return DemoProviderStatus.EXPIRED
    return row.status


def demo_bank_decide(*, provider_id: str, pay: bool, bank: str = "") -> DemoProviderPayment:
    """The payer pays or cancels at the demo bank. Only an open payment changes; then the webhook goes out."""
    from ..tasks import demo_webhook

    with transaction.atomic():
        row = DemoProviderPayment.objects.select_for_update().get(provider_id=provider_id)
        if demo_status(row) != DemoProviderStatus.OPEN:
            return row
        row.status = DemoProviderStatus.PAID if pay else DemoProviderStatus.CANCELED
        row.bank = bank if pay else ""
        row.updated_at = timezone.now()
        row.save(update_fields=["status", "bank", "updated_at"])
        publish_on_commit(demo_webhook, row.provider_id)
    return row
