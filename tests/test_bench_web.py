"""``manage.py bench_web``: the figures' parsing, and the whole command with a tiny duration (no timing asserted)."""

import re
import time
from io import StringIO

from django.conf import settings
from django.core.management import call_command

import pytest
import redis

from justis.bench.web import Figures, parse_stats

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
STATS = f"""{HEADER}
GET,status,1200,3,9,11.2,2,80,5120,240.5,0.6,9,12,14,16,22,31,45,60,80,80,80
,Aggregated,1200,3,9,11.2,2,80,5120,240.5,0.6,9,12,14,16,22,31,45,60,80,80,80
"""
LINE = re.compile(r"^web (.+) \((.+)\): (\d+) requests/s, p50 (\d+) ms, p95 (\d+) ms, errors (\d+) of (\d+)$")


def test_the_figures_come_from_the_aggregated_row():
    assert parse_stats(STATS) == Figures(requests=1200, errors=3, rps=240.5, p50_ms=9.0, p95_ms=31.0)


def test_requests_per_second_over_a_given_window_and_missing_percentiles_read_as_zero():
    empty = f"{HEADER}\n,Aggregated,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
    assert parse_stats(empty) == Figures(requests=0, errors=0, rps=0.0, p50_ms=0.0, p95_ms=0.0)
    assert parse_stats(STATS, seconds=10).rps == 120


def test_no_statistics_is_an_error():
    with pytest.raises(ValueError, match="no statistics"):
        parse_stats(HEADER + "\n")


def test_a_line_names_the_page_the_rate_and_the_figures():
    line = Figures(requests=1200, errors=3, rps=240.5, p50_ms=9.0, p95_ms=31.4).line("web status page (maximum rate)")
    assert line == "web status page (maximum rate): 240 requests/s, p50 9 ms, p95 31 ms, errors 3 of 1200"
    assert LINE.match(line)


@pytest.mark.django_db(transaction=True)
def test_the_command_loads_each_page_through_gunicorn_and_prints_its_lines():
    out = StringIO()
    call_command("bench_web", seconds=1, stdout=out)
    lines = out.getvalue().splitlines()
    matched = [LINE.match(line) for line in lines]
    assert all(matched), lines
    assert [(m[1], m[2]) for m in matched] == [
        ("status page", "maximum rate"),
        ("status page", "at 500 requests/s"),  # the status page's target rate
        ("status page", "at 200 requests/s"),
        *(
            (page, rate)
            for page in ("MijnJustis page", "application API")
            for rate in ("maximum rate", "at 200 requests/s")
        ),
    ]
    for m in matched:
        assert int(m[7]) > 0, m[0]  # requests were made
        assert m[6] == "0", m[0]  # and every one answered 200 (a login page or a 429 would count)
    # The assessments its seeding queued (for the dropped database) are gone from the broker.
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.llen("assessment") == 0


@pytest.mark.django_db(transaction=True)
def test_the_status_load_during_a_drain_prints_its_line():
    out = StringIO()
    call_command("bench_web", during_drain=3, stdout=out)  # locust needs about a second to start
    [line] = out.getvalue().splitlines()
    match = LINE.match(line)
    assert match, line
    assert match.group(1, 2) == ("status page during drain", "at 200 requests/s")
    assert int(match[7]) > 0


@pytest.mark.django_db(transaction=True)
def test_the_assessment_bench_gets_the_status_figures_of_the_time_its_work_ran():
    from django.test.utils import setup_databases, teardown_databases

    from applications.models import Application
    from justis.bench.web import status_page_during, use_own_test_database

    use_own_test_database()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        result, figures = status_page_during(lambda: time.sleep(3) or "drained")
        assert not Application.objects.exists()  # nothing of its own among the drain's applications
    finally:
        teardown_databases(old_config, verbosity=0)
    assert result == "drained"
    assert figures.requests > 0
    assert figures.errors == 0
