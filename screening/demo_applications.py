"""Demo applications: one VOG NP for childcare (functieaspecten 84 and 86) per demo person, received
through the demo municipality's counter software, so that ``make run`` has work for the assessment
queue and the screeners. Development and tests only (``seed_demo`` refuses production).

Each is received with the idempotency key ``demo-<bsn>``, so running ``seed_demo`` again returns the
same applications instead of new ones. The worker assesses them after commit; ``expected`` in
``screening.demo.DEMO_PERSONS`` says where the pre-assessment sends each.

The demo companies (``DEMO_COMPANIES``: a VOG RP and a GVA entered as paper applications) are received
once by the key ``demo:<key>`` and assessed at once, so the back office and the work queue show them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from applications.lifecycle import Status
from applications.models import Application, Channel, KeyPerson, LegalEntity, Municipality, StatusChange
from applications.services import ApplicantData, application_receive
from justis.audit import Actor

from .demo import DEMO_COMPANIES, DEMO_MUNICIPALITY, DEMO_PERSONS

DEMO_ACTOR = Actor.system("manage.py seed_demo")


def _assess(application_id: int) -> str:
    from .services import assessment_run

    return assessment_run(application_id=application_id)


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


def demo_company_records() -> list[tuple[dict, dict]]:
    """(owner, record) of every record of the demo companies and their key persons: owner is a BSN or KvK."""
    found = []
    for company in DEMO_COMPANIES:
        found += [({"kvk_number": company["legal_entity"]["kvk_number"]}, r) for r in company["records"]]
        for person in company["key_persons"]:
            found += [({"bsn": person["bsn"]}, r) for r in person.get("records", ())]
    return found


def demo_company_applications_seed() -> list[Application]:
    """Enter each demo company's paper application once (a fixed key) and assess it now.

    The paper back office would refuse a former director who left more than 12 months before; the demo
    GVA has one on purpose, to show that such a person is listed as not screened.
    """
    applications = []
    for company in DEMO_COMPANIES:
        entity = company["legal_entity"]
        purpose = company["purpose"] or {}
        with transaction.atomic():
            application, created = application_receive(
                application_type=company["type"],
                channel=Channel.PAPER,
                applicant=None,
                organisation_name=entity["name"],
                kvk_number=entity["kvk_number"],
                purpose_code=purpose.get("purpose_code", ""),
                position=purpose.get("position", ""),
                purpose_description="",
                screening_profile="",
                functieaspecten=list(purpose.get("functieaspecten", [])),
                actor=DEMO_ACTOR,
                idempotency_key=f"demo:{company['key']}",
                request_fingerprint=f"demo:{company['key']}",
            )
            if created:
                LegalEntity.objects.create(application=application, **entity)
                KeyPerson.objects.bulk_create(
                    KeyPerson(application=application, **{k: v for k, v in person.items() if k != "records"})
                    for person in company["key_persons"]
                )
        _assess(application.pk)  # "skipped" when assessed before
        application.refresh_from_db()
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
