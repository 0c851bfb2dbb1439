"""The daily run through a real Celery worker that consumes only the ``continuous`` queue.

The population register is down and nobody consumes the assessment queue (intake is stuck), and the
JDS is down when the run starts: the task retries with back-off and, when the JDS answers again,
raises the signal.
"""

from datetime import date

import pytest

from applications.lifecycle import Status
from applications.models import Application
from continuous.models import ContinuousRun, RunStatus, Signal
from continuous.tasks import continuous_daily_run
from justis.faults import fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from tests.conftest import wait_for
from tests.continuous_helpers import RUN_DAY, add_record, enrol
from tests.factories import TEST_ACTOR, received_application

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_run_task_retries_while_the_jds_is_down_and_raises_the_signal_while_intake_is_stuck(start_worker):
    application = received_application()  # its assessment task waits in a queue nobody consumes
    fault_set(system="brp", mode="down", actor=TEST_ACTOR)
    fault_set(system="jds", mode="down", actor=TEST_ACTOR)
    enrolment = enrol()
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    start_worker("continuous", name="continuous", env={"CONTINUOUS_RETRY_BASE_SECONDS": "1"})

    continuous_daily_run.delay(RUN_DAY.isoformat())
    wait_for(
        lambda: ContinuousRun.objects.filter(day=RUN_DAY, status=RunStatus.WAITING).exists(),
        message="the run waiting for the JDS",
    )
    assert not Signal.objects.exists()
    fault_clear(system="jds", actor=TEST_ACTOR)

    signal = wait_for(lambda: Signal.objects.filter(enrolment=enrolment).first(), message="the signal")
    assert signal.record["offence_article"] == "310 Sr"
    run = wait_for(lambda: ContinuousRun.objects.filter(day=RUN_DAY, status=RunStatus.DONE).first(), message="done")
    assert run.attempts >= 2
    unavailable = AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_UNAVAILABLE, subject_type="continuous_run")
    assert unavailable.exists()
    assert AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ, subject_id=str(enrolment.pk)).exists()
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED  # intake did not move
