"""The staff login with two factors: where a staff member starts, and their backup codes.

Staff (municipal clerks, Justis intake officers, screeners, …) log in at ``STAFF_LOGIN_URL`` with a
username and password, then the 6-digit code of an authenticator app (TOTP, django-otp) or one of
their backup codes. The views are django-two-factor-auth's wizards (``staff_views.py``).
"""

from django.db import transaction
from django.urls import reverse

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from justis.roles import Role, user_has_role

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"


def staff_start_page(user) -> str:
    """Where a staff member lands after logging in when no page was asked for: their role's start page."""
    if user.is_municipal_clerk and user_has_role(user, Role.MUNICIPAL_CLERK):
        return reverse("counter:intake")
    if user_has_role(user, Role.INTAKE_OFFICER):
        return reverse("paper:list")
    if user_has_role(user, Role.SCREENER) or user_has_role(user, Role.SENIOR_SCREENER):
        return reverse("workbench:queue")
    if user_has_role(user, Role.FUNCTIONAL_ADMIN):
        return reverse("continuous-admin:enrolments")
    if user_has_role(user, Role.TEAM_LEAD):
        return reverse("servicestatus:list")
    if user_has_role(user, Role.OPERATOR):
        return reverse("operator-messages:overview")
    if user_has_role(user, Role.AUDITOR):
        return reverse("audit:search")
    return reverse("home")


@transaction.atomic
def backup_codes_renew(user) -> list[str]:
    """Replace the user's backup codes by ``BACKUP_CODE_COUNT`` new ones; the old codes stop working.

    Each code logs in once instead of the authenticator app's code (when the phone is lost).
    """
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_of(user) -> list[str]:
    """The backup codes of the user that have not been used yet."""
    return list(
        StaticToken.objects.filter(device__user=user, device__name=BACKUP_DEVICE_NAME)
        .order_by("pk")
        .values_list("token", flat=True)
    )
