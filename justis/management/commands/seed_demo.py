from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from applications.deadlines import decision_periods_load
from applications.fees import fees_load
from applications.models import ApiToken, Desk, Municipality
from applications.services import api_token_create, api_token_hash
from continuous.demo import continuous_demo_seed
from justis.audit import Actor
from justis.login.demo import DEMO_STAFF_PASSWORD, demo_staff_seed
from screening.catalogue import catalogue_load
from screening.companies import exclusion_grounds_load
from screening.demo import DEMO_API_TOKEN, DEMO_MUNICIPALITY, DEMO_PERSONS
from screening.demo_applications import demo_applications_seed, demo_company_applications_seed, demo_company_records
from screening.models import SimulatedJusticeRecord
from screening.rules import rules_load

SEED_ACTOR = Actor.system("manage.py seed_demo")


class Command(BaseCommand):
    help = (
        "Load reference data and the demo persons (README) into the simulators; with ENABLE_DEMO_LOGINS also "
        "the demo desks and staff accounts, and one demo application per demo person. Safe to run again."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is for development and tests only; it refuses DJANGO_ENV=production.")
        counts = catalogue_load()
        rules_load()
        exclusion_grounds_load()
        fees_load()
        decision_periods_load()
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
        applications = demo_applications_seed()
        continuous = continuous_demo_seed()
        with_records = sum(1 for person in DEMO_PERSONS if person["records"])
        self.stdout.write(
            f"Catalogue: {counts['function_aspects']} functieaspecten, {counts['specific_profiles']} profiles. "
            f"Demo persons: {len(DEMO_PERSONS)} ({with_records} with records). "
            f"Demo API token for {municipality}: {DEMO_API_TOKEN}\n"
            f"Continuous screening: {continuous['enrolled']} enrolled, {continuous['signals']} signals raised today.\n"
            f"Demo applications (VOG NP, childcare): {len(applications)}, assessed by the worker: "
            + ", ".join(application.reference for application in applications)
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
