from django.core.management.base import BaseCommand

from screening.catalogue import catalogue_load
from screening.rules import rules_load


class Command(BaseCommand):
    help = (
        "Load or update the screening catalogue (risk areas, functieaspecten, profiles, purpose codes) "
        "and the pre-assessment rules."
    )

    def handle(self, *args, **options):
        counts = {**catalogue_load(), **rules_load()}
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
