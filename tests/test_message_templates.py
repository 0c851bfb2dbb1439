"""Message templates as reference data: functional administrators write a wording of a message from a date,
with reason, history and audit trail; a message is worded by the version valid on the day it was written
(the files otherwise), also when it is delivered later; texts that do not compile or reach outside the
message are refused; delivery in batches does not look the wording up per message."""

from datetime import date, datetime, time, timedelta

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import time_machine

from applications.models import Applicant
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from notifications.channels import SMS_EVENTS, sms_render
from notifications.messages import events_with_templates
from notifications.models import MessageTemplate, OutboxMessage, OutboxStatus
from notifications.services import outbox_deliver, outbox_render
from notifications.tasks import deliver_outbox_messages
from notifications.templates_in_force import file_text, template_in_force, template_problems
from tests.factories import received_application
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

TEMPLATES = "/beheer/notifications/messagetemplate/"
OVERVIEW = "/beheer/berichtsjablonen/"
AMSTERDAM = timezone.get_default_timezone()
REASON = "Nieuwe huisstijl brieven en e-mails, besluit 2026-41"
NEW_SUBJECT = "Uw VOG staat klaar: {{ payload.reference }} / Your VOG is ready: {{ payload.reference }}"
NEW_BODY = (
    '{% load message_dates %}{% autoescape off %}Beste {{ applicant_name|default:"aanvrager" }},\n\n'
    "Uw VOG staat klaar in MijnJustis: {{ mijnjustis_url }}\n\n"
    "Your VOG is ready in MijnJustis: {{ mijnjustis_url }}\n{% endautoescape %}"
)


@pytest.fixture
def beheer(reference_data):
    user = staff_user("beheer.sjablonen", Role.FUNCTIONAL_ADMIN)
    client = login_with_second_factor(Client(), user)
    client.user = user
    return client


def version_form(**changes) -> dict:
    values = {
        "event": "decision_issued",
        "channel": "email",
        "subject": NEW_SUBJECT,
        "body": NEW_BODY,
        "valid_from": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "valid_to": "",
        "change_reason": REASON,
    }
    return {**values, **changes}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def message(application, *, created_at, event="decision_issued", channel="email", key=None) -> OutboxMessage:
    return OutboxMessage.objects.create(
        event=event,
        channel=channel,
        application=application,
        dedupe_key=key or f"test:{event}:{channel}:{created_at.isoformat()}",
        payload={"reference": application.reference},
        created_at=created_at,
    )


def test_a_version_from_a_later_date_words_only_the_messages_written_from_that_day(beheer):
    start = timezone.localdate() + timedelta(days=10)
    response = beheer.post(f"{TEMPLATES}add/", version_form(valid_from=start.isoformat()))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = received_application()
    before = message(application, created_at=at(timezone.localdate(), 9))
    evening_before = message(application, created_at=at(start - timedelta(days=1), 23, 59))
    first_night = message(application, created_at=at(start, 0, 1))  # 23:01 UTC the day before: Amsterdam counts
    later = message(application, created_at=at(start + timedelta(days=400), 12))

    for old in (before, evening_before):
        subject, body = outbox_render(old)
        assert subject.startswith("Uw VOG is klaar"), subject  # the files
        assert "Zo downloadt u de verklaring" in body
    for new in (first_night, later):
        subject, body = outbox_render(new)
        assert subject == f"Uw VOG staat klaar: {application.reference} / Your VOG is ready: {application.reference}"
        assert body == (
            f"Beste Jan Jansen,\n\nUw VOG staat klaar in MijnJustis: http://testserver/mijnjustis/"
            f"{application.reference}/\n\nYour VOG is ready in MijnJustis: http://testserver/mijnjustis/"
            f"{application.reference}/\n"
        ).replace("http://testserver", _base_url())

    # Delivered (again) after the new version started: the old message keeps the wording of its day.
    with time_machine.travel(at(start + timedelta(days=2), 10), tick=False):
        assert outbox_deliver(message_id=before.pk) == "sent"
        assert outbox_deliver(message_id=first_night.pk) == "sent"
    old_mail, new_mail = mail.outbox[-2:]
    assert old_mail.subject.startswith("Uw VOG is klaar")
    assert new_mail.subject.startswith("Uw VOG staat klaar")


def _base_url() -> str:
    from django.conf import settings

    return settings.PUBLIC_BASE_URL


