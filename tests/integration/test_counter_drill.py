"""Drill: the population register and the justice records system are down while 100 counter
applications are taken. Nothing is lost: every one is forwarded at once, checked against the register
once it is back, and assessed exactly once once JDS is back, by a real worker and beat.
"""

import copy
import time

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext

import pytest

from applications.api.views import EXAMPLE as API_EXAMPLE
from applications.brp.simulator import generated_person
from applications.lifecycle import Status
from applications.models import Application, IdentityVerification
from applications.validators import bsn_is_valid
from justis.audit import Actor
from justis.faults import Mode, System, fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from screening.models import Assessment
from tests.conftest import wait_for
from tests.test_counter_intake import form_data as counter_form

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

COUNT = 100
DRILL = Actor.system("drill")
FAST = {
    "SWEEP_INTERVAL_SECONDS": "1",
    "JDS_RETRY_BASE_SECONDS": "1",
    "JDS_RETRY_MAX_SECONDS": "2",
    "ASSESSMENT_STALE_AFTER_SECONDS": "2",
}


def valid_bsns(count: int, start: int = 100_000_000) -> list[str]:
    found, number = [], start
    while len(found) < count:
        candidate = f"{number:09d}"
        if bsn_is_valid(candidate):
            found.append(candidate)
        number += 1
    return found


def counts(field: str) -> dict[str, int]:
    return dict(Application.objects.values_list(field).annotate(n=Count("pk")))


def forward_by_api(api, person, index: int) -> Application:
    """A municipal system forwards what its clerk typed: the register could not be read."""
    payload = copy.deepcopy(API_EXAMPLE)
    payload["applicant"].update(
        bsn=person.bsn,
        given_names=person.given_names,
        surname_prefix=person.surname_prefix,
        surname=person.surname,
        birth_date=person.birth_date.isoformat(),
        birth_place=person.birth_place,
        previous_identities=[],
    )
    payload["intake"]["personal_data_source"] = "manual"
    response = api.post("/api/v1/applications/", payload, format="json", HTTP_IDEMPOTENCY_KEY=f"drill-api-{index}")
    assert response.status_code == 201, response.content
    assert response.json()["identity_verification"] == IdentityVerification.PENDING
    return Application.objects.get(reference=response.json()["reference"])


def forward_at_the_counter(clerk_client, person) -> Application:
    """A clerk tries the register (down: the screen says so), types the data and forwards."""
    typed = {
        "bsn": person.bsn,
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "birth_date": person.birth_date.strftime("%d-%m-%Y"),
        "birth_place": person.birth_place,
    }
    tried = clerk_client.post("/balie/", counter_form(**typed, action="brp"))
    assert tried.status_code == 200
    with translation.override("nl"):
        notice = gettext(
            "The BRP cannot be reached. Copy the data from the identity document; "
            "the application will be checked automatically later."
        )
    assert notice in tried.content.decode()
    key = tried.context["form"]["idempotency_key"].value()
    response = clerk_client.post("/balie/", counter_form(**typed, idempotency_key=key))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Application.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_register_and_jds_down_while_100_applications_are_taken(start_worker, desk, api, clerk_client):
    people = [generated_person(bsn) for bsn in valid_bsns(COUNT)]  # what the identity documents say
    fault_set(system=System.BRP, mode=Mode.DOWN, actor=DRILL)
    fault_set(system=System.JDS, mode=Mode.DOWN, actor=DRILL)
    start_worker("urgent,assessment,default", env=FAST)
    start_worker(name="beat", env=FAST, beat=True)
    time.sleep(1.0)  # every process sees the switches within a second

    # The clerks type the data from the identity documents: the register cannot be read. Half at our
    # counter screen, half through a municipal system and the API.
    half = COUNT // 2
    applications = [forward_at_the_counter(clerk_client, person) for person in people[:half]]
    applications += [forward_by_api(api, person, i) for i, person in enumerate(people[half:])]
    assert len({a.intake.municipal_number for a in applications}) == COUNT
    assert counts("identity_verification") == {IdentityVerification.PENDING: COUNT}

    # Each one is tried and waits for the register; none fails, none is decided.
    wait_for(
        lambda: (
            AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_UNAVAILABLE)
            .values("subject_id")
            .distinct()
            .count()
            == COUNT
        ),
        timeout=60,
        message="every application to try the register",
    )
    assert set(counts("status")) <= {Status.RECEIVED, Status.IN_ASSESSMENT}

    # The register is back: all are checked against it; JDS is still down, so they wait for it.
    fault_clear(system=System.BRP, actor=DRILL)
    wait_for(
        lambda: counts("identity_verification") == {IdentityVerification.VERIFIED: COUNT},
        timeout=90,
        message="every application checked against the register",
    )
    assert not Assessment.objects.exists()
    assert set(counts("status")) <= {Status.RECEIVED, Status.IN_ASSESSMENT}

    # JDS is back: every application is assessed, and issued, exactly once.
    fault_clear(system=System.JDS, actor=DRILL)
    wait_for(lambda: counts("status") == {Status.ISSUED: COUNT}, timeout=120, message="all 100 issued")
    assert Assessment.objects.count() == COUNT
    assert Application.objects.count() == COUNT
    checks = AuditEvent.objects.filter(action=AuditAction.IDENTITY_CHECKED)
    assert checks.count() == COUNT
    assert {event.data["outcome"] for event in checks} == {"verified"}
    issued_twice = (
        Application.objects.filter(status_changes__to_status=Status.ISSUED)
        .annotate(n=Count("status_changes"))
        .filter(n__gt=1)
    )
    assert not issued_twice.exists()
    reads = AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ)
    assert reads.count() == COUNT
