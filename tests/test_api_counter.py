"""The municipal API accepts everything the counter records: intake, remarks, organisation contact, limits."""

import json
import re
import threading
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from applications.fees import fee_cents
from applications.models import (
    Applicant,
    Application,
    FeeRate,
    IdentityVerification,
    MunicipalIntake,
    Organisation,
)
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
BY_NUMBER = "/api/v1/applications/by-municipal-number/{}/"
FLAGS = ("special_findings", "persisted", "covog_advice_requested", "general_explanation")


def post(client, payload, **headers):
    return client.post(URL, payload, format="json", **headers)


def error_at(response, path: tuple) -> list:
    """The messages at ``path`` in a 400 answer; fails the test when the path is not there."""
    assert response.status_code == 400, response.content
    errors = response.json()
    for key in path:
        assert isinstance(errors, dict), (path, response.json())
        assert key in errors, (path, response.json())
        errors = errors[key]
    assert isinstance(errors, list), errors
    assert errors
    assert all(isinstance(message, str) and message for message in errors), errors
    return errors


def intake_of(payload) -> dict:
    return payload["intake"]


def remark(payload, flag) -> dict:
    return payload["intake"]["remarks"][flag]


# --- The happy path ----------------------------------------------------------------------------


def test_everything_the_counter_records_is_stored(api, application_payload):
    application_payload["intake"]["identity_document"] = {"kind": "passport", "number_end": "x7b9"}
    application_payload["intake"]["payment"] = {"method": "cash"}
    application_payload["intake"]["remarks"].update(
        persisted={"value": True, "explanation": "Aanvrager wilde toch aanvragen."},
        mayor_advice="V",
        remark="Opmerking van de gemeente.",
    )
    application_payload["circumstances"] = "Werkt met kwetsbare ouderen."
    application_payload["urgent_reason"] = "work_abroad"
    application_payload["applicant"]["nationalities"] = ["Nederlandse", "Marokkaanse"]
    application_payload["applicant"]["previous_identities"] = [
        {"given_names": "Jan", "surname": "Pietersen", "birth_date": "1990-05-17", "bsn": "999990020"}
    ]

    response = post(api, application_payload)

    assert response.status_code == 201, response.json()
    application = Application.objects.select_related("intake__desk", "applicant").get(
        reference=response.json()["reference"]
    )
    intake = application.intake
    assert intake.desk.code == "01"
    assert intake.clerk is None
    assert intake.personal_data_source == "municipal_system"
    assert (intake.id_document_kind, intake.id_document_number_end) == ("passport", "X7B9")
    assert intake.payment_method == "cash"
    assert intake.persisted
    assert intake.persisted_text == "Aanvrager wilde toch aanvragen."
    assert intake.general_explanation
    assert intake.general_explanation_text == "Aanvrager werkt ook als gastouder."
    assert not intake.special_findings
    assert intake.special_findings_text == ""
    assert not intake.covog_advice_requested
    assert intake.mayor_advice == "V"
    assert intake.remark == "Opmerking van de gemeente."
    assert application.circumstances == "Werkt met kwetsbare ouderen."
    assert application.urgent_reason == "work_abroad"
    applicant = application.applicant
    assert (applicant.gender, applicant.phone) == ("M", "06 12345678")
    assert applicant.nationalities == ["Nederlandse", "Marokkaanse"]
    assert applicant.previous_identities == [
        {"given_names": "Jan", "surname": "Pietersen", "birth_date": "1990-05-17", "bsn": "999990020"}
    ]
    assert (applicant.street, applicant.postcode, applicant.city) == ("Biltstraat", "3572 BJ", "Utrecht")
    assert application.organisation_representative == "M. de Vries"
    assert (
        application.organisation_street,
        application.organisation_house_number,
        application.organisation_house_number_suffix,
        application.organisation_postcode,
        application.organisation_city,
        application.organisation_country,
        application.organisation_phone,
    ) == ("Oudegracht", "231", "A", "3511 NK", "Utrecht", "Nederland", "030 1234567")
    assert application.organisation.kvk_number == "12345678"


