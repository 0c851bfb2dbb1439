"""Checking a certificate by its verification code: the public page, the API, the QR code on the PDF,
the limit against guessing and the record of every check that the applicant sees in MijnJustis."""

import math
import re
import uuid
import zlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

import pytest
import segno
import time_machine
from rest_framework.test import APIClient

from applications.lifecycle import Status, application_transition
from screening.models import Certificate, CertificateCheck, CheckChannel
from screening.pdf import certificate_html, certificate_pdf, verification_qr
from screening.services import _CODE_ALPHABET, certificate_create, verification_code_new
from screening.verification import CODE_LENGTH, code_normalised, failed_checks_since, verification_url
from tests.factories import TEST_ACTOR, application_in
from tests.portal import login_with_digid
from tests.test_rp_gva import assessed, company

WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"


@pytest.fixture(autouse=True)
def check_cache(settings):
    """The rate limit's history in a Redis database of its own key prefix, and a fresh client address per test."""
    location = settings.CACHES["default"]["LOCATION"]
    base, _slash, number = location.rpartition("/")
    if not number.isdigit() or not 0 <= int(number) <= 15:
        location = f"{base}/15"
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": location, "KEY_PREFIX": f"verify-{uuid.uuid4().hex}"}
    }
    return caches["default"]


@pytest.fixture
def address():
    """A client address no other test uses, so its history starts empty."""
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250 + 1}"


@pytest.fixture
def vog(reference_data):
    """An issued VOG NP of Jan Jansen (BSN 999990019, born 17 May 1990 in Utrecht) for childcare (84, 86)."""
    application = application_in(Status.ISSUED)
    return certificate_create(application=application)


