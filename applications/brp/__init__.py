"""The adapter to the population register (Basisregistratie Personen, BRP).

``brp_client()`` returns the client chosen by ``settings.BRP_BACKEND``: the local simulator (the demo
persons, a made-up person for every other valid BSN, fault switches for drills) or the real client of
the "Haal Centraal BRP Personen Bevragen" API. Both implement ``BrpClient``. Services read a person
with ``brp_person_for()``, which leaves an entry in the audit trail.
"""

from __future__ import annotations

from django.conf import settings

from justis import bsn_crypto
from justis.audit import Actor, audit_record
from justis.models import AuditAction

from .base import BrpAddress, BrpClient, BrpPerson


def brp_client() -> BrpClient:
    """The configured client behind the BRP's circuit breaker (``justis.breaker``)."""
    from justis.breaker import guarded

    return guarded("brp", _backend())


def _backend() -> BrpClient:
    if settings.BRP_BACKEND == "simulator":
        from .simulator import SimulatedBrp

        return SimulatedBrp(timeout=settings.BRP_TIMEOUT_SECONDS)
    if settings.BRP_BACKEND == "http":
        from .http import HttpBrp

        return HttpBrp(
            base_url=settings.BRP_URL,
            timeout=settings.BRP_TIMEOUT_SECONDS,
            api_key=settings.BRP_API_KEY or None,
            client_cert=settings.BRP_CLIENT_CERT or None,
        )
    raise ValueError(f"unknown BRP_BACKEND {settings.BRP_BACKEND!r}")


def bsn_pseudonym(bsn: str) -> str:
    """What the audit trail records instead of a BSN: the first 16 hex digits of its keyed lookup digest.

    Keyed (``BSN_LOOKUP_KEY``), so that whoever holds audit rows without the key cannot find the BSN by
    trying all of them; with the key, a BSN's entries can be found (the auditor's search).
    """
    return bsn_crypto.digest(bsn)[:16]


def brp_person_for(bsn: str, *, actor: Actor, reason: str = "") -> BrpPerson | None:
    """The person registered under ``bsn`` (None: not registered), with an audit entry for the read.

    Raises ``OutsideSystemUnavailable`` / ``OutsideSystemError`` when the register cannot answer;
    nothing was read then, so nothing is audited.
    """
    person = brp_client().person(bsn)
    audit_record(
        actor=actor,
        action=AuditAction.PERSONAL_DATA_READ,
        subject_type="person",
        subject_id=bsn_pseudonym(bsn),
        reason=reason,
        data={"source": "brp", "found": person is not None},
    )
    return person


__all__ = ["BrpAddress", "BrpClient", "BrpPerson", "brp_client", "brp_person_for", "bsn_pseudonym"]