def test_the_answer_gives_the_municipal_number_location_and_fee(api, application_payload):
    first = post(api, application_payload).json()
    second = post(api, application_payload).json()

    today = timezone.localdate().strftime("%Y%m%d")
    assert first["municipal_number"] == f"0363-01-{today}-0001"
    assert second["municipal_number"] == f"0363-01-{today}-0002"
    assert first["location_code"] == "01"
    assert first["fee"] == {"amount_cents": 4135, "currency": "EUR"}
    assert first["identity_verification"] == "not_needed"
    assert MunicipalIntake.objects.get(application__reference=first["reference"]).fee_cents == 4135
    detail = api.get(f"{URL}{first['reference']}/").json()
    assert detail["municipal_number"] == first["municipal_number"]
    assert detail["fee"] == first["fee"]


def test_the_fee_comes_from_the_fee_table_not_from_the_request(api, application_payload):
    today = timezone.localdate()
    FeeRate.objects.filter(product="VOG_NP", channel_group="municipal", valid_to__isnull=True).update(
        valid_to=today - timezone.timedelta(days=1)
    )
    FeeRate.objects.create(product="VOG_NP", channel_group="municipal", amount_cents=4450, valid_from=today)
    application_payload["intake"]["payment"]["amount_cents"] = 1  # not a field: ignored

    response = post(api, application_payload)

    assert response.status_code == 201, response.json()
    assert response.json()["fee"] == {"amount_cents": 4450, "currency": "EUR"}
    assert fee_cents(product="VOG_NP", channel_group="municipal", day=today) == 4450


def test_personal_data_typed_by_hand_is_checked_against_the_brp_later(api, application_payload):
    application_payload["intake"]["personal_data_source"] = "manual"

    response = post(api, application_payload)

    assert response.status_code == 201, response.json()
    assert response.json()["identity_verification"] == "pending"
    application = Application.objects.get(reference=response.json()["reference"])
    assert application.identity_verification == IdentityVerification.PENDING
    assert application.intake.personal_data_source == "manual"


def test_the_optional_parts_may_be_left_out(api, application_payload):
    del application_payload["intake"]["remarks"]
    del application_payload["intake"]["personal_data_source"]
    for field in ("gender", "nationalities", "phone", "previous_identities", "address"):
        del application_payload["applicant"][field]
    for field in ("representative", "address", "phone"):
        del application_payload["organisation"][field]
    del application_payload["circumstances"], application_payload["urgent_reason"]

    response = post(api, application_payload)

    assert response.status_code == 201, response.json()
    intake = MunicipalIntake.objects.get(application__reference=response.json()["reference"])
    assert intake.personal_data_source == "municipal_system"
    assert intake.mayor_advice == "O"
    assert not any(getattr(intake, flag) for flag in FLAGS)


# --- Validation: every error names its field path ------------------------------------------------


def _too_long(*path_and_length):
    *path, length = path_and_length

    def change(payload):
        target = payload
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = "1" * length

    return change


def _remarks(flag, **values):
    return lambda p: p["intake"]["remarks"][flag].update(values)


LIMITS = [
    ("applicant", "phone", 16),
    ("applicant", "address", "street", 36),
    ("applicant", "address", "house_number", 11),
    ("applicant", "address", "house_number_suffix", 11),
    ("applicant", "address", "postcode", 11),
    ("applicant", "address", "city", 41),
    ("applicant", "address", "country", 41),
    ("organisation", "representative", 81),
    ("organisation", "phone", 16),
    ("organisation", "address", "street", 36),
    ("organisation", "address", "house_number", 11),
    ("organisation", "address", "postcode", 11),
    ("organisation", "address", "city", 41),
    ("organisation", "address", "country", 41),
    ("circumstances", 2001),
    ("intake", "remarks", "remark", 2001),
    *[("intake", "remarks", flag, "explanation", 2001) for flag in FLAGS],
]


