"""The SMS adapter.

``sms_client()`` returns the client chosen by ``settings.SMS_BACKEND``: the local simulator (every text
in its own table, fault switch "sms" for drills) or the real HTTP client of the SMS gateway. Both
implement ``SmsClient`` and raise ``OutsideSystemUnavailable`` when the text could not be handed over.
"""

from django.conf import settings

from .base import SmsClient


def sms_client() -> SmsClient:
    if settings.SMS_BACKEND == "simulator":
        from .simulator import SimulatedSmsGateway

        return SimulatedSmsGateway(timeout=settings.SMS_TIMEOUT_SECONDS)
    if settings.SMS_BACKEND == "http":
        from .http import HttpSmsGateway

        return HttpSmsGateway(
            base_url=settings.SMS_URL,
            api_key=settings.SMS_API_KEY,
            sender=settings.SMS_SENDER,
            timeout=settings.SMS_TIMEOUT_SECONDS,
        )
    raise ValueError(f"unknown SMS_BACKEND {settings.SMS_BACKEND!r}")


__all__ = ["SmsClient", "sms_client"]