def test_the_version_is_kept_with_the_reason_in_its_history_and_the_audit_trail(beheer):
    beheer.post(f"{TEMPLATES}add/", version_form())
    version = MessageTemplate.objects.get()
    [record] = version.history.all()
    assert (record.history_user, record.history_change_reason) == (beheer.user, REASON)
    event = AuditEvent.objects.get(action=AuditAction.REFERENCE_DATA_CHANGED, subject_id=str(version.pk))
    assert event.subject_type == "notifications.messagetemplate"
    assert event.data["change_reason"] == REASON

    changed = version_form(valid_to=(version.valid_from + timedelta(days=30)).isoformat(), change_reason="Eind proef")
    assert beheer.post(f"{TEMPLATES}{version.pk}/change/", changed).status_code == 302
    page = beheer.get(f"{TEMPLATES}{version.pk}/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert REASON in page
    assert "Eind proef" in page
    assert "2 versions" in page
    changes = AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_CHANGED).order_by("pk").last().data
    assert list(changes["changes"]) == ["valid_to"]

    change_page = beheer.get(f"{TEMPLATES}{version.pk}/change/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Preview for a sample application" in change_page
    assert "Uw VOG staat klaar: NP-7K2Q9M4XHD" in change_page  # rendered for the sample application


def test_overlapping_versions_are_refused(beheer):
    start = timezone.localdate() + timedelta(days=10)
    assert beheer.post(f"{TEMPLATES}add/", version_form(valid_from=start.isoformat())).status_code == 302

    overlapping = version_form(valid_from=(start + timedelta(days=5)).isoformat(), change_reason="Tweede versie")
    response = beheer.post(f"{TEMPLATES}add/", overlapping, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert f"overlaps the version valid from {start:%d-%m-%Y}" in response.content.decode()
    assert MessageTemplate.objects.count() == 1
    # Another channel of the same event is another key: no overlap.
    sms = version_form(channel="sms", subject="", body="Justis: uw VOG {{ payload.reference }} staat klaar.")
    assert beheer.post(f"{TEMPLATES}add/", sms).status_code == 302


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("body", "Beste,\n{% if payload.reference %}\nNo end", "Line 2: Unclosed tag on line 2: 'if'"),
        ("subject", "Onderwerp {{ payload.reference|nonsense }}", "Line 1: Invalid filter: 'nonsense'"),
        ("body", 'Tekst\n\n{% include "base.html" %}', "Line 3: {% include %} is not allowed in a message template."),
        ("body", '{% extends "base.html" %}', "Line 1: {% extends %} is not allowed"),
        (
            "body",
            "{% load i18n %}{% translate 'x' %}",
            "only {% load message_dates %} can be used, not {% load i18n %}",
        ),
        ("body", "{% load static from staticfiles %}", "not {% load staticfiles %}"),
        ("body", "{% load message_dates %}{{ payload.reference|long_nl }}", "cannot be rendered for the sample"),
        ("body", "BSN: {{ applicant.bsn }}", "Line 1: applicant.bsn cannot be used in a message template"),
        ("subject", "{{ application.applicant.bsn }}", "application.applicant cannot be used"),
        ("body", "x\n{% with a=application %}{{ a.applicant.bsn }}{% endwith %}", "Line 2: application cannot be"),
        ("body", "{% for m in application.outbox_messages.all %}{% endfor %}", "application.outbox_messages"),
    ],
)
def test_texts_that_do_not_compile_or_reach_outside_the_message_are_refused(beheer, field, text, problem):
    response = beheer.post(f"{TEMPLATES}add/", version_form(**{field: text}), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert problem in errors[field][0], errors[field][0]
    assert not MessageTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_CHANGED).exists()


def test_an_sms_has_no_subject_and_exists_only_for_the_events_that_go_out_by_sms(beheer):
    def errors(**changes):
        response = beheer.post(f"{TEMPLATES}add/", version_form(**changes), HTTP_ACCEPT_LANGUAGE="en")
        return response.context["adminform"].form.errors

    assert "no subject" in errors(channel="sms")["subject"][0]
    assert "does not go out by SMS" in errors(channel="sms", subject="", event="invitation")["event"][0]
    assert "needs a subject" in errors(subject="")["subject"][0]
    assert not MessageTemplate.objects.exists()


def test_an_sms_version_words_the_sms_from_its_day(beheer):
    text = "Justis: besluit over {{ payload.reference }} staat in MijnJustis.\nDecision on {{ payload.reference }}."
    form = version_form(channel="sms", subject="", body=text, valid_from=timezone.localdate().isoformat())
    assert beheer.post(f"{TEMPLATES}add/", form).status_code == 302
    application = received_application()
    Applicant.objects.filter(application=application).update(phone="0612345678")
    yesterday = message(application, channel="sms", created_at=timezone.now() - timedelta(days=1))
    today = message(application, channel="sms", created_at=timezone.now())

    assert sms_render(yesterday).startswith("Justis: er is een besluit over uw aanvraag")
    assert sms_render(today) == (
        f"Justis: besluit over {application.reference} staat in MijnJustis.\nDecision on {application.reference}."
    )


