"""Prometheus metrics for operators at ``/metrics`` (a bearer token or a logged-in operator).

Three sources, all names prefixed ``justis_`` (the list with labels is in docs/architecture.md):

- HTTP requests, counted in the web process by ``MetricsMiddleware`` (labels: method, route name, status
  class; never the raw path, so the labels stay few). Gunicorn runs several processes: gunicorn.conf.py
  sets ``PROMETHEUS_MULTIPROC_DIR`` (an emptied directory per start), so the figures of all of them are
  added up; without it (runserver) a scrape sees the process that answers.
- Celery tasks: the workers are other processes, so ``task_prerun``/``task_postrun``/``task_failure`` keep
  counters in Redis (one hash, ``HINCRBY``/``HINCRBYFLOAT`` per task name) that the scrape reads.
- Read at scrape time by ``JustisCollector``: Celery queue lengths (Redis list lengths), whether Redis
  answers, and from PostgreSQL the outbox backlog, applications waiting by status and decisions at risk
  (cheap counts on indexed columns). Redis down gives ``justis_redis_up 0`` and no queue figures, PostgreSQL
  down ``justis_database_up 0`` and no counts: never a 500.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import redis
from celery.signals import task_failure, task_postrun, task_prerun
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from justis.roles import Role, user_has_role

logger = logging.getLogger(__name__)

# --- HTTP requests (web process) ---------------------------------------------------------------------

HTTP_REQUESTS = Counter(
    "justis_http_requests",
    "HTTP requests answered, by method, URL route name and status class.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "justis_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and URL route name.",
    ["method", "route"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(request) -> str:
    """The URL pattern's name (with namespace), ``unnamed`` for a pattern without one, ``unmatched`` for a 404."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        route = route_of(request)
        HTTP_REQUESTS.labels(method, route, f"{response.status_code // 100}xx").inc()
        HTTP_LATENCY.labels(method, route).observe(time.perf_counter() - started)
        return response


# --- Celery tasks (worker processes): counters in Redis ----------------------------------------------

TASK_STATS_KEY = "justis:metrics:tasks"
_started: dict[str, float] = {}


def _stats_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