@pytest.mark.parametrize("limit", LIMITS, ids=lambda limit: ".".join(map(str, limit)))
def test_each_limited_field_refuses_one_character_too_many(api, application_payload, limit):
    *path, length = limit
    if path[-1] == "explanation":  # an explanation belongs to a flag marked yes
        application_payload["intake"]["remarks"][path[2]]["value"] = True
    _too_long(*limit)(application_payload)

    messages = error_at(post(api, application_payload, HTTP_ACCEPT_LANGUAGE="en"), tuple(path))

    assert str(length - 1) in messages[0]
    assert Application.objects.count() == 0


def test_a_field_at_its_limit_is_accepted(api, application_payload):
    application_payload["applicant"]["address"]["street"] = "s" * 35
    application_payload["organisation"]["representative"] = "r" * 80
    application_payload["organisation"]["phone"] = "0" * 15
    application_payload["circumstances"] = "c" * 2000
    application_payload["intake"]["remarks"]["remark"] = "r" * 2000
    assert post(api, application_payload).status_code == 201


@pytest.mark.parametrize("flag", FLAGS)
def test_a_remark_marked_yes_needs_its_explanation(api, application_payload, flag):
    application_payload["intake"]["remarks"][flag] = {"value": True, "explanation": "  "}

    messages = error_at(
        post(api, application_payload, HTTP_ACCEPT_LANGUAGE="en"), ("intake", "remarks", flag, "explanation")
    )

    assert "Explain this remark" in messages[0]
    assert Application.objects.count() == 0


@pytest.mark.parametrize("flag", FLAGS)
def test_a_remark_marked_yes_without_an_explanation_field_is_refused(api, application_payload, flag):
    application_payload["intake"]["remarks"][flag] = {"value": True}
    error_at(post(api, application_payload), ("intake", "remarks", flag, "explanation"))


def test_an_explanation_with_a_remark_marked_no_is_refused_not_dropped(api, application_payload):
    application_payload["intake"]["remarks"]["special_findings"] = {"value": False, "explanation": "Iets gezien."}
    error_at(post(api, application_payload), ("intake", "remarks", "special_findings", "explanation"))
    assert Application.objects.count() == 0


def _set(*path, value):
    def change(payload):
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(*path):
    def change(payload):
        target = payload
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


