"""Sectors where the law obliges a VOG (domain.md §2.4), recognised by the application's screening basis.

A screening basis is one specific profile or a set of functieaspecten (domain.md §2.2, §2.3). Only the
codes that belong to a sector with a legal VOG obligation are listed; every other application is
asked by an organisation on its own initiative. Those sectors come first in the screeners' queue
among cases with the same number of days left, because a late VOG there means a person may not start.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

PROFILE = "profile"
ASPECT = "aspect"

# (kind of screening basis, code) -> the sector with a legal VOG obligation (domain.md §2.4).
LEGAL_OBLIGATION_SECTORS = {
    # Childcare: since 1 July 2018 only functieaspect 86 "Kinderopvang" (with or without 84) is
    # accepted for the childcare register (domain.md §2.3); 84 alone is also asked outside childcare.
    (ASPECT, "86"): _("childcare"),
    # Primary, secondary and vocational education (WPO/WEC, WVO 2020, WEB).
    (PROFILE, "60"): _("education"),
    # Taxi: the driver's card needs profile 65, the operator's licence profile 70.
    (PROFILE, "65"): _("taxi"),
    (PROFILE, "70"): _("taxi"),
    # Youth care and child protection (Jeugdwet art. 4.1.6): guardians, probation and social workers.
    (PROFILE, "75"): _("youth care"),
    # Long-term care under the Wkkgz (new care staff need a VOG of at most 3 months).
    (PROFILE, "45"): _("care"),
}

_PROFILES = sorted(code for kind, code in LEGAL_OBLIGATION_SECTORS if kind == PROFILE)
_ASPECTS = sorted(code for kind, code in LEGAL_OBLIGATION_SECTORS if kind == ASPECT)


def legal_obligation_sector(*, screening_profile: str, functieaspecten) -> str | None:
    """The sector with a legal VOG obligation that this screening basis belongs to, or None."""
    if screening_profile:
        return LEGAL_OBLIGATION_SECTORS.get((PROFILE, screening_profile))
    for code in functieaspecten or ():
        sector = LEGAL_OBLIGATION_SECTORS.get((ASPECT, code))
        if sector is not None:
            return sector
    return None


def legal_obligation_expression() -> Case:
    """The same question in SQL, for ordering the queue: true when the basis is in the table above."""
    return Case(
        When(Q(screening_profile__in=_PROFILES) | Q(functieaspecten__overlap=_ASPECTS), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