@task_prerun.connect
def _task_started(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


@task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is None or task is None:
        return
    name = task.name
    try:  # the metrics never break a task: Redis down loses these figures, nothing else
        client = _stats_client()
        pipe = client.pipeline(transaction=False)
        pipe.hincrby(TASK_STATS_KEY, f"{name}|count", 1)
        pipe.hincrbyfloat(TASK_STATS_KEY, f"{name}|seconds", time.monotonic() - started)
        pipe.execute()
        client.close()
    except redis.RedisError as exc:
        logger.warning("task metrics not recorded: %s", type(exc).__name__)


@task_failure.connect
def _task_failed(sender=None, **kwargs):
    if sender is None:
        return
    try:
        client = _stats_client()
        client.hincrby(TASK_STATS_KEY, f"{sender.name}|failures", 1)
        client.close()
    except redis.RedisError as exc:
        logger.warning("task failure not recorded: %s", type(exc).__name__)


# --- Read at scrape time ---------------------------------------------------------------------------

# kombu's Redis transport keeps messages with a priority in extra lists: "<queue>\x06\x16<priority>".
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def _queue_lengths(client: redis.Redis, queues) -> dict[str, int]:
    pipe = client.pipeline(transaction=False)
    for queue in queues:
        for suffix in _PRIORITY_SUFFIXES:
            pipe.llen(queue + suffix)
    lengths = pipe.execute()
    step = len(_PRIORITY_SUFFIXES)
    return {queue: sum(lengths[i * step : (i + 1) * step]) for i, queue in enumerate(queues)}


def _task_stats(client: redis.Redis) -> dict[str, dict[str, float]]:
    stats: dict[str, dict[str, float]] = {}
    for field, value in client.hgetall(TASK_STATS_KEY).items():
        name, _, kind = field.decode().rpartition("|")
        stats.setdefault(name, {"count": 0, "seconds": 0.0, "failures": 0})[kind] = float(value)
    return stats


class JustisCollector:
    """Figures read when Prometheus scrapes: Redis (queues, task counters) and PostgreSQL (backlogs)."""

    def collect(self):
        yield from self._redis_metrics()
        up = GaugeMetricFamily("justis_database_up", "1 when PostgreSQL answered the scrape's counts, else 0.")
        try:
            families = list(self._database_metrics())
        except DatabaseError as exc:
            logger.warning("metrics: the database does not answer: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _redis_metrics(self):
        up = GaugeMetricFamily("justis_redis_up", "1 when Redis (broker and task counters) answers, else 0.")
        queues = GaugeMetricFamily(
            "justis_celery_queue_length", "Messages waiting in a Celery queue (Redis list length).", labels=["queue"]
        )
        durations = SummaryMetricFamily(
            "justis_celery_task_duration_seconds", "Time Celery tasks took, by task name.", labels=["task"]
        )
        failures = CounterMetricFamily(
            "justis_celery_task_failures", "Celery tasks that ended in an exception, by task name.", labels=["task"]
        )
        try:
            broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
            lengths = _queue_lengths(broker, settings.METRICS_QUEUES)
            broker.close()
            stats_client = _stats_client()
            stats = _task_stats(stats_client)
            stats_client.close()
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for queue, length in lengths.items():
            queues.add_metric([queue], length)
        for name, figures in sorted(stats.items()):
            durations.add_metric([name], count_value=figures["count"], sum_value=figures["seconds"])
            failures.add_metric([name], figures["failures"])
        yield from (up, queues, durations, failures)

    def _database_metrics(self):
        from applications.dashboard import outbox_health
        from applications.deadlines import decisions_at_risk
        from applications.lifecycle import FINAL, Status
        from applications.models import Application
        from notifications.models import OutboxChannel, OutboxStatus

        outbox = GaugeMetricFamily(
            "justis_outbox_backlog",
            "Outbox messages not sent, by channel and status (pending: still being tried; parked: for an operator).",
            labels=["channel", "status"],
        )
        health = outbox_health()  # the dashboard's figure: pending is "pending" and "retrying" there
        for channel in OutboxChannel.values:
            pending = health.get((channel, "pending"), 0) + health.get((channel, "retrying"), 0)
            outbox.add_metric([channel, OutboxStatus.PENDING], pending)
            outbox.add_metric([channel, OutboxStatus.PARKED], health.get((channel, "parked"), 0))
        yield outbox

        waiting = GaugeMetricFamily(
            "justis_applications_waiting",
            "Applications not yet decided, withdrawn or expired, by status.",
            labels=["status"],
        )
        open_statuses = [status for status in Status.values if status not in FINAL]
        counts = dict(  # IN on the indexed status column, not NOT IN: decided rows are most of the table
            Application.objects.filter(status__in=open_statuses)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for status in open_statuses:
            waiting.add_metric([status], counts.get(status, 0))
        yield waiting

        at_risk = GaugeMetricFamily(
            "justis_decisions_at_risk",
            "Applications whose statutory decision date is at risk or passed (the delay notice's rule).",
        )
        at_risk.add_metric([], decisions_at_risk().count())
        yield at_risk


_collector = JustisCollector()


def _registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


# --- The endpoint ----------------------------------------------------------------------------------


def _token_matches(request) -> bool | None:
    """True/False for a bearer token that matches or not; None when the request brings none."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    expected = settings.METRICS_TOKEN
    return bool(expected) and hmac.compare_digest(header[7:].strip().encode(), expected.encode())


def _is_operator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_verified() and user_has_role(user, Role.OPERATOR)


@require_GET
@never_cache
def metrics_view(request):
    token = _token_matches(request)
    if token is False:
        raise PermissionDenied
    if token is None and not _is_operator(request.user):
        if request.user.is_authenticated:
            raise PermissionDenied
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = _registry()
    body = generate_latest(registry) + generate_latest(_ScrapeOnly())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


class _ScrapeOnly(CollectorRegistry):
    """A registry holding only the scrape-time collector (kept out of the process-wide one)."""

    def __init__(self):
        super().__init__(auto_describe=False)
        self.register(_collector)
