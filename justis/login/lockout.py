"""A staff account is locked for a while after repeated wrong passwords.

``STAFF_LOGIN_MAX_FAILURES`` wrong passwords for one username within ``STAFF_LOCKOUT_SECONDS`` lock it
until that time has passed since the first of them; while locked, even the right password is refused.
The count lives in the cache (Redis), keyed by a hash of the username (known or not, so the answer
tells nothing about which accounts exist). Without the cache the lock is not applied: the second
factor still guards the account, and the log says so.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"login:staff-failures:{digest}"


def login_locked(username: str) -> bool:
    try:
        return (cache.get(_key(username)) or 0) >= settings.STAFF_LOGIN_MAX_FAILURES
    except Exception:  # noqa: BLE001 - the cache is down: the lock is not applied (see above)
        logger.warning("cache unavailable: staff login lockout not checked")
        return False


def login_failed(username: str) -> int:
    """Count a wrong password; returns the failures counted so far in this window."""
    key = _key(username)
    try:
        if cache.add(key, 1, timeout=settings.STAFF_LOCKOUT_SECONDS):
            count = 1
        else:
            count = cache.incr(key)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable: staff login failure not counted")
        return 0
    if count == settings.STAFF_LOGIN_MAX_FAILURES:
        logger.warning("staff login locked after %s wrong passwords (username hash %s)", count, key[-12:])
    return count


def login_succeeded(username: str) -> None:
    try:
        cache.delete(_key(username))
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable: staff login failures not cleared")
