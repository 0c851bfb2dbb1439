"""``manage.py bench_assessment`` end to end, small: it seeds, drains through a real worker and Redis,
checks the invariants and prints its figures. Figures are not asserted (benchmarks are not timed tests),
only that every line is there and that nothing was lost or decided twice; and that the dashboard's
progress bar, polled during each drain, moves forward and ends on the figures of the database."""

import os
import re
import subprocess
import sys
from pathlib import Path

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
    assert_the_dashboard_progress_moved(out)


BAR_LINE = re.compile(r"^dashboard progress \[([#.]{20})\] +(\d+) %  ([\d,]+) decided, ([\d,]+) waiting  \([\d,]+/s\)$")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def assert_the_dashboard_progress_moved(out: str):
    """Per drain: a heading naming the polled endpoint, then (not a terminal) one line per 10 % step
    with percentages that only go up, from 0 to the last figures, which match the database: decided
    since the drain started are the applications it issued, and what still waits is in review."""
    lines = out.splitlines()
    headings = [n for n, line in enumerate(lines) if line.startswith("dashboard progress (")]
    assert len(headings) == 2, out
    assert "/beheer/dashboard/voortgang.json polled as a team lead, about once a second" in lines[headings[0]]
    for label, heading in zip(("backlog_drain", "backlog_drain_with_web_load"), headings, strict=True):
        bars = []
        for line in lines[heading + 1 :]:
            if not (found := BAR_LINE.match(line)):
                break
            bars.append((found[1], int(found[2]), _number(found[3]), _number(found[4])))
        assert len(bars) >= 2, out
        percents = [percent for _bar, percent, _d, _w in bars]
        assert percents == sorted(percents), out
        assert percents[0] == 0
        assert bars[0][2] == 0
        steps = [percent // 10 for percent in percents[:-1]]  # one line per 10 % step, then the last one
        assert steps == sorted(set(steps)), out
        drawn, percent, decided, waiting = bars[-1]
        assert percent == round(100 * decided / (decided + waiting))
        assert drawn.count("#") == round(20 * percent / 100)
        drained = re.search(rf"^{label}: 400 applications in .*; (\d+) issued, (\d+) to a screener\)$", out, re.M)
        assert drained, out
        assert decided == int(drained[1])  # the dashboard's decided are the issued applications of this drain
        assert waiting >= int(drained[2])  # in review since this drain, and since earlier runs
        end = re.search(rf"^dashboard progress at the end: {decided} decided since the drain started .*the "
                        rf"{waiting} still waiting are in review", out, re.M)  # fmt: skip
        assert end, out
    shots = re.search(r"^dashboard screenshots \(start, middle and end of the drain under web load\): (.*)$", out, re.M)
    if Path("/usr/bin/chromium").exists():
        assert shots, out
        for path in shots[1].split(", "):
            assert Path(path).read_bytes().startswith(b"\x89PNG"), path
    else:
        assert "dashboard screenshots skipped: /usr/bin/chromium is missing" in out, out
