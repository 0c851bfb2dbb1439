"""The BRP simulator: the demo persons with their full data, and a made-up person for every other BSN.

Every BSN that passes the 11-test is "registered": the demo persons (``screening/demo.py``) as listed
in the README, any other BSN as a plausible Dutch person generated from the number itself, the same
person every time (the birth year shifts with the calendar so that the age stays between 18 and 70).
A BSN that fails the 11-test and ``DEMO_NOT_IN_BRP`` are not registered. The fault switch ``brp``
makes it go down, slow or erroneous.
"""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from applications.validators import bsn_is_valid
from justis.faults import System, simulate_faults
from screening.demo import DEMO_NOT_IN_BRP, DEMO_PERSONS

from .base import BrpAddress, BrpPerson

MALE_NAMES = (
    "Jan", "Pieter", "Johannes", "Cornelis", "Hendrik", "Willem", "Gerrit", "Daan", "Sem", "Lucas",
    "Thomas", "Bram", "Ruben", "Jeroen", "Mark", "Dennis", "Thijs", "Lars", "Joost", "Martijn",
)  # fmt: skip
FEMALE_NAMES = (
    "Maria", "Anna", "Johanna", "Cornelia", "Sanne", "Emma", "Julia", "Sophie", "Lotte", "Anouk",
    "Femke", "Eva", "Iris", "Lisa", "Laura", "Marloes", "Esther", "Inge", "Fleur", "Petra",
)  # fmt: skip
# (voorvoegsel, geslachtsnaam): the most common Dutch surnames.
SURNAMES = (
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("de", "Graaf"), ("van der", "Meer"),
    ("van der", "Linden"), ("", "Kok"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("van der", "Heijden"), ("", "Schouten"),
    ("van", "Beek"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Verhoeven"), ("van der", "Wal"), ("ter", "Horst"),
)  # fmt: skip
# (municipality, lowest and highest first four digits of its postcodes).
TOWNS = (
    ("Amsterdam", 1011, 1109), ("Rotterdam", 3011, 3089), ("'s-Gravenhage", 2491, 2597), ("Utrecht", 3511, 3585),
    ("Eindhoven", 5611, 5658), ("Groningen", 9711, 9747), ("Tilburg", 5011, 5049), ("Almere", 1311, 1365),
    ("Breda", 4811, 4839), ("Nijmegen", 6511, 6546), ("Apeldoorn", 7311, 7339), ("Haarlem", 2011, 2037),
    ("Arnhem", 6811, 6846), ("Enschede", 7511, 7548), ("Amersfoort", 3811, 3829), ("Zwolle", 8011, 8043),
    ("Leiden", 2311, 2334), ("Maastricht", 6211, 6229), ("Dordrecht", 3311, 3329), ("Leeuwarden", 8911, 8939),
)  # fmt: skip
STREETS = (
    "Kerkstraat", "Schoolstraat", "Molenweg", "Dorpsstraat", "Stationsweg", "Julianastraat",
    "Wilhelminastraat", "Beatrixlaan", "Lindelaan", "Eikenlaan", "Kastanjelaan", "Nieuwstraat",
)  # fmt: skip
# Postcode letters: F, I, O, Q, U and Y are not used, nor the combinations SA, SD and SS.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
UNUSED_POSTCODE_LETTERS = {"SA", "SD", "SS"}


def _demo_person(data: dict) -> BrpPerson:
    prefix = data["surname_prefix"]
    surname = data["surname"]
    if prefix and surname.startswith(f"{prefix} "):
        surname = surname[len(prefix) + 1 :]
    return BrpPerson(
        bsn=data["bsn"],
        given_names=data["given_names"],
        surname_prefix=prefix,
        surname=surname,
        birth_date=data["birth_date"],
        birth_place=data["birth_place"],
        birth_country=data["birth_country"],
        gender=data["gender"],
        nationalities=tuple(data["nationalities"]),
        address=BrpAddress(**data["address"]),
        previous_names=tuple(data.get("previous_names", ())),
    )


DEMO_BRP = {data["bsn"]: _demo_person(data) for data in DEMO_PERSONS}


def _postcode(rng: random.Random, low: int, high: int) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in UNUSED_POSTCODE_LETTERS:
            return f"{rng.randint(low, high)} {letters}"


def generated_person(bsn: str, *, today: date | None = None) -> BrpPerson:
    """A plausible Dutch person for this BSN: the same one every time (``random.Random(bsn)``)."""
    rng = random.Random(bsn)
    gender = rng.choice("MV")
    names = MALE_NAMES if gender == "M" else FEMALE_NAMES
    given_names = " ".join(rng.sample(names, rng.choice((1, 1, 2, 2, 3))))
    prefix, surname = rng.choice(SURNAMES)
    age_in_years = rng.randint(19, 69)  # born in that year: 18 to 69 years old today
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    birth_town = rng.choice(TOWNS)
    home_town = birth_town if rng.random() < 0.5 else rng.choice(TOWNS)
    street = rng.choice(STREETS)
    house_number = rng.randint(1, 250)
    suffix = rng.choice(("",) * 8 + ("A", "B", "1", "2"))
    postcode = _postcode(rng, home_town[1], home_town[2])
    today = today or timezone.localdate()
    return BrpPerson(
        bsn=bsn,
        given_names=given_names,
        surname_prefix=prefix,
        surname=surname,
        birth_date=date(today.year - age_in_years, month, day),
        birth_place=birth_town[0],
        birth_country="Nederland",
        gender=gender,
        nationalities=("Nederlandse",),
        address=BrpAddress(
            street=street, house_number=house_number, house_number_suffix=suffix, postcode=postcode, city=home_town[0]
        ),
    )


class SimulatedBrp:
    def __init__(self, *, timeout: float):
        self.timeout = timeout

    def person(self, bsn: str) -> BrpPerson | None:
        simulate_faults(System.BRP, timeout=self.timeout)
        if not bsn_is_valid(bsn) or bsn == DEMO_NOT_IN_BRP:
            return None
        return DEMO_BRP.get(bsn) or generated_person(bsn)
