"""The roles of the service. Access is decided per role in one place: querysets scoped by role and owner.

Citizens and organisations log in through DigiD and eHerkenning; staff roles are Django groups and
log in with two factors; municipal systems use API tokens bound to their municipality
(``applications.models.ApiToken``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen (applicant)")
    ORGANISATION = "organisation", _("organisation user")
    MUNICIPAL_CLERK = "municipal_clerk", _("municipal clerk")
    MUNICIPAL_SYSTEM = "municipal_system", _("municipal system (API)")
    INTAKE_OFFICER = "intake_officer", _("Justis intake officer (paper applications)")
    SCREENER = "screener", _("screener")
    SENIOR_SCREENER = "senior_screener", _("senior screener")
    FUNCTIONAL_ADMIN = "functional_admin", _("functional administrator")
    AUDITOR = "auditor", _("auditor")
    TEAM_LEAD = "team_lead", _("team lead")
    OPERATOR = "operator", _("operator (technical administrator)")


STAFF_ROLES = (
    Role.MUNICIPAL_CLERK,
    Role.INTAKE_OFFICER,
    Role.SCREENER,
    Role.SENIOR_SCREENER,
    Role.FUNCTIONAL_ADMIN,
    Role.AUDITOR,
    Role.TEAM_LEAD,
    Role.OPERATOR,
)


def user_has_role(user, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=role.value).exists()


def user_has_staff_role(user) -> bool:
    """Whether the account belongs to staff (a member of one of the STAFF_ROLES groups)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name__in=[role.value for role in STAFF_ROLES]).exists()
