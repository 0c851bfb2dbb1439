"""Delivering outbox messages by e-mail: the invitation with its link and code, retries, parking, never twice."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from justis.audit import Actor
from justis.faults import fault_clear, fault_set
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import outbox_deliver, outbox_sweep
from tests.factories import received_application
from tests.portal import prepare

pytestmark = pytest.mark.django_db
DRILL = Actor.system("drill")


def test_the_invitation_email_carries_the_link_and_the_code_in_dutch_and_english(org_user, settings):
    application = prepare(org_user)
    message = OutboxMessage.objects.get(application=application, event="invitation")
    assert outbox_deliver(message_id=message.pk) == "sent"
    [email] = mail.outbox
    code = application.invitation.code
    assert email.to == ["jan@example.org"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert "VOG" in email.subject
    assert f"{settings.PUBLIC_BASE_URL}/aanvraag/{code}/" in email.body
    assert "Vul de aanvraag aan" in email.body
    assert "Complete the application" in email.body
    assert "Kinderopvang De Zonnebloem" in email.body
    message.refresh_from_db()
    assert (message.status, message.recipient, message.attempts) == (OutboxStatus.SENT, "jan@example.org", 1)


def test_a_message_is_never_sent_twice(org_user):
    message = OutboxMessage.objects.get(application=prepare(org_user), event="invitation")
    assert outbox_deliver(message_id=message.pk) == "sent"
    assert outbox_deliver(message_id=message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_means_retries_with_back_off_then_parking(org_user, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = OutboxMessage.objects.get(application=prepare(org_user), event="invitation")
    fault_set(system="mail", mode="down", actor=DRILL)
    before = timezone.now()
    assert outbox_deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at >= before + settings.OUTBOX_RETRY_BASE
    assert "mail" in message.last_error
    assert outbox_deliver(message_id=message.pk) == "parked"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PARKED
    assert mail.outbox == []
    fault_clear(system="mail", actor=DRILL)


def test_the_mail_server_coming_back_delivers_on_the_next_try(org_user):
    message = OutboxMessage.objects.get(application=prepare(org_user), event="invitation")
    fault_set(system="mail", mode="errors", actor=DRILL)
    assert outbox_deliver(message_id=message.pk) == "retry"
    fault_clear(system="mail", actor=DRILL)
    assert outbox_deliver(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1


def test_messages_for_the_organisation_wait_without_an_address(org_user):
    from applications.invitations import invitations_expire
    from applications.models import Invitation

    application = prepare(org_user)
    Invitation.objects.filter(application=application).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitations_expire()
    message = OutboxMessage.objects.get(application=application, event="invitation_expired")
    assert outbox_deliver(message_id=message.pk) == "no_recipient"
    assert mail.outbox == []


def test_other_events_use_the_default_message_to_the_applicant(amsterdam):
    application = received_application(municipality=amsterdam)
    message = OutboxMessage.objects.get(application=application, event="application_received")
    assert outbox_deliver(message_id=message.pk) == "sent"
    [email] = mail.outbox
    assert email.to == ["jan@example.org"]
    assert application.reference in email.subject
    assert f"/mijnjustis/{application.reference}/" in email.body


def test_the_sweeper_requeues_what_is_due_and_not_what_is_sent(org_user, django_capture_on_commit_callbacks):
    due = OutboxMessage.objects.get(application=prepare(org_user), event="invitation")
    OutboxMessage.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    later = OutboxMessage.objects.get(
        application=prepare(org_user, given_names="Piet", email="piet@example.org"), event="invitation"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert outbox_sweep() == 1
    assert len(callbacks) == 1
    due.refresh_from_db()
    assert due.next_attempt_at > timezone.now()  # not queued again by the next sweep
    assert later.status == OutboxStatus.PENDING


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_invitation(start_worker, org_user, tmp_path):
    from tests.conftest import wait_for

    start_worker(env={"EMAIL_URL": f"filemail:///{tmp_path}"})  # three slashes and an absolute path
    application = prepare(org_user)
    sent = wait_for(lambda: list(tmp_path.glob("*.log")), message="the invitation e-mail")
    text = sent[0].read_text()
    assert application.invitation.code in text
    assert "To: jan@example.org" in text
    assert OutboxMessage.objects.get(application=application, event="invitation").status == OutboxStatus.SENT
