"""A request id on every log line, from the web request into the Celery tasks it enqueues.

- ``RequestIdMiddleware`` takes a well-formed ``X-Request-ID`` from the proxy (or makes one), keeps it in a
  context variable for the request, and returns it in the ``X-Request-ID`` response header.
- ``before_task_publish`` copies the id into the message headers of every task published while it is set;
  ``task_prerun`` in the worker restores it, with the task's id and name, for the task's own log lines.
- ``JsonFormatter`` writes one JSON object per line (production's log format, see ``LOGGING`` in settings):
  time, level, logger, message, request_id, task_id and task_name in a task, and the exception if any.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
TASK_HEADER = "justis_request_id"
# What a proxy may hand us: letters, digits and . _ : - (a UUID fits), never anything that could break a log line.
WELL_FORMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)
task_name_var: ContextVar[str | None] = ContextVar("task_name", default=None)


def request_id_from(value: str | None) -> str:
    """The given id when it is well-formed, else a new one."""
    if value and WELL_FORMED.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


class ContextFilter(logging.Filter):
    """Puts request_id, task_id and task_name on every record (``-`` when absent), for any formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", None) or request_id_var.get() or "-"
        record.task_id = getattr(record, "task_id", None) or task_id_var.get() or "-"
        record.task_name = getattr(record, "task_name", None) or task_name_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the context comes from the record (ContextFilter) or the context variables."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _context(record, "request_id", request_id_var),
        }
        task_id = _context(record, "task_id", task_id_var)
        if task_id:
            entry["task_id"] = task_id
            entry["task_name"] = _context(record, "task_name", task_name_var)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _context(record: logging.LogRecord, name: str, var: ContextVar) -> str | None:
    value = getattr(record, name, None)
    if value and value != "-":
        return value
    return var.get()


# --- Celery: the id travels in the message headers ---------------------------------------------------


@before_task_publish.connect
def _put_request_id_in_headers(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


_tokens: dict[str, tuple] = {}


@task_prerun.connect
def _restore_context(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if request_id is None and task is not None:
        request_id = (getattr(task.request, "headers", None) or {}).get(TASK_HEADER)
    if not (request_id and WELL_FORMED.match(request_id)):
        request_id = request_id_var.get()  # an eager task runs inside the request that started it
    _tokens[task_id] = (
        request_id_var.set(request_id),
        task_id_var.set(task_id),
        task_name_var.set(getattr(task, "name", None)),
    )


@task_postrun.connect
def _clear_context(task_id=None, **kwargs):
    tokens = _tokens.pop(task_id, None)
    if tokens is None:
        return
    for var, token in zip((request_id_var, task_id_var, task_name_var), tokens, strict=True):
        try:
            var.reset(token)
        except ValueError:  # set in another context (should not happen): forget it instead
            var.set(None)
