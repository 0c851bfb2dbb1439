"""Web speed: gunicorn under locust (headless) for the status page, a MijnJustis page and the municipal API.

``WebBench`` seeds what the pages need in the current (throw-away) database, starts gunicorn on a free
port with production-like settings (DEBUG off, persistent database connections, three sync workers)
and runs locust against one page at a time: as fast as it goes, and at a fixed rate. ``status_load``
runs the status page load in the background while something else runs, and ``status_page_during(work)``
wraps it all for the assessment bench ("status page during drain").
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import override_settings

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
TARGETS = {"status": "status page", "mijnjustis": "MijnJustis page", "api": "application API"}
FIXED_RATE = 200
MAX_RATE_USERS = 24
FIXED_RATE_USERS = 20
STATUS_TARGET_RATE = 500  # the status page's target: 500 requests/s with p95 under 50 ms
MIN_LOAD_SECONDS = 4
STARTED_WITHIN_SECONDS = 30


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.rps:.0f} requests/s, p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"errors {self.errors} of {self.requests}"
        )


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0  # locust writes "N/A" for a percentile of no requests


def parse_stats(text: str, *, seconds: float | None = None) -> Figures:
    """The figures of locust's ``*_stats.csv`` (its "Aggregated" row).

    Requests per second are counted over ``seconds`` when given (the measured window), else taken from
    locust's own column.
    """
    rows = list(csv.DictReader(text.splitlines()))
    row = next((r for r in rows if r.get("Name") == "Aggregated"), rows[-1] if rows else None)
    if row is None:
        raise ValueError("locust wrote no statistics")
    requests = int(_number(row["Request Count"]))
    rps = requests / seconds if seconds else _number(row["Requests/s"])
    return Figures(
        requests=requests,
        errors=int(_number(row["Failure Count"])),
        rps=rps,
        p50_ms=_number(row["50%"]),
        p95_ms=_number(row["95%"]),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this process uses now (the throw-away one during a bench)."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def use_own_test_database() -> None:
    """Name the throw-away database after this bench and process, so it never replaces another one."""
    test = connection.settings_dict.setdefault("TEST", {})
    test["NAME"] = f"test_{connection.settings_dict['NAME']}_bench_web_{os.getpid()}"


def purge_queues() -> None:
    """Drop the tasks seeding queued (assessments of the throw-away database): no worker may get them."""
    from justis.celery import app

    queues = {
        settings.CELERY_TASK_DEFAULT_QUEUE,
        *(route["queue"] for route in settings.CELERY_TASK_ROUTES.values()),
    }
    with app.connection_for_write() as broker:
        for queue in queues:
            broker.default_channel.queue_purge(queue)


def seed(*, pages: bool = True) -> dict[str, str]:
    """A published status snapshot; with ``pages`` also an applicant with applications and a session, and
    an API token (``pages=False`` beside a drain: no applications of its own among the drain's).

    Returns the environment locust needs (session cookie, token, the API path).
    """
    from django.test import Client

    from rest_framework.test import APIClient

    from applications.api.views import EXAMPLE
    from applications.models import Desk, Municipality
    from applications.services import api_token_create
    from justis.audit import Actor
    from justis.models import User
    from servicestatus.snapshot import snapshot_refresh

    snapshot_refresh()
    if not pages:
        return {}
    municipality = Municipality.objects.get(code="0363")
    Desk.objects.get_or_create(municipality=municipality, code="01", defaults={"name": "Bench"})
    _token, key = api_token_create(municipality=municipality, name="bench-web", actor=Actor.system("bench"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    unlimited = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"municipal_api": "1000000/min"}}
    references = []
    with override_settings(REST_FRAMEWORK=unlimited):
        for number in range(3):
            body = {**EXAMPLE, "municipal_number": f"BENCH-{number}"}
            response = api.post("/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"bench-{number}")
            if response.status_code != 201:
                raise RuntimeError(f"seeding an application failed: {response.status_code} {response.content[:300]!r}")
            references.append(response.json()["reference"])
    bsn = EXAMPLE["applicant"]["bsn"]
    citizen = User.objects.filter(bsn=bsn).first() or User.digid_objects.digid_create(bsn)
    browser = Client()
    browser.force_login(citizen)
    return {
        "BENCH_SESSION_COOKIE": browser.cookies[settings.SESSION_COOKIE_NAME].value,
        "BENCH_API_TOKEN": key,
        "BENCH_API_PATH": f"/api/v1/applications/{references[0]}/",
    }


class WebBench:
    """gunicorn on a free port against the current database, and locust runs against it."""

    def __init__(
        self, *, seconds: float = 10.0, workers: int = 3, redis_url: str | None = None, status_only: bool = False
    ):
        self.seconds = seconds
        self.status_only = status_only
        self.workers = workers
        self.redis_url = redis_url or settings.REDIS_URL
        self.port = free_port()
        self.locust_env: dict[str, str] = {}
        self._server: subprocess.Popen | None = None
        # The bench's status snapshot goes to a file of its own, never over the one of a running service.
        self._snapshot_folder = tempfile.TemporaryDirectory(prefix="bench-web-status-")
        self.snapshot_file = Path(self._snapshot_folder.name) / "status.json"
        self._snapshot_setting = override_settings(STATUS_SNAPSHOT_FILE=self.snapshot_file)
        self._snapshot_enabled = False

    def _server_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis_url,
            "DEBUG": "false",
            "DB_CONN_MAX_AGE": "600",
            # The bench's one token asks far more than a municipality may; the limit is not what is measured.
            "MUNICIPAL_API_RATE": "100000000/min",
            "PYTHONUNBUFFERED": "1",
            "STATUS_SNAPSHOT_FILE": str(self.snapshot_file),
        }

    def start(self) -> None:
        self._snapshot_setting.enable()
        self._snapshot_enabled = True
        self.locust_env = seed(pages=not self.status_only)
        self._server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "justis.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
                "--backlog=2048",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=self._server_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (exit {self._server.returncode})")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/status/", timeout=2):  # noqa: S310
                    # One request per worker process would be ideal; a few warm every worker up enough.
                    for _ in range(self.workers * 4):
                        urllib.request.urlopen(f"http://127.0.0.1:{self.port}/status/", timeout=2).close()  # noqa: S310
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def stop(self) -> None:
        if self._server and self._server.poll() is None:
            self._server.terminate()
            try:
                self._server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
        self._server = None
        if self._snapshot_enabled:
            self._snapshot_setting.disable()
            self._snapshot_enabled = False
        self._snapshot_folder.cleanup()

    def __enter__(self) -> WebBench:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def load(self, target: str, *, rate: float = 0, seconds: float | None = None) -> LocustRun:
        """Start locust on ``target``: as fast as it goes (rate 0) or at ``rate`` requests per second."""
        return LocustRun(self, target, rate=rate, seconds=seconds or self.seconds)

    def run(self, target: str, *, rate: float = 0, seconds: float | None = None) -> Figures:
        """Load ``target`` for ``seconds`` and return the figures."""
        return self.load(target, rate=rate, seconds=seconds).wait()

    def lines(self) -> list[str]:
        lines = []
        for target, label in TARGETS.items():
            lines.append(self.run(target).line(f"web {label} (maximum rate)"))
            if target == "status":
                lines.append(
                    self.run(target, rate=STATUS_TARGET_RATE).line(f"web {label} (at {STATUS_TARGET_RATE} requests/s)")
                )
            lines.append(self.run(target, rate=FIXED_RATE).line(f"web {label} (at {FIXED_RATE} requests/s)"))
        return lines


class LocustRun:
    """One headless locust process against the bench's gunicorn; ``stop()`` ends it early (SIGTERM)."""

    def __init__(self, bench: WebBench, target: str, *, rate: float, seconds: float):
        self.target = target
        self.seconds = max(2, round(seconds))  # locust counts nothing in a shorter run
        # A fixed rate: each user at most 10 requests/s, so that a slow answer does not lower the rate.
        users = max(FIXED_RATE_USERS, round(rate / 10)) if rate else MAX_RATE_USERS
        self._folder = tempfile.TemporaryDirectory(prefix="bench-web-")
        self._prefix = Path(self._folder.name) / "run"
        env = {**os.environ, **bench.locust_env, "BENCH_TARGET": target, "BENCH_RATE": str(rate)}
        env["BENCH_USERS"] = str(users)
        self._started = time.monotonic()
        self._process = subprocess.Popen(  # noqa: S603 - our own locust, fixed arguments
            [
                str(Path(sys.executable).with_name("locust")),
                f"--locustfile={LOCUSTFILE}",
                "--headless",
                f"--host=http://127.0.0.1:{bench.port}",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={self.seconds}s",
                f"--csv={self._prefix}",
                "--only-summary",
                "--loglevel=ERROR",
                "--stop-timeout=2",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> Figures:
        """End the load now (locust still writes its figures) and return them.

        Not before ``MIN_LOAD_SECONDS``, nor before locust has written its first history row (its stats
        writer runs once locust has started, after its SIGTERM handler is in place; on a busy machine that
        can take longer): a locust stopped while it still starts writes no figures at all.
        """
        time.sleep(max(0.0, MIN_LOAD_SECONDS - (time.monotonic() - self._started)))
        history = Path(f"{self._prefix}_stats_history.csv")
        deadline = time.monotonic() + STARTED_WITHIN_SECONDS
        while self._process.poll() is None and time.monotonic() < deadline:
            if history.exists() and history.stat().st_size:
                break
            time.sleep(0.1)
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
        return self.wait()

    def wait(self) -> Figures:
        try:
            _out, errors = self._process.communicate(timeout=self.seconds + 60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            _out, errors = self._process.communicate()
        try:
            stats = Path(f"{self._prefix}_stats.csv")
            if not stats.exists():
                raise RuntimeError(f"locust wrote no statistics for {self.target}: {(errors or '')[-2000:]}")
            return parse_stats(stats.read_text())
        finally:
            self._folder.cleanup()


class BackgroundLoad:
    """The status page at 200 requests/s while the caller does something else, until the block ends.

    ``with status_load(bench) as load: drain()``, then ``load.figures`` (the load stops when the block
    ends; ``max_seconds`` bounds it).
    """

    def __init__(self, bench: WebBench, *, max_seconds: float = 3600, rate: float = FIXED_RATE):
        self.bench = bench
        self.max_seconds = max_seconds
        self.rate = rate
        self.figures: Figures | None = None
        self._run: LocustRun | None = None

    def __enter__(self) -> BackgroundLoad:
        self._run = self.bench.load("status", rate=self.rate, seconds=self.max_seconds)
        return self

    def __exit__(self, *exc) -> None:
        self.figures = self._run.stop()


def status_load(bench: WebBench, *, max_seconds: float = 3600, rate: float = FIXED_RATE) -> BackgroundLoad:
    return BackgroundLoad(bench, max_seconds=max_seconds, rate=rate)


def status_page_during[T](work: Callable[[], T], *, redis_url: str | None = None) -> tuple[T, Figures]:
    """Run ``work()`` while the status page takes 200 requests/s; its result and the page's figures.

    For the assessment bench ("status page during drain"): gunicorn serves the current database (the
    bench's own), with a status snapshot written first and nothing else added to it.
    """
    with WebBench(redis_url=redis_url, status_only=True) as bench, status_load(bench) as load:
        result = work()
    return result, load.figures
