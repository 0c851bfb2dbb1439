"""What every adapter to an outside system shares: its failure exceptions.

Each outside system (JDS, BRP, payment provider, mail, DigiD, eHerkenning) has a real client and a
local simulator behind one interface; both raise these exceptions, so callers treat a failing
dependency the same way: queue a retry and tell people about the delay, never fail the work.
"""


class OutsideSystemUnavailable(Exception):
    """The system did not answer (down, timed out). Try again later."""

    def __init__(self, system: str, detail: str = ""):
        self.system = system
        self.detail = detail
        super().__init__(f"{system} unavailable" + (f": {detail}" if detail else ""))


class OutsideSystemError(OutsideSystemUnavailable):
    """The system answered with an error of its own (5xx, malformed answer). Try again later."""


def http_endpoint(base_url: str, *, setting: str, client_cert: str | None = None):
    """Check an outside system's base address and build its TLS context (with a client certificate).

    Returns ``(base_url without trailing slash, ssl context or None for plain http)``. Only http(s)
    addresses are accepted, so urllib never opens ``file:`` or other schemes.
    """
    import ssl

    if not base_url.startswith(("https://", "http://")):
        raise ValueError(f"{setting} must be an http(s) address")
    context = None
    if base_url.startswith("https://"):
        context = ssl.create_default_context()
        if client_cert:
            context.load_cert_chain(client_cert)
    return base_url.rstrip("/"), context


def post_json(url: str, payload: dict, *, system: str, headers: dict, context, timeout: float) -> bytes:
    """POST ``payload`` as JSON and return the answer's body; any 2xx is accepted.

    An error answer raises ``OutsideSystemError``; no answer (refused, timed out, TLS failure) raises
    ``OutsideSystemUnavailable``: both mean "try again later" to the caller.
    """
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(  # noqa: S310 - callers build ``url`` from http_endpoint()
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        raise OutsideSystemError(system, f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OutsideSystemUnavailable(system, str(getattr(exc, "reason", exc))) from exc
