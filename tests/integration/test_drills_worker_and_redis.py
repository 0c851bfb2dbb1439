"""Drill: a Celery worker SIGKILLed in the middle of a batch, then Redis restarted without persistence.

A private redis-server (no RDB, no AOF) on a free port carries the queue. The worker is killed while
it assesses (a slow JDS keeps each assessment in flight long enough), Redis is shut down with
``SHUTDOWN NOSAVE`` (every queued and unacknowledged message is gone) and started again empty. Only
the database knows what is left; beat's sweeper brings every application back and a new worker
decides each exactly once. The database constraints (tests/test_decided_once.py) make a second
decision impossible; here the outcome is counted.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

from django.db.models import Count
from django.utils import timezone

import pytest
import redis

from applications.lifecycle import Status
from applications.models import Application, StatusChange
from justis.audit import Actor
from justis.faults import Mode, System, fault_clear, fault_set
from screening.models import Assessment, Certificate
from tests.conftest import wait_for
from tests.factories import received_application

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

COUNT = 40
DRILL = Actor.system("drill")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test alone, without any persistence."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="justis-redis-drill-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

        def answers():
            try:
                return self.client().ping()
            except redis.RedisError:
                return False

        wait_for(answers, timeout=10, message="the private Redis to answer")

    def shutdown_nosave(self) -> None:
        try:
            self.client().shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it goes down
        self.process.wait(timeout=10)

    def remove(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.remove()


def statuses() -> dict[str, int]:
    return dict(Application.objects.values_list("status").annotate(n=Count("pk")).order_by())


def test_worker_killed_and_redis_restarted_lose_nothing_and_decide_nothing_twice(start_worker, private_redis):
    env = {
        "REDIS_URL": private_redis.url,
        "CELERY_BROKER_URL": private_redis.url,
        "SWEEP_INTERVAL_SECONDS": "1",
        "ASSESSMENT_STALE_AFTER_SECONDS": "2",
        "FAULT_SLOW_SECONDS": "0.1",  # each JDS answer takes 0.1 s: the batch is in flight when the kill comes
    }
    fault_set(system=System.JDS, mode=Mode.SLOW, actor=DRILL)
    applications = [received_application() for _ in range(COUNT)]
    # The messages published at intake went to another Redis: only the sweeper knows of them.
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(next_attempt_at=timezone.now())

    worker = start_worker("assessment,default", name="doomed", env=env)
    start_worker(name="beat", env=env, beat=True)
    wait_for(lambda: statuses().get(Status.ISSUED, 0) >= 5, timeout=30, message="the batch under way")
    os.killpg(worker.process.pid, signal.SIGKILL)  # the worker and its pool child, mid-task
    worker.process.wait()
    in_flight = statuses()
    assert in_flight.get(Status.ISSUED, 0) < COUNT, "the kill came too late to be a drill"

    queued = private_redis.client().llen("assessment") + private_redis.client().hlen("unacked")
    private_redis.shutdown_nosave()  # every queued and unacknowledged message is gone
    private_redis.start()  # empty: beat, still running, reconnects and publishes to it from now on

    fault_clear(system=System.JDS, actor=DRILL)
    start_worker("assessment,default", name="survivor", env=env)
    wait_for(lambda: statuses() == {Status.ISSUED: COUNT}, timeout=60, message=f"all {COUNT} issued")

    assert queued > 0  # messages were lost with Redis: the sweeper, not the queue, brought them back
    # None lost, none decided twice.
    assert Application.objects.count() == COUNT
    assert Assessment.objects.count() == COUNT
    assert Certificate.objects.count() == COUNT
    issues = StatusChange.objects.filter(to_status=Status.ISSUED).values("application").annotate(n=Count("pk"))
    assert {row["n"] for row in issues} == {1}
    assert issues.count() == COUNT