INVALID = {
    "missing intake block": (_drop("intake"), ("intake",)),
    "intake not an object": (_set("intake", value="01"), ("intake", "non_field_errors")),
    "missing location code": (_drop("intake", "location_code"), ("intake", "location_code")),
    "unknown desk": (_set("intake", "location_code", value="09"), ("intake", "location_code")),
    "location code of 1 digit": (_set("intake", "location_code", value="1"), ("intake", "location_code")),
    "location code with letters": (_set("intake", "location_code", value="0A"), ("intake", "location_code")),
    "missing identity document": (_drop("intake", "identity_document"), ("intake", "identity_document")),
    "bad document kind": (
        _set("intake", "identity_document", "kind", value="library_card"),
        ("intake", "identity_document", "kind"),
    ),
    "document number end of 3": (
        _set("intake", "identity_document", "number_end", value="X7B"),
        ("intake", "identity_document", "number_end"),
    ),
    "document number end of 5": (
        _set("intake", "identity_document", "number_end", value="4X7B9"),
        ("intake", "identity_document", "number_end"),
    ),
    "document number end with a sign": (
        _set("intake", "identity_document", "number_end", value="4X-B"),
        ("intake", "identity_document", "number_end"),
    ),
    "missing payment": (_drop("intake", "payment"), ("intake", "payment")),
    "payment method invalid": (_set("intake", "payment", "method", value="ideal"), ("intake", "payment", "method")),
    "personal data source not for the api": (
        _set("intake", "personal_data_source", value="brp"),
        ("intake", "personal_data_source"),
    ),
    "mayor advice invalid": (
        _set("intake", "remarks", "mayor_advice", value="J"),
        ("intake", "remarks", "mayor_advice"),
    ),
    "remark flag not a boolean": (
        _set("intake", "remarks", "persisted", "value", value="perhaps"),
        ("intake", "remarks", "persisted", "value"),
    ),
    "urgent reason invalid": (_set("urgent_reason", value="holiday"), ("urgent_reason",)),
    "urgent reason of a VOG RP": (_set("urgent_reason", value="activities_abroad"), ("urgent_reason",)),
    "gender invalid": (_set("applicant", "gender", value="X"), ("applicant", "gender")),
    "phone with letters": (_set("applicant", "phone", value="06-CALLME"), ("applicant", "phone")),
    "organisation phone with letters": (_set("organisation", "phone", value="bel ons"), ("organisation", "phone")),
    "nationalities not a list": (
        _set("applicant", "nationalities", value="Nederlandse"),
        ("applicant", "nationalities"),
    ),
    "nationality too long": (_set("applicant", "nationalities", value=["n" * 61]), ("applicant", "nationalities", "0")),
    "too many nationalities": (
        _set("applicant", "nationalities", value=[f"Nationaliteit {i}" for i in range(11)]),
        ("applicant", "nationalities"),
    ),
    "too many previous identities": (
        _set(
            "applicant",
            "previous_identities",
            value=[{"given_names": "Jan", "surname": f"Naam{i}", "birth_date": "1990-05-17"} for i in range(11)],
        ),
        ("applicant", "previous_identities"),
    ),
    "bad BSN in a previous identity": (
        _set(
            "applicant",
            "previous_identities",
            value=[
                {"given_names": "Jan", "surname": "Pietersen", "birth_date": "1990-05-17"},
                {"given_names": "Jan", "surname": "Jansen", "birth_date": "1990-05-17", "bsn": "123456789"},
            ],
        ),
        ("applicant", "previous_identities", "1", "bsn"),
    ),
    "previous identity without a surname": (
        _set("applicant", "previous_identities", value=[{"given_names": "Jan", "birth_date": "1990-05-17"}]),
        ("applicant", "previous_identities", "0", "surname"),
    ),
    "previous identity born in the future": (
        _set(
            "applicant",
            "previous_identities",
            value=[{"given_names": "Jan", "surname": "Pietersen", "birth_date": "2999-01-01"}],
        ),
        ("applicant", "previous_identities", "0", "birth_date"),
    ),
}


@pytest.mark.parametrize(("change", "path"), INVALID.values(), ids=INVALID.keys())
def test_invalid_counter_data_is_refused_naming_the_field(api, application_payload, change, path):
    change(application_payload)
    error_at(post(api, application_payload), path)
    assert Application.objects.count() == 0
    assert MunicipalIntake.objects.count() == 0


def test_a_desk_of_another_municipality_is_refused(api, other_desk, application_payload):
    application_payload["intake"]["location_code"] = other_desk.code  # Rotterdam's 02, not an Amsterdam desk

    messages = error_at(post(api, application_payload, HTTP_ACCEPT_LANGUAGE="en"), ("intake", "location_code"))

    assert "0363" in messages[0]
    assert "02" in messages[0]
    assert Application.objects.count() == 0


