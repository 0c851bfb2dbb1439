"""The counter intake screen: a clerk takes a walk-in VOG NP application and forwards it to Justis.

Expected texts are looked up through gettext in the page's language, so the tests hold in Dutch and
before the Dutch catalogue has a new message.
"""

import re
import uuid
from datetime import date, timedelta

from django.http import QueryDict
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from applications.brp import BrpAddress, BrpPerson, bsn_pseudonym
from applications.counter.forms import split_name
from applications.counter.intake import prefilled
from applications.fees import euros, fee_cents
from applications.intake import REMARK_FLAGS
from applications.models import (
    Applicant,
    Application,
    Desk,
    DeskDaySequence,
    FeeRate,
    IdentityVerification,
    MunicipalIntake,
    PersonalDataSource,
)
from justis.audit import Actor
from justis.faults import fault_set
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

URL = "/balie/"
DRILL = Actor.system("drill")
PIETER = "999990032"  # demo person Pieter de Boer, born 28-02-1985 in Groningen
NOT_IN_BRP = "999990093"


def t(msgid: str) -> str:
    """A message as the page shows it (Dutch, or the source text while the catalogue lacks it)."""
    with translation.override("nl"):
        return gettext(msgid)


def form_data(**overrides) -> dict:
    """A complete counter form for Pieter de Boer as the register knows him."""
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "bsn": PIETER,
        "given_names": "Pieter",
        "surname_prefix": "de",
        "surname": "Boer",
        "birth_date": "28-02-1985",
        "birth_place": "Groningen",
        "birth_country": "Nederland",
        "gender": "M",
        "nationalities": "Nederlandse",
        "street": "Oosterstraat",
        "house_number": "19",
        "house_number_suffix": "",
        "postcode": "9711nn",
        "city": "Groningen",
        "country": "Nederland",
        "phone": "06 12345678",
        "email": "pieter@example.org",
        "org_name": "Taxi Centraal B.V.",
        "org_representative": "A. Visser",
        "org_street": "Stationsplein",
        "org_house_number": "1a",
        "org_postcode": "1012 AB",
        "org_city": "Amsterdam",
        "org_country": "Nederland",
        "org_phone": "020 1234567",
        "org_kvk_number": "87654321",
        "purpose_kind": "work",
        "position": "Taxichauffeur",
        "tasks": "Vervoer van personen",
        "description": "",
        "screening_profile": "",
        "functieaspecten": ["84", "86"],
        "circumstances": "no",
        "circumstances_text": "",
        "id_document_kind": "passport",
        "id_document_number_end": "x4b2",
        "payment_method": "pin",
        "fee_received": "on",
        "urgent_reason": "",
        "special_findings": "no",
        "persisted": "no",
        "covog_advice_requested": "no",
        "general_explanation": "no",
        "mayor_advice": "O",
        "remark": "",
        "action": "forward",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def lookup(client, bsn=PIETER, **overrides):
    return client.post(URL, form_data(bsn=bsn, action="brp", **overrides))


def forward(client, **overrides):
    return client.post(URL, form_data(**overrides))


def done_url(application) -> str:
    return f"/balie/doorgezet/{application.reference}/"


# --- The screen ---------------------------------------------------------------------------------


def test_the_screen_shows_the_fee_of_today_and_a_new_key_each_time(clerk_client):
    first = clerk_client.get(URL)
    second = clerk_client.get(URL)
    assert first.status_code == 200
    fee = euros(fee_cents(product="VOG_NP", channel_group="municipal", day=timezone.localdate()))
    assert fee == "€ 41,35"
    assert fee in first.content.decode()
    keys = [re.search(rb'name="idempotency_key" value="([0-9a-f-]{36})"', r.content)[1] for r in (first, second)]
    assert keys[0] != keys[1]
    # The register button works without JavaScript: it is a submit button of the form.
    assert b'name="action" value="brp"' in first.content
    assert b"justis/counter.js" in first.content


# --- Forwarding ---------------------------------------------------------------------------------


