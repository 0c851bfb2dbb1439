"""Who may open a page: one decorator per portal role. Object access is decided in the selectors."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from two_factor.utils import default_device

from justis.roles import Role, user_has_role, user_has_staff_role


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
# Justis screeners and senior screeners: the work queue of cases that need a person.
screener_required = _staff_required(
    lambda user: user_has_role(user, Role.SCREENER) or user_has_role(user, Role.SENIOR_SCREENER)
)


# Functional administrators: the reference data (decision periods, …) in the administration at /beheer/.
def functional_admin_allowed(user) -> bool:
    return (
        user.is_authenticated and user.is_active and user.is_verified() and user_has_role(user, Role.FUNCTIONAL_ADMIN)
    )


# Justis functional administrators: reference data and the continuous screening enrolments.
functional_admin_required = _staff_required(lambda user: user_has_role(user, Role.FUNCTIONAL_ADMIN))
# Team leads: publish incidents and the service status (/beheer/storingen/).
team_lead_required = _staff_required(lambda user: user_has_role(user, Role.TEAM_LEAD))
# Operators (beheerder techniek): the delivery of messages at /beheer/berichten/.
operator_required = _staff_required(lambda user: user_has_role(user, Role.OPERATOR))
# Auditors: read the audit trail (/beheer/audittrail/), nothing else.
auditor_required = _staff_required(lambda user: user_has_role(user, Role.AUDITOR))
# Any staff member with two factors (e.g. the page with their own backup codes).
staff_required = _staff_required(user_has_staff_role)


def staff_setup_required(view):
    """Setting up the authenticator app: a staff member who logged in with the password and has no app yet.

    Someone whose account already has a confirmed app but has not given its code in this session is
    sent to the staff login, so that knowing the password never suffices to add a second app.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or (not user.is_verified() and default_device(user)):
            return redirect_to_login(request.get_full_path(), STAFF_LOGIN_URL)
        if not user_has_staff_role(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
