"""Builders for the continuous screening tests: enrolled persons, their organisations and JDS records."""

from datetime import date

from applications.models import Organisation
from continuous.models import Sector
from continuous.services import enrolment_create, enrolment_link
from screening.models import SimulatedJusticeRecord
from tests.factories import TEST_ACTOR

RUN_DAY = date(2026, 11, 20)
ENROLLED_FROM = date(2025, 1, 1)


def add_record(bsn: str, *, decided: date, article="310 Sr", description="diefstal", category="property", **extra):
    return SimulatedJusticeRecord.objects.create(
        bsn=bsn,
        offence_article=article,
        offence_description=description,
        offence_category=category,
        offence_date=extra.pop("offence_date", decided),
        decision_date=decided,
        disposal_type=extra.pop("disposal_type", "conviction"),
        final=True,
        sentence=extra.pop("sentence", "geldboete € 300"),
        **extra,
    )


def add_drink_driving(bsn: str, *, decided: date):
    return add_record(
        bsn, decided=decided, article="8 WVW 1994", description="rijden onder invloed", category="traffic"
    )


def organisation(kvk="12345678", name="Kinderopvang De Zonnebloem B.V."):
    return Organisation.objects.get_or_create(kvk_number=kvk, defaults={"name": name})[0]


def enrol(
    bsn="999990032",
    sector=Sector.CHILDCARE,
    *,
    active_from=ENROLLED_FROM,
    email="pieter@example.org",
    link_to=(("12345678", "Kinderopvang De Zonnebloem B.V.", "personeel@zonnebloem.example"),),
):
    enrolment = enrolment_create(
        sector=sector,
        bsn=bsn,
        given_names="Pieter",
        surname="de Boer",
        birth_date=date(1985, 2, 28),
        vog_reference="VOG-2024-000123",
        active_from=active_from,
        email=email,
        actor=TEST_ACTOR,
    )
    for kvk, name, contact in link_to:
        enrolment_link(
            enrolment=enrolment,
            organisation=organisation(kvk, name),
            contact_email=contact,
            active_from=active_from,
            actor=TEST_ACTOR,
        )
    return enrolment