def test_a_looked_up_applicant_is_forwarded_with_intake_number_and_fee(clerk_client, clerk, desk):
    lookup(clerk_client)
    response = forward(clerk_client)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == done_url(application)

    assert application.type == "VOG_NP"
    assert application.channel == "municipal_counter"
    assert application.status == "received"
    assert application.municipality == desk.municipality
    assert application.identity_verification == IdentityVerification.NOT_NEEDED
    assert (application.purpose_code, application.position, application.purpose_description) == (
        "WRE",
        "Taxichauffeur",
        "Vervoer van personen",
    )
    assert application.functieaspecten == ["84", "86"]
    assert application.screening_profile == ""
    assert application.organisation_name == "Taxi Centraal B.V."
    assert application.organisation.kvk_number == "87654321"
    applicant = application.applicant
    assert (applicant.bsn, applicant.surname_prefix, applicant.surname) == (PIETER, "de", "Boer")
    assert applicant.birth_date == date(1985, 2, 28)
    assert applicant.postcode == "9711 NN"
    assert applicant.nationalities == ["Nederlandse"]
    assert applicant.phone == "06 12345678"

    intake = application.intake
    today = timezone.localdate()
    assert intake.municipal_number == f"0363-01-{today:%Y%m%d}-0001"
    assert intake.desk == desk
    assert intake.clerk == clerk
    assert intake.personal_data_source == PersonalDataSource.BRP
    assert intake.fee_cents == fee_cents(product="VOG_NP", channel_group="municipal", day=today) == 4135
    assert (intake.payment_method, intake.id_document_kind, intake.id_document_number_end) == (
        "pin",
        "passport",
        "X4B2",
    )
    assert {
        field: getattr(application, f"organisation_{field}")
        for field in ("representative", "street", "house_number", "postcode", "city", "country", "phone")
    } == {
        "representative": "A. Visser",
        "street": "Stationsplein",
        "house_number": "1a",
        "postcode": "1012 AB",
        "city": "Amsterdam",
        "country": "Nederland",
        "phone": "020 1234567",
    }

    page = clerk_client.get(response["Location"])
    content = page.content.decode()
    assert intake.municipal_number in content
    assert application.reference in content
    assert "€ 41,35" in content
    assert t("debit card (PIN)") in content
    assert t("entered by hand: waiting for the BRP check") not in content
    assert f'data-idempotency-key="{application.idempotency_key}"' in content


def test_the_daily_sequence_counts_per_desk(clerk_client, desk, client, amsterdam):
    for _ in range(2):
        forward(clerk_client)
    second_desk = Desk.objects.create(municipality=amsterdam, code="02", name="Stadsloket Zuid")
    other_clerk = staff_user("clerk.zuid", Role.MUNICIPAL_CLERK, desk=second_desk)
    forward(login_with_second_factor(Client(), other_clerk))
    today = f"{timezone.localdate():%Y%m%d}"
    numbers = sorted(MunicipalIntake.objects.values_list("municipal_number", flat=True))
    assert numbers == [f"0363-01-{today}-0001", f"0363-01-{today}-0002", f"0363-02-{today}-0001"]


