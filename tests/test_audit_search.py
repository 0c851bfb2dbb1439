"""The auditors' search of the audit trail: filters, keyset pages, CSV export, refused to every other role, audited."""

import csv
import io
from datetime import date, datetime, timedelta

from django.utils import timezone

import pytest
import time_machine

from justis.audit import Actor, audit_record
from justis.audit_search import AuditFilter, Cursor, audit_search
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

SEARCH = "/beheer/audittrail/"
EXPORT = "/beheer/audittrail/export.csv"


def _at(day: int, hour: int = 12):
    return timezone.make_aware(datetime(2026, 11, day, hour, 0))


def _event(*, at, action=AuditAction.CASE_OPENED, reference="VOG-2026-000001", actor="screener.a", **extra):
    with time_machine.travel(at, tick=False):
        return audit_record(
            actor=Actor(kind="user", identifier="7", label=actor),
            action=action,
            subject_type=extra.get("subject_type", "application"),
            subject_id=reference,
            reason=extra.get("reason", ""),
            data=extra.get("data"),
        )


@pytest.fixture
def trail():
    return {
        "opened_a": _event(at=_at(2), reason="Assessment of the case", data={"records": 2, "naam": "Zoë"}),
        "claimed_a": _event(at=_at(3), action=AuditAction.CASE_CLAIMED),
        "opened_b": _event(at=_at(4), reference="VOG-2026-000002", actor="screener.b"),
        "viewed_a": _event(at=_at(5), action=AuditAction.APPLICATION_VIEWED, actor="clerk.a"),
        "opened_a_late": _event(at=_at(20), reference="VOG-2026-000001"),
    }


@pytest.fixture
def auditor():
    return staff_user("auditor.justis", Role.AUDITOR, first_name="Anna", last_name="Auditor")


@pytest.fixture
def auditor_client(client, auditor):
    return login_with_second_factor(client, auditor)


def _shown(response) -> list[int]:
    return [row["event"].pk for row in response.context["rows"]]


def test_the_auditor_finds_the_entries_of_one_application_newest_first(auditor_client, trail):
    response = auditor_client.get(SEARCH, {"subject_type": "application", "subject_id": "VOG-2026-000001"})
    assert response.status_code == 200
    assert _shown(response) == [trail[name].pk for name in ("opened_a_late", "viewed_a", "claimed_a", "opened_a")]
    content = response.content.decode()
    assert "Assessment of the case" in content  # why
    assert "&quot;naam&quot;: &quot;Zoë&quot;" in content  # the data, readable JSON
    assert "VOG-2026-000002" not in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "screener.b"}, ["opened_b"]),
        ({"action": AuditAction.CASE_OPENED}, ["opened_a_late", "opened_b", "opened_a"]),
        ({"date_from": "03-11-2026", "date_to": "04-11-2026"}, ["opened_b", "claimed_a"]),
        ({"action": AuditAction.CASE_OPENED, "subject_id": "VOG-2026-000001", "date_to": "10-11-2026"}, ["opened_a"]),
    ],
)
def test_filters_by_actor_action_and_period(auditor_client, trail, params, expected):
    params = {"subject_type": "application", **params}
    response = auditor_client.get(SEARCH, params)
    assert _shown(response) == [trail[name].pk for name in expected]


def test_the_search_is_audited_with_who_searched_for_what(auditor_client, auditor, trail):
    auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000001", "actor": "", "date_from": "01-11-2026"})
    event = AuditEvent.objects.get(action=AuditAction.AUDIT_SEARCHED)
    assert event.actor_label == "auditor.justis"
    assert event.actor_id == str(auditor.pk)
    assert event.data["filter"] == {"subject_id": "VOG-2026-000001", "date_from": "2026-11-01"}
    assert event.data["shown"] == 4


def test_opening_the_page_without_a_search_searches_nothing(auditor_client, trail):
    response = auditor_client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["page"] is None
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_SEARCHED).exists()


def test_a_wrong_date_is_explained_and_nothing_is_searched(auditor_client, trail):
    response = auditor_client.get(SEARCH, {"date_from": "31-02-2026"})
    assert response.context["page"] is None
    assert response.context["form"].errors["date_from"]


