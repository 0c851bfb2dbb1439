from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class BrpAddress:
    """Where someone lives according to the population register (verblijfplaats).

    For an address in the Netherlands ``country`` is "Nederland"; for an address abroad ``street`` and
    ``city`` hold the foreign address lines and ``house_number`` is None.
    """

    street: str
    house_number: int | None
    house_number_suffix: str
    postcode: str
    city: str
    country: str = "Nederland"


@dataclass(frozen=True)
class BrpPerson:
    """A person as the population register (Basisregistratie Personen, BRP) holds them.

    ``surname`` is the geslachtsnaam without its prefix (voorvoegsel): "de Boer" is
    ``surname_prefix="de"``, ``surname="Boer"``. ``birth_place`` is a Dutch municipality or a place
    abroad; ``birth_date`` is None when the register only knows part of it. ``gender`` is the BRP code:
    "M", "V" or "O" (unknown). ``address`` is None when the register knows no address.
    """

    bsn: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_date: date | None
    birth_place: str
    birth_country: str
    gender: str
    nationalities: tuple[str, ...]
    address: BrpAddress | None
    previous_names: tuple[str, ...] = ()

    @property
    def full_surname(self) -> str:
        return f"{self.surname_prefix} {self.surname}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.full_surname}".strip()


class BrpClient(Protocol):
    def person(self, bsn: str) -> BrpPerson | None:
        """The person registered under this BSN; None when the BSN is not in the register.

        Raises ``justis.adapters.OutsideSystemUnavailable`` (or its subclass ``OutsideSystemError``),
        system "brp", when the register cannot answer: the caller tries again later.
        """
        ...
