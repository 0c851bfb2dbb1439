"""The dashboard's progress bar as the assessment bench prints it (justis/bench/dashboard.py): asked from
/beheer/dashboard/voortgang.json as a team lead, counted from the start of the drain, a line per 10 %
step when the output is not a terminal and one line redrawn in place when it is."""

import re

from django.test import Client
from django.utils import timezone

import pytest

from applications.lifecycle import Status
from applications.models import Application
from justis.bench import dashboard as bench_dashboard
from justis.bench.dashboard import DrainProgress, bar
from tests.factories import application_in

LINE = re.compile(r"^dashboard progress (\[[#.]{20}\]) +(\d+) %  ([\d,]+) decided, ([\d,]+) waiting  \(([\d,]+)/s\)$")


def _decide(application, status=Status.ISSUED):
    Application.objects.filter(pk=application.pk).update(status=status, decided_at=timezone.now())


def _drain(progress, applications, *, screener=()):
    """Start, decide one application after the other (polling after each), finish."""
    progress.start()
    for application in applications:
        _decide(application, Status.IN_REVIEW if application in screener else Status.ISSUED)
        progress.tick()
    return progress.finish()


@pytest.fixture
def backlog(reference_data):
    application_in(Status.ISSUED)  # decided earlier today: not part of the drain's progress
    return [application_in(Status.RECEIVED, bsn="999990019") for _ in range(10)]


def test_not_a_terminal_one_line_per_ten_percent_ending_on_the_figures_of_the_database(backlog):
    written = []
    progress = DrainProgress(lambda text, ending: written.append(text + ending), tty=False, poll_seconds=0, max_share=1)
    final = _drain(progress, backlog, screener=backlog[-2:])
    assert written[0].startswith("dashboard progress (/beheer/dashboard/voortgang.json polled as a team lead")
    lines = [LINE.match(text.rstrip("\n")) for text in written[1:]]
    assert all(lines), written
    percents = [int(line[2]) for line in lines]
    # 0, 10, …, 80 %: decided 8 of 10; the two in review still wait for a screener, as on the dashboard.
    assert percents == [0, 10, 20, 30, 40, 50, 60, 70, 80]
    assert [line[3] for line in lines] == [str(n) for n in range(9)]
    assert lines[-1][4] == "2"
    assert lines[-1][1] == "[################....]"
    assert final["decided"] == Application.objects.filter(status=Status.ISSUED).count() - 1
    assert final["waiting"] == Application.objects.filter(status=Status.IN_REVIEW).count() == 2


def test_on_a_terminal_the_line_is_redrawn_in_place_and_ends_with_a_newline(backlog):
    written = []
    progress = DrainProgress(lambda text, ending: written.append(text + ending), tty=True, poll_seconds=0, max_share=1)
    final = _drain(progress, backlog)
    redrawn = written[1:]
    assert len(redrawn) == 12  # the start, a poll after each of the ten decisions, the end
    assert all(text.startswith("\r") for text in redrawn)
    assert not any(text.endswith("\n") for text in redrawn[:-1])
    assert redrawn[-1].endswith("\n")
    assert LINE.match(redrawn[-1].strip())[2] == "100"
    assert (final["decided"], final["waiting"], final["percent"]) == (10, 0, 100)


def test_without_an_answer_from_the_endpoint_it_says_so_and_counts_with_progress_since(backlog, monkeypatch):
    monkeypatch.setattr(bench_dashboard, "team_lead_client", Client)  # not logged in: the endpoint redirects
    written = []
    progress = DrainProgress(lambda text, ending: written.append(text + ending), tty=False, poll_seconds=0, max_share=1)
    final = _drain(progress, backlog[:5])
    assert written[0].startswith("dashboard progress (progress_since() called directly (")
    assert "answered 302" in written[0]
    assert (final["decided"], final["waiting"]) == (5, 5)


def test_polls_at_most_once_per_interval(backlog):
    progress = DrainProgress(lambda text, ending: None, tty=False, poll_seconds=3600)
    progress.start()
    for _ in range(5):
        progress.tick()
    assert len(progress.readings) == 1


def test_a_slow_answer_spaces_the_polls_out(backlog):
    progress = DrainProgress(lambda text, ending: None, tty=False, poll_seconds=0, max_share=0.05)
    progress.start()
    progress._last_ask = 3600 * 0.05  # an answer that took three minutes: the next after an hour at the earliest
    progress.tick()
    assert len(progress.readings) == 1
    progress._last_ask = 0
    progress.tick()
    assert len(progress.readings) == 2
    assert progress.polls == 2
    assert progress.mean_poll_ms >= 0


def test_the_bar():
    assert bar(0) == "[" + "." * 20 + "]"
    assert bar(45) == "[" + "#" * 9 + "." * 11 + "]"
    assert bar(100) == "[" + "#" * 20 + "]"
