"""What every payment provider plugin implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ..models import Payment


class BasePlugin:
    """A payment provider behind one interface.

    Both methods talk to the provider and raise ``justis.adapters.OutsideSystemUnavailable`` (or its
    subclass ``OutsideSystemError``) when it cannot answer. Plugins never save a ``Payment``: the
    services do.
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[str]

    @classmethod
    def is_enabled(cls) -> bool:
        return True

    @classmethod
    def from_settings(cls) -> BasePlugin:
        return cls()

    def start(self, payment: Payment, *, return_url: str, webhook_url: str) -> str:
        """Create the payment at the provider; set ``payment.provider_payment_id``; return the checkout URL."""
        raise NotImplementedError

    def fetch_status(self, payment: Payment) -> str:
        """Ask the provider for the payment's status; return a ``PaymentStatus`` value."""
        raise NotImplementedError

    def webhook_payment_id(self, request: HttpRequest) -> str:
        """The provider's payment id in a webhook call (only the id: the status is always fetched)."""
        return request.POST.get("id", "").strip()[:64]


# Providers that speak Mollie's language (Mollie itself, and the demo bank that imitates it).
MOLLIE_STYLE_STATUSES = {
    "open": "started",
    "pending": "processing",
    "authorized": "processing",
    "paid": "completed",
    "canceled": "cancelled",
    "expired": "expired",
    "failed": "failed",
}
