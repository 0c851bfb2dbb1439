"""Rate limits per municipal token (not per address: one municipality's systems may share one address),
and per client address for everything without a token.

The token's rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["municipal_api"]`` (``MUNICIPAL_API_RATE``), read
on every request so a changed setting applies at once. The request history lives in the cache (Redis).
When the cache cannot be reached the request is let through: a limit on traffic never turns a good
application away.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math

from django.conf import settings
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


def retry_after_seconds(wait: float | None) -> int:
    """Whole seconds for Retry-After and the message: at least one."""
    return max(1, math.ceil(wait or 1))


def address_hash(address: str) -> str:
    """A keyed hash of a client's address: requests from one address can be counted, the address not read."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


class AddressRateThrottle(FailOpenRateThrottle):
    """At most the rate in the setting ``rate_setting`` per client address (read when the throttle is made).

    Works on a Django request as well as a DRF one (justis/ratelimit.py uses it for the web pages).
    """

    rate_setting = ""

    def __init__(self, scope: str | None = None, rate_setting: str | None = None):
        if scope:
            self.scope = scope
        if rate_setting:
            self.rate_setting = rate_setting
        super().__init__()

    def get_rate(self):
        return getattr(settings, self.rate_setting)

    def get_ident(self, request):
        """The client's address. A forwarded-for header is believed only behind configured proxies
        (``REST_FRAMEWORK["NUM_PROXIES"]``): otherwise anyone could send a new one with every request."""
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": address_hash(self.get_ident(request))}


class AnonymousAddressThrottle(AddressRateThrottle):
    """``API_ANONYMOUS_RATE`` per address for API requests without a valid municipal token: the schema, its
    documentation, the certificate check, and requests with a missing or wrong token (MunicipalApiView counts
    those before it refuses them, so guessing tokens is limited too). A request with a valid token is not
    counted here: its token has its own limit."""

    scope = "ip_api_anonymous"
    rate_setting = "API_ANONYMOUS_RATE"

    def get_cache_key(self, request, view):
        if isinstance(getattr(request, "_auth", None), ApiToken):
            return None
        return super().get_cache_key(request, view)


class TooManyRequestsFromAddress(Throttled):
    """429 with ``Retry-After`` for a client address over its limit, in the request's language."""

    def __init__(self, wait: float | None):
        seconds = retry_after_seconds(wait)
        super().__init__(wait=None, detail=too_many_requests_message(seconds))
        self.wait = seconds


def too_many_requests_message(seconds: int) -> str:
    return ngettext(
        "Too many requests from your address. Try again in %(seconds)d second.",
        "Too many requests from your address. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


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
        seconds = retry_after_seconds(wait)
        detail = ngettext(
            "Too many requests with this token. Try again in %(seconds)d second.",
            "Too many requests with this token. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        super().__init__(wait=None, detail=detail)
        self.wait = seconds
