"""Who may open a page: one decorator per portal role. Object access is decided in the selectors."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from justis.roles import Role, user_has_role


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


def _staff_required(check):
    """Staff pages: logged in with two factors (django-otp), and the role's check passes.

    A staff member who is logged in but has not passed the second factor in this session is sent
    to the staff login (which asks for the code, or sets up the authenticator app the first time).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_verified():
                return redirect_to_login(request.get_full_path(), STAFF_LOGIN_URL)
            if not check(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


STAFF_LOGIN_URL = "/medewerkers/inloggen/"

citizen_required = _role_required(lambda user: user.is_citizen, "/inloggen/?rol=burger")
organisation_required = _role_required(lambda user: user.is_organisation_user, "/inloggen/?rol=organisatie")

# A municipal clerk: bound to one desk of one municipality (User.desk), member of the clerk group.
clerk_required = _staff_required(lambda user: user.is_municipal_clerk and user_has_role(user, Role.MUNICIPAL_CLERK))
# Justis staff who enter paper applications (VOG RP, GVA, persons not registered in the Netherlands).
intake_officer_required = _staff_required(lambda user: user_has_role(user, Role.INTAKE_OFFICER))
