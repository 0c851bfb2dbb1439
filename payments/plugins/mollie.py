"""The Mollie plugin: iDEAL payments through the Mollie API (``mollie-api-python``).

Mollie's webhook carries only the payment id; the status is always fetched with the API key. Every
transport failure becomes ``OutsideSystemUnavailable`` and every error answer ``OutsideSystemError``,
so callers treat Mollie like every other outside system.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from mollie.api.client import Client
from mollie.api.error import Error as MollieError
from mollie.api.error import RequestError, RequestSetupError

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from justis.faults import System

from ..registry import register
from .base import MOLLIE_STYLE_STATUSES, BasePlugin

# Mollie cannot call these back; it refuses a payment whose webhook address points there.
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "testserver"}


@register
class MolliePlugin(BasePlugin):
    identifier = "mollie"
    verbose_name = "Mollie (iDEAL)"

    def __init__(self, *, api_key: str, timeout: float = 10.0, api_endpoint: str = ""):
        self.api_key = api_key
        self.timeout = timeout
        self.api_endpoint = api_endpoint

    @classmethod
    def from_settings(cls) -> MolliePlugin:
        return cls(api_key=settings.MOLLIE_API_KEY, timeout=settings.PAYMENT_TIMEOUT_SECONDS)

    def _call(self, operation):
        try:
            client = Client(timeout=(min(3.0, self.timeout), self.timeout), retry=1)
            if self.api_endpoint:
                client.set_api_endpoint(self.api_endpoint)
            client.set_api_key(self.api_key)
            return operation(client)
        except RequestSetupError as exc:  # our side: no or a malformed API key, a malformed id
            raise OutsideSystemError(System.PAYMENT, f"request refused before sending: {exc}") from exc
        except RequestError as exc:  # connection refused, reset, timed out
            raise OutsideSystemUnavailable(System.PAYMENT, str(exc)) from exc
        except MollieError as exc:  # an error answer (4xx/5xx) or one that cannot be read
            raise OutsideSystemError(System.PAYMENT, f"{type(exc).__name__}: {exc}") from exc

    def start(self, payment, *, return_url: str, webhook_url: str) -> str:
        data = {
            "amount": {"currency": payment.currency, "value": payment.amount_text},
            "description": payment.description,
            "redirectUrl": return_url,
            "method": "ideal",
            "metadata": {"payment": str(payment.public_id)},
        }
        if urlsplit(webhook_url).hostname not in _LOCAL_HOSTS:
            data["webhookUrl"] = webhook_url  # locally, the return page and the reconciliation suffice
        # Our id as idempotency key: a repeated create returns the same Mollie payment.
        created = self._call(lambda client: client.payments.create(data, idempotency_key=str(payment.public_id)))
        if not created.id or not created.checkout_url:
            raise OutsideSystemError(System.PAYMENT, "the created payment has no id or checkout address")
        payment.provider_payment_id = created.id
        return created.checkout_url

    def fetch_status(self, payment) -> str:
        found = self._call(lambda client: client.payments.get(payment.provider_payment_id))
        try:
            return MOLLIE_STYLE_STATUSES[found.status]
        except KeyError:
            raise OutsideSystemError(System.PAYMENT, f"unknown Mollie status {found.status!r}") from None
