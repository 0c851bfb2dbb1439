"""The screeners' objection screens: the list, registering an objection, the hearing and the decision."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from applications.lifecycle import Status
from screening.models import Certificate, Objection, ObjectionOutcome
from screening.objections import objection_period_end
from tests.factories import application_in
from tests.objection_factories import refused_application
from tests.staff import login_with_second_factor
from tests.test_objections import GROUNDS, MOTIVATION, refused_days_ago, register
from tests.test_workbench_case import other_screener  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

LIST = "/beoordeling/bezwaren/"
NEW = "/beoordeling/bezwaren/registreren/"


def new_data(application, **changes) -> dict:
    return {
        "reference": application.reference,
        "channel": "letter",
        "received_on": timezone.localdate().strftime("%d-%m-%Y"),
        "grounds": GROUNDS,
        "late_excuse": "",
        **changes,
    }


def errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, NEW])
def test_only_screeners_open_the_objection_screens(client, clerk, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")
    login_with_second_factor(client, clerk)
    assert client.get(url).status_code == 403


def test_a_citizen_cannot_open_an_objection_of_the_screeners(client, citizen, screener):
    objection = register(refused_application(refused_by=screener), screener)
    client.force_login(citizen)
    response = client.get(f"/beoordeling/bezwaren/{objection.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")


def test_other_roles_cannot_register_hear_or_decide(client, clerk, intake_officer, screener):
    objection = register(refused_application(refused_by=screener), screener)
    base = f"/beoordeling/bezwaren/{objection.pk}/"
    for user in (clerk, intake_officer):
        staff = login_with_second_factor(Client(), user)
        assert staff.get(base).status_code == 403
        assert staff.post(f"{base}hoorzitting/", {"hearing_notes": "x"}).status_code == 403
        assert staff.post(f"{base}beslissen/", {"outcome": "upheld", "motivation": MOTIVATION}).status_code == 403
        assert staff.post(NEW, {"reference": objection.application.reference, "grounds": GROUNDS}).status_code == 403
    objection.refresh_from_db()
    assert objection.is_open
    assert objection.hearing_notes == ""
    assert Objection.objects.count() == 1


def test_the_navigation_shows_objections_to_screeners(screener_client):
    response = screener_client.get("/beoordeling/")
    assert f'href="{LIST}"' in response.content.decode()


# --- The list ---------------------------------------------------------------------------------------


def test_the_list_shows_open_objections_fewest_days_left_first(screener_client, screener, other_screener):  # noqa: F811
    later = register(refused_days_ago(2, screener), screener)
    sooner = register(refused_days_ago(20, screener, bsn="999990032"), screener)
    decided = register(refused_days_ago(10, screener, bsn="999990044"), screener)
    from screening.objections import objection_decide

    objection_decide(
        objection=decided, screener=other_screener, outcome=ObjectionOutcome.UNFOUNDED, motivation=MOTIVATION
    )
    response = screener_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    rows = response.context["rows"]
    assert [row["objection"] for row in rows] == [sooner, later]
    assert rows[0]["days"] == (sooner.decision_due_on - timezone.localdate()).days
    assert f"{rows[0]['days']} days left" in response.content.decode()


# --- Registering ------------------------------------------------------------------------------------


def test_a_screener_registers_an_objection_by_letter(screener_client, screener):
    application = refused_application(refused_by=screener)
    response = screener_client.post(NEW, new_data(application))
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/beoordeling/bezwaren/{objection.pk}/"
    assert objection.registered_by == screener
    assert objection.channel == "letter"
    assert objection.grounds == GROUNDS


def test_no_such_application(screener_client):
    data = new_data(application_in(Status.RECEIVED), reference="vog-0000-xxxx")
    response = screener_client.post(NEW, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert errors(response, "reference") == ["There is no application with reference VOG-0000-XXXX."]


def test_an_application_that_was_not_refused(screener_client):
    application = application_in(Status.IN_REVIEW)
    response = screener_client.post(NEW, new_data(application), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "has not been refused" in errors(response, "reference")[0]
    assert not Objection.objects.exists()


def test_a_late_objection_without_a_reason(screener_client, screener):
    application = refused_days_ago(50, screener)
    day_after = objection_period_end(application) + timedelta(days=1)
    data = new_data(application, received_on=day_after.strftime("%d-%m-%Y"))
    response = screener_client.post(NEW, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "A later objection can only be considered if the delay is excusable" in errors(response, "late_excuse")[0]
    assert not Objection.objects.exists()
    response = screener_client.post(NEW, {**data, "late_excuse": "De brief kwam pas later aan."})
    assert response.status_code == 302
    assert Objection.objects.get().late


def test_grounds_missing(screener_client, screener):
    application = refused_application(refused_by=screener)
    response = screener_client.post(NEW, new_data(application, grounds=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert errors(response, "grounds") == ["Give the grounds of the objection: why the decision is wrong."]
    assert 'href="#id_grounds"' in response.content.decode()


# --- Hearing and decision ---------------------------------------------------------------------------


def test_the_hearing_is_recorded(screener_client, screener):
    objection = register(refused_application(refused_by=screener), screener)
    response = screener_client.post(
        f"/beoordeling/bezwaren/{objection.pk}/hoorzitting/",
        {"hearing_on": "02-03-2027", "hearing_notes": "Aanvrager gehoord.", "advisory_committee": "on"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.hearing_on.isoformat() == "2027-03-02"
    assert objection.hearing_notes == "Aanvrager gehoord."
    assert objection.decision_due_on == objection.period_ends_on + timedelta(weeks=12)


def test_the_screener_who_refused_sees_no_decision_form_and_cannot_decide(screener_client, screener):
    objection = register(refused_application(refused_by=screener), screener)
    url = f"/beoordeling/bezwaren/{objection.pk}/"
    page = screener_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["refused_by_me"] is True
    assert "beslissen/" not in page.content.decode()
    response = screener_client.post(f"{url}beslissen/", {"outcome": "upheld", "motivation": MOTIVATION})
    assert response.status_code == 400
    objection.refresh_from_db()
    assert objection.is_open
    assert not Certificate.objects.exists()


def test_another_screener_upholds_the_objection(screener, other_screener):  # noqa: F811
    application = refused_application(refused_by=screener)
    objection = register(application, screener)
    client = login_with_second_factor(Client(), other_screener)
    response = client.post(
        f"/beoordeling/bezwaren/{objection.pk}/beslissen/", {"outcome": "upheld", "motivation": MOTIVATION}
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    assert Certificate.objects.filter(application=application).exists()


def test_the_decision_needs_an_outcome_and_a_motivation(screener, other_screener):  # noqa: F811
    objection = register(refused_application(refused_by=screener), screener)
    client = login_with_second_factor(Client(), other_screener)
    response = client.post(f"/beoordeling/bezwaren/{objection.pk}/beslissen/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert form.errors["outcome"] == ["Choose the outcome of the objection."]
    assert "motivation" in form.errors
