"""Health checks: /healthz (the process is up) and /readyz (PostgreSQL, Redis and a Celery worker answer)."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import redis


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        connection.close()
        return f"PostgreSQL does not answer: {type(exc).__name__}"


def _check_redis() -> str | None:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"Redis does not answer: {type(exc).__name__}"


def _check_workers() -> str | None:
    from justis.celery import app

    try:
        replies = app.control.ping(timeout=1.0, limit=1)  # the first answer is enough
    except Exception as exc:  # noqa: BLE001
        return f"Celery workers cannot be reached: {type(exc).__name__}"
    if not replies:
        return "no Celery worker answered"
    return None


@require_GET
@never_cache
def readyz(request):
    problems = {"database": _check_database(), "redis": _check_redis()}
    problems["workers"] = _check_workers() if problems["redis"] is None else "not checked: Redis is down"
    body = {name: (problem or "ok") for name, problem in problems.items()}
    down = [name for name, problem in problems.items() if problem]
    body["status"] = "ready" if not down else "not ready: " + ", ".join(down) + " down"
    return JsonResponse(body, status=200 if not down else 503)