def page(client, address, code, organisation="", language="en"):
    return client.post(
        "/controleren/",
        {"code": code, "organisation": organisation},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def api(address, code, language="en"):
    return APIClient().get(f"/api/v1/certificates/verify/{code}/", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


# --- The code --------------------------------------------------------------------------------------


def test_the_code_has_at_least_80_bits_of_entropy():
    assert len(set(_CODE_ALPHABET)) == len(_CODE_ALPHABET) == 32
    assert CODE_LENGTH * math.log2(len(set(_CODE_ALPHABET))) >= 80
    code = verification_code_new()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert len({verification_code_new() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABCD-EFGH-JKMN-PQRS", "ABCD-EFGH-JKMN-PQRS"),
        ("abcd-efgh-jkmn-pqrs", "ABCD-EFGH-JKMN-PQRS"),
        ("ABCDEFGHJKMNPQRS", "ABCD-EFGH-JKMN-PQRS"),
        ("  abcd efgh jkmn pqrs ", "ABCD-EFGH-JKMN-PQRS"),
        ("O0I1-L1o0-i1l1-0000", "0011-1100-1111-0000"),
        ("ABCD-EFGH-JKMN-PQR", None),  # one short
        ("ABCD-EFGH-JKMN-PQRST", None),  # one too many
        ("ABCD-EFGH-JKMN-PQRU", None),  # U is not in the alphabet
        ("", None),
    ],
)
def test_what_someone_types_is_read_as_the_printed_code(typed, expected):
    assert code_normalised(typed) == expected


# --- The page --------------------------------------------------------------------------------------


def test_a_good_code_shows_a_genuine_certificate_with_its_type_date_and_basis(client, vog, address):
    response = page(client, address, vog.verification_code)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-result="genuine"' in html
    assert "This is a genuine certificate issued by Justis." in html
    assert "(VOG NP)" in html
    application_date = vog.application.application_date
    assert f"{application_date.day} " in re.search(r'data-field="application_date">([^<]+)<', html).group(1)
    basis = re.search(r'data-field="screening_basis">(.+?)</dd>', html, re.S).group(1)
    assert "<strong>84</strong>" in basis
    assert "<strong>86</strong>" in basis
    printed_en = [item["en"] for item in vog.printed["screening_basis"]["items"]]
    assert all(text in basis for text in printed_en)
    assert 'data-field="valid_until"' not in html


def test_the_basis_is_shown_in_the_wording_of_the_readers_language(client, vog, address):
    english = page(client, address, vog.verification_code, language="en").content.decode()
    dutch = page(client, address, vog.verification_code, language="nl").content.decode()

    for item in vog.printed["screening_basis"]["items"]:
        assert item["en"] in english
        assert item["nl"] not in english
        assert item["nl"] in dutch
        assert item["en"] not in dutch


@pytest.mark.parametrize("variant", [str.lower, lambda c: c.replace("-", ""), lambda c: " ".join(c.split("-"))])
def test_a_code_typed_in_lower_case_without_dashes_or_with_spaces_is_found(client, vog, address, variant):
    response = page(client, address, variant(vog.verification_code))

    assert response.status_code == 200
    assert 'data-result="genuine"' in response.content.decode()


def test_confusable_letters_are_read_as_digits(client, vog, address):
    Certificate.objects.filter(pk=vog.pk).update(verification_code="0011-AAAA-BBBB-CCCC")

    response = page(client, address, "oOiL-aaaa-bbbb-cccc")

    assert 'data-result="genuine"' in response.content.decode()


def test_a_wrong_code_says_no_certificate_has_it_and_what_to_do(client, vog, address):
    response = page(client, address, WRONG)

    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-result="not-found"' in html
    assert "No certificate has this code." in html
    assert "Check that you typed the code exactly as it is printed" in html
    assert "ask the applicant for the certificate as a PDF" in html


def test_an_empty_code_names_the_field(client, address, db):
    response = page(client, address, "")

    assert response.status_code == 200
    assert "Verification code: Fill in the verification code printed on the certificate." in response.content.decode()
    assert CertificateCheck.objects.count() == 0


def test_the_address_in_the_qr_code_shows_the_result_at_once(client, vog, address):
    response = client.get(f"/controleren/{vog.verification_code}/", REMOTE_ADDR=address)

    assert response.status_code == 200
    assert 'data-result="genuine"' in response.content.decode()
    assert client.get(f"/controleren/{WRONG}/", REMOTE_ADDR=address).status_code == 404
    assert client.get("/controleren/", REMOTE_ADDR=address).status_code == 200


def test_nothing_personal_in_the_page_or_the_api(client, vog, address):
    application = vog.application
    personal = [
        "Jansen",
        "999990019",
        "1990",
        "17 mei",
        "Zonnebloem",
        "12345678",
        application.reference,
        "Pedagogisch medewerker",
    ]
    html = page(client, address, vog.verification_code).content.decode()
    body = api(address, vog.verification_code).content.decode()

    for text in personal:
        assert text not in html, text
        assert text not in body, text


# --- The API ---------------------------------------------------------------------------------------


def test_the_api_answers_a_good_code_with_only_type_date_basis_and_validity(vog, address):
    response = api(address, vog.verification_code.lower().replace("-", ""))

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"genuine", "type", "application_date", "screening_basis", "valid_until", "expired"}
    assert data["genuine"] is True
    assert data["type"] == "VOG_NP"
    assert data["application_date"] == vog.application.application_date.isoformat()
    assert data["screening_basis"] == vog.printed["screening_basis"]
    assert data["valid_until"] is None
    assert data["expired"] is False


def test_the_api_answers_a_wrong_code_with_404_not_genuine(vog, address):
    response = api(address, WRONG)

    assert response.status_code == 404
    assert response.json() == {
        "genuine": False,
        "detail": "No certificate has this code. Check the code, or ask the applicant for the certificate (PDF).",
    }


def test_the_api_needs_no_token_and_is_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/certificates/verify/{code}/:" in schema
    assert "certificates_verify" in schema


# --- A GVA and its validity --------------------------------------------------------------------------


def test_a_gva_shows_its_last_valid_day_and_expired_after_it(client, intake_officer, address):
    application = company(intake_officer)
    assert assessed(application)[0] == "issued"
    gva = Certificate.objects.get(application=application)

    with time_machine.travel(
        timezone.make_aware(timezone.datetime.combine(gva.valid_until, timezone.datetime.min.time()))
    ):
        on_last_day = api(address, gva.verification_code).json()
    assert on_last_day["type"] == "GVA"
    assert on_last_day["valid_until"] == gva.valid_until.isoformat()
    assert on_last_day["expired"] is False
    assert on_last_day["screening_basis"] is None

    day_after = gva.valid_until + timedelta(days=1)
    with time_machine.travel(timezone.make_aware(timezone.datetime.combine(day_after, timezone.datetime.min.time()))):
        after = api(address, gva.verification_code).json()
        html = page(client, address, gva.verification_code).content.decode()
    assert after["genuine"] is True
    assert after["expired"] is True
    assert "data-expired" in html
    assert "(expired)" in html
    assert "This GVA has expired" in html
    assert "Transport" not in html  # the company's name is not shown either


# --- Guessing ----------------------------------------------------------------------------------------


def test_a_burst_of_wrong_codes_is_throttled_on_page_and_api_together(client, vog, settings, address):
    settings.VERIFY_RATE = "4/min"
    codes = [verification_code_new() for _ in range(4)]

    answers = [page(client, address, codes[0]), api(address, codes[1]), page(client, address, codes[2])]
    answers.append(api(address, codes[3]))
    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]

    blocked_page = page(client, address, vog.verification_code)
    blocked_api = api(address, vog.verification_code)

    assert blocked_page.status_code == 429
    assert 0 < int(blocked_page["Retry-After"]) <= 60
    assert "Too many checks from your address. Try again in" in blocked_page.content.decode()
    assert 'data-result="genuine"' not in blocked_page.content.decode()
    assert blocked_api.status_code == 429
    assert 0 < int(blocked_api["Retry-After"]) <= 60
    assert blocked_api.json()["detail"].startswith("Too many checks from your address. Try again in")
    assert "genuine" not in blocked_api.json()
    # Not counted as checks: nothing was looked up.
    assert CertificateCheck.objects.count() == 4
    # Another address may still check.
    assert api("192.0.2.77" if address != "192.0.2.77" else "192.0.2.78", vog.verification_code).status_code == 200


