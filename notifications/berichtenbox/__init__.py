"""The adapter to the digital message box (Berichtenbox of MijnOverheid), addressed by BSN.

``berichtenbox_client()`` returns the client chosen by ``settings.BERICHTENBOX_BACKEND``. Today that is
the local simulator (a table, fault switch "berichtenbox"); a real client implements the same
``BerichtenboxClient`` interface and raises ``OutsideSystemUnavailable`` when the box does not answer.
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
    raise ValueError(f"unknown BERICHTENBOX_BACKEND {settings.BERICHTENBOX_BACKEND!r}")


__all__ = ["BerichtenboxClient", "berichtenbox_client"]
