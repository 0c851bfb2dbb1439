"""Drills: each outside system down, slow (timing out) or answering errors, with real workers and beat.

What must hold every time: intake goes on (or the user is told plainly what is unavailable and keeps
their work), the work waits, the system's circuit breaker opens and stops hammering it (the calls
that reach the simulator while it fails are counted), and everything resumes by itself once the
system is back, decided exactly once.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache

import pytest

from applications.lifecycle import Status
from applications.models import Application
from justis.audit import Actor
from justis.breaker import breaker_state
from justis.faults import Mode, System, fault_clear, fault_set, faulted_calls
from justis.models import AuditAction, AuditEvent
from notifications.models import OutboxMessage, OutboxStatus
from screening.models import Assessment
from tests.conftest import wait_for
from tests.portal import login_with_digid, prepare

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DRILL = Actor.system("drill")
URL = "/api/v1/applications/"
FAST = {
    "SWEEP_INTERVAL_SECONDS": "1",
    "OUTBOX_SWEEP_INTERVAL_SECONDS": "1",
    "JDS_RETRY_BASE_SECONDS": "1",
    "JDS_RETRY_MAX_SECONDS": "1",
    "OUTBOX_RETRY_BASE_SECONDS": "1",
    "OUTBOX_RETRY_MAX_SECONDS": "1",
    "ASSESSMENT_STALE_AFTER_SECONDS": "1",
    "FAULT_SLOW_SECONDS": "5",
    "JDS_TIMEOUT_SECONDS": "0.3",
    "BRP_TIMEOUT_SECONDS": "0.3",
    "EMAIL_TIMEOUT": "1",
}
UNAVAILABLE = {System.JDS: AuditAction.JUSTICE_DATA_UNAVAILABLE, System.BRP: AuditAction.PERSONAL_DATA_UNAVAILABLE}


def forward(api, payload) -> Application:
    response = api.post(URL, payload, format="json")
    assert response.status_code == 201, response.content  # intake goes on whatever is down
    return Application.objects.get(reference=response.json()["reference"])


def statuses(applications) -> set[str]:
    return set(Application.objects.filter(pk__in=[a.pk for a in applications]).values_list("status", flat=True))


def retries(system) -> int:
    return AuditEvent.objects.filter(action=UNAVAILABLE[system]).count()


def assert_breaker_stops_hammering(system: str, progress, *, more: int) -> None:
    """Once open, the breaker lets through only its probes while the work keeps being retried."""
    wait_for(lambda: breaker_state(system)["state"] != "closed", timeout=30, message=f"the {system} breaker to open")
    assert faulted_calls(system) >= settings.BREAKER_FAILURE_THRESHOLD
    calls, done, started = faulted_calls(system), progress(), time.monotonic()
    wait_for(lambda: progress() >= done + more, timeout=30, message=f"{more} more retries while {system} fails")
    elapsed = time.monotonic() - started
    probes = faulted_calls(system) - calls
    # Without the breaker every retry would reach the system; with it at most one probe per cool-down.
    assert probes <= elapsed / settings.BREAKER_COOLDOWN_SECONDS + 2, (probes, elapsed, more)
    assert probes < more


@pytest.mark.parametrize("mode", [Mode.DOWN, Mode.SLOW, Mode.ERRORS])
@pytest.mark.parametrize("system", [System.JDS, System.BRP])
def test_a_failing_register_or_jds_holds_the_work_and_it_resumes_by_itself(
    system, mode, start_worker, api, application_payload
):
    cache.delete(f"faulted_calls:{system}")
    if system == System.BRP:
        application_payload["intake"]["personal_data_source"] = "manual"  # checked against the BRP first
    fault_set(system=system, mode=mode, actor=DRILL)
    start_worker("urgent,assessment,default", env=FAST)
    start_worker(name="beat", env=FAST, beat=True)
    applications = [forward(api, application_payload) for _ in range(4)]

    assert_breaker_stops_hammering(system, lambda: retries(system), more=8)
    assert statuses(applications) <= {Status.RECEIVED, Status.IN_ASSESSMENT}
    assert not Assessment.objects.filter(application__in=applications).exists()

    fault_clear(system=system, actor=DRILL)
    wait_for(lambda: statuses(applications) == {Status.ISSUED}, timeout=40, message="all issued after the outage")
    assert Assessment.objects.filter(application__in=applications).count() == len(applications)
    assert breaker_state(system)["state"] == "closed"


@pytest.mark.parametrize("mode", [Mode.DOWN, Mode.SLOW, Mode.ERRORS])
def test_mail_failing_keeps_the_messages_and_sends_them_once_it_is_back(mode, start_worker, api, application_payload):
    cache.delete("faulted_calls:mail")
    fault_set(system=System.MAIL, mode=mode, actor=DRILL)
    worker = start_worker("urgent,assessment,notifications,default", env=FAST)
    start_worker(name="beat", env=FAST, beat=True)
    applications = [forward(api, application_payload) for _ in range(3)]
    wait_for(lambda: statuses(applications) == {Status.ISSUED}, message="decisions go on without mail")
    messages = OutboxMessage.objects.filter(application__in=applications, channel="email")
    assert messages.exists()

    def retried() -> int:
        """Deliveries that ended in "retry", from the worker's log: the work keeps being tried."""
        return len(
            re.findall(r"deliver_outbox_message\[[^\]]+\] succeeded in [0-9.]+s: 'retry'", worker.log_path.read_text())
        )

    assert_breaker_stops_hammering(System.MAIL, retried, more=6)
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.PENDING}  # none parked, none lost
    assert all(m.attempts < settings.OUTBOX_MAX_ATTEMPTS for m in messages)

    fault_clear(system=System.MAIL, actor=DRILL)
    wait_for(
        lambda: set(messages.values_list("status", flat=True)) == {OutboxStatus.SENT},
        timeout=40,
        message="every message sent once mail is back",
    )
    assert breaker_state(System.MAIL)["state"] == "closed"


