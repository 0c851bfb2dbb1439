"""The decision date and what moved it, on the screeners' queue and case screen and in MijnJustis."""

from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from applications.lifecycle import Status, application_transition
from screening.services import assessment_run
from tests.factories import TEST_ACTOR, received_application, theft_a_year_ago

pytestmark = pytest.mark.django_db


def converted_in_review():
    theft_a_year_ago("999990032")
    application = received_application(bsn="999990032", urgent_reason="work_abroad")
    assert assessment_run(application_id=application.pk) == "in_review"
    application.refresh_from_db()
    return application


def on_hold_since(days: int):
    application = received_application()
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return application_transition(application=application, to_status=Status.ON_HOLD, actor=TEST_ACTOR)


def row_of(html: str, reference: str) -> str:
    start = html.index(f'data-reference="{reference}"')
    return html[start : html.index("</tr>", start)]


def test_the_queue_says_per_case_what_moved_its_decision_date(screener_client):
    converted = converted_in_review()
    held = on_hold_since(5)
    html = screener_client.get("/beoordeling/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    row = row_of(html, converted.reference)
    assert converted.decision_due_date.strftime("%d-%m-%Y") in row
    assert "converted to regular" in row
    assert "extended" in row
    assert "suspended" not in row

    row = row_of(html, held.reference)
    assert "suspended for 5 days" in row
    assert "extended" not in row
    assert "converted" not in row


def test_the_case_screen_lists_the_deadline_events(screener_client):
    application = converted_in_review()
    html = screener_client.get(f"/beoordeling/zaken/{application.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    block = html[html.index("data-deadline-events") :]
    block = block[: block.index("</ul>")]
    assert block.index('data-kind="urgent_conversion"') < block.index('data-kind="extension"')
    new_date = application.decision_due_date.strftime("%d-%m-%Y")
    assert f"→ {new_date}" in block
    assert "applicant told on" in block


def test_a_case_without_deadline_events_has_no_deadlines_block(screener_client):
    theft_a_year_ago("999990032")
    application = received_application(bsn="999990032")
    with time_machine.travel(timezone.now() + timedelta(weeks=5), tick=False):
        assessment_run(application_id=application.pk)  # too late to extend: nothing recorded
        html = screener_client.get(f"/beoordeling/zaken/{application.reference}/").content.decode()
    assert "data-deadline-events" not in html


def test_mijnjustis_shows_the_decision_date_and_why_it_moved(client, received_for_jan):
    application = received_for_jan
    url = f"/mijnjustis/{application.reference}/"

    def why():
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        application.refresh_from_db()
        assert application.decision_due_date.strftime("%-d") in html
        if "data-deadline-why=" not in html:
            return None
        return html.split('data-deadline-why="')[1].split('"')[0]

    assert why() is None
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        application_transition(application=application, to_status=Status.ON_HOLD, actor=TEST_ACTOR)
    assert why() == "suspended"
    application_transition(application=application, to_status=Status.RECEIVED, actor=TEST_ACTOR)
    assert why() == "suspended"  # the days held were added
    assert "3 days" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for step in (Status.IN_ASSESSMENT, Status.IN_REVIEW):
        application_transition(application=application, to_status=step, actor=TEST_ACTOR)
    assert why() == "extended"
