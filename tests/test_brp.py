import hashlib
import json
import re
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings

import pytest

from applications.brp import BrpAddress, BrpPerson, brp_client, brp_person_for, bsn_pseudonym
from applications.brp.http import FIELDS, HttpBrp
from applications.brp.simulator import SimulatedBrp, generated_person
from applications.validators import bsn_is_valid
from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from justis.audit import Actor
from justis.bsn_crypto import digest
from justis.faults import fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from screening.demo import DEMO_NOT_IN_BRP, DEMO_PERSONS
from tests.test_settings import PRODUCTION, manage

DRILL = Actor.system("drill")
GENERATED_BSNS = ["123456782", "111222333", "100000009", "999999990", "555555550"]


@pytest.mark.django_db
class TestSimulator:
    def test_demo_persons_have_their_full_data(self):
        pieter = SimulatedBrp(timeout=1).person("999990032")
        assert pieter == BrpPerson(
            bsn="999990032",
            given_names="Pieter",
            surname_prefix="de",
            surname="Boer",
            birth_date=date(1985, 2, 28),
            birth_place="Groningen",
            birth_country="Nederland",
            gender="M",
            nationalities=("Nederlandse",),
            address=BrpAddress(
                street="Oosterstraat", house_number=19, house_number_suffix="", postcode="9711 NN", city="Groningen"
            ),
        )
        assert pieter.full_name == "Pieter de Boer"

    @pytest.mark.parametrize("demo", DEMO_PERSONS, ids=lambda demo: demo["bsn"])
    def test_every_demo_person_matches_the_demo_table(self, demo):
        person = SimulatedBrp(timeout=1).person(demo["bsn"])
        assert person.full_name == f"{demo['given_names']} {demo['surname']}"
        assert (person.birth_date, person.birth_place) == (demo["birth_date"], demo["birth_place"])
        assert person.address.city
        assert len(person.address.street) <= 35
        assert len(person.address.city) <= 40
        assert re.fullmatch(r"\d{4} [A-Z]{2}", person.address.postcode)

    @pytest.mark.parametrize("bsn", GENERATED_BSNS)
    def test_any_other_valid_bsn_is_a_plausible_person_and_always_the_same(self, bsn):
        assert bsn_is_valid(bsn)
        person = SimulatedBrp(timeout=1).person(bsn)
        assert person == SimulatedBrp(timeout=1).person(bsn) == generated_person(bsn)
        assert person.bsn == bsn
        assert person.given_names
        assert person.surname
        assert person.birth_place
        assert person.surname_prefix in {"", "de", "van", "van der", "van den", "van de", "ter"}
        assert person.gender in {"M", "V"}
        assert person.nationalities == ("Nederlandse",)
        assert person.birth_country == "Nederland"
        today = date.today()
        assert date(today.year - 70, today.month, 1) < person.birth_date < date(today.year - 18, today.month, 28)
        address = person.address
        assert re.fullmatch(r"\d{4} [A-Z]{2}", address.postcode)
        assert address.postcode[5:] not in {"SA", "SD", "SS"}
        assert 1 <= address.house_number <= 250
        assert len(address.street) <= 35
        assert len(address.city) <= 40

    def test_generated_persons_differ_and_keep_their_age_over_the_years(self):
        people = {generated_person(bsn) for bsn in GENERATED_BSNS}
        assert len(people) == len(GENERATED_BSNS)
        now, later = generated_person("123456782"), generated_person("123456782", today=date(2040, 6, 1))
        assert later.birth_date.year - now.birth_date.year == 2040 - date.today().year
        assert later.address == now.address
        assert later.given_names == now.given_names

    @pytest.mark.parametrize("bsn", ["123456789", "12345678", "abcdefghi", "000000000", "", DEMO_NOT_IN_BRP])
    def test_invalid_bsn_and_the_unregistered_demo_bsn_are_not_registered(self, bsn):
        assert SimulatedBrp(timeout=1).person(bsn) is None

    def test_the_unregistered_demo_bsn_passes_the_11_test(self):
        assert bsn_is_valid(DEMO_NOT_IN_BRP)
        assert DEMO_NOT_IN_BRP not in {demo["bsn"] for demo in DEMO_PERSONS}

    @pytest.mark.parametrize(("mode", "error"), [("down", OutsideSystemUnavailable), ("errors", OutsideSystemError)])
    def test_fault_switches_make_it_fail(self, mode, error):
        fault_set(system="brp", mode=mode, actor=DRILL)
        with pytest.raises(error) as raised:
            SimulatedBrp(timeout=1).person("999990019")
        assert raised.value.system == "brp"
        fault_clear(system="brp", actor=DRILL)
        assert SimulatedBrp(timeout=1).person("999990019").surname == "Jansen"

    def test_a_fault_of_another_system_does_not_touch_the_brp(self):
        fault_set(system="jds", mode="down", actor=DRILL)
        assert SimulatedBrp(timeout=1).person("999990019") is not None

    @override_settings(FAULT_SLOW_SECONDS=0.3)
    def test_slow_answers_late_or_times_out(self):
        fault_set(system="brp", mode="slow", actor=DRILL)
        started = time.monotonic()
        assert SimulatedBrp(timeout=1).person("999990019") is not None
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        with pytest.raises(OutsideSystemUnavailable, match="timed out"):
            SimulatedBrp(timeout=0.1).person("999990019")
        assert time.monotonic() - started < 0.3


