"""The operators' screen of message delivery: who may open it, the counts, the stuck messages, resending."""

from datetime import timedelta

from django.utils import timezone

import pytest

from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import outbox_deliver
from tests.factories import received_application
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db
URL = "/beheer/berichten/"


@pytest.fixture
def operator(reference_data):
    return staff_user("operator.justis", Role.OPERATOR)


@pytest.fixture
def operator_client(client, operator):
    return login_with_second_factor(client, operator)


def _parked(channel="email", **fields):
    message = OutboxMessage.objects.get(application=received_application(), event="application_received")
    OutboxMessage.objects.filter(pk=message.pk).update(
        channel=channel,
        status=OutboxStatus.PARKED,
        attempts=8,
        next_attempt_at=None,
        last_error="sms unavailable: connection refused",
        **fields,
    )
    message.refresh_from_db()
    return message


def test_only_operators_with_two_factors_open_the_screen(operator, screener):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(URL).status_code == 302
    assert anonymous.get(URL)["Location"].startswith("/medewerkers/inloggen/")
    password_only = Client()
    password_only.force_login(operator)
    assert password_only.get(URL)["Location"].startswith("/medewerkers/inloggen/")
    assert login_with_second_factor(Client(), screener).get(URL).status_code == 403
    assert login_with_second_factor(Client(), operator).get(URL).status_code == 200


def test_the_screen_counts_per_channel_and_status_and_lists_the_stuck_ones(operator_client, settings):
    parked = _parked(channel="sms")
    stale = OutboxMessage.objects.get(application=received_application(), event="application_received")
    OutboxMessage.objects.filter(pk=stale.pk).update(
        next_attempt_at=timezone.now() - settings.OUTBOX_STALE_AFTER - timedelta(minutes=1)
    )
    waiting = OutboxMessage.objects.get(application=received_application(), event="application_received")
    sent = OutboxMessage.objects.get(application=received_application(), event="application_received")
    assert outbox_deliver(message_id=sent.pk) == "sent"

    response = operator_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    counts = {row["channel"]: row["counts"] for row in response.context["rows"]}
    statuses = [value for value, _label in response.context["statuses"]]
    assert counts["sms"][statuses.index("parked")] == 1
    assert counts["email"][statuses.index("pending")] == 2
    assert counts["email"][statuses.index("sent")] == 1
    assert [message.pk for message in response.context["stuck"]] == [parked.pk, stale.pk]
    assert f'data-message="{parked.pk}"' in html
    assert f'data-message="{waiting.pk}"' not in html
    assert "sms unavailable: connection refused" in html


def test_resend_puts_a_parked_message_back_once_and_audits_it(operator_client, django_capture_on_commit_callbacks):
    parked = _parked()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = operator_client.post(f"{URL}{parked.pk}/opnieuw/")
    assert response.status_code == 302
    assert len(callbacks) == 1  # a delivery message
    parked.refresh_from_db()
    assert (parked.status, parked.attempts, parked.last_error) == (OutboxStatus.PENDING, 0, "")
    audit = AuditEvent.objects.get(action=AuditAction.OUTBOX_RESENT)
    assert (audit.subject_id, audit.actor_label) == (str(parked.pk), "operator.justis")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        operator_client.post(f"{URL}{parked.pk}/opnieuw/")  # a second click
    assert callbacks == []
    assert AuditEvent.objects.filter(action=AuditAction.OUTBOX_RESENT).count() == 1
    assert outbox_deliver(message_id=parked.pk) == "sent"


def test_resend_all_parked_of_one_channel(operator_client, operator):
    sms_one, sms_two, email = _parked(channel="sms"), _parked(channel="sms"), _parked(channel="email")
    response = operator_client.post(f"{URL}geparkeerd/sms/opnieuw/")
    assert response.status_code == 302
    statuses = dict(OutboxMessage.objects.filter(pk__in=[sms_one.pk, sms_two.pk, email.pk]).values_list("pk", "status"))
    assert statuses == {sms_one.pk: "pending", sms_two.pk: "pending", email.pk: "parked"}
    assert AuditEvent.objects.filter(action=AuditAction.OUTBOX_RESENT).count() == 2
    assert operator_client.post(f"{URL}geparkeerd/fax/opnieuw/").status_code == 404
    assert operator_client.get(f"{URL}geparkeerd/sms/opnieuw/").status_code == 405
