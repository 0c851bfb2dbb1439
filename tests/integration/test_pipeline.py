"""The whole path through real parts: API → PostgreSQL → Redis → Celery worker → JDS simulator → certificate.

Each test starts real ``celery worker`` processes (and ``celery beat`` where the sweeper is under
test) against the test database and a Redis database of its own.
"""

import re
import time
from datetime import timedelta

from django.test import override_settings

import pytest

from applications.lifecycle import Status
from applications.models import Application
from justis.audit import Actor
from justis.faults import Mode, System, fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from screening.models import Assessment, AssessmentOutcome, Certificate
from screening.services import sweep_stalled_work
from screening.tasks import assess_application
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/applications/"


def forward(api, payload, **headers) -> Application:
    response = api.post(URL, payload, format="json", **headers)
    assert response.status_code == 201, response.content
    return Application.objects.get(reference=response.json()["reference"])


def status_of(application) -> str:
    return Application.objects.values_list("status", flat=True).get(pk=application.pk)


def test_a_clean_application_is_issued_with_a_pdf_certificate(start_worker, api, application_payload):
    start_worker()
    application = forward(api, application_payload)
    wait_for(lambda: status_of(application) == Status.ISSUED, message="issued")
    certificate = wait_for(
        lambda: Certificate.objects.filter(application=application, pdf_rendered_at__isnull=False).first(),
        message="the certificate PDF",
    )
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert len(content) > 5_000
    assert certificate.printed["reference"] == application.reference
    assert certificate.printed["application_date"] == application.application_date.isoformat()
    assert [item["code"] for item in certificate.printed["screening_basis"]["items"]] == ["84", "86"]
    assert Assessment.objects.get(application=application).outcome == AssessmentOutcome.AUTO_GRANT
    # The municipality sees the decision through the API.
    assert api.get(f"{URL}{application.reference}/").json()["status"] == "decided"  # the stage, not the outcome
    # Reading the justice records left an audit entry.
    assert AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ, subject_id=application.reference).exists()


def test_an_application_with_records_goes_to_a_screener(start_worker, api, application_payload):
    start_worker()
    application_payload["applicant"]["bsn"] = "999990032"  # demo person with a theft conviction
    from screening.demo import DEMO_PERSONS
    from screening.models import SimulatedJusticeRecord

    person = next(p for p in DEMO_PERSONS if p["bsn"] == "999990032")
    SimulatedJusticeRecord.objects.bulk_create(
        SimulatedJusticeRecord(bsn=person["bsn"], **r) for r in person["records"]
    )
    application = forward(api, application_payload)
    wait_for(lambda: status_of(application) == Status.IN_REVIEW, message="in_review")
    assessment = Assessment.objects.get(application=application)
    assert assessment.outcome == AssessmentOutcome.NEEDS_SCREENER
    assert assessment.records[0]["offence_article"] == "310 Sr"
    assert not Certificate.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.decision_period_extended
    assert application.decision_due_date == application.application_date + timedelta(weeks=8)


def test_pdf_rendering_never_holds_up_decisions(start_worker, api, application_payload):
    start_worker("urgent,assessment,default", name="assessment")  # no documents worker yet
    applications = [forward(api, application_payload) for _ in range(3)]
    wait_for(
        lambda: all(status_of(a) == Status.ISSUED for a in applications), message="all issued without a PDF worker"
    )
    assert Certificate.objects.filter(application__in=applications, pdf_rendered_at__isnull=True).count() == 3
    start_worker("documents", name="documents")
    wait_for(
        lambda: Certificate.objects.filter(application__in=applications, pdf_rendered_at__isnull=False).count() == 3,
        message="PDFs rendered by the documents queue",
    )


def test_duplicate_task_messages_assess_only_once(start_worker, api, application_payload):
    application = forward(api, application_payload)
    for _ in range(5):  # at-least-once delivery: the same message may arrive many times
        assess_application.delay(application.pk)
    worker = start_worker()

    def outcomes():
        return re.findall(r"assess_application\[[^\]]+\] succeeded in [0-9.]+s: '(\w+)'", worker.log_path.read_text())

    wait_for(lambda: len(outcomes()) >= 6, message="all six messages to be processed")
    assert sorted(outcomes()) == ["issued"] + ["skipped"] * 5
    assert status_of(application) == Status.ISSUED
    assert Assessment.objects.filter(application=application).count() == 1
    assert Certificate.objects.filter(application=application).count() == 1
    assert application.status_changes.filter(to_status=Status.ISSUED).count() == 1


def test_jds_down_means_waiting_and_retrying_never_failing(start_worker, api, application_payload):
    fault_set(system=System.JDS, mode=Mode.DOWN, actor=Actor.system("drill"))
    start_worker(env={"JDS_RETRY_BASE_SECONDS": "1"})
    time.sleep(1.0)  # every process sees a switch within a second
    application = forward(api, application_payload)
    wait_for(
        lambda: AuditEvent.objects.filter(
            action=AuditAction.JUSTICE_DATA_UNAVAILABLE, subject_id=application.reference
        ).exists(),
        message="a failed JDS attempt",
    )
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT
    assert "jds" in application.last_attempt_error
    assert application.next_attempt_at is not None
    assert not Assessment.objects.filter(application=application).exists()

    fault_clear(system=System.JDS, actor=Actor.system("drill"))
    time.sleep(1.1)  # the retry is due; the switch is off everywhere
    assert sweep_stalled_work()["applications"] == 1
    wait_for(lambda: status_of(application) == Status.ISSUED, message="issued after JDS came back")


def test_beat_sweeper_recovers_an_application_whose_message_was_lost(
    start_worker, api, application_payload, redis_client
):
    fast = {"SWEEP_INTERVAL_SECONDS": "1", "ASSESSMENT_STALE_AFTER_SECONDS": "1"}
    with override_settings(ASSESSMENT_STALE_AFTER=timedelta(seconds=1)):
        application = forward(api, application_payload)
    # Redis restarted without persistence: the queued message is gone.
    assert redis_client.llen("urgent") == 1  # childcare: a sector with a legal VOG obligation
    redis_client.flushdb()
    start_worker(env=fast)
    time.sleep(2)
    assert status_of(application) == Status.RECEIVED  # nothing left in the queue to move it
    start_worker(name="beat", env=fast, beat=True)
    wait_for(lambda: status_of(application) == Status.ISSUED, timeout=30, message="the sweeper to re-queue it")
    assert Assessment.objects.filter(application=application).count() == 1


def test_readyz_names_what_is_down(start_worker, client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["workers"] == "no Celery worker answered"
    assert response.json()["database"] == "ok"
    start_worker()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ready"
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("Redis does not answer")
