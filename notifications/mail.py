"""The e-mail adapter: Django's mail backend (SMTP in production), with the fault switches in development.

Any transport failure raises ``OutsideSystemUnavailable`` (system "mail"), so delivery is retried.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from justis.adapters import OutsideSystemUnavailable
from justis.breaker import breaker_call
from justis.faults import System, simulate_faults


def send_email(*, to: str, subject: str, body: str) -> None:
    """Hand the message to the mail server, through the mail circuit breaker (``justis.breaker``)."""
    breaker_call(System.MAIL, _send, to=to, subject=subject, body=body)


def _send(*, to: str, subject: str, body: str) -> None:
    if settings.MAIL_SIMULATOR:
        simulate_faults(System.MAIL, timeout=settings.EMAIL_TIMEOUT)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise OutsideSystemUnavailable(System.MAIL, str(exc)[:200]) from exc
