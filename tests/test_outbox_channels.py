"""Delivery on every channel (e-mail, SMS, message box, letter by post): once each, a channel down
holds up only its own messages, and they arrive exactly once when it is back."""

import threading
import time
from datetime import timedelta

from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

import pytest

from applications.lifecycle import Status, application_transition
from applications.models import Applicant
from justis.audit import Actor
from justis.faults import fault_clear, fault_set
from notifications.models import (
    Letter,
    LetterKind,
    OutboxMessage,
    OutboxStatus,
    PrintJob,
    SimulatedBerichtenboxMessage,
    SimulatedSms,
)
from notifications.services import outbox_deliver, outbox_sweep
from tests.factories import TEST_ACTOR, received_application

pytestmark = pytest.mark.django_db
DRILL = Actor.system("drill")
PHONE = "0612345678"


def issued_with_phone(**kwargs):
    """An application whose applicant has a phone number and a BSN, decided: the decision on three channels."""
    application = received_application(**kwargs)
    Applicant.objects.filter(application=application).update(phone=PHONE)
    for step in (Status.IN_ASSESSMENT, Status.ISSUED):
        application = application_transition(application=application, to_status=step, actor=TEST_ACTOR)
    return application


def decision_rows(application):
    return {
        message.channel: message
        for message in OutboxMessage.objects.filter(application=application, event="decision_issued")
    }


def deliver_all(application) -> dict[str, str]:
    return {
        message.channel: outbox_deliver(message_id=message.pk)
        for message in OutboxMessage.objects.filter(application=application, event="decision_issued")
    }


def test_a_decision_goes_out_once_on_every_channel_it_uses():
    application = issued_with_phone()
    rows = decision_rows(application)
    assert set(rows) == {"email", "sms", "berichtenbox"}
    assert rows["sms"].dedupe_key == rows["email"].dedupe_key + ":sms"

    assert deliver_all(application) == {"email": "sent", "sms": "sent", "berichtenbox": "sent"}
    assert deliver_all(application) == {"email": "skipped", "sms": "skipped", "berichtenbox": "skipped"}

    assert len(mail.outbox) == 1
    [sms] = SimulatedSms.objects.all()
    assert sms.to == PHONE
    assert application.reference in sms.text
    assert "besluit" in sms.text  # Dutch, then English
    assert "decision" in sms.text
    [box] = SimulatedBerichtenboxMessage.objects.all()
    assert box.bsn == "999990019"
    assert application.reference in box.subject
    rows = decision_rows(application)
    assert (rows["sms"].status, rows["sms"].recipient, rows["sms"].attempts) == (OutboxStatus.SENT, PHONE, 1)
    assert rows["berichtenbox"].recipient == "******019"  # the BSN is not kept in the outbox


def test_a_channel_without_a_backend_is_not_used(settings):
    settings.SMS_BACKEND = ""
    settings.BERICHTENBOX_BACKEND = ""
    assert set(decision_rows(issued_with_phone())) == {"email"}


def test_without_a_phone_number_no_sms_and_a_second_enqueue_writes_nothing():
    from notifications.services import outbox_enqueue

    application = received_application()
    assert list(OutboxMessage.objects.filter(application=application).values_list("channel", flat=True)) == ["email"]
    Applicant.objects.filter(application=application).update(phone=PHONE)
    application.refresh_from_db()
    first = OutboxMessage.objects.get(application=application)
    again = outbox_enqueue(event="application_received", application=application, dedupe_key=first.dedupe_key)
    assert again.pk == first.pk
    assert OutboxMessage.objects.filter(application=application).count() == 1  # chosen when first written
    sms = outbox_enqueue(event="application_received", application=application, dedupe_key="manual:1")
    assert sms.channel == "email"
    assert OutboxMessage.objects.filter(application=application, channel="sms").count() == 1
    outbox_enqueue(event="application_received", application=application, dedupe_key="manual:1")
    assert OutboxMessage.objects.filter(application=application, channel="sms").count() == 1


def test_sms_down_its_messages_wait_and_retry_while_the_others_go(settings):
    application = issued_with_phone()
    fault_set(system="sms", mode="down", actor=DRILL)
    before = timezone.now()
    assert deliver_all(application) == {"email": "sent", "sms": "retry", "berichtenbox": "sent"}
    sms_row = decision_rows(application)["sms"]
    assert (sms_row.status, sms_row.attempts) == (OutboxStatus.PENDING, 1)
    assert sms_row.next_attempt_at >= before + settings.OUTBOX_RETRY_BASE
    assert "sms" in sms_row.last_error
    assert not SimulatedSms.objects.exists()

    assert deliver_all(application)["sms"] == "retry"  # still down
    fault_clear(system="sms", actor=DRILL)
    assert deliver_all(application) == {"email": "skipped", "sms": "sent", "berichtenbox": "skipped"}
    assert deliver_all(application)["sms"] == "skipped"
    assert SimulatedSms.objects.count() == 1
    assert SimulatedBerichtenboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert decision_rows(application)["sms"].attempts == 3