def _paying_applicant(client, org_user):
    application = prepare(org_user)
    client.post("/aanvraag/", {"code": application.invitation.code})
    login_with_digid(client, "999990019")
    client.post("/aanvraag/aanvullen/", {"email": "jan@example.org", "delivery": "post", "declaration": "on"})
    return application


@pytest.mark.parametrize("mode", [Mode.DOWN, Mode.SLOW, Mode.ERRORS])
def test_payment_provider_failing_tells_the_applicant_and_keeps_the_application(
    mode, client, org_user, settings, transactional_db
):
    settings.FAULT_SLOW_SECONDS = 5
    settings.PAYMENT_TIMEOUT_SECONDS = 0.2
    # Long enough that no probe slips through while the loop below runs on a busy machine.
    settings.BREAKER_COOLDOWN_SECONDS = 3
    cache.delete("faulted_calls:payment")
    application = _paying_applicant(client, org_user)
    fault_set(system=System.PAYMENT, mode=mode, actor=DRILL)
    pay = f"/mijnjustis/{application.reference}/betalen/"
    for _ in range(settings.BREAKER_FAILURE_THRESHOLD + 5):
        response = client.post(pay)
        assert response.status_code == 302
        assert response["Location"] == f"/mijnjustis/{application.reference}/"
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "betaal" in page.content.decode().lower() or "bank" in page.content.decode().lower()
    # The provider was asked only until the breaker opened; the applicant's application is kept.
    assert faulted_calls(System.PAYMENT) == settings.BREAKER_FAILURE_THRESHOLD
    assert breaker_state(System.PAYMENT)["state"] == "open"
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED

    fault_clear(system=System.PAYMENT, actor=DRILL)

    def paying_works():
        response = client.post(pay)
        return response.status_code == 302 and "/betalen/demo/" in response["Location"]

    wait_for(paying_works, timeout=20, interval=0.2, message="paying to work again after the cool-down")
    assert breaker_state(System.PAYMENT)["state"] == "closed"


@pytest.mark.parametrize("mode", [Mode.DOWN, Mode.SLOW, Mode.ERRORS])
def test_digid_failing_says_so_plainly_and_login_resumes(mode, client, settings, transactional_db):
    settings.FAULT_SLOW_SECONDS = 5
    settings.DIGID_TIMEOUT_SECONDS = 0.2
    # Long enough that no probe slips through while the loop below runs on a busy machine.
    settings.BREAKER_COOLDOWN_SECONDS = 3
    cache.delete("faulted_calls:digid")
    fault_set(system=System.DIGID, mode=mode, actor=DRILL)
    login = "/digid/login/?next=/mijnjustis/"
    for _ in range(settings.BREAKER_FAILURE_THRESHOLD + 5):
        response = client.get(login)
        assert response.status_code == 503
        assert response["Retry-After"]
        html = response.content.decode()
        assert 'lang="nl"' in html
        assert "DigiD" in html
        assert f'href="{login}"' in html.replace("&amp;", "&")  # the way back to try again
    assert faulted_calls(System.DIGID) == settings.BREAKER_FAILURE_THRESHOLD
    assert breaker_state(System.DIGID)["state"] == "open"

    fault_clear(system=System.DIGID, actor=DRILL)
    wait_for(lambda: client.get(login).status_code != 503, timeout=20, interval=0.2, message="DigiD login again")
    response = client.get(login)
    assert response.status_code == 302
    assert "/digid/idp/" in response["Location"]  # on to the (simulated) DigiD
    assert breaker_state(System.DIGID)["state"] == "closed"
