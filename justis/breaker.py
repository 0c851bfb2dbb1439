"""A circuit breaker per outside system, shared by every process through Redis.

After ``BREAKER_FAILURE_THRESHOLD`` consecutive failures (``OutsideSystemUnavailable`` or its
subclass ``OutsideSystemError``: down, timed out, answering errors) the breaker of that system
opens: calls fail at once with ``OutsideSystemUnavailable`` ("circuit open") without touching the
system, so a dead system is not hammered and workers do not wait for its timeouts. After
``BREAKER_COOLDOWN_SECONDS`` one call is let through as a probe (half-open); its success closes the
breaker, its failure opens it for another cool-down. Callers need nothing new: a failing call and a
refused call raise the same exception, so the work waits and is retried (task back-off, the
sweeper) and resumes by itself once the probe succeeds.

The state is a Redis hash ``breaker:<system>`` (``failures``, ``open_until``) plus a probe lock, so
the web and all workers share one view. Redis only carries hints: when it cannot be reached the
breaker fails open (calls go through as if it were closed).

Adapters use ``guarded(system, client)`` (every public method of the client goes through the
breaker) or ``breaker_call(system, function, ...)``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings

import redis

from .adapters import OutsideSystemUnavailable

log = logging.getLogger(__name__)

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
SYSTEMS = ("jds", "brp", "payment", "mail", "digid")

_client: dict[str, redis.Redis] = {}


def _redis() -> redis.Redis:
    url = settings.REDIS_URL
    client = _client.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        _client.clear()
        _client[url] = client
    return client


def _key(system: str) -> str:
    return f"breaker:{system}"


class CircuitOpen(OutsideSystemUnavailable):
    """Refused without calling: the breaker of this system is open."""

    def __init__(self, system: str, retry_in: float):
        self.retry_in = retry_in
        super().__init__(system, f"circuit open, next probe in {retry_in:.0f} s")


def breaker_state(system: str) -> dict:
    """What the breaker of ``system`` says now: state, consecutive failures, seconds until a probe."""
    try:
        raw = _redis().hgetall(_key(system))
    except redis.RedisError:
        return {"system": system, "state": "unknown (Redis down: calls go through)", "failures": 0, "retry_in": 0}
    failures = int(raw.get(b"failures", 0))
    open_until = float(raw.get(b"open_until", 0))
    now = time.time()
    if failures < settings.BREAKER_FAILURE_THRESHOLD:
        state = CLOSED
    elif open_until > now:
        state = OPEN
    else:
        state = HALF_OPEN
    return {"system": system, "state": state, "failures": failures, "retry_in": max(0.0, open_until - now)}


def breaker_reset(system: str | None = None) -> None:
    """Close the breaker of ``system`` (all when None) by hand, e.g. after a repair."""
    systems = [system] if system else SYSTEMS
    try:
        _redis().delete(*[_key(s) for s in systems], *[_key(s) + ":probe" for s in systems])
    except redis.RedisError:
        pass


def _before_call(system: str) -> int:
    """Raise ``CircuitOpen`` when the call may not go through; else return the failures seen (0: healthy)."""
    if not settings.BREAKER_ENABLED:
        return 0
    try:
        client = _redis()
        raw = client.hmget(_key(system), "failures", "open_until")
        failures = int(raw[0] or 0)
        if failures < settings.BREAKER_FAILURE_THRESHOLD:
            return failures
        retry_in = float(raw[1] or 0) - time.time()
        if retry_in > 0:
            raise CircuitOpen(system, retry_in)
        # Half-open: exactly one caller (across all processes) probes; the rest wait for its outcome.
        probe_ttl = max(1, int(settings.BREAKER_COOLDOWN_SECONDS))
        if not client.set(_key(system) + ":probe", "1", nx=True, ex=probe_ttl):
            raise CircuitOpen(system, 0)
        log.info("breaker %s half-open: probing", system)
        return failures
    except redis.RedisError:
        return 0  # fail open: Redis down must not stop work that the outside system could do


def _after_success(system: str, failures_seen: int) -> None:
    """Reset the count; a healthy system (no failures seen before the call) costs no second round trip."""
    if not settings.BREAKER_ENABLED or not failures_seen:
        return
    try:
        _redis().delete(_key(system), _key(system) + ":probe")
        if failures_seen >= settings.BREAKER_FAILURE_THRESHOLD:
            log.warning("breaker %s closed: the system answers again", system)
    except redis.RedisError:
        pass


def _after_failure(system: str) -> None:
    if not settings.BREAKER_ENABLED:
        return
    try:
        client = _redis()
        failures = client.hincrby(_key(system), "failures", 1)
        if failures >= settings.BREAKER_FAILURE_THRESHOLD:
            client.hset(_key(system), "open_until", time.time() + settings.BREAKER_COOLDOWN_SECONDS)
            client.delete(_key(system) + ":probe")
            if failures == settings.BREAKER_FAILURE_THRESHOLD:
                log.warning("breaker %s open after %d consecutive failures", system, failures)
        # A breaker nobody touches any more is forgotten after a while, so a stale count never lingers.
        client.expire(_key(system), int(settings.BREAKER_COOLDOWN_SECONDS) + 3600)
    except redis.RedisError:
        pass


def breaker_call[T](system: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``function`` through the breaker of ``system``."""
    failures_seen = _before_call(system)
    try:
        result = function(*args, **kwargs)
    except CircuitOpen:
        raise
    except OutsideSystemUnavailable:
        _after_failure(system)
        raise
    _after_success(system, failures_seen)
    return result


class _Guarded:
    """A client whose public methods go through the breaker; other attributes are the client's own."""

    def __init__(self, system: str, client: Any, methods: tuple[str, ...] | None):
        self._system, self._client, self._methods = system, client, methods

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute
        if self._methods is not None and name not in self._methods:
            return attribute

        @wraps(attribute)
        def call(*args, **kwargs):
            return breaker_call(self._system, attribute, *args, **kwargs)

        return call

    @property
    def wrapped(self) -> Any:
        return self._client


def guarded(system: str, client: Any, *, methods: tuple[str, ...] | None = None) -> Any:
    """``client`` with its public methods (or only ``methods``) behind the breaker of ``system``."""
    return _Guarded(system, client, methods)
