"""The team leads' dashboard: every figure against the rows made here, the page, the progress JSON, access."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

import pytest
import time_machine

from applications import dashboard
from applications.deadlines import decision_delay_notices
from applications.lifecycle import Status, application_transition
from applications.models import Application, Channel
from continuous.models import Signal, SignalAction, SignalStatus
from justis.roles import Role
from notifications.models import OutboxMessage
from screening.models import Assessment, AssessmentOutcome
from tests.continuous_helpers import enrol
from tests.factories import TEST_ACTOR, application_in, received_application
from tests.staff import login_with_second_factor, staff_user

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 18, 14, 30, tzinfo=AMSTERDAM)
TODAY = NOW.date()


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMSTERDAM)


def received_on(moment: datetime, **changes) -> Application:
    """An application received at ``moment``; ``changes`` are written to its row afterwards."""
    with time_machine.travel(moment, tick=False):
        application = received_application()
    if changes:
        Application.objects.filter(pk=application.pk).update(**changes)
        application.refresh_from_db()
    return application


@pytest.fixture
def team_lead_client(client, db):
    return login_with_second_factor(client, staff_user("teamlead.justis", Role.TEAM_LEAD))


def test_intake_per_day_counts_by_local_day_channel_and_product(reference_data):
    received_on(at(TODAY, 0) + timedelta(minutes=30))  # 00:30 local: today, though yesterday in UTC
    received_on(at(TODAY), channel=Channel.PAPER)
    received_on(at(TODAY - timedelta(days=3)), type="VOG_RP")
    received_on(at(TODAY - timedelta(days=13)))
    received_on(at(TODAY - timedelta(days=14)))  # just outside the 14 days
    with time_machine.travel(NOW, tick=False):
        data = dashboard.intake_per_day()
    assert data["days"][0] == TODAY - timedelta(days=13)
    assert data["days"][-1] == TODAY
    assert data["counts"] == {
        (TODAY, Channel.MUNICIPAL_API, "VOG_NP"): 1,
        (TODAY, Channel.PAPER, "VOG_NP"): 1,
        (TODAY - timedelta(days=3), Channel.MUNICIPAL_API, "VOG_RP"): 1,
        (TODAY - timedelta(days=13), Channel.MUNICIPAL_API, "VOG_NP"): 1,
    }


def test_backlog_by_status_and_age_band(reference_data):
    received_on(at(TODAY - timedelta(days=1), 0))  # 0-1
    received_on(at(TODAY - timedelta(days=2), 23))  # 2-7
    received_on(at(TODAY - timedelta(days=7)), status=Status.IN_REVIEW)  # 2-7
    received_on(at(TODAY - timedelta(days=8)), status=Status.ON_HOLD)  # 8-28
    received_on(at(TODAY - timedelta(days=29)), status=Status.INTENT_TO_REFUSE)  # 29+
    received_on(at(TODAY - timedelta(days=3)), status=Status.ISSUED)  # decided: not in the backlog
    with time_machine.travel(NOW, tick=False):
        counts = dashboard.backlog_by_status_and_age()
    assert counts == {
        (Status.RECEIVED, "0-1"): 1,
        (Status.RECEIVED, "2-7"): 1,
        (Status.IN_REVIEW, "2-7"): 1,
        (Status.ON_HOLD, "8-28"): 1,
        (Status.INTENT_TO_REFUSE, "29+"): 1,
    }


def test_at_risk_is_the_rule_of_the_delay_notices(reference_data):
    overdue = received_on(at(TODAY - timedelta(days=40)), decision_due_date=TODAY - timedelta(days=2))
    extended_soon = received_on(
        at(TODAY - timedelta(days=50)),
        status=Status.IN_REVIEW,
        decision_due_date=TODAY + timedelta(days=3),
        decision_period_extended=True,
    )
    # Not at risk: still extendable, or far away, or decided.
    received_on(at(TODAY - timedelta(days=10)), decision_due_date=TODAY + timedelta(days=3))
    received_on(
        at(TODAY - timedelta(days=10)), decision_due_date=TODAY + timedelta(days=60), decision_period_extended=True
    )
    received_on(at(TODAY - timedelta(days=40)), status=Status.ISSUED, decision_due_date=TODAY - timedelta(days=2))
    with time_machine.travel(NOW, tick=False):
        risk = dashboard.at_risk()
        notices = decision_delay_notices()
    assert risk.count == 2 == notices
    assert risk.overdue == 1
    assert risk.most_urgent == [
        {"reference": overdue.reference, "decision_due_date": TODAY - timedelta(days=2), "overdue": True},
        {"reference": extended_soon.reference, "decision_due_date": TODAY + timedelta(days=3), "overdue": False},
    ]


def test_throughput_per_hour_automatic_or_by_a_screener(reference_data):
    automatic = application_in(Status.IN_ASSESSMENT)
    Assessment.objects.create(application=automatic, outcome=AssessmentOutcome.AUTO_GRANT)
    by_screener = application_in(Status.IN_REVIEW)
    Assessment.objects.create(application=by_screener, outcome=AssessmentOutcome.NEEDS_SCREENER)
    with time_machine.travel(NOW - timedelta(minutes=20), tick=False):
        application_transition(application=automatic, to_status=Status.ISSUED, actor=TEST_ACTOR)
    with time_machine.travel(NOW - timedelta(hours=3), tick=False):
        application_transition(application=by_screener, to_status=Status.ISSUED, actor=TEST_ACTOR)
    refused = received_on(at(TODAY), status=Status.REFUSED, decided_at=NOW - timedelta(hours=2, minutes=5))
    received_on(at(TODAY - timedelta(days=3)), status=Status.ISSUED, decided_at=NOW - timedelta(hours=25))  # too old
    with time_machine.travel(NOW, tick=False):
        data = dashboard.throughput()
    hours = data["hours"]
    assert len(hours) == 24
    assert hours[-1] == NOW.replace(minute=0)
    assert data["counts"] == {
        (NOW.replace(minute=0), "automatic"): 1,
        (NOW.replace(minute=0) - timedelta(hours=3), "screener"): 1,
        (refused.decided_at.astimezone(AMSTERDAM).replace(minute=0, second=0), "screener"): 1,
    }


def test_refusals_per_day(reference_data):
    received_on(at(TODAY - timedelta(days=20)), status=Status.REFUSED, decided_at=at(TODAY, 9))
    received_on(at(TODAY - timedelta(days=20)), status=Status.REFUSED, decided_at=at(TODAY, 11))
    received_on(at(TODAY - timedelta(days=20)), status=Status.REFUSED, decided_at=at(TODAY - timedelta(days=5)))
    received_on(at(TODAY - timedelta(days=20)), status=Status.REFUSED, decided_at=at(TODAY - timedelta(days=14)))
    received_on(at(TODAY - timedelta(days=20)), status=Status.ISSUED, decided_at=at(TODAY))
    with time_machine.travel(NOW, tick=False):
        data = dashboard.refusals_per_day()
    assert data["counts"] == {TODAY: 2, TODAY - timedelta(days=5): 1}


def test_open_signals_and_outbox_health(reference_data):
    enrolment = enrol()
    Signal.objects.create(enrolment=enrolment, record_key="a", record={}, received_at=NOW - timedelta(days=2))
    Signal.objects.create(enrolment=enrolment, record_key="b", record={}, received_at=NOW)
    Signal.objects.create(
        enrolment=enrolment,
        record_key="c",
        record={},
        status=SignalStatus.DECIDED,
        direct_risk=False,
        action=SignalAction.NONE,
        motivation="Geen risico.",
    )
    assert dashboard.open_signals() == {"count": 2, "oldest": NOW - timedelta(days=2)}

    OutboxMessage.objects.all().delete()
    OutboxMessage.objects.create(event="x", channel="email", dedupe_key="1")
    OutboxMessage.objects.create(event="x", channel="email", dedupe_key="2", attempts=2)
    OutboxMessage.objects.create(event="x", channel="sms", dedupe_key="3", status="parked", attempts=5)
    OutboxMessage.objects.create(event="x", channel="letter", dedupe_key="4", status="sent", attempts=1)
    assert dashboard.outbox_health() == {("email", "pending"): 1, ("email", "retrying"): 1, ("sms", "parked"): 1}


def test_progress_counts_decided_since_and_still_waiting(reference_data):
    received_on(at(TODAY - timedelta(days=1)))
    received_on(at(TODAY - timedelta(days=1)), status=Status.IN_REVIEW)
    received_on(at(TODAY - timedelta(days=2)), status=Status.ISSUED, decided_at=at(TODAY, 9))
    received_on(at(TODAY - timedelta(days=2)), status=Status.ISSUED, decided_at=at(TODAY - timedelta(days=1), 9))
    with time_machine.travel(NOW, tick=False):
        data = dashboard.progress_since(at(TODAY, 0))
        # A moment long ago is clamped to a day back (the decision of yesterday 09:00 is further back).
        clamped = dashboard.progress_since(at(TODAY - timedelta(days=30)))
    assert (data["waiting"], data["decided"], data["total"], data["percent"]) == (2, 1, 3, 33)
    assert datetime.fromisoformat(clamped["since"]) == NOW - dashboard.PROGRESS_MAX_LOOKBACK
    assert clamped["decided"] == 1


def _figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def test_the_page_shows_the_figures_and_the_charts(team_lead_client, reference_data):
    received_on(at(TODAY))
    received_on(at(TODAY - timedelta(days=40)), decision_due_date=TODAY - timedelta(days=2))
    received_on(at(TODAY - timedelta(days=3)), status=Status.REFUSED, decided_at=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        response = team_lead_client.get(reverse("dashboard:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="justis-chart__svg" role="img"') == 5
    assert _figure(html, "backlog") == "2"
    assert _figure(html, "at-risk") == "1"
    assert _figure(html, "decided") == "1"
    assert _figure(html, "automatic-share") == "0"
    assert _figure(html, "signals") == "0"
    assert 'data-table="chart-intake"' in html
    assert "<caption" in html
    # No style attributes or inline scripts (Content Security Policy); SVG coordinates keep their dot.
    assert "style=" not in html
    assert "<script>" not in html
    assert not re.search(r'(x|y|width|height)="\d+,\d+"', html)
    assert re.search(r'<progress[^>]* max="3" value="1"', html)


def test_the_progress_json_matches_the_database(team_lead_client, reference_data):
    received_on(at(TODAY - timedelta(days=1)))
    received_on(at(TODAY - timedelta(days=2)), status=Status.ISSUED, decided_at=at(TODAY, 9))
    with time_machine.travel(NOW, tick=False):
        body = team_lead_client.get(reverse("dashboard:progress")).json()
        expected = dashboard.progress_since(at(TODAY, 0))
    assert body == expected
    assert (body["waiting"], body["decided"], body["percent"]) == (1, 1, 50)


@pytest.mark.parametrize("role", [Role.SCREENER, Role.SENIOR_SCREENER, Role.OPERATOR, Role.AUDITOR])
@pytest.mark.parametrize("name", ["dashboard:overview", "dashboard:progress"])
def test_other_staff_roles_are_refused(client, db, role, name):
    login_with_second_factor(client, staff_user("someone", role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["dashboard:overview", "dashboard:progress"])
def test_anonymous_visitors_are_sent_to_the_staff_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")


def test_the_chart_geometry_stacks_segments_on_a_round_scale():
    from applications.dashboard_charts import Series, nice_ceiling, stacked_bars

    assert [nice_ceiling(n) for n in (0, 1, 2, 3, 6, 11, 40, 51)] == [1, 1, 2, 5, 10, 20, 50, 100]
    series = [Series("a", "A", 1), Series("b", "B", 2)]
    values = {("x", "a"): 3, ("x", "b"): 2, ("y", "a"): 1}
    chart = stacked_bars([("x", "X"), ("y", "Y", "y!")], series, lambda c, s: values.get((c, s), 0))
    x, y = chart.bars
    assert (x.total, y.total, chart.total) == (5, 1, 6)
    assert [g.value for g in chart.gridlines] == [0, 5]  # 5 has no whole half
    # The segments stack from the baseline up, each as high as its share of the top of the scale (5).
    plot_height = chart.baseline - 8
    assert x.segments[0].y + x.segments[0].height == chart.baseline
    assert x.segments[1].y + x.segments[1].height == pytest.approx(x.segments[0].y, abs=0.2)
    assert x.segments[0].height == pytest.approx(plot_height * 3 / 5, abs=0.1)
    assert [s.value for s in y.segments] == [1]  # an empty segment is not drawn
    assert y.short_label == "y!"


def test_each_figure_is_one_query_however_many_rows(reference_data, django_assert_num_queries):
    for day in range(3):
        received_on(at(TODAY - timedelta(days=day)))
    received_on(at(TODAY - timedelta(days=40)), decision_due_date=TODAY - timedelta(days=2))
    with time_machine.travel(NOW, tick=False):
        for figure in (
            dashboard.intake_per_day,
            dashboard.backlog_by_status_and_age,
            dashboard.throughput,
            dashboard.refusals_per_day,
            dashboard.open_signals,
            dashboard.outbox_health,
        ):
            with django_assert_num_queries(1):
                figure()
        with django_assert_num_queries(2):  # the count, and the few most urgent
            dashboard.at_risk()
        with django_assert_num_queries(1):
            dashboard.progress_since(at(TODAY, 0))
