"""The real SMS gateway client: JSON over HTTPS with a bearer token and a hard timeout.

``POST {base_url}/messages`` with ``{"originator", "recipients": [to], "body", "reference"}``; any 2xx
is accepted. The reference doubles as the idempotency key (header ``Idempotency-Key``), so a retry
after a lost answer does not send the text twice. Transport failures, timeouts and 5xx raise
``OutsideSystemUnavailable`` / ``OutsideSystemError`` so that delivery is retried.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable, http_endpoint
from justis.faults import System


class HttpSmsGateway:
    def __init__(self, *, base_url: str, api_key: str, sender: str, timeout: float):
        self.base_url, self.context = http_endpoint(base_url, setting="SMS_URL")
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout

    def send(self, *, to: str, text: str, reference: str) -> None:
        body = json.dumps({"originator": self.sender, "recipients": [to], "body": text, "reference": reference})
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/messages",
            data=body.encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": reference,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            raise OutsideSystemError(System.SMS, f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OutsideSystemUnavailable(System.SMS, str(getattr(exc, "reason", exc))) from exc
