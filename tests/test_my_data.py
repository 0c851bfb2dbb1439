"""MijnJustis: the citizen downloads their own data (GDPR right of access): own data only, audited."""

import json

from django.core.files.base import ContentFile

import pytest

from applications.models import Application
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from notifications.models import Letter, LetterKind
from payments.models import Payment, PaymentStatus
from screening.models import Zienswijze, ZienswijzeChannel
from tests.objection_factories import refused_application
from tests.portal import login_with_digid
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

PAGE = "/mijnjustis/mijn-gegevens/"
SUMMARY = "/mijnjustis/mijn-gegevens/overzicht/"
JSON = "/mijnjustis/mijn-gegevens/mijn-gegevens.json"


@pytest.fixture
def jans_refusal(received_for_jan, screener):
    """A second application of Jan: refused by a screener, with a letter, a view with an attachment, a payment."""
    application = refused_application(refused_by=screener, bsn="999990019")
    Application.objects.filter(pk=application.pk).update(citizen=received_for_jan.citizen)
    Letter.objects.create(
        application=application, kind=LetterKind.DECISION, pdf=ContentFile(b"%PDF-1.4", "decision.pdf")
    )
    Zienswijze.objects.create(
        application=application,
        channel=ZienswijzeChannel.DIGITAL,
        text="Het feit is twintig jaar oud.",
        attachment=ContentFile(b"%PDF-1.4", "x.pdf"),
        attachment_original_name="verklaring-werkgever.pdf",
    )
    Payment.objects.create(
        application=application,
        amount_cents=4135,
        description="VOG",
        plugin="demo",
        next_url="/",
        status=PaymentStatus.COMPLETED,
    )
    return application


@pytest.fixture
def pieters_application(reference_data):
    """Someone else's application, with a name and e-mail address that must never show up in Jan's data."""
    from django.contrib.auth import get_user_model

    pieter = get_user_model().digid_objects.digid_create("999990020")
    application = refused_application(bsn="999990020")
    application.applicant.given_names = "Pieternella"
    application.applicant.email = "pieternella@example.org"
    application.applicant.save()
    Application.objects.filter(pk=application.pk).update(citizen=pieter)
    return application


def _download(client) -> dict:
    response = client.get(JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mijnjustis-gegevens-')
    assert "no-store" in response["Cache-Control"]  # never kept by a shared computer's browser or a proxy
    return json.loads(response.content)


def test_the_overview_links_to_the_explanation_and_the_explanation_to_the_downloads(client, received_for_jan):
    assert PAGE in client.get("/mijnjustis/").content.decode()
    page = client.get(PAGE)
    assert page.status_code == 200
    assert SUMMARY in page.content.decode()
    assert JSON in page.content.decode()
    # Reading the explanation hands nothing out, so nothing is audited.
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORTED).exists()


def test_the_download_holds_every_own_application_as_the_citizen_may_see_it(
    client, received_for_jan, jans_refusal, pieters_application, screener
):
    data = _download(client)
    assert data["profile"]["bsn"] == "999990019"
    by_reference = {row["reference"]: row for row in data["applications"]}
    assert set(by_reference) == {received_for_jan.reference, jans_refusal.reference}

    free = by_reference[received_for_jan.reference]
    assert free["organisation"] == "Kinderopvang De Zonnebloem B.V."
    assert free["purpose"]["functieaspecten"] == ["84"]
    assert free["applicant"]["given_names"] == "Jan"
    assert [change["status"] for change in free["status_history"]][-1] == "Received"
    assert free["messages"]
    assert all(message["to"] in ("", "jan@example.org") for message in free["messages"])

    refused = by_reference[jans_refusal.reference]
    assert refused["status"] == "Refused"
    assert [change["status"] for change in refused["status_history"]] == [
        "Received",
        "Being assessed",
        "Being reviewed by a screener",
        "Intention to refuse: time for a view",
        "Refused",
    ]
    assert refused["letters"] == [
        {"id": jans_refusal.letters.get().pk, "kind": "Decision", "date": refused["letters"][0]["date"]}
    ]
    assert refused["views_given"][0]["text"] == "Het feit is twintig jaar oud."
    assert refused["documents"][0]["name"] == "verklaring-werkgever.pdf"
    assert refused["payments"][0]["amount"] == "41.35"
    assert refused["payments"][0]["status"] == "Completed"


def test_another_citizens_data_and_justis_internals_never_appear(
    client, received_for_jan, jans_refusal, pieters_application, screener
):
    text = client.get(JSON).content.decode() + client.get(SUMMARY).content.decode()
    assert pieters_application.reference not in text
    assert "Pieternella" not in text
    assert "999990020" not in text
    # Who at Justis worked on the case and their notes stay out; the letters tell the reasons.
    assert screener.get_username() not in text
    assert '"refused"' not in text  # the reason given with the status change


def test_the_summary_page_shows_the_same_data_readably(client, received_for_jan, jans_refusal):
    response = client.get(SUMMARY)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'data-application="{received_for_jan.reference}"' in content
    assert f'data-application="{jans_refusal.reference}"' in content
    assert "verklaring-werkgever.pdf" in content
    assert f"/mijnjustis/{jans_refusal.reference}/brieven/" in content
    assert "style=" not in content
    assert "<style" not in content


@pytest.mark.parametrize(("url", "kind"), [(JSON, "json"), (SUMMARY, "summary")])
def test_each_download_is_audited(client, received_for_jan, jans_refusal, url, kind):
    client.get(url)
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_EXPORTED)
    citizen = received_for_jan.citizen
    assert (event.actor_id, event.subject_type, event.subject_id) == (str(citizen.pk), "citizen", str(citizen.pk))
    assert event.data["format"] == kind
    assert set(event.data["applications"]) == {received_for_jan.reference, jans_refusal.reference}


def test_a_citizen_without_applications_gets_only_their_account(client, reference_data, pieters_application):
    login_with_digid(client, "999990043")
    data = _download(client)
    assert data["applications"] == []
    assert data["profile"]["bsn"] == "999990043"


@pytest.mark.parametrize("url", [PAGE, SUMMARY, JSON])
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


@pytest.mark.parametrize("url", [PAGE, SUMMARY, JSON])
def test_organisation_users_and_staff_are_refused(client, org_user, url, pieters_application):
    client.force_login(org_user)
    assert client.get(url).status_code == 403
    for role in (Role.SCREENER, Role.AUDITOR, Role.FUNCTIONAL_ADMIN):
        login_with_second_factor(client, staff_user(f"staff.{role.value}", role))
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORTED).exists()