def test_mail_down_does_not_hold_up_the_sms_and_the_message_box():
    application = issued_with_phone()
    fault_set(system="mail", mode="errors", actor=DRILL)
    assert deliver_all(application) == {"email": "retry", "sms": "sent", "berichtenbox": "sent"}
    fault_clear(system="mail", actor=DRILL)
    assert deliver_all(application)["email"] == "sent"
    assert len(mail.outbox) == 1
    assert SimulatedSms.objects.count() == 1


def test_the_message_box_down_parks_its_message_after_the_last_try(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    application = issued_with_phone()
    fault_set(system="berichtenbox", mode="down", actor=DRILL)
    assert deliver_all(application) == {"email": "sent", "sms": "sent", "berichtenbox": "retry"}
    assert deliver_all(application)["berichtenbox"] == "parked"
    row = decision_rows(application)["berichtenbox"]
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PARKED, 2, None)
    fault_clear(system="berichtenbox", actor=DRILL)
    assert deliver_all(application)["berichtenbox"] == "skipped"  # parked waits for an operator
    assert not SimulatedBerichtenboxMessage.objects.exists()


def test_the_sweeper_requeues_a_due_sms_retry(django_capture_on_commit_callbacks):
    application = issued_with_phone()
    fault_set(system="sms", mode="down", actor=DRILL)
    deliver_all(application)
    fault_clear(system="sms", actor=DRILL)
    sms_row = decision_rows(application)["sms"]
    OutboxMessage.objects.exclude(pk=sms_row.pk).filter(status=OutboxStatus.PENDING).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    OutboxMessage.objects.filter(pk=sms_row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert outbox_sweep() == 1
    assert len(callbacks) == 1
    assert outbox_deliver(message_id=sms_row.pk) == "sent"


def _letter(application):
    letter = Letter(application=application, kind=LetterKind.DECISION)
    letter.pdf.save(f"{application.reference}-besluit.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return letter


def test_a_letter_goes_into_the_print_queue_when_the_applicant_has_no_email_address():
    application = received_application()
    Applicant.objects.filter(application=application).update(
        email="", street="Dorpsstraat", house_number="1", postcode="1234 AB", city="Utrecht"
    )
    application.refresh_from_db()
    letter = _letter(application)
    message = OutboxMessage.objects.get(application=application, channel="letter")
    assert (message.event, message.payload["letter"]) == ("letter_decision", letter.pk)
    assert not PrintJob.objects.exists()  # the job is made by delivery, once
    assert outbox_deliver(message_id=message.pk) == "sent"
    assert outbox_deliver(message_id=message.pk) == "skipped"
    [job] = PrintJob.objects.all()
    assert job.letter == letter
    assert job.status == "queued"
    assert job.address.splitlines() == ["Jan Jansen", "Dorpsstraat 1", "1234 AB Utrecht"]


def test_a_letter_to_someone_with_an_email_address_is_not_posted():
    application = received_application()
    _letter(application)
    assert not OutboxMessage.objects.filter(application=application, channel="letter").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_send_every_message_once(reference_data):
    application = issued_with_phone()
    ids = [message.pk for message in decision_rows(application).values()]
    results = []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            for pk in ids:
                results.append(outbox_deliver(message_id=pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("sent") == 3
    assert SimulatedSms.objects.count() == 1
    assert SimulatedBerichtenboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_every_channel_once_through_an_sms_outage(start_worker, tmp_path):
    from tests.conftest import wait_for

    start_worker("notifications", env={"EMAIL_URL": f"filemail:///{tmp_path}", "OUTBOX_RETRY_BASE_SECONDS": "3600"})
    fault_set(system="sms", mode="down", actor=DRILL)
    application = issued_with_phone()

    def settled():
        rows = decision_rows(application)
        return (
            rows["email"].status == OutboxStatus.SENT
            and rows["berichtenbox"].status == OutboxStatus.SENT
            and rows["sms"].attempts >= 1
        )

    wait_for(settled, message="e-mail and message box sent, the SMS tried")
    sms_row = decision_rows(application)["sms"]
    assert sms_row.status == OutboxStatus.PENDING
    assert not SimulatedSms.objects.exists()

    fault_clear(system="sms", actor=DRILL)
    time.sleep(1)  # every process sees a switch change within a second
    OutboxMessage.objects.filter(pk=sms_row.pk).update(next_attempt_at=timezone.now())
    outbox_sweep()  # the sweeper's message ...
    outbox_sweep()  # ... a second sweep finds nothing due ...
    from justis.queue import publish_on_commit
    from notifications.tasks import deliver_outbox_message

    publish_on_commit(deliver_outbox_message, sms_row.pk)  # ... and a doubled delivery message
    publish_on_commit(deliver_outbox_message, sms_row.pk)
    wait_for(lambda: decision_rows(application)["sms"].status == OutboxStatus.SENT, message="the SMS sent")
    time.sleep(2)  # the doubled delivery messages are handled too
    assert SimulatedSms.objects.count() == 1
    assert SimulatedBerichtenboxMessage.objects.count() == 1
    mails = [path for path in tmp_path.glob("*.log") if application.reference in path.read_text()]
    assert len(mails) == 2  # application received, decision
