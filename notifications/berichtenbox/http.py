"""The real message box client: the Berichtenbox of MijnOverheid through the Digikoppeling REST gateway.

``POST {base_url}/berichten`` over mutual TLS (our PKIoverheid certificate, ``BERICHTENBOX_CLIENT_CERT``)
with ``{"ontvanger": {"bsn"}, "afzender", "onderwerp", "inhoud", "kenmerk"}``; any 2xx is accepted.
Our key for the message is its ``kenmerk`` and the ``Idempotency-Key``, so a retry after a lost answer
puts no second message in the box. Transport failures, timeouts and error answers raise
``OutsideSystemUnavailable`` / ``OutsideSystemError``, so delivery retries with back-off.
"""

from __future__ import annotations

from justis.adapters import http_endpoint, post_json
from justis.faults import System


class HttpBerichtenbox:
    def __init__(self, *, base_url: str, client_cert: str | None, sender: str, timeout: float):
        self.base_url, self.context = http_endpoint(base_url, setting="BERICHTENBOX_URL", client_cert=client_cert)
        self.sender = sender
        self.timeout = timeout

    def deliver(self, *, bsn: str, subject: str, body: str, reference: str) -> None:
        post_json(
            f"{self.base_url}/berichten",
            {
                "ontvanger": {"bsn": bsn},
                "afzender": self.sender,
                "onderwerp": subject[:255],
                "inhoud": body,
                "kenmerk": reference,
            },
            system=System.BERICHTENBOX,
            headers={"Idempotency-Key": reference},
            context=self.context,
            timeout=self.timeout,
        )
