"""Every event the code can enqueue has its own Dutch and English message, free of justice data."""

import ast
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client
from django.utils import translation

import pytest

from applications.lifecycle import TRANSITIONS, Status, application_transition
from justis.roles import Role
from notifications.messages import EVENT_NAMES, sample_payloads
from notifications.models import OutboxMessage
from notifications.services import outbox_render
from notifications.templatetags.message_dates import long_en, long_nl
from screening.zienswijzen import zienswijze_deadline
from tests.factories import TEST_ACTOR, theft_a_year_ago, with_theft
from tests.portal import prepare
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "notifications" / "email"
SOURCE_DIRS = ("applications", "screening", "continuous", "payments", "notifications", "justis")

# Events enqueued by a direct outbox_enqueue call or announced by a deadline event (not a status change).
DIRECT_EVENTS = frozenset(
    {
        "reminder",
        "zienswijze_received",
        "objection_received",
        "objection_decided",
        "continuous_new_vog_required",
        "decision_period_extended",
        "urgent_converted",
        "decision_delayed",
    }
)
TRANSITION_EVENTS = frozenset(t.message for t in TRANSITIONS if t.message)
# The incident notices (service status work) bring their own templates; once the code enqueues them
# the scan finds them and they are held to the same rules as every other event.
INCIDENT_EVENTS = frozenset({"incident_opened", "incident_resolved"})
# Indirect arguments whose values are covered above: a transition's message and a deadline event's.
KNOWN_INDIRECT = {"transition.message", "event.message"}
# Before the application is taken up by the applicant: rendered with a prepared application.
INVITATION_STAGE = frozenset({"invitation", "reminder", "invitation_expired", "application_submitted"})
JUSTICE_WORDS = ("310", "Sr", "diefstal", "property", "penal_order", "strafbeschikking")


def _source_files():
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def scanned_events() -> tuple[set[str], list[str]]:
    """The event names in the source: ``event="…"`` on outbox_enqueue, ``message="…"`` on a ClockEvent, and
    module constants passed as the event. Returns the names and the calls whose event could not be read."""
    found: set[str] = set()
    unreadable: list[str] = []
    for path in _source_files():
        text = path.read_text()
        found.update(re.findall(r"""\bevent=["']([a-z_]+)["']""", text))
        tree = ast.parse(text)
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            wanted = {"outbox_enqueue": "event", "ClockEvent": "message"}.get(name)
            if wanted is None:
                continue
            values = [k.value for k in node.keywords if k.arg == wanted]
            if name == "ClockEvent" and len(node.args) >= 6:
                values.append(node.args[5])
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
                elif isinstance(value, ast.Name) and value.id in constants:
                    found.add(constants[value.id])
                elif ast.unparse(value) not in KNOWN_INDIRECT:
                    unreadable.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(value)}")
    return found, unreadable


def code_events() -> set[str]:
    return set(TRANSITION_EVENTS | DIRECT_EVENTS | scanned_events()[0])


def test_the_scan_of_the_source_finds_no_event_missing_from_the_list():
    found, unreadable = scanned_events()
    assert unreadable == [], "an outbox event the scan cannot read: add it to DIRECT_EVENTS and the scan"
    assert found - TRANSITION_EVENTS - DIRECT_EVENTS - INCIDENT_EVENTS == set(), "an event missing from DIRECT_EVENTS"
    assert DIRECT_EVENTS <= found, "DIRECT_EVENTS names an event the code no longer enqueues"


def test_every_event_has_its_own_subject_and_body_and_is_listed_for_the_administrators():
    for event in sorted(code_events()):
        assert (TEMPLATES / f"{event}.subject.txt").is_file(), event
        assert (TEMPLATES / f"{event}.body.txt").is_file(), event
    assert TRANSITION_EVENTS | DIRECT_EVENTS <= EVENT_NAMES  # described for the administrators


@pytest.fixture
def refused():
    """A VOG NP whose justice record was read, through review and the intention to a refusal."""
    application = with_theft("999990032")
    for status in (Status.INTENT_TO_REFUSE, Status.REFUSED):
        application = application_transition(application=application, to_status=status, actor=TEST_ACTOR)
    return application


@pytest.fixture
def prepared(org_user):
    theft_a_year_ago("999990019")
    return prepare(org_user)


def _render(event: str, application, payload: dict) -> tuple[str, str]:
    if event == "continuous_new_vog_required":
        return outbox_render(OutboxMessage(event=event, application=None, payload=payload))
    payload = {"reference": application.reference, **payload}
    return outbox_render(OutboxMessage(event=event, application=application, payload=payload))


