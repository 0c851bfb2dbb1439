import hashlib
import re
import time
from datetime import date

from django.test import override_settings

import pytest

from applications.brp import BrpAddress, BrpPerson, brp_client, brp_person_for, bsn_pseudonym
from applications.brp.simulator import SimulatedBrp, generated_person
from applications.validators import bsn_is_valid
from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from justis.audit import Actor
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

    def test_the_pseudonym_is_a_short_sha256_prefix(self):
        assert bsn_pseudonym("999990019") == hashlib.sha256(b"999990019").hexdigest()[:16]
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


def test_the_setting_chooses_the_simulator():
    assert isinstance(brp_client(), SimulatedBrp)
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
