from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest
import redis
from rest_framework.test import APIClient

from applications.api.views import EXAMPLE as API_EXAMPLE
from applications.deadlines import decision_periods_load
from applications.fees import fees_load
from applications.models import DecisionPeriod, FeeRate, Municipality
from applications.services import api_token_create
from justis.audit import Actor
from justis.faults import forget_cached_faults
from screening.catalogue import catalogue_load
from screening.companies import exclusion_grounds_load
from screening.models import ExclusionGround, FunctionAspect, LookBackRule
from screening.rules import rules_load
from tests.portal import citizen, org_user, organisation, received_for_jan  # noqa: E402, F401 - shared fixtures
from tests.staff import (  # noqa: E402, F401 - shared fixtures
    clerk,
    clerk_client,
    desk,
    intake_officer,
    intake_officer_client,
    other_desk,
    screener,
    screener_client,
)

ROOT = Path(__file__).resolve().parent.parent

# The example of the API documentation is the valid application of the tests: it must keep working.
VALID_APPLICATION = API_EXAMPLE


# Modules whose tests take tens of seconds each (real workers, gunicorn, load, fuzzing) besides the
# integration and browser tests: they start first, so that the two test processes end together
# (``make test`` runs pytest-xdist with ``--dist worksteal``: an idle process takes over queued tests).
SLOW_MODULES = ("tests/test_bench_web.py", "tests/test_api_fuzz.py", "tests/test_bench_dashboard.py")


def _slow_first(item) -> int:
    path = item.nodeid.split("::", 1)[0]
    if path.startswith("tests/integration/") or path in SLOW_MODULES:
        return 0
    if path.startswith("tests/browser/"):
        return 1
    return 2


def pytest_collection_modifyitems(config, items):
    """The slow tests first (a stable sort: the order within each group stays the collection order)."""
    items.sort(key=_slow_first)


@pytest.fixture
def application_payload():
    """A fresh copy of a valid forwarded application, for tests to change."""
    return copy.deepcopy(VALID_APPLICATION)


@pytest.fixture(scope="session", autouse=True)
def _empty_redis_database():
    """This test process's own Redis database starts empty: counts left by an earlier run (rate limits
    keyed by the id of a token, which a new test database hands out again) must not leak into this one."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pass  # the tests that need Redis say so themselves (redis_client)
    finally:
        client.close()


def _forget_login_failures() -> None:
    """Forget wrong staff passwords and the per-address counts (justis/ratelimit.py, API requests without a
    token): every test's requests come from 127.0.0.1, so counts of earlier tests would add up."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        keys = [*client.scan_iter(match="*login:staff-failures:*"), *client.scan_iter(match="*throttle_ip_*")]
        if keys:
            client.delete(*keys)
    except redis.ConnectionError:
        pass
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _fresh_fault_cache():
    from justis.breaker import breaker_reset

    forget_cached_faults()
    breaker_reset()  # every test starts with closed circuit breakers (state lives in Redis)
    _forget_login_failures()  # no staff account locked by an earlier test, no address over a limit
    yield
    forget_cached_faults()
    breaker_reset()


@pytest.fixture(autouse=True)
def _fresh_message_templates():
    """No test sees the message template versions an earlier (rolled back) test saved."""
    from notifications.templates_in_force import forget_templates

    forget_templates()
    yield
    forget_templates()


@pytest.fixture
def reference_data(db):
    """The reference data and municipalities: loaded by the migrations, but a transactional test empties
    every table after itself, so a test that needs them asks for this fixture."""
    if not FunctionAspect.objects.exists():
        catalogue_load()
    if not FeeRate.objects.exists():
        fees_load()
    if not LookBackRule.objects.exists():
        rules_load()
    if not ExclusionGround.objects.exists():
        exclusion_grounds_load()
    if not DecisionPeriod.objects.exists():
        decision_periods_load()
    Municipality.objects.get_or_create(code="0363", defaults={"name": "Amsterdam"})
    Municipality.objects.get_or_create(code="0599", defaults={"name": "Rotterdam"})


@pytest.fixture
def amsterdam(reference_data):
    return Municipality.objects.get(code="0363")


@pytest.fixture
def rotterdam(reference_data):
    return Municipality.objects.get(code="0599")


def _client_for(municipality) -> APIClient:
    _token, key = api_token_create(municipality=municipality, name="test", actor=Actor.system("test"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(amsterdam, desk) -> APIClient:  # noqa: F811 - the desk fixture, imported above
    """An API client of Amsterdam's counter software (its desk 01 takes the applications)."""
    return _client_for(amsterdam)


@pytest.fixture
def other_api(rotterdam, other_desk) -> APIClient:  # noqa: F811 - the fixture, imported above
    """An API client of Rotterdam's counter software (its desk is 02)."""
    return _client_for(rotterdam)


# --- Real services for integration tests -------------------------------------------------------


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:  # make test starts Redis; a run without it must fail loudly
        pytest.fail(f"Redis is not running at {settings.REDIS_URL}: start it with `make services` ({exc})")
    yield client
    client.close()


class CeleryProcess:
    """A real ``celery worker`` (or ``celery beat``) subprocess against the test database and Redis."""

    def __init__(self, queues: str, name: str, *, beat: bool = False):
        self.queues, self.name, self.beat = queues, name, beat
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / ".local" / f"test-worker-{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}.log"

    def start(self, extra_env: dict | None = None) -> CeleryProcess:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self._command(),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        ready = "beat: Starting" if self.beat else "ready."
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery exited early:\n{self.log_path.read_text()}")
            if ready in self.log_path.read_text():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"celery worker did not start within 30 s:\n{self.log_path.read_text()}")

    def _command(self) -> list[str]:
        celery = [sys.executable, "-m", "celery", "-A", "justis"]
        if self.beat:
            schedule = self.log_path.with_suffix(".schedule")
            return [*celery, "beat", "--schedule", str(schedule), "--loglevel", "INFO"]
        return [
            *celery, "worker", "-Q", self.queues, "-c", "1", "-n", f"{self.name}@%h",
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def start_worker(transactional_db, reference_data, redis_client):
    """Start real Celery workers for this test: ``start_worker("assessment,default")``."""
    redis_client.flushdb()
    workers: list[CeleryProcess] = []

    def start(
        queues: str = "urgent,assessment,notifications,default,documents",
        name: str = "all",
        env: dict | None = None,
        beat=False,
    ):
        worker = CeleryProcess(queues, name, beat=beat).start(env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    redis_client.flushdb()


def wait_for(predicate, *, timeout: float = 20.0, interval: float = 0.1, message: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {message}")