def _halves(body: str) -> tuple[str, str]:
    dutch, english = body.split("\n---\n")
    return dutch, english


def test_each_message_has_both_languages_the_reference_and_no_justice_data(prepared, refused):
    for event in sorted(TRANSITION_EVENTS | DIRECT_EVENTS):
        application = prepared if event in INVITATION_STAGE else refused
        for payload in sample_payloads(event):
            subject, body = _render(event, application, payload)
            reference = payload.get("vog_reference") or application.reference
            assert subject.strip(), event
            assert " / " in subject, f"{event}: Dutch / English subject"
            dutch, english = _halves(body)
            assert "Met vriendelijke groet" in dutch, event
            assert "Kind regards" in english, event
            assert reference in dutch, event
            assert reference in english, event
            assert "{{" not in subject + body, event
            assert "{%" not in subject + body, event
            assert "  " not in body, f"{event}: an empty value left a gap"
            for word in JUSTICE_WORDS:
                assert not re.search(rf"\b{word}\b", subject + body), f"{event} names {word}"


def test_the_messages_of_a_refusal_carry_the_last_days_in_both_languages(refused):
    messages = {m.event: m for m in OutboxMessage.objects.filter(application=refused)}
    assert {"application_received", "decision_period_extended", "intent_to_refuse", "decision_refused"} <= set(messages)
    _subject, body = outbox_render(messages["intent_to_refuse"])
    dutch, english = _halves(body)
    last_day = zienswijze_deadline(refused)
    assert long_nl(last_day) in dutch
    assert long_en(last_day) in english
    _subject, body = outbox_render(messages["decision_refused"])
    dutch, english = _halves(body)
    objection_by = refused.decided_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date() + timedelta(weeks=6)
    assert long_nl(objection_by) in dutch
    assert long_en(objection_by) in english
    assert f"{settings.PUBLIC_BASE_URL}/mijnjustis/{refused.reference}/" in dutch
    _subject, body = outbox_render(messages["decision_period_extended"])
    dutch, english = _halves(body)
    assert long_nl(refused.decision_due_date) in dutch
    assert long_en(refused.decision_due_date) in english


def test_application_received_gives_the_expected_decision_date_whatever_the_active_language(refused):
    message = OutboxMessage.objects.get(application=refused, event="application_received")
    due = refused.decision_due_date
    refused.decision_due_date = date(2026, 11, 23)
    refused.save(update_fields=["decision_due_date"])
    message.refresh_from_db()
    for language in ("nl", "en"):
        with translation.override(language):
            subject, body = outbox_render(message)
        dutch, english = _halves(body)
        assert "uiterlijk op 23 november 2026" in dutch
        assert "no later than 23 November 2026" in english
        assert "Aanvraag ontvangen" in subject  # at the municipality: nothing paid to Justis
    assert due is not None


def test_long_dates_from_dates_iso_strings_and_datetimes():
    assert long_nl(date(2026, 11, 23)) == "23 november 2026"
    assert long_en(date(2026, 11, 23)) == "23 November 2026"
    assert long_nl("2027-03-01") == "1 maart 2027"
    assert long_en("2026-12-07T23:59:00+01:00") == "7 December 2026"
    late_evening_utc = datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert long_nl(late_evening_utc) == "1 juni 2026"  # the local date in the Netherlands
    assert long_en(None) == ""


def test_the_organisation_is_told_in_its_own_terms_when_its_invitation_expires(prepared):
    subject, body = _render("invitation_expired", prepared, {})
    dutch, english = _halves(body)
    assert dutch.startswith("Beste Kinderopvang De Zonnebloem")
    assert "Jan Jansen" in subject
    assert "organisatieportaal" in dutch
    assert "organisation portal" in english
    assert long_nl(prepared.invitation.expires_at) in dutch


ADMIN_PAGE = "/beheer/berichtsjablonen/"


def test_functional_administrators_read_every_template_and_others_may_not(reference_data, screener):
    admin = staff_user("beheer.berichten", Role.FUNCTIONAL_ADMIN)
    response = login_with_second_factor(Client(), admin).get(ADMIN_PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    for event in sorted(code_events()):
        assert f'data-event="{event}"' in html
    assert "23 november 2026" in html
    assert "23 November 2026" in html
    assert "{{" not in html
    assert login_with_second_factor(Client(), screener).get(ADMIN_PAGE).status_code == 403
    password_only = Client()
    password_only.force_login(admin)
    assert password_only.get(ADMIN_PAGE).status_code == 302
    assert Client().get(ADMIN_PAGE)["Location"].startswith("/medewerkers/inloggen/")