def test_a_double_post_gives_one_application_and_the_same_done_page(clerk_client):
    data = form_data()
    first = clerk_client.post(URL, data)
    again = clerk_client.post(URL, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Application.objects.count() == 1
    assert DeskDaySequence.objects.get().last == 1  # no number was used up by the repeat


def test_the_same_key_with_other_data_forwards_nothing_and_names_the_first_application(clerk_client):
    data = form_data()
    clerk_client.post(URL, data)
    application = Application.objects.get()
    response = clerk_client.post(URL, {**data, "given_names": "Piet"})
    assert response.status_code == 200
    assert Application.objects.count() == 1
    assert application.reference in " ".join(response.context["form"].non_field_errors())
    assert done_url(application) in response.content.decode()


def test_forwarding_works_while_the_justice_records_system_is_down(clerk_client):
    fault_set(system="jds", mode="down", actor=DRILL)
    response = forward(clerk_client)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == "received"  # the assessment waits for JDS; the counter does not


def test_without_a_fee_in_the_table_nothing_is_forwarded(clerk_client):
    FeeRate.objects.filter(product="VOG_NP", channel_group="municipal").delete()
    assert t("The fee table has no fee for today: nothing can be forwarded. Call the service desk.") in (
        clerk_client.get(URL).content.decode()
    )
    response = forward(clerk_client)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Application.objects.count() == 0


def test_remarks_circumstances_and_urgent_reason_are_kept(clerk_client):
    forward(
        clerk_client,
        circumstances="yes",
        circumstances_text="Werkt met kwetsbare reizigers",
        special_findings="yes",
        special_findings_text="Paspoort beschadigd",
        persisted="no",
        persisted_text="dit wordt niet bewaard",
        mayor_advice="V",
        remark="Aanvrager had haast",
        urgent_reason="work_abroad",
        payment_method="cash",
    )
    application = Application.objects.get()
    intake = application.intake
    assert application.circumstances == "Werkt met kwetsbare reizigers"
    assert application.urgent_reason == "work_abroad"
    assert (intake.special_findings, intake.special_findings_text) == (True, "Paspoort beschadigd")
    assert (intake.persisted, intake.persisted_text) == (False, "")
    assert (intake.mayor_advice, intake.remark, intake.payment_method) == ("V", "Aanvrager had haast", "cash")


def test_earlier_identities_are_kept(clerk_client):
    forward(
        clerk_client,
        history_1_given_names="Pieter",
        history_1_surname="Jansen",
        history_1_birth_date="28-02-1985",
        history_1_bsn="999990019",
    )
    applicant = Applicant.objects.get()
    assert applicant.previous_identities == [
        {"given_names": "Pieter", "surname": "Jansen", "birth_date": "1985-02-28", "bsn": "999990019"}
    ]


# --- Validation ---------------------------------------------------------------------------------


LIMITS = {
    "given_names": 200,
    "surname_prefix": 10,
    "street": 35,
    "city": 40,
    "birth_place": 40,
    "birth_country": 40,
    "org_name": 80,
    "org_representative": 80,
    "org_street": 35,
    "org_city": 40,
    "org_phone": 15,
    "phone": 15,
    "tasks": 100,
    "position": 100,
    "remark": 2000,
    "special_findings_text": 2000,
}


@pytest.mark.parametrize(("field", "limit"), LIMITS.items())
def test_a_field_over_its_limit_says_the_limit_and_the_length_typed(clerk_client, field, limit):
    typed = limit + 6
    value = "1" * typed if "phone" in field else "a" * typed
    response = forward(clerk_client, **{field: value})
    assert response.status_code == 200
    form = response.context["form"]
    [message] = form.errors[field]
    assert message.startswith(form.error_name(field) + ":")
    assert re.findall(r"\d+", message) == [str(limit), str(typed)]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Application.objects.count() == 0


def test_the_street_message_reads_as_on_the_paper_form(clerk_client):
    response = forward(clerk_client, street="S" * 41)
    [message] = response.context["form"].errors["street"]
    expected = t("%(field)s: at most %(limit_value)d characters (you typed %(show_value)d).").replace(
        "%(field)s", t("Street")
    ) % {"limit_value": 35, "show_value": 41}
    assert message == expected


def tomorrow() -> str:
    """Worked out when the test runs: a list built at collection would be wrong after midnight."""
    return (timezone.localdate() + timedelta(days=1)).strftime("%d-%m-%Y")


INVALID = [
    ({"bsn": "123456789"}, "bsn"),  # fails the 11-test
    ({"bsn": "12345"}, "bsn"),
    ({"birth_date": tomorrow}, "birth_date"),
    ({"birth_date": "31-12-1899"}, "birth_date"),
    ({"birth_date": "31-02-1985"}, "birth_date"),
    ({"given_names": ""}, "given_names"),
    ({"house_number": "19a"}, "house_number"),
    ({"postcode": "97111"}, "postcode"),
    ({"org_postcode": ""}, "org_postcode"),
    ({"nationalities": " , "}, "nationalities"),
    ({"email": "pieter.example.org"}, "email"),
    ({"phone": "zes twaalf"}, "phone"),
    ({"org_kvk_number": "1234"}, "org_kvk_number"),
    ({"purpose_kind": "other", "description": ""}, "description"),
    ({"screening_profile": "01"}, "screening_profile"),  # a profile and aspects
    ({"functieaspecten": []}, "functieaspecten"),  # neither
    ({"functieaspecten": ["99"]}, "functieaspecten"),
    ({"urgent_reason": "activities_abroad"}, "urgent_reason"),  # only for a VOG RP
    ({"circumstances": "yes"}, "circumstances_text"),
    *(({flag: "yes"}, text) for flag, text in REMARK_FLAGS),
    ({"mayor_advice": "J"}, "mayor_advice"),
    ({"id_document_number_end": "4B2"}, "id_document_number_end"),
    ({"id_document_number_end": "4-B2"}, "id_document_number_end"),
    ({"id_document_kind": ""}, "id_document_kind"),
    ({"payment_method": None}, "payment_method"),
    ({"fee_received": None}, "fee_received"),
    ({"history_1_birth_date": "01-01-1980"}, "history_1_surname"),
    ({"history_2_surname": "Jansen", "history_2_bsn": "123456780"}, "history_2_bsn"),
    ({"history_3_surname": "Jansen", "history_3_birth_date": "01-01-3000"}, "history_3_birth_date"),
]


@pytest.mark.parametrize(("overrides", "field"), INVALID)
def test_bad_input_shows_a_message_on_the_field_and_forwards_nothing(clerk_client, overrides, field):
    overrides = {name: value() if callable(value) else value for name, value in overrides.items()}
    response = forward(clerk_client, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(form.error_name(field) in message for message in form.errors[field]), form.errors[field]
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert 'aria-invalid="true"' in content or field in ("payment_method", "functieaspecten", "screening_profile")
    assert Application.objects.count() == 0


def test_the_profile_and_aspects_message_says_to_choose_one(clerk_client):
    response = forward(clerk_client, screening_profile="01")
    [message] = response.context["form"].errors["screening_profile"]
    assert t("%(field)s: choose one specific profile or functieaspecten, not both.").split(":")[1].strip() in message


# --- The population register --------------------------------------------------------------------


def test_fetching_from_the_register_fills_the_form_and_audits_the_read(clerk_client, clerk):
    response = lookup(
        clerk_client,
        given_names="",
        surname_prefix="",
        surname="",
        birth_date="",
        street="",
        postcode="",
        phone="06 99999999",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {}  # fields still to be filled in are not complained about
    assert form["given_names"].value() == "Pieter"
    assert form["surname_prefix"].value() == "de"
    assert form["surname"].value() == "Boer"
    assert form["birth_date"].value() == "28-02-1985"
    assert form["birth_place"].value() == "Groningen"
    assert form["street"].value() == "Oosterstraat"
    assert form["house_number"].value() == "19"
    assert form["postcode"].value() == "9711 NN"
    assert form["gender"].value() == "M"
    assert form["phone"].value() == "06 99999999"  # what the clerk added stays
    assert t("The applicant's data was fetched from the BRP. Compare it with the identity document.") in (
        response.content.decode().replace("&#x27;", "'")
    )
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_READ)
    assert event.subject_id == bsn_pseudonym(PIETER)
    assert event.reason == "counter intake"
    assert (event.actor_kind, event.actor_id) == ("user", str(clerk.pk))
    assert Application.objects.count() == 0


def test_a_bad_bsn_is_not_looked_up(clerk_client):
    response = lookup(clerk_client, bsn="123456789")
    assert "bsn" in response.context["form"].errors
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).exists()


def test_a_bsn_not_in_the_register_is_refused_and_not_forwarded(clerk_client):
    response = lookup(clerk_client, bsn=NOT_IN_BRP)
    [message] = response.context["form"].errors["bsn"]
    assert "Justis" in message
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).count() == 1

    response = forward(clerk_client, bsn=NOT_IN_BRP)
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"] == [message]
    assert Application.objects.count() == 0


