from django.utils import translation

import pytest

from applications.lifecycle import Status
from applications.models import Applicant, Application
from applications.stages import CounterStage
from screening.models import FunctionAspect

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"


def post(client, payload, **headers):
    return client.post(URL, payload, format="json", **headers)


def test_forwarded_application_is_received_at_once(api, application_payload):
    response = post(api, application_payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received"
    assert body["type"] == "VOG_NP"
    assert body["decision_due_date"]
    application = Application.objects.get(reference=body["reference"])
    assert application.municipality.code == "0363"
    assert application.functieaspecten == ["84", "86"]
    assert application.applicant.bsn == "999990019"
    assert response["Location"] == f"{URL}{body['reference']}/"


def test_a_specific_profile_instead_of_aspects(api, application_payload):
    application_payload["purpose"] = {"position": "Verpleegkundige", "screening_profile": "45"}
    response = post(api, application_payload)
    assert response.status_code == 201, response.json()
    application = Application.objects.get(reference=response.json()["reference"])
    assert (application.screening_profile, application.functieaspecten) == ("45", [])


def test_other_purpose_with_a_description(api, application_payload):
    application_payload["purpose"] = {"description": "Visum voor Canada", "screening_profile": "06"}
    response = post(api, application_payload)
    assert response.status_code == 201, response.json()
    assert Application.objects.get(reference=response.json()["reference"]).purpose_code == "OVG"


@pytest.mark.parametrize(
    ("change", "error_path"),
    [
        (lambda p: p["applicant"].update(bsn="123456789"), ("applicant", "bsn")),
        (lambda p: p["applicant"].update(bsn="12345"), ("applicant", "bsn")),
        (lambda p: p["applicant"].pop("surname"), ("applicant", "surname")),
        (lambda p: p["applicant"].update(birth_date="2999-01-01"), ("applicant", "birth_date")),
        (lambda p: p["applicant"].update(birth_date="17-05-1990"), ("applicant", "birth_date")),
        (lambda p: p["applicant"].update(email="not-an-address"), ("applicant", "email")),
        (lambda p: p["applicant"].update(birth_place="x" * 41), ("applicant", "birth_place")),
        (lambda p: p["applicant"].update(given_names="Jan\x00"), ("applicant", "given_names")),
        (lambda p: p["organisation"].update(kvk_number="1234"), ("organisation", "kvk_number")),
        (lambda p: p["organisation"].update(name="x" * 81), ("organisation", "name")),
        (lambda p: p["purpose"].update(functieaspecten=["84", "99"]), ("purpose", "functieaspecten")),
        (lambda p: p["purpose"].update(functieaspecten=["14"]), ("purpose", "functieaspecten")),
        (lambda p: p["purpose"].update(functieaspecten=["84", "84"]), ("purpose", "functieaspecten")),
        (lambda p: p["purpose"].update(functieaspecten=[], screening_profile="74"), ("purpose", "screening_profile")),
        (lambda p: p["purpose"].update(screening_profile="45"), ("purpose", "non_field_errors")),
        (lambda p: p["purpose"].update(functieaspecten=[]), ("purpose", "non_field_errors")),
        (lambda p: p["purpose"].update(position=""), ("purpose", "position")),
        (lambda p: p["purpose"].update(code="VIS"), ("purpose", "code")),
        (lambda p: p.update(type="GVA"), ("type",)),
        (lambda p: p.update(type="VOG_XX"), ("type",)),
        (lambda p: p.pop("organisation"), ("organisation",)),
    ],
)
def test_invalid_input_is_refused_naming_the_field_and_nothing_is_stored(api, application_payload, change, error_path):
    change(application_payload)
    response = post(api, application_payload)
    assert response.status_code == 400, response.content
    errors = response.json()
    for key in error_path:
        assert key in errors, errors
        errors = errors[key]
    assert errors  # a message (or per-item messages) that says why
    assert Application.objects.count() == 0


def test_a_bad_bsn_gets_a_clear_message_in_dutch_or_english(api, application_payload):
    application_payload["applicant"]["bsn"] = "123456789"
    english = post(api, application_payload, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "11-test" in english["applicant"]["bsn"][0]
    dutch = post(api, application_payload, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert "11-proef" in dutch["applicant"]["bsn"][0]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ('"a string"', "application/json"),
        ('{"type": null, "applicant": 5, "organisation": [], "purpose": "x"}', "application/json"),
        ('{"purpose": {"functieaspecten": "84"}}', "application/json"),
        ('{"purpose": {"functieaspecten": [84, {"a": 1}]}}', "application/json"),
    ],
)
def test_malformed_bodies_get_400_never_500(api, body, content_type):
    response = api.generic("POST", URL, body, content_type=content_type)
    assert response.status_code == 400, response.content
    assert Application.objects.count() == 0


def test_a_form_encoded_body_is_refused_as_unsupported(api):
    response = api.post(URL, {"type": "VOG_NP"})
    assert response.status_code == 415


def test_the_same_idempotency_key_returns_the_same_application(api, application_payload):
    first = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="counter-42")
    second = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="counter-42")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Application.objects.count() == 1
    assert Applicant.objects.count() == 1


def test_a_reused_idempotency_key_with_other_data_is_a_conflict(api, application_payload):
    post(api, application_payload, HTTP_IDEMPOTENCY_KEY="counter-43")
    application_payload["applicant"]["given_names"] = "Piet"
    response = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="counter-43")
    assert response.status_code == 409
    assert Application.objects.count() == 1


