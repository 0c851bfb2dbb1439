from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend

from .demo import DEMO_ORGANISATIONS


class DemoKvkBackend(BaseBackend):
    """Demo eHerkenning: log in as an organisation by typing its KvK number (development only)."""

    def authenticate(self, request, kvk_number=None, **kwargs):
        from applications.models import Organisation

        if kvk_number is None or len(kvk_number) != 8 or not kvk_number.isdigit():
            return None
        organisation, _created = Organisation.objects.get_or_create(
            kvk_number=kvk_number, defaults={"name": DEMO_ORGANISATIONS.get(kvk_number, f"Organisatie {kvk_number}")}
        )
        user, _created = get_user_model().objects.get_or_create(
            username=f"kvk-{kvk_number}-demo", defaults={"organisation": organisation}
        )
        if user.organisation_id != organisation.pk:
            return None
        return user

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id, organisation__isnull=False).first()