def test_with_the_register_down_the_clerk_types_the_data_and_it_is_checked_later(clerk_client):
    fault_set(system="brp", mode="down", actor=DRILL)
    response = lookup(clerk_client)
    assert response.status_code == 200
    notice = t(
        "The BRP cannot be reached. Copy the data from the identity document; "
        "the application will be checked automatically later."
    )
    assert notice in response.content.decode()
    assert response.context["form"].errors == {}
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).exists()

    response = forward(clerk_client)
    application = Application.objects.get()
    assert application.identity_verification == IdentityVerification.PENDING
    assert application.intake.personal_data_source == PersonalDataSource.MANUAL
    page = clerk_client.get(response["Location"]).content.decode()
    assert t("entered by hand: waiting for the BRP check") in page


def test_data_changed_after_the_lookup_counts_as_typed_by_hand(clerk_client):
    lookup(clerk_client)
    forward(clerk_client, given_names="Piet")
    application = Application.objects.get()
    assert application.intake.personal_data_source == PersonalDataSource.MANUAL
    assert application.identity_verification == IdentityVerification.PENDING


def test_without_a_lookup_forwarding_asks_the_register_itself(clerk_client):
    forward(clerk_client)
    application = Application.objects.get()
    assert application.intake.personal_data_source == PersonalDataSource.BRP
    assert application.identity_verification == IdentityVerification.NOT_NEEDED
    read = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_READ)
    assert read.reason == "counter intake"