def test_a_new_forwarded_for_header_with_every_guess_does_not_escape_the_limit(settings, address, db):
    settings.VERIFY_RATE = "2/min"
    client = APIClient()

    statuses = [
        client.get(
            f"/api/v1/certificates/verify/{WRONG}/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [404, 404, 429]


def test_after_the_window_checks_are_allowed_again(client, vog, settings, address):
    settings.VERIFY_RATE = "2/min"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api(address, WRONG)
        api(address, WRONG)
        assert api(address, vog.verification_code).status_code == 429
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert api(address, vog.verification_code).status_code == 200


# --- Every check recorded, shown to the applicant only -------------------------------------------------


def test_every_check_is_recorded_and_a_failed_one_without_certificate_or_name(client, vog, address):
    before = timezone.now()
    page(client, address, vog.verification_code, organisation="  Kinderopvang De Zon  ")
    api(address, vog.verification_code)
    page(client, address, WRONG, organisation="Iemand")

    checks = list(CertificateCheck.objects.order_by("pk"))
    assert [(c.certificate_id, c.channel, c.organisation_name) for c in checks] == [
        (vog.pk, CheckChannel.PAGE, "Kinderopvang De Zon"),
        (vog.pk, CheckChannel.API, ""),
        (None, CheckChannel.PAGE, ""),
    ]
    assert len({c.client_hash for c in checks}) == 1
    assert address not in checks[0].client_hash
    assert re.fullmatch(r"[0-9a-f]{64}", checks[0].client_hash)
    assert failed_checks_since(before) == 1


def test_the_applicant_sees_who_checked_and_another_citizen_sees_nothing(client, received_for_jan, address):
    application = application_transition(application=received_for_jan, to_status=Status.IN_ASSESSMENT, actor=TEST_ACTOR)
    application = application_transition(application=application, to_status=Status.ISSUED, actor=TEST_ACTOR)
    certificate = certificate_create(application=application)
    Certificate.objects.filter(pk=certificate.pk).update(pdf_rendered_at=timezone.now())
    visitor = client.__class__()
    page(visitor, address, certificate.verification_code, organisation="Kinderopvang De Zon")
    api(address, certificate.verification_code)

    detail = client.get(f"/mijnjustis/{application.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    checks = re.findall(r'<li class="utrecht-unordered-list__item" data-check="(\w+)">([^<]+)</li>', detail)
    assert [(channel, text.split(",")[0]) for channel, text in checks] == [
        ("api", "An organisation"),
        ("page", "Kinderopvang De Zon"),
    ]
    assert "(API)" in checks[0][1]
    assert "(verification page)" in checks[1][1]
    client.logout()
    login_with_digid(client, "999990020")
    other = client.get(f"/mijnjustis/{application.reference}/")
    assert other.status_code == 404
    assert "Kinderopvang De Zon" not in client.get("/mijnjustis/").content.decode()


def test_an_applicant_whose_certificate_was_never_checked_reads_so(client, received_for_jan):
    application = application_transition(application=received_for_jan, to_status=Status.IN_ASSESSMENT, actor=TEST_ACTOR)
    application = application_transition(application=application, to_status=Status.ISSUED, actor=TEST_ACTOR)
    certificate = certificate_create(application=application)
    Certificate.objects.filter(pk=certificate.pk).update(pdf_rendered_at=timezone.now())

    detail = client.get(f"/mijnjustis/{application.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Nobody has checked the code of your certificate yet." in detail


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for what it contains."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


# --- The QR code on the certificate --------------------------------------------------------------------


def test_the_certificate_carries_the_qr_code_of_exactly_its_verification_address(vog):
    url = f"{settings.PUBLIC_BASE_URL}/controleren/{vog.verification_code}/"
    assert verification_url(vog.verification_code) == url
    expected = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    other = segno.make(verification_url(WRONG), error="m").svg_data_uri(scale=4, border=2)

    html = certificate_html(vog)

    assert verification_qr(url) == expected != other
    assert f'src="{expected}"' in html
    assert other not in html
    pdf = certificate_pdf(vog)
    assert pdf.startswith(b"%PDF")
    assert url.encode() in pdf_text(pdf)  # the QR code is also a link to the same address


def test_the_company_certificate_carries_the_qr_code_too(intake_officer):
    application = company(intake_officer)
    assessed(application)
    gva = Certificate.objects.get(application=application)

    html = certificate_html(gva)

    assert f'src="{verification_qr(verification_url(gva.verification_code))}"' in html


@pytest.mark.django_db
def test_the_page_names_the_api_path_as_text():
    content = APIClient().get("/controleren/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "GET /api/v1/certificates/verify/ABCD-EFGH-JKMN-PQRS/." in content
