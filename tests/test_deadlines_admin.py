"""Functional administrators maintain the decision periods in the administration at /beheer/."""

from datetime import date

import pytest

from applications.deadlines import decision_due_date
from applications.models import DecisionPeriod
from justis.roles import Role
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

LIST = "/beheer/applications/decisionperiod/"


@pytest.fixture
def admin_client(client, reference_data):
    return login_with_second_factor(client, staff_user("beheer.justis", Role.FUNCTIONAL_ADMIN))


def version(**values):
    return {"note": "", "source": "Staatscourant", "valid_to": "", "change_reason": "Staatscourant 2027", **values}


def test_a_functional_admin_ends_a_version_and_adds_the_next_one(admin_client):
    current = DecisionPeriod.objects.get(product="VOG_NP", procedure="regular")
    assert admin_client.get(LIST).status_code == 200

    overlapping = version(
        product="VOG_NP", procedure="regular", period=6, extension=2, unit="weeks", valid_from="2027-03-01"
    )
    response = admin_client.post(f"{LIST}add/", overlapping, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "overlaps the version valid from 01-01-2000" in response.content.decode()
    assert DecisionPeriod.objects.filter(product="VOG_NP", procedure="regular").count() == 1

    response = admin_client.post(
        f"{LIST}{current.pk}/change/",
        version(
            product="VOG_NP",
            procedure="regular",
            period=4,
            extension=4,
            unit="weeks",
            valid_from="2000-01-01",
            valid_to="2027-02-28",
            note=current.note,
            source=current.source,
        ),
    )
    assert response.status_code == 302
    assert admin_client.post(f"{LIST}add/", overlapping).status_code == 302
    assert decision_due_date(application_type="VOG_NP", application_date=date(2027, 2, 28)) == date(2027, 3, 28)
    assert decision_due_date(application_type="VOG_NP", application_date=date(2027, 3, 1)) == date(2027, 4, 12)


def test_a_gva_gets_no_urgent_period_and_versions_are_not_deleted(admin_client):
    response = admin_client.post(
        f"{LIST}add/",
        version(product="GVA", procedure="urgent", period=5, extension=0, unit="days", valid_from="2027-01-01"),
    )
    assert "Voor een GVA bestaat geen spoedprocedure." in response.content.decode()
    assert not DecisionPeriod.objects.filter(product="GVA", procedure="urgent").exists()
    period = DecisionPeriod.objects.first()
    assert admin_client.post(f"{LIST}{period.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DecisionPeriod.objects.filter(pk=period.pk).exists()


def test_others_cannot_open_the_administration(client, screener_client):
    assert screener_client.get(LIST, follow=True).status_code == 403
    screener_client.logout()
    response = client.get(LIST, follow=True)
    assert response.redirect_chain[-1][0] == "/medewerkers/inloggen/?next=/beheer/applications/decisionperiod/"