def test_without_a_lookup_a_bsn_the_register_does_not_know_is_refused(clerk_client):
    response = forward(clerk_client, bsn=NOT_IN_BRP)
    assert response.status_code == 200
    assert "bsn" in response.context["form"].errors
    assert not Application.objects.exists()


def test_without_a_lookup_typed_data_that_differs_waits_for_the_check(clerk_client):
    forward(clerk_client, surname="Boers")
    application = Application.objects.get()
    assert application.intake.personal_data_source == PersonalDataSource.MANUAL
    assert application.identity_verification == IdentityVerification.PENDING


def test_without_a_lookup_and_the_register_down_the_data_counts_as_typed_by_hand(clerk_client):
    fault_set(system="brp", mode="down", actor=DRILL)
    forward(clerk_client)
    application = Application.objects.get()
    assert application.intake.personal_data_source == PersonalDataSource.MANUAL
    assert application.identity_verification == IdentityVerification.PENDING


def test_earlier_names_from_the_register_go_into_empty_rows():
    person = BrpPerson(
        bsn=PIETER,
        given_names="Pieter",
        surname_prefix="de",
        surname="Boer",
        birth_date=date(1985, 2, 28),
        birth_place="Groningen",
        birth_country="Nederland",
        gender="M",
        nationalities=("Nederlandse", "Belgische"),
        address=BrpAddress(
            street="Oosterstraat", house_number=19, house_number_suffix="", postcode="9711 NN", city="Groningen"
        ),
        previous_names=("Pieter van der Berg", "Pieter  van der Berg", "Pieter Jansen"),
    )
    post = QueryDict(mutable=True)
    post.update({"history_1_surname": "Smit", "history_1_given_names": "Piet"})
    data = prefilled(post, person)
    assert data["nationalities"] == "Nederlandse, Belgische"
    assert (data["history_1_given_names"], data["history_1_surname"]) == ("Piet", "Smit")  # kept
    assert (data["history_2_given_names"], data["history_2_surname_prefix"], data["history_2_surname"]) == (
        "Pieter",
        "van der",
        "Berg",
    )
    assert (data["history_3_given_names"], data["history_3_surname"]) == ("Pieter", "Jansen")


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Maria de Vries", ("Maria", "de", "Vries")),
        ("Anna Maria van den Heuvel", ("Anna Maria", "van den", "Heuvel")),
        ("de Boer", ("", "de", "Boer")),
        ("Jan Jansen", ("Jan", "", "Jansen")),
        ("Jansen", ("", "", "Jansen")),
    ],
)
def test_an_earlier_name_is_split_into_given_names_prefix_and_surname(name, parts):
    split = split_name(name)
    assert (split["given_names"], split["surname_prefix"], split["surname"]) == parts


# --- Access -------------------------------------------------------------------------------------


def test_the_desk_is_the_clerks_own_whatever_the_form_says(clerk_client, desk, other_desk):
    forward(clerk_client, desk=str(other_desk.pk), municipality="0599")
    application = Application.objects.get()
    assert application.intake.desk == desk
    assert application.municipality.code == "0363"


def test_a_clerk_cannot_open_another_municipalitys_done_page(clerk_client, other_desk):
    rotterdam_clerk = staff_user("clerk.rotterdam", Role.MUNICIPAL_CLERK, desk=other_desk)
    forward(login_with_second_factor(Client(), rotterdam_clerk))
    application = Application.objects.get()
    assert application.municipality.code == "0599"
    assert clerk_client.get(done_url(application)).status_code == 404


def test_only_clerks_with_two_factors_use_the_counter(clerk, intake_officer_client, org_user):
    client = Client()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")
    client.force_login(clerk)  # password only, no second factor
    assert client.get(URL).status_code == 302
    assert client.post(URL, form_data()).status_code == 302
    assert intake_officer_client.get(URL).status_code == 403
    assert intake_officer_client.post(URL, form_data()).status_code == 403
    organisation_client = Client()
    organisation_client.force_login(org_user)
    assert organisation_client.get(URL).status_code != 200
    assert Application.objects.count() == 0