def test_pages_follow_each_other_without_gaps_or_repeats(auditor):
    same_time = _at(6)
    made = [_event(at=same_time, reference=f"VOG-2026-{n:06d}") for n in range(5)]
    made += [_event(at=_at(7), reference="VOG-2026-000099")]
    seen, cursor = [], None
    while True:
        page = audit_search(criteria=AuditFilter(subject_type="application"), cursor=cursor, user=auditor, page_size=2)
        seen += [event.pk for event in page.events]
        if page.next_cursor is None:
            break
        cursor = Cursor.decode(page.next_cursor.encode())
    expected = list(
        AuditEvent.objects.filter(pk__in=[event.pk for event in made])
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected


def test_the_next_page_link_leads_to_older_entries(auditor_client):
    for n in range(55):
        _event(at=_at(1) + timedelta(minutes=n), reference="VOG-2026-000005")
    first = auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000005"})
    assert len(first.context["rows"]) == 50
    cursor = first.context["page"].next_cursor.encode()
    second = auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000005", "after": cursor})
    assert len(second.context["rows"]) == 5
    assert second.context["page"].next_cursor is None
    assert not set(_shown(first)) & set(_shown(second))


@pytest.mark.parametrize(
    "after",
    ["nonsense", "2026-13-01T10:00:00+01:00~5", "2026-11-20T10:00:00~5", "2026-11-20T10:00:00+01:00~" + "9" * 30],
)
def test_a_broken_cursor_starts_at_the_newest(auditor_client, trail, after):
    response = auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000001", "after": after})
    assert response.status_code == 200
    assert _shown(response)[0] == trail["opened_a_late"].pk


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_exactly_the_search(auditor_client, auditor, trail):
    response = auditor_client.get(EXPORT, {"subject_id": "VOG-2026-000001", "action": AuditAction.CASE_OPENED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [row["subject_id"] for row in rows] == ["VOG-2026-000001", "VOG-2026-000001"]
    assert [row["at"] for row in rows] == [trail["opened_a_late"].at.isoformat(), trail["opened_a"].at.isoformat()]
    assert rows[1]["reason"] == "Assessment of the case"
    assert rows[1]["data"] == '{"naam": "Zoë", "records": 2}'
    exported = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert exported.actor_id == str(auditor.pk)
    assert exported.data["filter"] == {"subject_id": "VOG-2026-000001", "action": AuditAction.CASE_OPENED}


def test_the_export_reads_past_its_batches(auditor_client, monkeypatch):
    monkeypatch.setattr("justis.audit_search.EXPORT_BATCH", 3)
    for n in range(7):
        _event(at=_at(1) + timedelta(minutes=n), reference="VOG-2026-000007", reason=f"r{n}")
    rows = _csv_rows(auditor_client.get(EXPORT, {"subject_id": "VOG-2026-000007"}))
    assert [row["reason"] for row in rows] == [f"r{n}" for n in range(6, -1, -1)]


def test_the_export_keeps_spreadsheet_formulas_out(auditor_client):
    _event(at=_at(1), reference="VOG-2026-000008", reason='=HYPERLINK("http://evil")')
    rows = _csv_rows(auditor_client.get(EXPORT, {"subject_id": "VOG-2026-000008"}))
    assert rows[0]["reason"].startswith("'=")


@pytest.mark.parametrize(
    "role",
    [role for role in Role if role not in (Role.AUDITOR, Role.CITIZEN, Role.ORGANISATION, Role.MUNICIPAL_SYSTEM)],
)
@pytest.mark.parametrize("url", [SEARCH, EXPORT])
def test_every_other_staff_role_is_refused(client, trail, role, url):
    login_with_second_factor(client, staff_user(f"other.{role.value}", role))
    response = client.get(url, {"subject_id": "VOG-2026-000001"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action__in=[AuditAction.AUDIT_SEARCHED, AuditAction.AUDIT_EXPORTED]).exists()


@pytest.mark.parametrize("url", [SEARCH, EXPORT])
def test_citizens_anonymous_visitors_and_auditors_without_second_factor_are_refused(client, citizen, auditor, url):
    assert client.get(url)["Location"].startswith("/medewerkers/inloggen/")
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    client.force_login(auditor)  # the password only
    assert client.get(url)["Location"].startswith("/medewerkers/inloggen/")


def test_the_search_page_has_no_form_that_changes_anything(auditor_client, trail):
    content = auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000001"}).content.decode()
    main = content[content.index('id="main"') :]
    assert 'method="post"' not in main
    assert "style=" not in content
    assert "<style" not in content


def test_the_older_entries_link_on_the_page_works(auditor_client):
    import html
    import re

    for n in range(52):
        _event(at=_at(1) + timedelta(minutes=n), reference="VOG-2026-000009")
    first = auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000009"}).content.decode()
    link = html.unescape(re.search(r'rel="next" href="([^"]+)"', first).group(1))
    second = auditor_client.get(SEARCH + link)
    assert len(second.context["rows"]) == 2
    assert "subject_id=VOG-2026-000009" in link


def test_a_subject_is_found_without_its_type(auditor_client, trail):
    response = auditor_client.get(SEARCH, {"subject_id": "VOG-2026-000002"})
    assert _shown(response) == [trail["opened_b"].pk]


@pytest.mark.parametrize(
    ("criteria", "index"),
    [
        (AuditFilter(subject_id="VOG-2026-000002"), "audit_subject_at"),
        (AuditFilter(subject_type="application", subject_id="VOG-2026-000002"), "audit_subject_at"),
        (AuditFilter(actor="screener.b"), "audit_actor_at"),
        (AuditFilter(action=AuditAction.CASE_OPENED), "audit_action_at"),
        (AuditFilter(date_from=date(2026, 11, 3)), "audit_at_id"),
        (AuditFilter(), "audit_at_id"),
    ],
)
def test_every_filter_can_use_an_index(trail, criteria, index):
    """At millions of rows a search must not read the whole table: each filter has an index to go by."""
    from django.db import connection

    from justis.audit_search import audit_events_matching

    query, params = audit_events_matching(criteria)[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if index != "audit_at_id":
            # With a handful of rows the planner may rather walk the time index backwards and filter; without
            # it (dropped inside the test's transaction, so only here), the filter's own index must serve.
            cursor.execute("DROP INDEX audit_at_id")
        cursor.execute("EXPLAIN " + query, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


def test_an_auditor_lands_on_the_search_after_logging_in(auditor):
    from justis.login.staff import staff_start_page

    assert staff_start_page(auditor) == SEARCH
