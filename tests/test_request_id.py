"""The request id: on the response, in every JSON log line, and in the headers of the tasks a request enqueues."""

import json
import logging
import sys

from django.test import override_settings
from django.urls import path

import pytest
from celery import shared_task
from celery.signals import before_task_publish

from justis.request_id import TASK_HEADER, ContextFilter, JsonFormatter, request_id_var, task_id_var, task_name_var

logger = logging.getLogger("tests.request_id")


@shared_task(name="tests.request_id_probe")
def request_id_probe():
    logger.warning("inside the task")
    return request_id_var.get()


def log_and_enqueue(request):
    from django.http import HttpResponse

    logger.warning("handling the request")
    request_id_probe.apply_async(queue="request-id-test-queue")
    return HttpResponse("ok")


urlpatterns = [path("log-and-enqueue", log_and_enqueue, name="log-and-enqueue")]


def json_line(record: logging.LogRecord) -> dict:
    ContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_well_formed_id_is_kept_and_returned(client):
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-4f2c9a1b-0001"})
    assert response["X-Request-ID"] == "proxy-4f2c9a1b-0001"


@pytest.mark.parametrize("given", [None, "short", "has spaces in it", "x" * 200, 'evil"\nline-injected-id'])
def test_a_missing_or_malformed_id_is_replaced(client, given):
    headers = {"X-Request-ID": given} if given else {}
    response = client.get("/healthz", headers=headers)
    made = response["X-Request-ID"]
    assert made != given
    assert len(made) == 32
    assert made.isalnum()
    assert client.get("/healthz")["X-Request-ID"] != made  # a new one every request


def test_the_json_formatter_writes_one_object_with_the_context():
    token = request_id_var.set("req-12345678")
    try:
        try:
            raise ValueError("broken")
        except ValueError:
            record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "failed %s", ("once",), sys.exc_info())
        entry = json_line(record)
    finally:
        request_id_var.reset(token)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "tests.request_id"
    assert entry["message"] == "failed once"
    assert entry["request_id"] == "req-12345678"
    assert entry["time"].endswith("+00:00")
    assert "ValueError: broken" in entry["exception"]
    assert "task_id" not in entry


def test_the_json_formatter_names_the_task():
    tokens = (task_id_var.set("task-1"), task_name_var.set("screening.tasks.assess_application"))
    try:
        entry = json_line(logger.makeRecord(logger.name, logging.INFO, __file__, 1, 'a "quoted"\nmessage', (), None))
    finally:
        task_id_var.reset(tokens[0])
        task_name_var.reset(tokens[1])
    assert entry["task_id"] == "task-1"
    assert entry["task_name"] == "screening.tasks.assess_application"
    assert entry["message"] == 'a "quoted"\nmessage'
    assert entry["request_id"] is None


@override_settings(ROOT_URLCONF=__name__)
def test_the_id_travels_into_the_task_headers_and_the_log_lines(client, redis_client, caplog):
    published = []

    def capture(headers=None, **kwargs):
        published.append(dict(headers))

    before_task_publish.connect(capture)
    try:
        with caplog.at_level(logging.WARNING, logger="tests.request_id"):
            response = client.get("/log-and-enqueue", headers={"X-Request-ID": "trace-abcdef12"})
    finally:
        before_task_publish.disconnect(capture)
        redis_client.delete("request-id-test-queue")
    assert response["X-Request-ID"] == "trace-abcdef12"
    assert [headers[TASK_HEADER] for headers in published] == ["trace-abcdef12"]
    assert json_line(caplog.records[0])["request_id"] == "trace-abcdef12"
    assert request_id_var.get() is None  # nothing leaks after the request


def test_a_task_restores_the_id_from_its_headers():
    assert request_id_probe.apply(headers={TASK_HEADER: "from-message-1234"}).get() == "from-message-1234"
    assert request_id_probe.apply(headers={TASK_HEADER: "bad id"}).get() is None
    assert request_id_var.get() is None
    assert task_id_var.get() is None
