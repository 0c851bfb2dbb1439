"""The real JDS client: JSON over HTTPS with a client certificate (mTLS) and hard timeouts.

``GET {base_url}/persons/{bsn}/records`` (a person) and ``GET {base_url}/legal-entities/{kvk}/records``
(a legal entity, by KvK number) answer ``{"records": [...]}`` (404 = no records). Any
transport failure, timeout, 5xx or malformed answer raises ``OutsideSystemUnavailable`` /
``OutsideSystemError`` so that the assessment is retried, never failed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable, http_endpoint
from justis.faults import System

from .base import JusticeRecord


class HttpJds:
    def __init__(self, *, base_url: str, timeout: float, client_cert: str | None = None):
        self.base_url, self.context = http_endpoint(base_url, setting="JDS_URL", client_cert=client_cert)
        self.timeout = timeout

    def records_for(self, bsn: str) -> list[JusticeRecord]:
        return self._get(f"persons/{bsn}/records")

    def records_for_many(self, bsns) -> dict[str, list[JusticeRecord]]:
        """One request per person: the JDS interface has no bulk query; the first failure stops the batch."""
        return {bsn: self.records_for(bsn) for bsn in bsns if bsn}

    def records_for_legal_entity(self, kvk_number: str) -> list[JusticeRecord]:
        return self._get(f"legal-entities/{kvk_number}/records")

    def _get(self, path: str) -> list[JusticeRecord]:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/{path}", headers={"Accept": "application/json"}, method="GET"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return []
            raise OutsideSystemError(System.JDS, f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OutsideSystemUnavailable(System.JDS, str(getattr(exc, "reason", exc))) from exc
        try:
            return [JusticeRecord.from_json(item) for item in json.loads(body)["records"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise OutsideSystemError(System.JDS, f"malformed answer: {exc}") from exc
