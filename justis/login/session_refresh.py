"""Renewing idle sessions without a database write on every request.

A session ends after ``SESSION_COOKIE_AGE`` seconds without a request. Writing the session row on
every page (``SESSION_SAVE_EVERY_REQUEST``) costs a transaction per request; instead the session is
written when it changed or when its last renewal is older than ``refresh_interval()`` (a fifteenth of
the idle time, at most a minute). The idle warning counts from the last renewal, so it never promises
more time than the database row holds.
"""

import math
import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

RENEWED_KEY = "_renewed_at"
MAX_REFRESH_SECONDS = 60


def refresh_interval() -> int:
    return min(MAX_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 15)


def renewal_due(session, now: float | None = None) -> bool:
    """Whether this request must write the session to keep it alive (it changed, or renewal is due)."""
    if session.is_empty():
        return False
    if session.modified:
        return True
    renewed = session.get(RENEWED_KEY)
    now = time.time() if now is None else now
    return not isinstance(renewed, int | float) or now - renewed >= refresh_interval()


def idle_seconds_left(session, now: float | None = None) -> int:
    """Seconds until the session ends without a request, as the database row holds it after this request."""
    now = time.time() if now is None else now
    if renewal_due(session, now):
        return settings.SESSION_COOKIE_AGE
    return max(0, math.ceil(settings.SESSION_COOKIE_AGE - (now - session[RENEWED_KEY])))


class RenewingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, saving an unchanged session only when its renewal is due."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and renewal_due(session):
            session[RENEWED_KEY] = time.time()  # marks the session modified: the middleware saves it
        return super().process_response(request, response)
