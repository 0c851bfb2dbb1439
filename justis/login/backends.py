import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend

from digid_eherkenning.backends import eHerkenningBackend
from digid_eherkenning.exceptions import eHerkenningNoRSINError

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


class EherkenningOrganisationBackend(eHerkenningBackend):
    """eHerkenning (SAML) for production: the login is tied to the organisation by its KvK number.

    django-digid-eherkenning identifies the legal entity by RSIN only; the portal works per KvK number
    (the number on the form and in the saved defaults). Each person acting for the organisation gets an
    account of their own when eHerkenning names them (ActingSubjectID, a pseudonym), so the audit trail
    says who prepared a request.
    """

    def get_or_create_user(self, request, saml_response, saml_attributes):
        from applications.models import Organisation

        kvk = self.get_legal_subject_kvk(saml_attributes) or self.get_kvk_number(saml_attributes)
        if not (len(kvk) >= 8 and kvk[:8].isdigit()):
            raise eHerkenningNoRSINError("Login failed: eHerkenning returned no KvK number.")
        kvk = kvk[:8]  # a KvK number may come with a 4-digit branch number
        rsin = self.get_legal_subject_rsin(saml_attributes)
        name = self.get_company_name(saml_attributes) or f"Organisatie {kvk}"
        organisation, _created = Organisation.objects.get_or_create(kvk_number=kvk, defaults={"name": name[:80]})
        acting = _acting_subject(saml_attributes)
        digest = hashlib.sha256(f"{kvk}:{acting}".encode()).hexdigest()[:24]
        user, created = get_user_model().objects.get_or_create(
            username=f"eherkenning-{digest}", defaults={"organisation": organisation, "rsin": rsin}
        )
        if user.organisation_id != organisation.pk:
            raise eHerkenningNoRSINError("Login failed: this account belongs to another organisation.")
        return user, created


def _acting_subject(attributes) -> str:
    for value in attributes.get("urn:etoegang:core:ActingSubjectID", []):
        if isinstance(value, dict) and value.get("NameID"):
            return str(value["NameID"].get("value", ""))
        if isinstance(value, str):
            return value
    return "organisation"
