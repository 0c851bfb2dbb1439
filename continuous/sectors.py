"""The screening basis each sector is screened against (domain.md §2.2, §2.3, §5).

Childcare: functieaspecten 84 (care for minors) and 86 (childcare), the basis of the VOG a person
needs for the Personenregister Kinderopvang; the catalogue has no specific childcare profile.
Taxi: specific screening profile 65, "Taxibranche; chauffeurskaart".
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Sector


@dataclass(frozen=True)
class SectorBasis:
    screening_profile: str = ""
    functieaspecten: tuple[str, ...] = ()


SECTOR_BASIS = {
    Sector.CHILDCARE: SectorBasis(functieaspecten=("84", "86")),
    Sector.TAXI: SectorBasis(screening_profile="65"),
}

# Sectors whose person may not work while a new VOG is pending (childcare: non-active in the register).
NON_ACTIVE_PENDING_VOG = frozenset({Sector.CHILDCARE})
