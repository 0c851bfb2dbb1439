"""Prometheus metrics at /metrics: who may read them, and that the figures are the system's."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest
from celery import shared_task
from prometheus_client.parser import text_string_to_metric_families

from applications.lifecycle import Status
from applications.models import Application
from justis.metrics import TASK_STATS_KEY
from justis.roles import Role
from notifications.models import OutboxMessage
from tests.factories import application_in, received_application
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

TOKEN = "test-metrics-token-0123456789abcdef"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


# --- Access --------------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_for_a_token(client):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"justis_" not in response.content


@pytest.mark.parametrize("header", ["Bearer wrong-token", f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}"])
def test_a_wrong_token_is_refused(client, header):
    response = client.get("/metrics", headers={"Authorization": header})
    assert response.status_code in (401, 403)
    assert b"justis_" not in response.content


def test_no_token_configured_refuses_every_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code in (401, 403)
    assert client.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 403


def test_staff_who_are_not_operators_are_refused(client, reference_data):
    login_with_second_factor(client, staff_user("screener.metrics", Role.SCREENER))
    assert client.get("/metrics").status_code == 403


def test_an_operator_without_the_second_factor_is_refused(client, reference_data):
    client.force_login(staff_user("operator.password-only", Role.OPERATOR))
    assert client.get("/metrics").status_code == 403


def test_an_operator_and_the_token_get_the_metrics(client, reference_data):
    assert b"justis_redis_up" in client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content
    login_with_second_factor(client, staff_user("operator.metrics", Role.OPERATOR))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"justis_outbox_backlog" in response.content


# --- Figures -------------------------------------------------------------------------------------


def test_backlogs_match_the_database(client, reference_data):
    received = [received_application() for _ in range(3)]
    application_in(Status.IN_ASSESSMENT)
    OutboxMessage.objects.all().delete()  # the receipts' own messages: start from a known backlog
    for i in range(4):
        OutboxMessage.objects.create(event="test", channel="sms", dedupe_key=f"pending-{i}")
    OutboxMessage.objects.create(event="test", channel="email", dedupe_key="parked", status="parked")
    OutboxMessage.objects.create(event="test", channel="email", dedupe_key="sent", status="sent")
    today = timezone.localdate()
    Application.objects.filter(pk=received[0].pk).update(decision_due_date=today - timedelta(days=1))
    Application.objects.filter(pk=received[1].pk).update(
        decision_due_date=today + timedelta(days=2), decision_period_extended=True
    )

    samples = scrape(client)

    assert value(samples, "justis_outbox_backlog", channel="sms", status="pending") == 4
    assert value(samples, "justis_outbox_backlog", channel="email", status="pending") == 0
    assert value(samples, "justis_outbox_backlog", channel="email", status="parked") == 1
    assert value(samples, "justis_applications_waiting", status="received") == 3
    assert value(samples, "justis_applications_waiting", status="in_assessment") == 1
    assert value(samples, "justis_applications_waiting", status="in_review") == 0
    assert value(samples, "justis_decisions_at_risk") == 2


def test_a_request_is_counted_by_its_route_name(client):
    before = value(scrape(client), "justis_http_requests_total", method="GET", route="healthz", status="2xx") or 0
    client.get("/healthz")
    client.get("/healthz")
    client.get("/does-not-exist-anywhere")
    samples = scrape(client)
    assert value(samples, "justis_http_requests_total", method="GET", route="healthz", status="2xx") == before + 2
    assert value(samples, "justis_http_requests_total", method="GET", route="unmatched", status="4xx") >= 1
    assert value(samples, "justis_http_request_duration_seconds_count", method="GET", route="healthz") >= 2
    assert not any("does-not-exist" in str(labels) for _name, labels in samples)  # never the raw path


def test_queue_lengths_are_the_redis_lists(client, settings, redis_client):
    settings.METRICS_QUEUES = ("metrics-test-queue", "assessment")
    redis_client.delete("metrics-test-queue", "assessment")
    redis_client.lpush("metrics-test-queue", "a", "b", "c")
    redis_client.lpush("metrics-test-queue\x06\x166", "prioritised")
    samples = scrape(client)
    assert value(samples, "justis_redis_up") == 1
    assert value(samples, "justis_celery_queue_length", queue="metrics-test-queue") == 4
    assert value(samples, "justis_celery_queue_length", queue="assessment") == 0


def test_redis_down_is_a_figure_not_an_error(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    samples = scrape(client)
    assert value(samples, "justis_redis_up") == 0
    assert not any(name == "justis_celery_queue_length" for name, _labels in samples)
    assert value(samples, "justis_outbox_backlog", channel="sms", status="pending") == 0  # the database still counts


def test_database_down_is_a_figure_not_an_error(client, monkeypatch):
    from django.db import OperationalError

    def unreachable(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("applications.deadlines.decisions_at_risk", unreachable)
    samples = scrape(client)
    assert value(samples, "justis_database_up") == 0
    assert value(samples, "justis_redis_up") == 1
    assert not any(name == "justis_applications_waiting" for name, _labels in samples)


@shared_task(name="tests.metrics_probe")
def metrics_probe(fail: bool = False):
    if fail:
        raise RuntimeError("the probe fails on purpose")
    return "ok"


# A failing task closes the database connections (justis/celery.py): outside a test transaction, then.
@pytest.mark.django_db(transaction=True)
def test_task_duration_and_failures_are_counted_through_the_signals(client, redis_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    redis_client.delete(TASK_STATS_KEY)
    metrics_probe.apply()
    metrics_probe.apply()
    metrics_probe.apply(kwargs={"fail": True})  # eager: the failure is stored on the result, not raised
    samples = scrape(client)
    assert value(samples, "justis_celery_task_duration_seconds_count", task="tests.metrics_probe") == 3
    assert value(samples, "justis_celery_task_duration_seconds_sum", task="tests.metrics_probe") > 0
    assert value(samples, "justis_celery_task_failures_total", task="tests.metrics_probe") == 1


def test_the_metric_names_are_documented():
    architecture = (settings.BASE_DIR / "docs" / "architecture.md").read_text()
    for name in (
        "justis_http_requests_total",
        "justis_http_request_duration_seconds",
        "justis_celery_queue_length",
        "justis_redis_up",
        "justis_database_up",
        "justis_celery_task_duration_seconds",
        "justis_celery_task_failures_total",
        "justis_outbox_backlog",
        "justis_applications_waiting",
        "justis_decisions_at_risk",
    ):
        assert name in architecture, name
