"""The adapter to the justice records system (Justitieel Documentatie Systeem, JDS, kept by Justid).

``jds_client()`` returns the client chosen by ``settings.JDS_BACKEND``: the local simulator (records
in its own table, fault switches for drills) or the real HTTP client. Both implement ``JdsClient``.
"""

from django.conf import settings

from .base import JdsClient, JusticeRecord


def jds_client() -> JdsClient:
    """The configured client behind the JDS's circuit breaker (``justis.breaker``)."""
    from justis.breaker import guarded

    return guarded("jds", _backend())


def _backend() -> JdsClient:
    if settings.JDS_BACKEND == "simulator":
        from .simulator import SimulatedJds

        return SimulatedJds(timeout=settings.JDS_TIMEOUT_SECONDS)
    if settings.JDS_BACKEND == "http":
        from .http import HttpJds

        return HttpJds(
            base_url=settings.JDS_URL,
            timeout=settings.JDS_TIMEOUT_SECONDS,
            client_cert=settings.JDS_CLIENT_CERT or None,
        )
    raise ValueError(f"unknown JDS_BACKEND {settings.JDS_BACKEND!r}")


__all__ = ["JdsClient", "JusticeRecord", "jds_client"]
