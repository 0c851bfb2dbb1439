"""The DigiD and eHerkenning login start page posts the SAML request to the identity provider.

The page's form is sent to an address outside this site, so the Content Security Policy's form-action
(``'self'`` plus the payment checkout) must allow it on that page alone. The address comes from the SAML
configuration (the identity provider's metadata), so it is read from the page itself, not from a setting.
"""

from __future__ import annotations

from functools import wraps
from importlib import import_module
from urllib.parse import urlsplit

from django.urls import URLPattern


def form_action_to_identity_provider(view):
    """Adds the origin of the page's form action (the ``url`` of django-digid-eherkenning's post binding page)
    to form-action, for this response only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        url = (getattr(response, "context_data", None) or {}).get("url") or ""
        parts = urlsplit(url)
        if parts.scheme in {"https", "http"} and parts.netloc:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [f"{parts.scheme}://{parts.netloc}"]
            response._csp_update = update
        return response

    return wrapped


def saml_urls(module_name: str) -> tuple[list, str]:
    """The URL patterns of a django-digid-eherkenning module (for ``include``, same namespace and names),
    with its login start page wrapped in ``form_action_to_identity_provider``."""
    module = import_module(module_name)
    patterns = []
    for pattern in module.urlpatterns:
        if isinstance(pattern, URLPattern) and pattern.name == "login":
            pattern = URLPattern(pattern.pattern, form_action_to_identity_provider(pattern.callback), name="login")
        patterns.append(pattern)
    return patterns, module.app_name
