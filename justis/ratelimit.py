"""Rate limits per client address for the web pages (the API has its own: applications/api/throttling.py).

``AddressRateLimitMiddleware`` counts, per client address (X-Forwarded-For only behind ``NUM_PROXIES``
proxies), in Redis:

- ``STAFF_LOGIN_RATE``: the staff login's posts (password and code steps), on top of the lockout per
  account in justis/login/lockout.py (which stops guessing one account, not trying many);
- ``LOGIN_START_RATE``: the starts of a DigiD or eHerkenning login (each creates a SAML request), and the
  demo logins that stand in for them;
- ``FORM_POST_RATE``: every POST, PUT, PATCH or DELETE of the web pages, a generous ceiling. Views listed in
  ``RATE_LIMIT_EXEMPT_VIEWS`` are not counted (each with its reason in the settings).

A request over a limit gets 429 with Retry-After and a page that says when to try again. When Redis cannot
be reached the request passes (and a warning is logged): a limit on traffic never turns a user away.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from applications.api.throttling import AddressRateThrottle, retry_after_seconds, too_many_requests_message

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STAFF_LOGIN_VIEWS = frozenset({"two_factor:login"})
LOGIN_START_VIEWS = frozenset({"digid:login", "eherkenning:login", "digid-login-guarded", "demo-eherkenning"})


def limits_for(request, view_name: str) -> list[tuple[str, str]]:
    """The (scope, rate setting) pairs that count this request."""
    limits = []
    unsafe = request.method in UNSAFE_METHODS
    if view_name in STAFF_LOGIN_VIEWS and unsafe:
        limits.append(("ip_staff_login", "STAFF_LOGIN_RATE"))
    if view_name in LOGIN_START_VIEWS:
        limits.append(("ip_login_start", "LOGIN_START_RATE"))
    if unsafe and view_name not in settings.RATE_LIMIT_EXEMPT_VIEWS:
        limits.append(("ip_form_post", "FORM_POST_RATE"))
    return limits


def too_many_requests_response(request, wait: float | None):
    seconds = retry_after_seconds(wait)
    response = render(request, "429.html", {"detail": too_many_requests_message(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class AddressRateLimitMiddleware:
    """Applies the limits above before the view runs (once the address has been resolved to a view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None  # the API's throttles (applications/api/throttling.py)
        match = request.resolver_match
        for scope, rate_setting in limits_for(request, match.view_name if match else ""):
            throttle = AddressRateThrottle(scope=scope, rate_setting=rate_setting)
            if not throttle.allow_request(request, None):
                return too_many_requests_response(request, throttle.wait())
        return None
