"""Demo enrolments for development: some demo persons of ``screening.demo`` enrolled with demo
organisations (``justis.login.demo.DEMO_ORGANISATIONS``), then today's run, so the signals queue has
work on ``make run``.

- Pieter de Boer, childcare since 2024-06-01: the theft decided on 2024-09-12 raises a signal.
- Sanne Visser, taxi since 2025-01-01: the drink-driving decided on 2025-08-04 raises a signal (the
  taxi profile 65 counts every offence); also childcare since the same day, where it does not matter.
- Jan Jansen, childcare: no records, no signal.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from applications.models import Organisation
from justis.audit import Actor
from justis.login.demo import DEMO_ORGANISATIONS
from screening.demo import DEMO_PERSONS

from .models import ContinuousEnrolment, Sector
from .services import continuous_run, enrolment_create, enrolment_link

DEMO_ACTOR = Actor.system("manage.py seed_demo")
CHILDCARE_KVK = "12345678"
TAXI_KVK = "56789012"

DEMO_ENROLMENTS = (
    ("999990032", Sector.CHILDCARE, date(2024, 6, 1), CHILDCARE_KVK, "personeel@zonnebloem.example"),
    ("999990044", Sector.TAXI, date(2025, 1, 1), TAXI_KVK, "planning@snelenveilig.example"),
    ("999990044", Sector.CHILDCARE, date(2025, 1, 1), CHILDCARE_KVK, "personeel@zonnebloem.example"),
    ("999990019", Sector.CHILDCARE, date(2025, 3, 1), CHILDCARE_KVK, "personeel@zonnebloem.example"),
)


def continuous_demo_seed(*, run: bool = True) -> dict:
    """Enrol the demo persons (once) and run today's screening. Safe to run again."""
    persons = {person["bsn"]: person for person in DEMO_PERSONS}
    enrolled = 0
    for bsn, sector, active_from, kvk, email in DEMO_ENROLMENTS:
        if ContinuousEnrolment.objects.filter(sector=sector, bsn=bsn, active_to__isnull=True).exists():
            continue
        person = persons[bsn]
        enrolment = enrolment_create(
            sector=sector,
            bsn=bsn,
            given_names=person["given_names"],
            surname=person["surname"],
            birth_date=person["birth_date"],
            vog_reference=f"VOG-DEMO-{bsn[-4:]}",
            active_from=active_from,
            email=f"{person['given_names'].lower()}@example.org",
            actor=DEMO_ACTOR,
        )
        organisation, _created = Organisation.objects.get_or_create(
            kvk_number=kvk, defaults={"name": DEMO_ORGANISATIONS[kvk]}
        )
        enrolment_link(
            enrolment=enrolment,
            organisation=organisation,
            contact_email=email,
            active_from=active_from,
            actor=DEMO_ACTOR,
        )
        enrolled += 1
    result = continuous_run(day=timezone.localdate()) if run else None
    return {"enrolled": enrolled, "signals": result.signals_raised if result else 0}
