from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.models import Application
from screening.demo_applications import demo_view_period_end


class Command(BaseCommand):
    help = (
        "Development only: end the view period of an application in intent_to_refuse now, so that the final "
        "refusal can be shown without waiting. Refuses DJANGO_ENV=production."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference")

    def handle(self, *args, reference, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_view_period_end is for development only; it refuses DJANGO_ENV=production.")
        application = Application.objects.filter(reference=reference).first()
        if application is None:
            raise CommandError(f"No application {reference}.")
        if not demo_view_period_end(application):
            raise CommandError(f"{reference} is {application.status}, not intent_to_refuse.")
        self.stdout.write(f"The view period of {reference} has ended: the refusal can be proposed now.")