@pytest.mark.django_db
class TestBrpPersonFor:
    def test_the_read_is_audited_without_the_bsn(self):
        person = brp_person_for("999990019", actor=Actor.system("test"), reason="check applicant data")
        assert person.surname == "Jansen"
        event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_READ)
        assert (event.subject_type, event.subject_id) == ("person", bsn_pseudonym("999990019"))
        assert event.reason == "check applicant data"
        assert event.data == {"source": "brp", "found": True}
        stored = " ".join(str(value) for value in AuditEvent.objects.values_list()[0])
        assert "999990019" not in stored

    def test_the_pseudonym_is_a_short_keyed_digest(self):
        assert bsn_pseudonym("999990019") != hashlib.sha256(b"999990019").hexdigest()[:16]  # keyed
        assert bsn_pseudonym("999990019") == digest("999990019")[:16]
        assert re.fullmatch(r"[0-9a-f]{16}", bsn_pseudonym("999990019"))
        assert bsn_pseudonym("999990019") != bsn_pseudonym("999990020")

    def test_not_registered_is_audited_too(self):
        assert brp_person_for(DEMO_NOT_IN_BRP, actor=Actor.system("test")) is None
        event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_READ)
        assert event.data["found"] is False
        assert event.subject_id == bsn_pseudonym(DEMO_NOT_IN_BRP)

    def test_an_unavailable_register_raises_and_reads_nothing(self):
        fault_set(system="brp", mode="down", actor=DRILL)
        with pytest.raises(OutsideSystemUnavailable):
            brp_person_for("999990019", actor=Actor.system("test"))
        assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).exists()


def test_the_setting_chooses_the_client():
    assert isinstance(brp_client().wrapped, SimulatedBrp)
    with override_settings(BRP_BACKEND="http", BRP_URL="http://127.0.0.1:1/", BRP_API_KEY="k", BRP_TIMEOUT_SECONDS=2):
        client = brp_client()
        assert isinstance(client.wrapped, HttpBrp)
        assert (client.base_url, client.api_key, client.timeout) == ("http://127.0.0.1:1", "k", 2)
    with override_settings(BRP_BACKEND="nonsense"), pytest.raises(ValueError, match="BRP_BACKEND"):
        brp_client()


def test_production_refuses_the_brp_simulator():
    result = manage("check", env={**PRODUCTION, "BRP_BACKEND": "simulator"})
    assert result.returncode != 0
    assert "BRP_BACKEND=simulator is not allowed" in result.stderr


