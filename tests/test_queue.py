"""Intake keeps working when Redis cannot be reached: the application is saved, the sweeper queues it later."""

import logging

import pytest
from kombu.exceptions import OperationalError

from applications.lifecycle import Status
from applications.models import Application
from justis.celery import app
from justis.queue import publish
from screening.tasks import assess_application


@pytest.fixture
def dead_broker():
    """Point the Celery app at a port where nothing listens, for real (no mock), then restore it."""
    original = app.conf.broker_url
    _reset_connections("redis://127.0.0.1:1/0")
    yield
    _reset_connections(original)


def _reset_connections(url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_the_dead_broker_really_refuses_messages(dead_broker):
    with pytest.raises(OperationalError):
        assess_application.delay(1)


def test_publish_reports_instead_of_raising(dead_broker, caplog):
    with caplog.at_level(logging.WARNING, logger="justis.queue"):
        assert publish(assess_application, 1) is False
    assert "waits for the sweeper" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_forwarding_succeeds_while_redis_is_down(dead_broker, api, application_payload):
    response = api.post("/api/v1/applications/", application_payload, format="json")
    assert response.status_code == 201, response.content
    application = Application.objects.get(reference=response.json()["reference"])
    assert application.status == Status.RECEIVED
    assert application.next_attempt_at is not None  # the sweeper will queue it
