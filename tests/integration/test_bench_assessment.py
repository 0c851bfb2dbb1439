"""``manage.py bench_assessment`` end to end, small: it seeds, drains through a real worker and Redis,
checks the invariants and prints its figures. Figures are not asserted (benchmarks are not timed tests),
only that every line is there and that nothing was lost or decided twice."""

import os
import re
import subprocess
import sys

from django.conf import settings
from django.db import connection

import pytest

pytestmark = pytest.mark.integration


def test_the_benchmark_prints_every_figure_and_loses_nothing():
    db = connection.settings_dict
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "justis.settings",
        # Its own database name (the command makes test_<name> and drops it) and this test's Redis database.
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/justis_bench_{worker}",
        "REDIS_URL": settings.REDIS_URL,
    }
    arguments = ["--throughput-count", "300", "--backlog", "400", "--limit-count", "200", "--timeout", "120"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "manage.py", "bench_assessment", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert re.search(r"^assessment_throughput: \d+ applications/s$", out, re.M), out
    drained = re.search(
        r"^backlog_drain: 400 applications in [\d.]+ s \(\d+/s; lost 0, decided twice 0; (\d+) issued, (\d+)", out, re.M
    )
    assert drained, out
    assert int(drained[1]) + int(drained[2]) == 400
    assert int(drained[2]) > 0  # the backlog has applications with records that go to a screener
    loaded = re.search(
        r"^backlog_drain_with_web_load: 400 applications in [\d.]+ s \(\d+/s; lost 0, decided twice 0;", out, re.M
    )
    assert loaded, out
    during = re.search(r"^status page during drain \(at 200 requests/s\): .*errors (\d+) of (\d+)$", out, re.M)
    assert during, out
    assert int(during[1]) == 0
    assert re.search(r"^limit_throughput: \d+ applications/s .*; ratio [\d.]+$", out, re.M), out
    assert "top by own time" in out
    assert "ncalls" in out
