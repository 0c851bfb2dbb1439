"""The digital channel: logins, an organisation prepares a request, the applicant takes it up."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from applications.fees import euros, fee_cents
from applications.invitations import (
    InvitationError,
    invitation_accept,
    invitation_code_normalise,
    invitation_for_code,
    invitations_expire,
    invitations_remind,
)
from applications.lifecycle import Status
from applications.models import Application, Invitation, Organisation, OrganisationDefaults
from applications.stages import citizen_stage, organisation_stage
from notifications.models import OutboxMessage
from tests.portal import login_with_digid, prepare

pytestmark = pytest.mark.django_db
User = get_user_model()


# --- Logins ------------------------------------------------------------------------------------


def test_the_digid_mock_logs_a_citizen_in_by_bsn(client):
    response = client.get("/digid/login/", {"next": "/mijnjustis/"})
    assert response.status_code == 302
    assert "/digid/idp/inloggen/" in response["Location"]
    response = client.get("/digid/acs/", {"bsn": "999990019", "next": "/mijnjustis/"})
    assert response.status_code == 302
    user = User.objects.get(bsn="999990019")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/mijnjustis/").status_code == 200


def test_the_demo_kvk_login_logs_an_organisation_in(client, reference_data):
    response = client.post("/inloggen/eherkenning-demo/", {"kvk_number": "23456789", "next": "/organisatie/"})
    assert response.status_code == 302
    assert response["Location"] == "/organisatie/"
    user = User.objects.get(organisation__kvk_number="23456789")
    assert user.organisation.name == "Stichting Openbaar Onderwijs Zuidrand"
    assert client.get("/organisatie/").status_code == 200


@pytest.mark.parametrize("kvk", ["1234", "abcdefgh", ""])
def test_the_demo_kvk_login_says_what_is_wrong(client, reference_data, kvk):
    response = client.post("/inloggen/eherkenning-demo/", {"kvk_number": kvk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "KvK number" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unsafe_next_url_is_ignored(client, reference_data):
    response = client.post("/inloggen/eherkenning-demo/", {"kvk_number": "12345678", "next": "https://evil.example/"})
    assert response["Location"] == "/organisatie/"


def test_portals_are_only_for_their_role(client, org_user, citizen):
    assert client.get("/organisatie/").status_code == 302  # not logged in: to the login page
    assert client.get("/mijnjustis/")["Location"].startswith("/inloggen/")
    client.force_login(citizen)
    response = client.get("/organisatie/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "No access" in response.content.decode()  # a page of ours, saying why
    assert "another portal" in response.content.decode()
    client.force_login(org_user)
    assert client.get("/mijnjustis/").status_code == 403


def test_logout_ends_the_session(client, citizen):
    client.force_login(citizen)
    assert client.get("/uitloggen/").status_code == 405  # only by POST (CSRF-protected form)
    client.post("/uitloggen/")
    assert "_auth_user_id" not in client.session


def test_the_session_can_be_extended_and_ends_when_idle(client, citizen, settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.MIDDLEWARE.count("justis.login.session_refresh.RenewingSessionMiddleware") == 1
    assert client.post("/sessie/verlengen/").status_code == 401
    client.force_login(citizen)
    assert client.post("/sessie/verlengen/").status_code == 204
    page = client.get("/mijnjustis/")
    assert page.context["session_idle_seconds"] == 15 * 60


# --- Preparing ---------------------------------------------------------------------------------


def test_preparing_invites_the_applicant(org_user):
    application = prepare(org_user)
    assert application.status == Status.PREPARED
    invitation = application.invitation
    assert len(invitation.code) == 14
    assert invitation.expires_at > timezone.now() + timedelta(days=29)
    message = OutboxMessage.objects.get(application=application)
    assert message.event == "invitation"


def test_an_identical_open_request_for_the_same_person_is_refused(org_user):
    first = prepare(org_user)
    # Sent again (double submit, back button): same person, typed with other case and spaces.
    with pytest.raises(InvitationError, match=first.reference):
        prepare(org_user, given_names=" jan ", surname="JANSEN", email="Jan@Example.org")
    assert Application.objects.count() == 1
    assert OutboxMessage.objects.filter(event="invitation").count() == 1

    # Another person, or the same name with another birth date or e-mail, is a request of its own.
    prepare(org_user, given_names="Sanne", surname="Visser", email="sanne@example.org")
    prepare(org_user, birth_date=date(1991, 5, 17))
    prepare(org_user, email="jan.jansen@example.org")
    assert Application.objects.count() == 4

    # Once the first is taken up or has expired, a new request for the same person can be prepared.
    Application.objects.filter(pk=first.pk).update(status=Status.SUBMITTED)
    prepare(org_user)
    assert Application.objects.count() == 5
    Application.objects.filter(organisation=org_user.organisation, status=Status.PREPARED).update(status=Status.EXPIRED)
    prepare(org_user)
    assert Application.objects.count() == 6


def test_another_organisation_may_prepare_a_request_for_the_same_person(org_user):
    prepare(org_user)
    other = Organisation.objects.create(kvk_number="23456789", name="Stichting Openbaar Onderwijs Zuidrand")
    other_user = User.objects.create(username="kvk-23456789-demo", organisation=other)
    prepare(other_user)
    assert Application.objects.count() == 2


def test_the_prepare_page_refuses_the_same_request_twice(client, org_user):
    prepare(org_user)
    client.force_login(org_user)
    response = client.post(
        "/organisatie/aanvraag-klaarzetten/",
        {
            "purpose_kind": "work",
            "position": "Pedagogisch medewerker",
            "basis": "aspects",
            "functieaspecten": ["84", "86"],
            "given_names": "Jan",
            "surname": "Jansen",
            "birth_date": "17-05-1990",
            "email": "jan@example.org",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "already prepared" in " ".join(response.context["form"].non_field_errors())
    assert Application.objects.count() == 1


def test_codes_are_accepted_as_people_type_them(org_user):
    code = prepare(org_user).invitation.code
    sloppy = code.replace("-", " ").lower().replace("0", "o")
    assert invitation_code_normalise(sloppy) == code
    assert invitation_for_code(sloppy).code == code


def test_an_unknown_or_expired_code_says_what_to_do(org_user):
    with pytest.raises(InvitationError, match="do not know this application code|kennen deze"):
        invitation_for_code("AAAA-BBBB-CCCC")
    application = prepare(org_user)
    Invitation.objects.filter(application=application).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvitationError):
        invitation_for_code(application.invitation.code)


def test_only_the_first_applicant_can_take_up_an_invitation(org_user, citizen):
    application = prepare(org_user)
    invitation_accept(invitation=application.invitation, citizen=citizen)
    invitation_accept(invitation=application.invitation, citizen=citizen)  # again: fine
    intruder = User.digid_objects.digid_create("999990020")
    with pytest.raises(InvitationError):
        invitation_accept(invitation=application.invitation, citizen=intruder)
    assert Application.objects.get(pk=application.pk).citizen == citizen


def test_defaults_are_saved_for_the_next_request(org_user, client):
    prepare(org_user, save_as_default=True, functieaspecten=["12", "84"])
    defaults = OrganisationDefaults.objects.get(organisation=org_user.organisation)
    assert defaults.functieaspecten == ["12", "84"]
    client.force_login(org_user)
    form = client.get("/organisatie/aanvraag-klaarzetten/").context["form"]
    assert form.initial["functieaspecten"] == ["12", "84"]


def test_free_vog_only_for_admitted_organisations_and_with_84_or_85(org_user):
    with pytest.raises(InvitationError, match="not admitted|niet toegelaten"):
        prepare(org_user, is_free=True)
    Organisation.objects.filter(pk=org_user.organisation_id).update(
        free_vog_admitted_until=timezone.localdate() + timedelta(days=365)
    )
    org_user.organisation.refresh_from_db()
    with pytest.raises(InvitationError, match="84"):
        prepare(org_user, is_free=True, functieaspecten=["12"])
    application = prepare(org_user, is_free=True, functieaspecten=["85", "12"], position="Trainer")
    assert application.position == "Vrijwilliger"  # purpose is fixed for a free VOG
    assert application.invitation.is_free


def test_the_prepare_page_shows_errors_next_to_the_fields(client, org_user):
    client.force_login(org_user)
    response = client.post(
        "/organisatie/aanvraag-klaarzetten/",
        {"purpose_kind": "work", "basis": "aspects", "given_names": "Jan", "email": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"position", "functieaspecten", "surname", "birth_date", "email"}
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "Choose at least one functieaspect." in html
    assert Application.objects.count() == 0


def test_the_prepare_page_creates_the_request(client, org_user):
    client.force_login(org_user)
    response = client.post(
        "/organisatie/aanvraag-klaarzetten/",
        {
            "purpose_kind": "work",
            "position": "Leerkracht",
            "tasks": "Lesgeven groep 5",
            "basis": "profile",
            "screening_profile": "60",
            "given_names": "Sanne",
            "surname": "Visser",
            "birth_date": "14-07-1998",
            "email": "sanne@example.org",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    application = Application.objects.get()
    assert (application.screening_profile, application.purpose_description) == ("60", "Lesgeven groep 5")
    listing = client.get("/organisatie/").content.decode()
    assert application.reference in listing
    assert "Sanne Visser" in listing


def test_organisations_see_only_their_own_requests(client, org_user, reference_data):
    mine = prepare(org_user)
    other_org = Organisation.objects.create(kvk_number="87654321", name="Ander B.V.")
    other_user = User.objects.create(username="other", organisation=other_org)
    theirs = prepare(other_user)
    client.force_login(org_user)
    listing = client.get("/organisatie/").content.decode()
    assert mine.reference in listing
    assert theirs.reference not in listing


# --- Expiry and reminders ----------------------------------------------------------------------


def test_unfinished_invitations_get_one_reminder_and_then_expire(org_user):
    application = prepare(org_user)
    Invitation.objects.filter(application=application).update(expires_at=timezone.now() + timedelta(days=3))
    assert invitations_remind() == 1
    assert invitations_remind() == 0  # once
    assert OutboxMessage.objects.filter(application=application, event="reminder").count() == 1
    Invitation.objects.filter(application=application).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert invitations_expire() == 1
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    assert organisation_stage(application.status).startswith("Expired") or "Verlopen" in organisation_stage(
        application.status
    )


# --- Fees and stages ---------------------------------------------------------------------------


def test_fees_come_from_the_table_of_their_date(reference_data):
    assert fee_cents(product="VOG_NP", channel_group="digital", day=date(2026, 11, 23)) == 3385
    assert fee_cents(product="VOG_NP", channel_group="digital", day=date(2015, 6, 1)) == 2455
    assert fee_cents(product="VOG_NP", channel_group="municipal", day=date(2026, 1, 1)) == 4135
    assert fee_cents(product="VOG_NP", channel_group="free", day=date(2026, 1, 1)) == 0
    assert euros(3385) == "€ 33,85"


def test_organisations_never_see_the_outcome():
    assert organisation_stage(Status.ISSUED) == organisation_stage(Status.REFUSED)
    assert organisation_stage(Status.IN_REVIEW) == organisation_stage(Status.RECEIVED)


def test_the_applicants_tracker_follows_the_status():
    assert citizen_stage(Status.PREPARED) is None
    assert citizen_stage(Status.SUBMITTED) is None
    assert citizen_stage(Status.RECEIVED) == "received"
    assert citizen_stage(Status.IN_REVIEW) == "assessing"
    assert citizen_stage(Status.ISSUED) == "decided"
    assert citizen_stage(Status.ISSUED, certificate_ready=True) == "all_done"


# --- The applicant completes the request -------------------------------------------------------


def test_the_applicant_completes_a_free_request_and_it_is_received(
    client, org_user, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=org_user.organisation_id).update(
        free_vog_admitted_until=timezone.localdate() + timedelta(days=30)
    )
    org_user.organisation.refresh_from_db()
    application = prepare(org_user, is_free=True, functieaspecten=["84"])
    code = application.invitation.code

    # The link in the e-mail carries the code; without a DigiD login the applicant is sent to log in.
    response = client.get(f"/aanvraag/{code}/")
    assert response.status_code == 302
    assert response["Location"] == "/aanvraag/aanvullen/"
    assert client.get("/aanvraag/aanvullen/")["Location"].startswith("/inloggen/")

    login_with_digid(client, "999990019")  # Jan Jansen, born 1990-05-17 as the organisation said
    page = client.get("/aanvraag/aanvullen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Jansen" in html
    assert "Utrecht" in html
    assert "84" in html  # the organisation's screening basis

    response = client.post("/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "message_box"})
    assert response.status_code == 200  # the declaration is required
    assert "declaration" in response.context["form"].errors

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "message_box", "declaration": "on"}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RECEIVED  # free: no payment, the statutory clock starts
    assert application.applicant.bsn == "999990019"
    assert application.application_date == timezone.localdate()
    published = [callback.args[0].name for callback in callbacks]
    assert published.count("screening.tasks.assess_application") == 1  # queued after commit
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert detail.context["stage"] == "received"
    assert 'aria-current="step"' in detail.content.decode()

    # A reload or double submit changes nothing.
    client.post("/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "post", "declaration": "on"})
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED


def test_someone_else_born_on_another_day_cannot_complete_the_request(client, org_user):
    application = prepare(org_user)  # for Jan Jansen, 1990-05-17
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990020")  # Fatima El Amrani, born 2001
    response = client.post(
        "/aanvraag/aanvullen/",
        {"email": "f@example.org", "delivery": "post", "declaration": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "born on another day" in response.content.decode()
    assert "own DigiD" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.PREPARED
    # The request stays free for Jan: logging in with the wrong DigiD does not take it.
    assert Application.objects.get(pk=application.pk).citizen is None
    assert Invitation.objects.get(application=application).accepted_by is None
    client.logout()
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    response = client.post(
        "/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "post", "declaration": "on"}
    )
    assert response["Location"] == f"/mijnjustis/{application.reference}/betalen/"


def test_coming_back_to_the_confirm_page_sends_the_applicant_onward(client, org_user):
    application = prepare(org_user)
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    data = {"email": "jan@example.org", "delivery": "post", "declaration": "on"}
    pay = f"/mijnjustis/{application.reference}/betalen/"
    assert client.post("/aanvraag/aanvullen/", data)["Location"] == pay
    assert client.get("/aanvraag/aanvullen/")["Location"] == pay  # back button, reload
    assert client.post("/aanvraag/aanvullen/", data)["Location"] == pay  # the form sent again
    Application.objects.filter(pk=application.pk).update(status=Status.RECEIVED)
    assert client.get("/aanvraag/aanvullen/")["Location"] == f"/mijnjustis/{application.reference}/"
    assert application.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


def test_when_the_register_is_down_the_applicant_is_told_and_nothing_is_lost(client, org_user):
    from justis.audit import Actor
    from justis.faults import fault_set

    application = prepare(org_user)
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    fault_set(system="brp", mode="down", actor=Actor.system("drill"))
    response = client.get("/aanvraag/aanvullen/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "population register" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.PREPARED


def test_mijnjustis_shows_only_the_applicants_own_applications(client, org_user):
    application = prepare(org_user)
    jan = login_with_digid(client, "999990019")
    invitation_accept(invitation=application.invitation, citizen=jan)
    assert client.get(f"/mijnjustis/{application.reference}/").status_code == 200
    client.logout()
    login_with_digid(client, "999990020")
    assert client.get(f"/mijnjustis/{application.reference}/").status_code == 404


def test_the_applicant_can_withdraw_after_confirming(client, received_for_jan):
    url = f"/mijnjustis/{received_for_jan.reference}/intrekken/"
    assert client.get(url).status_code == 200
    assert Application.objects.get(pk=received_for_jan.pk).status == Status.RECEIVED  # a GET changes nothing
    client.post(url)
    received_for_jan.refresh_from_db()
    assert received_for_jan.status == Status.WITHDRAWN
    assert OutboxMessage.objects.filter(application=received_for_jan, event="application_withdrawn").exists()
    client.post(url)  # again: a clear message, no error
    assert Application.objects.get(pk=received_for_jan.pk).status == Status.WITHDRAWN


def test_the_certificate_is_downloaded_by_its_owner_only_and_audited(client, received_for_jan):
    from applications.lifecycle import application_transition
    from justis.audit import Actor
    from justis.models import AuditAction, AuditEvent
    from screening.services import certificate_create, certificate_render

    url = f"/mijnjustis/{received_for_jan.reference}/verklaring.pdf"
    assert client.get(url).status_code == 404  # not issued yet
    actor = Actor.system("test")
    application = application_transition(application=received_for_jan, to_status=Status.IN_ASSESSMENT, actor=actor)
    application = application_transition(application=application, to_status=Status.ISSUED, actor=actor)
    certificate = certificate_create(application=application)
    assert certificate_render(certificate_id=certificate.pk)
    detail = client.get(f"/mijnjustis/{application.reference}/")
    assert detail.context["certificate_ready"]
    assert detail.context["stage"] == "all_done"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        AuditEvent.objects.filter(action=AuditAction.CERTIFICATE_DOWNLOADED, subject_id=application.reference).count()
        == 1
    )
    client.logout()
    login_with_digid(client, "999990020")
    assert client.get(url).status_code == 404


def test_the_applicant_pays_with_the_demo_bank_and_the_application_is_received(client, org_user):
    from urllib.parse import urlparse

    from payments.models import Payment

    application = prepare(org_user)
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    response = client.post(
        "/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "post", "declaration": "on"}
    )
    assert response["Location"] == f"/mijnjustis/{application.reference}/betalen/"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.invitation.fee_cents == 3385
    assert "€ 33,85" in client.get(response["Location"]).content.decode()

    # Paying twice (double click, back button) leads to the same payment.
    first = client.post(f"/mijnjustis/{application.reference}/betalen/")
    second = client.post(f"/mijnjustis/{application.reference}/betalen/")
    assert first["Location"] == second["Location"]
    assert Payment.objects.filter(application=application).count() == 1
    bank = urlparse(first["Location"]).path
    assert client.get(bank).status_code == 200

    back = client.post(bank, {"bank": "INGBNL2A", "action": "pay"})
    assert back.status_code == 302
    detail = client.get(urlparse(back["Location"]).path)
    assert detail["Location"] == f"/mijnjustis/{application.reference}/"
    application.refresh_from_db()
    assert application.status == Status.RECEIVED  # paid: the statutory clock starts
    assert application.application_date == timezone.localdate()
    page = client.get(detail["Location"])
    assert page.context["stage"] == "received"


def test_the_payment_provider_being_down_keeps_the_application(client, org_user):
    from justis.audit import Actor
    from justis.faults import fault_set

    application = prepare(org_user)
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    client.post("/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "post", "declaration": "on"})
    fault_set(system="payment", mode="down", actor=Actor.system("drill"))
    response = client.post(f"/mijnjustis/{application.reference}/betalen/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == f"/mijnjustis/{application.reference}/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be reached" in page.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_production_eherkenning_login_is_tied_to_the_organisation_by_kvk(rf, reference_data):
    from justis.login.backends import EherkenningOrganisationBackend

    def attributes(kvk, acting):
        return {
            "urn:etoegang:core:LegalSubjectID": [
                {"NameID": {"NameQualifier": "urn:etoegang:1.9:EntityConcernedID:KvKnr", "value": kvk}},
                {"NameID": {"NameQualifier": "urn:etoegang:1.9:EntityConcernedID:RSIN", "value": "123456782"}},
            ],
            "urn:etoegang:1.11:attribute-represented:CompanyName": ["Zorggroep Het Anker"],
            "urn:etoegang:core:ActingSubjectID": [{"NameID": {"value": acting}}],
        }

    backend = EherkenningOrganisationBackend()
    request = rf.get("/eherkenning/acs/")
    anna, created = backend.get_or_create_user(request, None, attributes("345678900001", "pseudonym-anna"))
    assert created
    assert anna.organisation.kvk_number == "34567890"  # the branch number is dropped
    assert anna.organisation.name == "Zorggroep Het Anker"
    again, created = backend.get_or_create_user(request, None, attributes("34567890", "pseudonym-anna"))
    assert (again.pk, created) == (anna.pk, False)
    bram, _created = backend.get_or_create_user(request, None, attributes("34567890", "pseudonym-bram"))
    assert bram.pk != anna.pk  # each person acting for the organisation has an account
    assert bram.organisation_id == anna.organisation_id
    from digid_eherkenning.exceptions import eHerkenningNoRSINError

    with pytest.raises(eHerkenningNoRSINError):
        backend.get_or_create_user(request, None, {"urn:etoegang:core:LegalSubjectID": []})


def test_letters_are_listed_and_downloaded_by_their_owner_only_and_audited(client, received_for_jan):
    from django.core.files.base import ContentFile

    from justis.models import AuditAction, AuditEvent
    from notifications.models import Letter, LetterKind

    letter = Letter(application=received_for_jan, kind=LetterKind.INFORMATION_REQUEST)
    letter.pdf.save("request.pdf", ContentFile(b"%PDF-1.7 a letter"), save=True)
    detail = client.get(f"/mijnjustis/{received_for_jan.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Request for information" in detail.content.decode()
    url = f"/mijnjustis/{received_for_jan.reference}/brieven/{letter.pk}.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 a letter"
    assert (
        AuditEvent.objects.filter(action=AuditAction.LETTER_DOWNLOADED, subject_id=received_for_jan.reference).count()
        == 1
    )
    client.logout()
    login_with_digid(client, "999990020")
    assert client.get(url).status_code == 404
