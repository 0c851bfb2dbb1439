from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from rest_framework.test import APIClient

from applications.models import ApiToken, Municipality
from justis.faults import fault_mode, forget_cached_faults
from justis.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_the_token_alone_on_the_last_line(desk, capsys, application_payload):
    call_command("create_api_token", "--municipality", "0363", "--name", "Balie")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert " " not in key
    assert len(key) > 30
    token = ApiToken.objects.get()
    assert token.municipality.code == "0363"
    assert key not in token.key_hash  # only the hash is stored
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post("/api/v1/applications/", application_payload, format="json").status_code == 201


def test_create_api_token_for_a_new_municipality_adds_it(reference_data, capsys):
    call_command("create_api_token", "--municipality", "1234")
    assert Municipality.objects.filter(code="1234").exists()
    assert "was not known" in capsys.readouterr().err


def test_create_api_token_refuses_a_bad_code(reference_data):
    with pytest.raises(CommandError, match="4 (digits|cijfers)"):
        call_command("create_api_token", "--municipality", "363")


def test_fault_switch_set_and_clear_are_seen_and_audited(capsys):
    call_command("fault", "set", "jds", "slow")
    forget_cached_faults()
    assert fault_mode("jds") == "slow"
    call_command("fault", "list")
    assert "jds: slow" in capsys.readouterr().out
    call_command("fault", "clear", "jds")
    forget_cached_faults()
    assert fault_mode("jds") is None
    actions = list(AuditEvent.objects.filter(subject_id="jds").values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditAction.FAULT_SET, AuditAction.FAULT_CLEARED])


def test_fault_refuses_unknown_systems_and_modes():
    with pytest.raises(CommandError):
        call_command("fault", "set", "nosuchsystem", "down")
    with pytest.raises(CommandError):
        call_command("fault", "set", "jds", "exploding")


def test_seed_demo_is_repeatable(reference_data, capsys):
    from screening.demo import DEMO_PERSONS
    from screening.models import SimulatedJusticeRecord

    call_command("seed_demo")
    call_command("seed_demo")
    from justis.management.commands.seed_demo import demo_company_records

    expected = sum(len(p["records"]) for p in DEMO_PERSONS) + len(demo_company_records())
    assert SimulatedJusticeRecord.objects.count() == expected
    assert ApiToken.objects.count() == 1
    assert "demo-0363" in capsys.readouterr().out