def test_the_add_form_starts_from_the_wording_in_force(beheer):
    page = beheer.get(f"{TEMPLATES}add/?event=decision_issued&channel=email").content.decode()
    assert "Zo downloadt u de verklaring" in page  # the file's body
    assert "Uw VOG is klaar ({{ payload.reference }})" in page  # the file's subject, as written
    sms = beheer.get(f"{TEMPLATES}add/?event=intent_to_refuse&channel=sms").content.decode()
    assert "we hebben u een brief gestuurd" in sms

    form = version_form(valid_from=timezone.localdate().isoformat())
    assert beheer.post(f"{TEMPLATES}add/", form).status_code == 302
    again = beheer.get(f"{TEMPLATES}add/?event=decision_issued&channel=email").content.decode()
    assert "Uw VOG staat klaar in MijnJustis" in again
    assert "Zo downloadt u de verklaring" not in again


def test_the_overview_shows_the_wording_in_force_today_and_renders_the_samples_with_it(beheer):
    future = version_form(channel="sms", subject="", body="Justis: {{ payload.reference }} / VOG ready.")
    assert beheer.post(f"{TEMPLATES}add/", future).status_code == 302
    upcoming = MessageTemplate.objects.get()
    page = beheer.get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('data-in-force="version"') == 0  # the SMS version starts later
    assert f'href="{TEMPLATES}{upcoming.pk}/change/">from {upcoming.valid_from:%d-%m-%Y}</a>' in page
    assert "Justis: er is een besluit over uw aanvraag NP-7K2Q9M4XHD" in page  # today's SMS: the file
    assert "The standard text (files)" in page
    assert f"{TEMPLATES}add/?event=decision_issued&amp;channel=email" in page
    assert f"{TEMPLATES}add/?event=decision_issued&amp;channel=sms" in page
    assert "Uw VOG is klaar (NP-7K2Q9M4XHD)" in page

    today = timezone.localdate()
    beheer.post(f"{TEMPLATES}add/", version_form(valid_from=today.isoformat()))
    version = MessageTemplate.objects.get(channel="email")
    page = beheer.get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('data-in-force="version"') == 2  # the table and the event's section
    assert f"The administration's version, since {today:%d-%m-%Y}" in page
    assert f"{TEMPLATES}{version.pk}/change/" in page
    assert "Uw VOG staat klaar: NP-7K2Q9M4XHD" in page
    assert "Uw VOG is klaar (NP-7K2Q9M4XHD)" not in page


def test_other_roles_cannot_reach_the_message_template_pages(reference_data, screener):
    operator = staff_user("operator.berichten", Role.OPERATOR)
    for user in (screener, operator):
        client = login_with_second_factor(Client(), user)
        for path in (TEMPLATES, f"{TEMPLATES}add/", OVERVIEW):
            assert client.get(path, follow=True).status_code == 403, (user.username, path)
    anonymous = Client().get(f"{TEMPLATES}add/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith("/medewerkers/inloggen/")
    assert not MessageTemplate.objects.exists()


def test_batch_delivery_does_not_look_up_the_wording_per_message(beheer):
    application = received_application()

    def batch(name: str) -> list[int]:
        return [
            message(application, created_at=timezone.now(), key=f"batch:{name}:{number}").pk for number in range(50)
        ]

    def queries(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert deliver_outbox_messages(ids) == {"sent": 50}
        wording = [query for query in captured.captured_queries if "notifications_messagetemplate" in query["sql"]]
        assert len(wording) <= 1  # the versions are read once for the batch, not per message
        return len(captured)

    files_only = queries(batch("files"))
    form = version_form(valid_from=(timezone.localdate() - timedelta(days=1)).isoformat())
    assert beheer.post(f"{TEMPLATES}add/", form).status_code == 302
    ids = batch("version")
    with_version = queries(ids)

    # Not one more per message (a fault switch or breaker may be read again now and then: a few at most).
    assert with_version <= files_only + 3
    assert template_in_force("decision_issued", "email", timezone.localdate()) is not None
    assert {m.subject[:17] for m in mail.outbox[-50:]} == {"Uw VOG staat klaa"}
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_every_standard_text_copied_into_a_version_is_accepted():
    """The add form starts from the files: each of them passes the checks unchanged."""
    for event in [event.name for event in events_with_templates()] + ["_default"]:
        channels = ["email", "sms"] if event in SMS_EVENTS or event == "_default" else ["email"]
        for channel in channels:
            subject, body = file_text(event, channel)
            version = MessageTemplate(
                event=event, channel=channel, subject=subject.strip(), body=body, valid_from=date(2027, 1, 1)
            )
            assert template_problems(version) == {}, (event, channel)
