"""The Celery app. Tasks are thin: they load ids and call services (see docs/architecture.md)."""

import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "justis.settings")

app = Celery("justis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Signal receivers of every process: the request id in message headers and log lines, task metrics.
from justis import metrics, request_id  # noqa: E402, F401


@app.on_after_finalize.connect
def _reuse_db_connections(sender, **kwargs):
    # Celery's Django fixup reads this un-namespaced key; without it every task reconnects.
    from django.conf import settings

    sender.conf.CELERY_DB_REUSE_MAX = settings.CELERY_DB_REUSE_MAX


@task_failure.connect
def _close_db_connections_after_failure(**kwargs):
    # A task interrupted mid-query may leave its connection unusable: never reuse it.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()