def test_errors_are_in_the_language_of_the_request(api, application_payload):
    application_payload["applicant"]["address"]["street"] = "s" * 36
    del application_payload["intake"]["payment"]
    english = post(api, application_payload, HTTP_ACCEPT_LANGUAGE="en").json()
    dutch = post(api, application_payload, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert english["applicant"]["address"]["street"] == ["Ensure this field has no more than 35 characters."]
    assert dutch["applicant"]["address"]["street"] == ["Zorg ervoor dat dit veld niet meer dan 35 karakters bevat."]
    assert english["intake"]["payment"] == ["This field is required."]
    assert dutch["intake"]["payment"] == ["Dit veld is vereist."]


# --- Idempotency ---------------------------------------------------------------------------------


def test_the_same_json_in_another_key_order_is_the_same_request(api, application_payload):
    first = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="order-1")

    def reversed_keys(value):
        if isinstance(value, dict):
            return {key: reversed_keys(value[key]) for key in reversed(list(value))}
        if isinstance(value, list):
            return [reversed_keys(item) for item in value]
        return value

    body = json.dumps(reversed_keys(application_payload), indent=4)
    assert body != json.dumps(application_payload)
    second = api.generic("POST", URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="order-1")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["reference"] == first.json()["reference"]
    assert second.json()["municipal_number"] == first.json()["municipal_number"]
    assert MunicipalIntake.objects.count() == 1


def test_the_same_key_with_other_counter_data_is_a_conflict(api, application_payload):
    post(api, application_payload, HTTP_IDEMPOTENCY_KEY="remarks-1")
    application_payload["intake"]["payment"]["method"] = "cash"
    response = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="remarks-1")
    assert response.status_code == 409
    assert Application.objects.get().reference in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_make_one_application(api, application_payload):
    token = api._credentials["HTTP_AUTHORIZATION"]
    barrier = threading.Barrier(2)
    responses = []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=token)
        try:
            barrier.wait(timeout=10)
            responses.append(post(client, application_payload, HTTP_IDEMPOTENCY_KEY="double-click"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [200, 201], [r.content for r in responses]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert Application.objects.count() == 1
    assert Applicant.objects.count() == 1
    assert MunicipalIntake.objects.count() == 1
    assert Organisation.objects.count() == 1


# --- The municipal number look-up ----------------------------------------------------------------


def test_the_municipality_can_ask_whether_justis_knows_its_number(api, other_api, application_payload):
    forwarded = post(api, application_payload).json()
    number = forwarded["municipal_number"]

    known = api.get(BY_NUMBER.format(number))
    assert known.status_code == 200
    assert known.json()["reference"] == forwarded["reference"]
    assert known.json()["status"] == "received"

    assert other_api.get(BY_NUMBER.format(number)).status_code == 404  # another municipality's application
    unknown = number[:-4] + "9999"
    assert api.get(BY_NUMBER.format(unknown)).status_code == 404
    assert api.get(BY_NUMBER.format("not-a-number")).status_code == 404


def test_another_municipality_sees_nothing_of_an_application(api, other_api, application_payload):
    forwarded = post(api, application_payload).json()
    assert other_api.get(f"{URL}{forwarded['reference']}/").status_code == 404
    assert other_api.get(BY_NUMBER.format(forwarded["municipal_number"])).status_code == 404
    assert api.get(f"{URL}{forwarded['reference']}/").status_code == 200


# --- Rate limits per token -----------------------------------------------------------------------


@pytest.fixture
def two_per_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"municipal_api": "2/min"}}
    cache.clear()
    yield
    cache.clear()


def test_a_token_over_its_rate_gets_429_with_retry_after(two_per_minute, api, other_api, application_payload):
    assert api_settings.DEFAULT_THROTTLE_RATES["municipal_api"] == "2/min"
    assert post(api, application_payload).status_code == 201
    assert api.get(f"{URL}NP-000000-XXXXXX/").status_code == 404

    throttled = post(api, application_payload, HTTP_ACCEPT_LANGUAGE="en")

    assert throttled.status_code == 429
    retry_after = int(throttled["Retry-After"])
    assert 1 <= retry_after <= 60
    detail = throttled.json()["detail"]
    assert detail == f"Too many requests with this token. Try again in {retry_after} seconds."
    assert Application.objects.count() == 1  # nothing saved
    assert api.get(f"{URL}NP-000000-XXXXXX/").status_code == 429  # every endpoint counts
    # The limit is per token, not per address: Rotterdam's system (same address here) still gets in.
    assert other_api.get(f"{URL}NP-000000-XXXXXX/").status_code == 404


