"""Rate limits per municipal token (not per address: one municipality's systems may share one address).

The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["municipal_api"]`` (``MUNICIPAL_API_RATE``), read
on every request so a changed setting applies at once. The request history lives in the cache (Redis).
When the cache cannot be reached the request is let through: a limit on traffic never turns a good
application away.
"""

from __future__ import annotations

import logging
import math

from django.utils.translation import ngettext

from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiToken

logger = logging.getLogger(__name__)

SCOPE = "municipal_api"


class FailOpenRateThrottle(SimpleRateThrottle):
    """A rate limit whose history lives in the cache, that lets requests through when the cache is down
    and says how long to wait until the oldest request that still counts leaves the window."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            logger.warning("%s limit not applied: the cache cannot be reached (%s)", self.scope, exc)
            return True

    def wait(self) -> float:
        """Seconds until the oldest request that still counts leaves the window."""
        if len(self.history) < self.num_requests:
            return 0
        oldest_counted = self.history[self.num_requests - 1]
        return max(1.0, oldest_counted + self.duration - self.now)


class MunicipalTokenThrottle(FailOpenRateThrottle):
    scope = SCOPE

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class TooManyRequests(Throttled):
    """429 with a ``Retry-After`` header (set by DRF from ``wait``) and a message in the request's language."""

    def __init__(self, wait: float | None):
        seconds = max(1, math.ceil(wait or 1))
        detail = ngettext(
            "Too many requests with this token. Try again in %(seconds)d second.",
            "Too many requests with this token. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        super().__init__(wait=None, detail=detail)
        self.wait = seconds
