"""Demo applications: one VOG NP for childcare (functieaspecten 84 and 86) per demo person, received
through the demo municipality's counter software, so that ``make run`` has work for the assessment
queue and the screeners. Development and tests only (``seed_demo`` refuses production).

Each is received with the idempotency key ``demo-<bsn>``, so running ``seed_demo`` again returns the
same applications instead of new ones. The worker assesses them after commit; ``expected`` in
``screening.demo.DEMO_PERSONS`` says where the pre-assessment sends each.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from applications.lifecycle import Status
from applications.models import Application, Channel, Municipality, StatusChange
from applications.services import ApplicantData, application_receive
from justis.audit import Actor

from .demo import DEMO_MUNICIPALITY, DEMO_PERSONS

DEMO_ACTOR = Actor.system("manage.py seed_demo")
DEMO_ORGANISATION = {"organisation_name": "Kinderopvang De Zonnebloem", "kvk_number": "12345678"}


def demo_applicant(person: dict) -> ApplicantData:
    prefix = person["surname_prefix"]
    address = person["address"]
    return ApplicantData(
        bsn=person["bsn"],
        given_names=person["given_names"],
        surname_prefix=prefix,
        surname=person["surname"].removeprefix(f"{prefix} ") if prefix else person["surname"],
        birth_date=person["birth_date"],
        birth_place=person["birth_place"],
        birth_country=person["birth_country"],
        gender=person["gender"],
        nationalities=tuple(person["nationalities"]),
        street=address["street"],
        house_number=str(address["house_number"]),
        house_number_suffix=address["house_number_suffix"],
        postcode=address["postcode"],
        city=address["city"],
        email=f"{person['given_names'].lower()}@example.org",
    )


def demo_applications_seed() -> list[Application]:
    """Receive (or find again) the demo application of every demo person; returns them in DEMO_PERSONS order."""
    municipality = Municipality.objects.get(code=DEMO_MUNICIPALITY)
    applications = []
    for person in DEMO_PERSONS:
        application, _created = application_receive(
            application_type="VOG_NP",
            channel=Channel.MUNICIPAL_API,
            applicant=demo_applicant(person),
            purpose_code="WRE",
            position="Pedagogisch medewerker",
            purpose_description="",
            screening_profile="",
            functieaspecten=["84", "86"],
            actor=DEMO_ACTOR,
            municipality=municipality,
            idempotency_key=f"demo-{person['bsn']}",
            request_fingerprint=f"demo-{person['bsn']}",
            **DEMO_ORGANISATION,
        )
        applications.append(application)
    return applications


def demo_view_period_end(application: Application) -> bool:
    """Development only: date the intention to refuse back so that its view period has just ended.

    Lets a demo show the final refusal without waiting ZIENSWIJZE_PERIOD_DAYS. Returns False when the
    application is not in ``intent_to_refuse``.
    """
    if settings.PRODUCTION:
        raise RuntimeError("the view period is never shortened in production")
    if application.status != Status.INTENT_TO_REFUSE:
        return False
    with transaction.atomic():
        sent_back = timezone.now() - timedelta(days=settings.ZIENSWIJZE_PERIOD_DAYS + 1)
        StatusChange.objects.filter(application=application, to_status=Status.INTENT_TO_REFUSE).update(at=sent_back)
    return True