def test_the_rate_window_moves_on(two_per_minute, api):
    from applications.api.throttling import MunicipalTokenThrottle

    times = iter([1000.0, 1001.0, 1002.0, 1061.5])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MunicipalTokenThrottle, "timer", lambda self: next(times))
        assert api.get(f"{URL}X/").status_code == 404
        assert api.get(f"{URL}X/").status_code == 404
        third = api.get(f"{URL}X/")
        assert third.status_code == 429
        assert third["Retry-After"] == "58"  # the first request leaves the window at 1060
        assert api.get(f"{URL}X/").status_code == 404


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
)
def test_the_rate_limit_lets_requests_through_when_redis_is_down(api, application_payload):
    with pytest.raises(RedisConnectionError):  # the cache really is unreachable
        cache.get("anything")
    assert post(api, application_payload).status_code == 201


def test_a_malformed_rate_setting_stops_the_start():
    result = manage("check", env={"MUNICIPAL_API_RATE": "lots"})
    assert result.returncode != 0
    assert "MUNICIPAL_API_RATE" in result.stderr


# --- The schema ------------------------------------------------------------------------------------


def test_the_schema_documents_the_counter_fields_and_the_rate_limit(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]

    application_input = components["ApplicationInputRequest"]
    assert "intake" in application_input["required"]
    assert {"circumstances", "urgent_reason", "intake"} <= set(application_input["properties"])
    intake = components["IntakeInputRequest"]["properties"]
    assert {"location_code", "personal_data_source", "identity_document", "payment", "remarks"} <= set(intake)
    number_end = components["IdentityDocumentInputRequest"]["properties"]["number_end"]
    assert number_end["pattern"] == "^[A-Za-z0-9]{4}$"
    remarks = components["RemarksInputRequest"]["properties"]
    assert set(FLAGS) | {"mayor_advice", "remark"} <= set(remarks)
    assert set(components["RemarkFlagInputRequest"]["properties"]) == {"value", "explanation"}
    applicant = components["ApplicantInputRequest"]["properties"]
    assert {"gender", "nationalities", "phone", "previous_identities"} <= set(applicant)
    assert applicant["previous_identities"]["maxItems"] == 10
    organisation = components["OrganisationInputRequest"]["properties"]
    assert {"representative", "address", "phone"} <= set(organisation)
    assert organisation["representative"]["maxLength"] == 80

    output = components["ApplicationOutput"]["properties"]
    assert {"municipal_number", "location_code", "fee", "identity_verification"} <= set(output)
    assert set(components["FeeOutput"]["properties"]) == {"amount_cents", "currency"}

    paths = schema["paths"]
    assert "/api/v1/applications/by-municipal-number/{municipal_number}/" in paths
    for path, method in [
        ("/api/v1/applications/", "post"),
        ("/api/v1/applications/{reference}/", "get"),
        ("/api/v1/applications/by-municipal-number/{municipal_number}/", "get"),
    ]:
        responses = paths[path][method]["responses"]
        assert "429" in responses, path
        assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer", path
        assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApplicationOutput")


def test_the_documented_example_is_the_valid_application(client):
    from applications.api.views import EXAMPLE

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    examples = schema["paths"]["/api/v1/applications/"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    assert [example["value"] for example in examples.values()] == [EXAMPLE]


# --- The README's example ----------------------------------------------------------------------------


def test_the_readme_example_works_with_the_demo_data(reference_data):
    from django.core.management import call_command

    from screening.demo import DEMO_API_TOKEN

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    body = re.search(r"-d '(\{.*?\})'", readme, re.DOTALL).group(1)
    call_command("seed_demo")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {DEMO_API_TOKEN}")

    response = client.generic("POST", URL, body, content_type="application/json")

    assert response.status_code == 201, response.content
    assert response.json()["municipal_number"].startswith("0363-01-")