def test_idempotency_keys_are_per_municipality(api, other_api, application_payload):
    a = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="same-key")
    application_payload["intake"]["location_code"] = "02"  # Rotterdam's desk
    b = post(other_api, application_payload, HTTP_IDEMPOTENCY_KEY="same-key")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["reference"] != b.json()["reference"]


def test_without_a_key_every_post_is_a_new_application(api, application_payload):
    post(api, application_payload)
    post(api, application_payload)
    assert Application.objects.count() == 2


def test_an_overlong_idempotency_key_is_refused(api, application_payload):
    response = post(api, application_payload, HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()


def test_status_is_visible_to_the_forwarding_municipality_only(api, other_api, application_payload):
    reference = post(api, application_payload).json()["reference"]
    own = api.get(f"{URL}{reference}/")
    assert own.status_code == 200
    assert own.json()["status"] == Status.RECEIVED
    assert own.json()["reference"] == reference
    assert other_api.get(f"{URL}{reference}/").status_code == 404
    assert api.get(f"{URL}NP-000000-XXXXXX/").status_code == 404


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        (Status.IN_ASSESSMENT, "assessing"),
        (Status.IN_REVIEW, "assessing"),
        (Status.INTENT_TO_REFUSE, "assessing"),
        (Status.ON_HOLD, "on_hold"),
        (Status.ISSUED, "decided"),
        (Status.REFUSED, "decided"),
    ],
)
def test_the_municipality_sees_the_stage_never_the_outcome(api, application_payload, status, stage):
    """Review, intention to refuse and refusal would tell the municipality that the person has records."""
    reference = post(api, application_payload).json()["reference"]
    Application.objects.filter(reference=reference).update(status=status)  # as the screening would leave it
    body = api.get(f"{URL}{reference}/").json()
    assert body["status"] == stage
    seen = str(body).lower()
    for word in ("review", "refus", "issued", "intent", "weiger", "afgegeven"):
        assert word not in seen, f"{status} shows up as {word!r} in {body}"
    with translation.override("nl"):
        assert body["status_label"] == str(CounterStage(stage).label)


@pytest.mark.parametrize("header", [None, "Token wrong", "Token", "Basic dXNlcjpwYXNz", "Token a b"])
def test_without_a_valid_token_nothing_is_accepted_or_shown(reference_data, application_payload, header):
    from rest_framework.test import APIClient

    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    assert post(client, application_payload).status_code in {401, 403}
    assert Application.objects.count() == 0


def test_a_revoked_token_is_refused(api, application_payload):
    from django.utils import timezone

    from applications.models import ApiToken

    ApiToken.objects.update(revoked_at=timezone.now())
    assert post(api, application_payload).status_code == 401


def test_the_openapi_schema_describes_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/applications/" in schema["paths"]
    assert "/api/v1/applications/{reference}/" in schema["paths"]
    assert "municipalToken" in schema["components"]["securitySchemes"]
    assert client.get("/api/docs/").status_code == 200


def test_catalogue_codes_are_checked_on_the_day_of_application(api, application_payload):
    # A code that ended yesterday is refused today.
    from django.utils import timezone

    aspect = FunctionAspect.objects.get(code="86", valid_to__isnull=True)
    aspect.valid_to = timezone.localdate() - timezone.timedelta(days=1)
    aspect.save()
    response = post(api, application_payload)
    assert response.status_code == 400
    assert "1" in response.json()["purpose"]["functieaspecten"]


def test_a_body_over_the_size_limit_gets_a_json_400(api):
    body = '{"type": "VOG_NP", "padding": "' + "a" * 3_000_000 + '"}'
    response = api.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "too large" in response.json()["detail"] or "te groot" in response.json()["detail"]
    assert Application.objects.count() == 0


def test_the_api_answers_a_client_that_also_carries_a_session_cookie(api, application_payload):
    """Counter software in a browser that is also logged in with DigiD: the token decides, and the session
    link (django-sessionprofile) is not written with the API's principal, which is no user (it was a 500)."""
    from sessionprofile.models import SessionProfile

    from tests.portal import login_with_digid

    login_with_digid(api, "999990020")
    key = api.session.session_key
    citizen = SessionProfile.objects.get(session_key=key).user
    api.post("/sessie/verlengen/")  # the session changes on this request too
    response = post(api, application_payload)
    assert response.status_code == 201, response.content[:500]
    detail = api.get(response["Location"])
    assert detail.status_code == 200
    assert SessionProfile.objects.get(session_key=key).user == citizen
    api.credentials()  # the session alone is no way into the municipal API
    assert api.get(response["Location"]).status_code in (401, 403)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("circumstances",), 0),
        (("purpose", "functieaspecten"), [84]),
        (("applicant", "surname"), 12),
        (("intake", "remarks", "special_findings", "value"), "yes"),
        (("type",), 1),
    ],
)
def test_a_value_of_another_json_type_than_the_schema_says_is_refused_by_name(api, application_payload, path, value):
    """DRF would turn 0 into "0" or "yes" into True; the schema promises strings and booleans."""
    target = application_payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = post(api, application_payload)
    assert response.status_code == 400, response.json()
    error = response.json()
    for key in path:
        error = error[key]
    assert error
    assert not Application.objects.exists()
