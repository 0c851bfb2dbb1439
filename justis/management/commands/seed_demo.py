from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from applications.models import ApiToken, Application, Channel, Desk, KeyPerson, LegalEntity, Municipality
from applications.services import api_token_create, api_token_hash, application_receive
from justis.audit import Actor
from justis.login.demo import DEMO_STAFF_PASSWORD, demo_staff_seed
from screening.catalogue import catalogue_load
from screening.companies import exclusion_grounds_load
from screening.demo import DEMO_API_TOKEN, DEMO_COMPANIES, DEMO_MUNICIPALITY, DEMO_PERSONS
from screening.models import SimulatedJusticeRecord
from screening.rules import rules_load
from screening.services import assessment_run

SEED_ACTOR = Actor.system("manage.py seed_demo")


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
                actor=SEED_ACTOR,
                idempotency_key=f"demo:{company['key']}",
                request_fingerprint=f"demo:{company['key']}",
            )
            if created:
                LegalEntity.objects.create(application=application, **entity)
                KeyPerson.objects.bulk_create(
                    KeyPerson(application=application, **{k: v for k, v in person.items() if k != "records"})
                    for person in company["key_persons"]
                )
        assessment_run(application_id=application.pk)  # "skipped" when assessed before
        application.refresh_from_db()
        applications.append(application)
    return applications


class Command(BaseCommand):
    help = (
        "Load reference data and the demo persons (README) into the simulators; with ENABLE_DEMO_LOGINS also "
        "the demo desks and staff accounts. Safe to run again."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is for development and tests only; it refuses DJANGO_ENV=production.")
        counts = catalogue_load()
        rules_load()
        exclusion_grounds_load()
        with transaction.atomic():
            for person in DEMO_PERSONS:
                SimulatedJusticeRecord.objects.filter(bsn=person["bsn"]).delete()
                SimulatedJusticeRecord.objects.bulk_create(
                    SimulatedJusticeRecord(bsn=person["bsn"], **record) for record in person["records"]
                )
            company_records = demo_company_records()
            for owner in {tuple(owner.items()) for owner, _record in company_records}:
                SimulatedJusticeRecord.objects.filter(**dict(owner)).delete()
            SimulatedJusticeRecord.objects.bulk_create(
                SimulatedJusticeRecord(**owner, **record) for owner, record in company_records
            )
            municipality = Municipality.objects.get(code=DEMO_MUNICIPALITY)
            # The desk whose location code the API example uses.
            Desk.objects.get_or_create(municipality=municipality, code="01", defaults={"name": "Stadsloket Centrum"})
            if not ApiToken.objects.filter(key_hash=api_token_hash(DEMO_API_TOKEN)).exists():
                api_token_create(
                    municipality=municipality,
                    name="Demo counter software",
                    actor=SEED_ACTOR,
                    key=DEMO_API_TOKEN,
                )
        with_records = sum(1 for person in DEMO_PERSONS if person["records"])
        self.stdout.write(
            f"Catalogue: {counts['function_aspects']} functieaspecten, {counts['specific_profiles']} profiles. "
            f"Demo persons: {len(DEMO_PERSONS)} ({with_records} with records). "
            f"Demo API token for {municipality}: {DEMO_API_TOKEN}"
        )
        companies = demo_company_applications_seed()
        self.stdout.write(
            "Demo companies: " + ", ".join(f"{a.reference} {a.organisation_name} ({a.status})" for a in companies)
        )
        if settings.ENABLE_DEMO_LOGINS:
            staff = demo_staff_seed()
            self.stdout.write(
                f"Demo staff (password {DEMO_STAFF_PASSWORD}; code: manage.py demo_totp <username>): {', '.join(staff)}"
            )
        else:
            self.stdout.write("Demo staff accounts: not created (ENABLE_DEMO_LOGINS is off).")
