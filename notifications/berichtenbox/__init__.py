"""The adapter to the digital message box (Berichtenbox of MijnOverheid), addressed by BSN.

``berichtenbox_client()`` returns the client chosen by ``settings.BERICHTENBOX_BACKEND``: the local
simulator (a table, fault switch "berichtenbox") or the real client (``http.py``, the Digikoppeling
REST gateway over mutual TLS). Both implement ``BerichtenboxClient`` and raise
``OutsideSystemUnavailable`` when the box does not answer.
"""

from typing import Protocol

from django.conf import settings


class BerichtenboxClient(Protocol):
    def deliver(self, *, bsn: str, subject: str, body: str, reference: str) -> None:
        """Put one message in the person's box. ``reference`` is our key for it."""


def berichtenbox_client() -> BerichtenboxClient:
    if settings.BERICHTENBOX_BACKEND == "simulator":
        from .simulator import SimulatedBerichtenbox

        return SimulatedBerichtenbox(timeout=settings.BERICHTENBOX_TIMEOUT_SECONDS)
    if settings.BERICHTENBOX_BACKEND == "http":
        from .http import HttpBerichtenbox

        return HttpBerichtenbox(
            base_url=settings.BERICHTENBOX_URL,
            client_cert=settings.BERICHTENBOX_CLIENT_CERT or None,
            sender=settings.BERICHTENBOX_SENDER,
            timeout=settings.BERICHTENBOX_TIMEOUT_SECONDS,
        )
    raise ValueError(f"unknown BERICHTENBOX_BACKEND {settings.BERICHTENBOX_BACKEND!r}")


__all__ = ["BerichtenboxClient", "berichtenbox_client"]
