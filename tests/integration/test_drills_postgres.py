"""Drill: PostgreSQL restarted under a running web server.

A private PostgreSQL 15 cluster in a temporary folder (as root, its files belong to the postgres
user, like bin/services does it) gets the schema of the test database; gunicorn serves the site
against it. While PostgreSQL is stopped every page answers 503 with Retry-After and the friendly
Dutch page (the API: JSON); once it is started again the same gunicorn process answers 200 again,
without a restart of its own.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

import pytest

from tests.conftest import ROOT, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL server program; as root it must run as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, cwd="/", **kwargs)


class PrivatePostgres:
    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="justis-pg-drill-"))
        self.data = self.base / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o755)
        as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "justis", "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://justis@127.0.0.1:{self.port}/drill"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-t", "30",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def load_schema_of(self, settings_dict: dict) -> None:
        psql = [str(PG_BIN / "psql"), "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "justis"]
        subprocess.run([*psql, "-d", "postgres", "-c", "CREATE DATABASE drill"], check=True, capture_output=True)
        dump = subprocess.run(
            [
                str(PG_BIN / "pg_dump"), "--schema-only", "--no-owner", "--no-privileges",
                "-h", settings_dict["HOST"], "-p", str(settings_dict["PORT"]), "-U", settings_dict["USER"],
                settings_dict["NAME"],
            ],
            check=True, capture_output=True, env={**os.environ, "PGPASSWORD": settings_dict["PASSWORD"]},
        )  # fmt: skip
        load = [*psql, "-d", "drill", "-v", "ON_ERROR_STOP=1"]
        subprocess.run(load, input=dump.stdout, check=True, capture_output=True)

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.start()
        server.load_schema_of(connection.settings_dict)
        yield server
    finally:
        server.remove()


@pytest.fixture
def web(private_postgres):
    """gunicorn against the private cluster, one worker process: the process must recover by itself."""
    port = free_port()
    log = (ROOT / ".local" / f"test-pg-drill-web-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}.log").open("w")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": private_postgres.url,
        "DEBUG": "false",  # as in production: error handlers, not the debug page
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "justis.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base, "/healthz")[0] == 200, timeout=30, message="gunicorn to answer")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def get(base: str, path: str) -> tuple[int, dict, str]:
    headers = {"Accept-Language": "nl"}
    if path == PAGE:
        # A visitor with a session cookie: the session (in PostgreSQL) is read for every page.
        headers["Cookie"] = "sessionid=drill0session0that0does0not0exist"
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - local server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()
    except OSError:
        return 0, {}, ""


PAGE = "/"  # the home page: reads the visitor's session from PostgreSQL
API = "/api/v1/certificates/verify/ABCD-EFGH-JKLM/"  # reads the certificates: 404 for an unknown code


def test_postgres_restarted_pages_answer_503_then_recover_without_a_restart(private_postgres, web):
    status, _, _ = get(web, PAGE)
    assert status == 200
    assert get(web, API)[0] == 404

    started = time.monotonic()
    private_postgres.stop()
    status, headers, html = get(web, PAGE)
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert 'lang="nl"' in html
    assert "Tijdelijk niet beschikbaar" in html  # the friendly page, not an error
    assert f'href="{PAGE}"' in html  # the way back to the page asked for
    status, headers, body = get(web, API)
    assert status == 503
    assert headers["Content-Type"].startswith("application/json")
    assert int(headers["Retry-After"]) > 0
    assert get(web, "/healthz")[0] == 200  # the process itself is fine
    assert get(web, "/status/")[0] == 200  # the status page never needs PostgreSQL

    private_postgres.start()
    wait_for(lambda: get(web, PAGE)[0] == 200, timeout=20, message="the page to answer again")
    assert get(web, API)[0] == 404
    assert time.monotonic() - started < 60
