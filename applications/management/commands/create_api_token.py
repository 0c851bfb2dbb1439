from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from applications.models import Municipality
from applications.services import api_token_create
from applications.validators import validate_municipality_code
from justis.audit import Actor


class Command(BaseCommand):
    help = (
        "Create an API token for a municipal system, bound to one municipality. "
        "The token is printed alone on the last line; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="4-digit municipality code, e.g. 0363")
        parser.add_argument("--name", default="", help="what the token is for, e.g. the counter software")
        parser.add_argument("--municipality-name", default="", help="name for a municipality not known yet")

    def handle(self, *args, municipality, name, municipality_name, **options):
        try:
            validate_municipality_code(municipality)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        record, created = Municipality.objects.get_or_create(
            code=municipality, defaults={"name": municipality_name or f"Gemeente {municipality}"}
        )
        if created:
            self.stderr.write(f"Municipality {municipality} was not known; added as “{record.name}”.")
        token, key = api_token_create(
            municipality=record, name=name or f"API {record.name}", actor=Actor.system("manage.py create_api_token")
        )
        self.stdout.write(f"Token {token.key_prefix}… for {record}. Keep it secret; it is shown only once:")
        self.stdout.write(key)
