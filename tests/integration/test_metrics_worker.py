"""A real worker: a task enqueued during a request carries its id into the worker's JSON log lines,
and its run is counted in the metrics the web process reads from Redis."""

import pytest

from applications.tasks import invitations_housekeeping
from justis.metrics import TASK_STATS_KEY
from justis.request_id import request_id_var
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASK = "applications.tasks.invitations_housekeeping"


def test_a_worker_counts_the_task_and_logs_the_request_id(start_worker, redis_client, client, settings):
    worker = start_worker("default", name="metrics", env={"LOG_FORMAT": "json", "LOG_LEVEL": "INFO"})
    token = request_id_var.set("trace-worker-0001")  # as inside a request
    try:
        invitations_housekeeping.apply_async()
    finally:
        request_id_var.reset(token)

    wait_for(lambda: redis_client.hget(TASK_STATS_KEY, f"{TASK}|count"), message="the task's count in Redis")
    lines = wait_for(
        lambda: [line for line in worker.log_path.read_text().splitlines() if "succeeded" in line],
        message="the worker's log line of the task",
    )
    assert '"request_id": "trace-worker-0001"' in lines[0]
    assert f'"task_name": "{TASK}"' in lines[0]

    settings.METRICS_TOKEN = "integration-metrics-token-0123456789"
    response = client.get("/metrics", headers={"Authorization": f"Bearer {settings.METRICS_TOKEN}"})
    assert f'justis_celery_task_duration_seconds_count{{task="{TASK}"}} 1.0' in response.content.decode()
