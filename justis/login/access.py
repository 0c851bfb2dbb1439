"""Who may open a page: one decorator per portal role. Object access is decided in the selectors."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def _role_required(check, login_url):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url)
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


citizen_required = _role_required(lambda user: user.is_citizen, "/inloggen/?rol=burger")
organisation_required = _role_required(lambda user: user.is_organisation_user, "/inloggen/?rol=organisatie")
