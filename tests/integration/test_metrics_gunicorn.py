"""/metrics under gunicorn with several worker processes adds up the requests of all of them.

gunicorn.conf.py (read from the working directory by every start) points prometheus-client's
multiprocess mode at an emptied directory before the workers fork. Requests sent concurrently are served
by both workers (each leaves its own counter file), and every scrape, whichever worker answers it,
counts all of them.
"""

import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT, wait_for
from tests.integration.test_drills_postgres import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TOKEN = "gunicorn-metrics-token-0123456789abcdef"
REQUESTS = 120


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - local server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode()


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


def _healthz_count(base: str) -> float:
    status, text = _get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "justis_http_requests_total" and sample.labels.get("route") == "healthz":
                return sample.value
    return 0


def test_every_scrape_counts_the_requests_of_all_worker_processes(tmp_path):
    directory = tmp_path / "prometheus"
    directory.mkdir()
    (directory / "counter_999999.db").write_bytes(b"left over from an earlier start")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DEBUG": "false",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "justis.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(f"{base}/healthz"), timeout=30, message="gunicorn to answer")
        assert not (directory / "counter_999999.db").exists()  # emptied at the start
        before = _healthz_count(base)
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _n: _get(f"{base}/healthz")[0], range(REQUESTS)))
        assert statuses == [200] * REQUESTS

        counter_files = sorted(path.name for path in directory.glob("counter_*.db"))
        assert len(counter_files) >= 2, counter_files  # both workers served requests
        for _scrape in range(6):  # whichever process answers, the sum is the same
            assert _healthz_count(base) == before + REQUESTS
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
