"""Checking a certificate by its verification code: the public page, the API and the QR code share this.

An organisation learns only whether a certificate with the code exists, its type, its application
date, its screening basis and, for a GVA, its last valid day. Never the name, birth date or records.
Every check is recorded (``CertificateCheck``); failed checks without a certificate, for monitoring.

Guessing: the code has 16 symbols of a 32-symbol alphabet (80 bits), and each client address may
check at most ``VERIFY_RATE`` codes (page and API together, counted in the Redis cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import ngettext

from applications.api.throttling import AddressRateThrottle, address_hash, retry_after_seconds

from .models import Certificate, CertificateCheck, CheckChannel
from .services import _CODE_ALPHABET, certificate_expired

CODE_LENGTH = 16
# Crockford's base32 reads letters that look like digits as those digits.
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u00a0\t._")


def code_normalised(typed: str) -> str | None:
    """The code as printed (XXXX-XXXX-XXXX-XXXX) from what someone typed, or None when it cannot be one.

    Lower case, spaces and missing dashes do not matter; O is read as 0 and I and L as 1.
    """
    raw = (typed or "").upper().translate(_SEPARATORS).translate(_CONFUSABLES)
    if len(raw) != CODE_LENGTH or any(symbol not in _CODE_ALPHABET for symbol in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def verification_url(code: str) -> str:
    """The address the QR code on the certificate opens."""
    return f"{settings.PUBLIC_BASE_URL}/controleren/{code}/"


@dataclass(frozen=True)
class CheckResult:
    """What an organisation may learn about a code: nothing when it is not genuine."""

    genuine: bool
    type: str = ""
    application_date: date | None = None
    screening_basis: dict | None = None
    valid_until: date | None = None
    expired: bool = False


NOT_GENUINE = CheckResult(genuine=False)


def certificate_check(
    *, typed_code: str, channel: str, client_address: str, organisation_name: str = ""
) -> CheckResult:
    """Look a code up and record the check. ``organisation_name`` is what the checker said about themselves."""
    code = code_normalised(typed_code)
    certificate = Certificate.objects.filter(verification_code=code).first() if code else None
    CertificateCheck.objects.create(
        certificate=certificate,
        channel=CheckChannel(channel),
        client_hash=address_hash(client_address),
        organisation_name=(organisation_name or "").strip()[:200] if certificate else "",
    )
    if certificate is None:
        return NOT_GENUINE
    printed = certificate.printed
    return CheckResult(
        genuine=True,
        type=printed["type"],
        application_date=date.fromisoformat(printed["application_date"]),
        screening_basis=printed.get("screening_basis"),
        valid_until=certificate.valid_until,
        expired=certificate_expired(certificate),
    )


def checks_of_certificate(certificate: Certificate | None) -> list[CertificateCheck]:
    """The checks of one certificate, newest first, for its applicant."""
    if certificate is None:
        return []
    return list(CertificateCheck.objects.filter(certificate=certificate).order_by("-checked_at", "-pk"))


def failed_checks_since(moment) -> int:
    """How many checks found no certificate since ``moment``: a rise means someone is guessing."""
    return CertificateCheck.objects.filter(certificate__isnull=True, checked_at__gte=moment).count()


class CertificateCheckThrottle(AddressRateThrottle):
    """At most ``VERIFY_RATE`` checks per client address, page and API together (history in the cache).

    Works on a Django request as well as a DRF one. When the cache cannot be reached the check is let
    through: a limit on traffic never stops an organisation from checking. The address is read as
    ``AddressRateThrottle`` reads it (X-Forwarded-For only behind ``NUM_PROXIES`` proxies).
    """

    scope = "certificate_verify"
    rate_setting = "VERIFY_RATE"


def client_address(request) -> str:
    """The client's address as the rate limit sees it (DRF's rules for proxies)."""
    return CertificateCheckThrottle().get_ident(request)


def too_many_checks_message(wait: float | None) -> tuple[str, int]:
    """The message in the request's language and the whole seconds to wait (for Retry-After)."""
    seconds = retry_after_seconds(wait)
    message = ngettext(
        "Too many checks from your address. Try again in %(seconds)d second.",
        "Too many checks from your address. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
    return message, seconds