def test_production_allows_the_brp_simulator_with_the_escape_hatch():
    result = manage(
        "check", env={**PRODUCTION, "BRP_BACKEND": "simulator", "JDS_BACKEND": "simulator", "ALLOW_SIMULATORS": "true"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- The Haal Centraal client against a local fake server ---------------------------------------

JAN = {
    "burgerservicenummer": "999990019",
    "naam": {"voornamen": "Jan Willem", "voorvoegsel": "van der", "geslachtsnaam": "Berg"},
    "geboorte": {
        "datum": {"type": "Datum", "datum": "1990-05-17", "langFormaat": "17 mei 1990"},
        "plaats": {"code": "0344", "omschrijving": "Utrecht"},
        "land": {"code": "6030", "omschrijving": "Nederland"},
    },
    "geslacht": {"code": "M", "omschrijving": "man"},
    "nationaliteiten": [
        {"type": "Nationaliteit", "nationaliteit": {"code": "0001", "omschrijving": "Nederlandse"}},
        {"type": "Nationaliteit", "nationaliteit": {"code": "0052", "omschrijving": "Belgische"}},
    ],
    "verblijfplaats": {
        "type": "Adres",
        "verblijfadres": {
            "officieleStraatnaam": "Biltstraat",
            "korteStraatnaam": "Biltstr",
            "huisnummer": 112,
            "huisletter": "A",
            "huisnummertoevoeging": "bis",
            "postcode": "3572BJ",
            "woonplaats": "Utrecht",
        },
    },
}


def haal_centraal(*persons) -> tuple[int, bytes]:
    return 200, json.dumps({"type": "RaadpleegMetBurgerservicenummer", "personen": list(persons)}).encode()


class _FakeBrp(BaseHTTPRequestHandler):
    answer: tuple = haal_centraal(JAN)
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.requests.append({"path": self.path, "headers": headers, "body": json.loads(body)})
        status, answer = self.answer
        if status == "hang":
            time.sleep(2)
            status, answer = haal_centraal()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_brp():
    _FakeBrp.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeBrp)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/haalcentraal/api/brp"
    server.shutdown()
    server.server_close()


class TestHttpClient:
    def test_sends_a_haal_centraal_query_with_the_api_key(self, fake_brp):
        _FakeBrp.answer = haal_centraal(JAN)
        HttpBrp(base_url=fake_brp + "/", timeout=1, api_key="secret-key").person("999990019")
        [request] = _FakeBrp.requests
        assert request["path"] == "/haalcentraal/api/brp/personen"
        assert request["body"] == {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": ["999990019"],
            "fields": FIELDS,
        }
        assert request["headers"]["x-api-key"] == "secret-key"
        assert request["headers"]["content-type"] == "application/json"

    def test_no_api_key_header_when_none_is_configured(self, fake_brp):
        _FakeBrp.answer = haal_centraal(JAN)
        HttpBrp(base_url=fake_brp, timeout=1).person("999990019")
        assert "x-api-key" not in _FakeBrp.requests[0]["headers"]

    def test_maps_the_answer(self, fake_brp):
        _FakeBrp.answer = haal_centraal(JAN)
        assert HttpBrp(base_url=fake_brp, timeout=1).person("999990019") == BrpPerson(
            bsn="999990019",
            given_names="Jan Willem",
            surname_prefix="van der",
            surname="Berg",
            birth_date=date(1990, 5, 17),
            birth_place="Utrecht",
            birth_country="Nederland",
            gender="M",
            nationalities=("Nederlandse", "Belgische"),
            address=BrpAddress(
                street="Biltstraat", house_number=112, house_number_suffix="A-bis", postcode="3572 BJ", city="Utrecht"
            ),
        )

    def test_maps_a_sparse_answer_a_partial_birth_date_and_an_address_abroad(self, fake_brp):
        _FakeBrp.answer = haal_centraal(
            {
                "naam": {"geslachtsnaam": "Nguyen"},
                "geboorte": {"datum": {"type": "JaarDatum", "jaar": 1980}, "plaats": {"omschrijving": "Hanoi"}},
                "nationaliteiten": [{"type": "Staatloos"}],
                "verblijfplaats": {
                    "type": "VerblijfplaatsBuitenland",
                    "verblijfadres": {
                        "regel1": "Rue de la Loi 16",
                        "regel2": "1000 Bruxelles",
                        "land": {"code": "5010", "omschrijving": "België"},
                    },
                },
            }
        )
        person = HttpBrp(base_url=fake_brp, timeout=1).person("999990019")
        assert (person.surname, person.given_names, person.surname_prefix) == ("Nguyen", "", "")
        assert (person.birth_date, person.birth_place, person.gender) == (None, "Hanoi", "")
        assert person.nationalities == ("Staatloos",)
        assert person.address == BrpAddress(
            street="Rue de la Loi 16",
            house_number=None,
            house_number_suffix="",
            postcode="",
            city="1000 Bruxelles",
            country="België",
        )

    def test_unknown_residence_has_no_address(self, fake_brp):
        _FakeBrp.answer = haal_centraal({**JAN, "verblijfplaats": {"type": "VerblijfplaatsOnbekend"}})
        assert HttpBrp(base_url=fake_brp, timeout=1).person("999990019").address is None

    def test_an_empty_list_or_404_is_not_registered(self, fake_brp):
        _FakeBrp.answer = haal_centraal()
        assert HttpBrp(base_url=fake_brp, timeout=1).person("999990019") is None
        _FakeBrp.answer = (404, b"")
        assert HttpBrp(base_url=fake_brp, timeout=1).person("999990019") is None

    def test_an_invalid_bsn_is_not_asked_for(self, fake_brp):
        assert HttpBrp(base_url=fake_brp, timeout=1).person("123456789") is None
        assert _FakeBrp.requests == []

    @pytest.mark.parametrize(
        "answer",
        [
            (500, b"boom"),
            (503, b""),
            (400, b'{"title": "bad request"}'),
            (401, b""),
            (403, b""),
            (200, b"not json"),
            (200, b'{"no": "personen"}'),
            (200, b'{"personen": "nobody"}'),
            (200, b'{"personen": [{"naam": {}}]}'),
            (
                200,
                b'{"personen": [{"naam": {"geslachtsnaam": "Berg"}, "geboorte": {"datum": {"datum": "17-5-1990"}}}]}',
            ),
            haal_centraal({**JAN, "burgerservicenummer": "999990020"}),
        ],
    )
    def test_errors_and_garbage_are_errors_of_the_system(self, fake_brp, answer):
        _FakeBrp.answer = answer
        with pytest.raises(OutsideSystemError) as raised:
            HttpBrp(base_url=fake_brp, timeout=1).person("999990019")
        assert raised.value.system == "brp"

    def test_a_hanging_server_times_out(self, fake_brp):
        _FakeBrp.answer = ("hang", b"")
        with pytest.raises(OutsideSystemUnavailable) as raised:
            HttpBrp(base_url=fake_brp, timeout=0.2).person("999990019")
        assert not isinstance(raised.value, OutsideSystemError)
        assert raised.value.system == "brp"

    def test_nobody_listening_is_unavailable(self):
        with pytest.raises(OutsideSystemUnavailable) as raised:
            HttpBrp(base_url="http://127.0.0.1:1", timeout=0.5).person("999990019")
        assert not isinstance(raised.value, OutsideSystemError)

    def test_only_http_addresses(self):
        with pytest.raises(ValueError, match="BRP_URL"):
            HttpBrp(base_url="file:///etc/passwd", timeout=1)

    def test_https_loads_the_client_certificate(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            HttpBrp(base_url="https://brp.example", timeout=1, client_cert=str(tmp_path / "missing.pem"))
        assert HttpBrp(base_url="https://brp.example", timeout=1).context is not None
