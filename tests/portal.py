"""Helpers and fixtures of the portal tests: an organisation, its user, a prepared request, a DigiD login."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from applications.invitations import application_prepare
from applications.lifecycle import Status
from applications.models import Organisation

User = get_user_model()


def prepare(org_user, **overrides):
    """A request prepared by ``org_user`` for Jan Jansen (demo BSN 999990019), unless overridden."""
    values = {
        "organisation": org_user.organisation,
        "prepared_by": org_user,
        "purpose_code": "WRE",
        "position": "Pedagogisch medewerker",
        "purpose_description": "",
        "screening_profile": "",
        "functieaspecten": ["84", "86"],
        "given_names": "Jan",
        "surname": "Jansen",
        "birth_date": date(1990, 5, 17),
        "email": "jan@example.org",
        **overrides,
    }
    return application_prepare(**values)


def login_with_digid(client, bsn):
    """Log ``client`` in through the DigiD mock's return address, as the mock IdP would."""
    client.get("/digid/acs/", {"bsn": bsn, "next": "/mijnjustis/"})
    return User.objects.get(bsn=bsn)


@pytest.fixture
def organisation(reference_data):
    return Organisation.objects.create(kvk_number="12345678", name="Kinderopvang De Zonnebloem B.V.")


@pytest.fixture
def org_user(organisation):
    return User.objects.create(username="kvk-12345678-demo", organisation=organisation)


@pytest.fixture
def citizen():
    return User.digid_objects.digid_create("999990019")


@pytest.fixture
def received_for_jan(client, org_user):
    """A free request for Jan Jansen, taken up and completed by him in MijnJustis: received at once."""
    Organisation.objects.filter(pk=org_user.organisation_id).update(
        free_vog_admitted_until=timezone.localdate() + timedelta(days=30)
    )
    org_user.organisation.refresh_from_db()
    application = prepare(org_user, is_free=True, functieaspecten=["84"])
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    client.post("/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "post", "declaration": "on"})
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    return application
