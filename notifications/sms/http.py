"""The real SMS gateway client: JSON over HTTPS with a bearer token and a hard timeout.

``POST {base_url}/messages`` with ``{"originator", "recipients": [to], "body", "reference"}``; any 2xx
is accepted. The reference doubles as the idempotency key (header ``Idempotency-Key``), so a retry
after a lost answer does not send the text twice. Transport failures, timeouts and 5xx raise
``OutsideSystemUnavailable`` / ``OutsideSystemError`` so that delivery is retried.
"""

from __future__ import annotations

from justis.adapters import http_endpoint, post_json
from justis.faults import System


class HttpSmsGateway:
    def __init__(self, *, base_url: str, api_key: str, sender: str, timeout: float):
        self.base_url, self.context = http_endpoint(base_url, setting="SMS_URL")
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout

    def send(self, *, to: str, text: str, reference: str) -> None:
        post_json(
            f"{self.base_url}/messages",
            {"originator": self.sender, "recipients": [to], "body": text, "reference": reference},
            system=System.SMS,
            headers={"Authorization": f"Bearer {self.api_key}", "Idempotency-Key": reference},
            context=self.context,
            timeout=self.timeout,
        )
