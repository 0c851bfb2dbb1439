"""Run the retention job by hand: delete or anonymise personal data past its period (justis/retention.py).

``--dry-run`` only counts what a run would do and changes nothing (and writes no audit entry).
"""

from django.core.management.base import BaseCommand

from justis.audit import Actor
from justis.retention import retention_run

LABELS = {
    "unfinished_applications_deleted": "unfinished applications (never received) deleted",
    "decided_applications_anonymised": "decided applications anonymised",
    "enrolments_anonymised": "ended continuous screening enrolments anonymised",
    "bulk_uploads_deleted": "finished bulk uploads of organisations deleted",
    "files_deleted": "files deleted from the storage",
    "simulator_messages_deleted": "simulator messages (SMS, message box) deleted",
    "sessions_deleted": "expired sessions deleted",
}


class Command(BaseCommand):
    help = "Delete or anonymise personal data whose retention period has passed (--dry-run: only count)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be done; change nothing")

    def handle(self, *args, dry_run: bool, **options):
        report = retention_run(dry_run=dry_run, actor=Actor.system("manage.py retention"))
        self.stdout.write(f"Retention run{' (dry run: nothing changed)' if dry_run else ''}, periods: {report.cutoffs}")
        for key, count in report.counts().items():
            label = LABELS[key]
            if dry_run:
                label = label.replace(" deleted", " to delete").replace(" anonymised", " to anonymise")
            self.stdout.write(f"  {count:>8}  {label}")
        if not dry_run:
            self.stdout.write("One audit entry (retention.run) records these counts.")
