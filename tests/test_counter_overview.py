"""The municipality's overview, an application's detail and the daily report with its CSV export."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from applications.counter.reports import daily_report
from applications.lifecycle import Status, application_transition
from applications.models import (
    Channel,
    CounterPaymentMethod,
    Desk,
    IdentityVerification,
    MayorAdvice,
    PersonalDataSource,
    UrgentReason,
)
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from screening.models import Assessment, AssessmentOutcome
from tests.factories import TEST_ACTOR, counter_application, received_application
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

AMSTERDAM_TIME = ZoneInfo("Europe/Amsterdam")
OVERVIEW = "/balie/aanvragen/"
REPORT = "/balie/rapport/"
REPORT_CSV = "/balie/rapport.csv"


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM_TIME)


def taken_on(moment, desk, **overrides):
    with time_machine.travel(moment, tick=False):
        return counter_application(desk, **overrides)


def page_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def numbers_listed(html: str) -> list[str]:
    """The municipal numbers in the overview's rows, in order."""
    return re.findall(r'scope="row"><a [^>]*>([0-9]{4}-[0-9-]+)</a>', html)


@pytest.fixture
def en_clerk(clerk_client):
    clerk_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return clerk_client


@pytest.fixture
def desk_zuid(amsterdam):
    return Desk.objects.create(municipality=amsterdam, code="02", name="Stadsloket Zuid")


# --- Overview -----------------------------------------------------------------------------------


def test_the_overview_lists_the_municipalitys_intakes_newest_first_and_nothing_else(en_clerk, desk, other_desk):
    older = taken_on(at(2025, 3, 3), desk, surname="Bakker")
    by_system = taken_on(
        at(2025, 3, 4),
        desk,
        channel=Channel.MUNICIPAL_API,
        personal_data_source=PersonalDataSource.MUNICIPAL_SYSTEM,
        surname="Visser",
    )
    without_intake = received_application(municipality=desk.municipality)
    rotterdam = taken_on(at(2025, 3, 4), other_desk, surname="Rotterdammer")

    html = page_of(en_clerk.get(OVERVIEW))

    assert numbers_listed(html) == [by_system.intake.municipal_number, older.intake.municipal_number]
    assert without_intake.reference not in html
    assert rotterdam.intake.municipal_number not in html
    assert "Rotterdammer" not in html
    for text in (by_system.reference, "Jan Visser", "Stadsloket Centrum"):
        assert text in html
    assert "04-03-2025 12:00" in html
    assert "Received by Justis" in html
    assert '<caption class="utrecht-table__caption" id="applications-caption">' in html
    assert 'scope="col">Personal data check</th>' in html


def test_the_overview_shows_only_the_last_three_digits_of_the_bsn(en_clerk, desk):
    counter_application(desk, bsn="123456708")
    html = page_of(en_clerk.get(OVERVIEW))
    assert "123456708" not in html
    assert "******708" in html
    assert "ending in 708" in html  # what a screen reader says instead of six asterisks


def test_personal_data_still_to_check_is_highlighted(en_clerk, desk):
    manual = counter_application(desk, personal_data_source=PersonalDataSource.MANUAL, surname="Hand")
    counter_application(desk, surname="Register")
    html = page_of(en_clerk.get(OVERVIEW))
    assert manual.identity_verification == IdentityVerification.PENDING
    pending_cell = re.search(r'data-identity="pending">(.*?)</td>', html).group(1)
    assert 'class="counter-attention"' in pending_cell
    assert "entered by hand: to be checked against the population register" in pending_cell
    register_cell = re.search(r'data-identity="not_needed">(.*?)</td>', html).group(1)
    assert "counter-attention" not in register_cell


def test_the_status_never_tells_the_outcome_of_the_screening(en_clerk, desk):
    application = counter_application(desk)
    for step in (Status.IN_ASSESSMENT, Status.IN_REVIEW, Status.INTENT_TO_REFUSE, Status.REFUSED):
        application = application_transition(application=application, to_status=step, actor=TEST_ACTOR)
    html = page_of(en_clerk.get(OVERVIEW))
    assert "Decided: the applicant receives the decision by post" in html
    assert "Refused" not in html


def test_an_empty_overview_says_so(en_clerk, desk):
    html = page_of(en_clerk.get(OVERVIEW))
    assert "Your municipality has not forwarded any applications yet." in html
    assert "<table" not in html


def test_a_search_without_results_says_so(en_clerk, desk):
    counter_application(desk)
    html = page_of(en_clerk.get(OVERVIEW, {"q": "Pietersen"}))
    assert "No applications match your search and filters." in html
    assert numbers_listed(html) == []


@pytest.fixture
def three_applicants(desk):
    return {
        "jansen": counter_application(desk, bsn="123456708", surname="Jansen"),
        "berg": counter_application(desk, bsn="123456721", surname="Berg", surname_prefix="van der"),
        "bakker": counter_application(desk, bsn="123456733", surname="Bakker"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bakker", ["bakker"]),  # surname, any case
        ("Jans", ["jansen"]),  # the start of a surname
        ("van der Berg", ["berg"]),  # surname with its prefix
        ("Berg", ["berg"]),
        ("123456721", ["berg"]),  # the whole BSN
        ("123 456 721", ["berg"]),  # as it is often written
        ("12345672", []),  # part of a BSN finds nothing
        ("23456721", []),
    ],
)
def test_search_by_surname_and_whole_bsn(en_clerk, three_applicants, query, expected):
    html = page_of(en_clerk.get(OVERVIEW, {"q": query}))
    assert numbers_listed(html) == [three_applicants[key].intake.municipal_number for key in expected]


def test_search_by_municipal_number_and_reference(en_clerk, three_applicants):
    berg = three_applicants["berg"]
    by_number = page_of(en_clerk.get(OVERVIEW, {"q": berg.intake.municipal_number}))
    assert numbers_listed(by_number) == [berg.intake.municipal_number]
    by_reference = page_of(en_clerk.get(OVERVIEW, {"q": berg.reference.lower()}))
    assert numbers_listed(by_reference) == [berg.intake.municipal_number]


def test_search_does_not_reach_into_another_municipality(en_clerk, desk, other_desk):
    theirs = counter_application(other_desk, bsn="123456745", surname="Elders")
    for query in ("123456745", "Elders", theirs.reference, theirs.intake.municipal_number):
        assert numbers_listed(page_of(en_clerk.get(OVERVIEW, {"q": query}))) == []


def test_filter_by_desk_status_and_dates(en_clerk, desk, desk_zuid):
    centrum_3 = taken_on(at(2025, 3, 3, 9), desk)
    zuid_4 = taken_on(at(2025, 3, 4, 23, 30), desk_zuid)  # still the 4th in Amsterdam (22:30 UTC)
    centrum_5 = taken_on(at(2025, 3, 5, 0, 30), desk)  # already the 5th in Amsterdam (23:30 UTC on the 4th)
    application_transition(application=centrum_5, to_status=Status.IN_ASSESSMENT, actor=TEST_ACTOR)

    def listed(**params):
        return numbers_listed(page_of(en_clerk.get(OVERVIEW, params)))

    number = lambda application: application.intake.municipal_number  # noqa: E731
    assert listed(desk="02") == [number(zuid_4)]
    assert listed(desk="01") == [number(centrum_5), number(centrum_3)]
    assert listed(status="assessing") == [number(centrum_5)]
    assert listed(status="received") == [number(zuid_4), number(centrum_3)]
    assert listed(taken_from="04-03-2025", taken_to="04-03-2025") == [number(zuid_4)]
    assert listed(taken_from="05-03-2025") == [number(centrum_5)]
    assert listed(taken_to="03-03-2025") == [number(centrum_3)]
    assert listed(desk="01", taken_from="04-03-2025") == [number(centrum_5)]


def test_a_desk_of_another_municipality_is_not_a_filter(en_clerk, desk, other_desk):
    html = page_of(en_clerk.get(OVERVIEW, {"desk": other_desk.code}))
    assert "Select a valid choice" in html
    assert "Stadswinkel Noord" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"taken_from": "2025-03-04"}, "Taken on or after: Write the date as DD-MM-YYYY, for example 17-05-2025."),
        ({"taken_to": "31-02-2025"}, "Taken on or before: Write the date as DD-MM-YYYY, for example 17-05-2025."),
        (
            {"taken_from": "05-03-2025", "taken_to": "04-03-2025"},
            "Taken on or before: This date is before the date in “Taken on or after”.",
        ),
    ],
)
def test_a_wrong_date_gets_a_message_naming_the_field(en_clerk, desk, params, message):
    counter_application(desk)
    html = page_of(en_clerk.get(OVERVIEW, params))
    assert message in html
    assert 'aria-invalid="true"' in html
    assert numbers_listed(html) == []
    assert "Correct the search or filters above to see the applications." in html


def test_the_overview_pages_by_fifty_and_keeps_the_filters(en_clerk, desk):
    with time_machine.travel(at(2025, 3, 4), tick=False):
        applications = [counter_application(desk) for _ in range(51)]
    first = page_of(en_clerk.get(OVERVIEW, {"desk": "01"}))
    assert len(numbers_listed(first)) == 50
    assert "51 applications found" in first
    assert "Page 1 of 2" in first
    assert 'href="?desk=01&amp;page=2"' in first
    second = page_of(en_clerk.get(OVERVIEW, {"desk": "01", "page": 2}))
    # Equal taken_at: the first taken (lowest id) comes last.
    assert numbers_listed(second) == [applications[0].intake.municipal_number]
    assert 'href="?desk=01&amp;page=1"' in second


def test_the_overview_query_count_does_not_grow_with_the_rows(en_clerk, desk, django_assert_max_num_queries):
    counter_application(desk)
    page_of(en_clerk.get(OVERVIEW))  # the first request of a session does some bookkeeping once
    with CaptureQueriesContext(connection) as one_row:
        page_of(en_clerk.get(OVERVIEW))
    for _ in range(5):
        counter_application(desk, personal_data_source=PersonalDataSource.MANUAL)
    with CaptureQueriesContext(connection) as six_rows:
        html = page_of(en_clerk.get(OVERVIEW))
    assert len(numbers_listed(html)) == 6
    assert len(six_rows) == len(one_row)
    with django_assert_max_num_queries(15):
        page_of(en_clerk.get(OVERVIEW))


# --- Detail -------------------------------------------------------------------------------------


def test_the_detail_shows_what_was_forwarded(en_clerk, desk, clerk):
    application = counter_application(
        desk,
        clerk=clerk,
        bsn="123456708",
        surname_prefix="de",
        surname="Vries",
        phone="0612345678",
        personal_data_source=PersonalDataSource.MANUAL,
        id_document_kind="identity_card",
        id_document_number_end="ab12",
        payment_method=CounterPaymentMethod.CASH,
        special_findings=True,
        special_findings_text="Pasfoto wijkt af",
        mayor_advice=MayorAdvice.EXPECTED,
        remark="Aanvrager komt morgen terug met machtiging",
        urgent_reason=UrgentReason.ADOPTION,
        circumstances="Werkt met jonge kinderen",
    )
    html = page_of(en_clerk.get(f"/balie/aanvragen/{application.intake.municipal_number}/"))
    for text in (
        application.reference,
        "Jan de Vries",
        "123456708",  # the whole BSN here, unlike the list
        "0612345678",
        "Kinderopvang De Zonnebloem",
        "12345678",
        "Work relation",
        "Pedagogisch medewerker",
        "84 –",
        "86 –",
        "identity card, number ending in AB12",
        "€ 41,35, cash",
        "Special findings: Pasfoto wijkt af",
        "expected",
        "Aanvrager komt morgen terug met machtiging",
        "adoption",
        "Werkt met jonge kinderen",
        "entered by hand",
        "Stadsloket Centrum (01)",
        clerk.get_username(),
    ):
        assert text in html, text
    assert 'class="counter-attention"' in html
    viewed = AuditEvent.objects.get(action=AuditAction.APPLICATION_VIEWED)
    assert (viewed.subject_id, viewed.actor_label) == (application.reference, clerk.get_username())


def test_the_detail_shows_the_history_without_justice_data(en_clerk, desk):
    application = counter_application(desk)
    application = application_transition(application=application, to_status=Status.IN_ASSESSMENT, actor=TEST_ACTOR)
    Assessment.objects.create(
        application=application,
        outcome=AssessmentOutcome.NEEDS_SCREENER,
        records=[{"offence": "Diefstal met geweld", "date": "2019-06-01"}],
    )
    application = application_transition(
        application=application,
        to_status=Status.IN_REVIEW,
        actor=TEST_ACTOR,
        reason="2 justice record(s) found: a screener assesses them",
    )
    html = page_of(en_clerk.get(f"/balie/aanvragen/{application.intake.municipal_number}/"))
    stages = re.findall(r'<td class="utrecht-table__cell" data-stage="([a-z_]+)">', html)
    assert stages == ["received", "assessing"]  # in review is not told apart from being assessed
    for secret in ("Diefstal", "justice record", "screener", "Being reviewed", "needs_screener", "records found"):
        assert secret not in html, secret


def test_another_municipalitys_application_is_not_found(en_clerk, desk, other_desk):
    theirs = counter_application(other_desk)
    assert en_clerk.get(f"/balie/aanvragen/{theirs.intake.municipal_number}/").status_code == 404
    assert en_clerk.get("/balie/aanvragen/0363-01-20250304-0001/").status_code == 404


# --- Daily report -------------------------------------------------------------------------------


@pytest.fixture
def fourth_of_march(desk, desk_zuid, other_desk, amsterdam):
    """Applications around 4 March 2025 at two Amsterdam desks and one Rotterdam desk; a third
    Amsterdam desk took nothing."""
    Desk.objects.create(municipality=amsterdam, code="03", name="Stadsloket Noord")
    taken_on(at(2025, 3, 4, 0, 10), desk, payment_method=CounterPaymentMethod.PIN)  # 3 March 23:10 UTC
    taken_on(
        at(2025, 3, 4, 9),
        desk,
        payment_method=CounterPaymentMethod.CASH,
        urgent_reason=UrgentReason.WORK_ABROAD,
        personal_data_source=PersonalDataSource.MANUAL,
    )
    taken_on(at(2025, 3, 4, 23, 50), desk, payment_method=CounterPaymentMethod.PIN)
    taken_on(
        at(2025, 3, 4, 15),
        desk_zuid,
        payment_method=CounterPaymentMethod.CASH,
        personal_data_source=PersonalDataSource.MANUAL,
    )
    taken_on(at(2025, 3, 3, 23, 50), desk)  # the day before
    taken_on(at(2025, 3, 5, 0, 5), desk_zuid)  # the day after
    taken_on(at(2025, 3, 4, 10), other_desk)  # Rotterdam


def test_the_daily_report_counts_per_desk_in_one_query(fourth_of_march, amsterdam, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = daily_report(municipality=amsterdam, day=date(2025, 3, 4))
        rows = [
            (row.code, row.name, row.taken, row.urgent, row.manual, row.pin_cents, row.cash_cents)
            for row in report.desks
        ]
    assert rows == [
        ("01", "Stadsloket Centrum", 3, 1, 1, 2 * 4135, 4135),
        ("02", "Stadsloket Zuid", 1, 0, 1, 0, 4135),
        ("03", "Stadsloket Noord", 0, 0, 0, 0, 0),
    ]
    total = report.total
    assert (total.taken, total.urgent, total.manual, total.pin_cents, total.cash_cents, total.fees_cents) == (
        4,
        1,
        2,
        8270,
        8270,
        16540,
    )
    next_day = daily_report(municipality=amsterdam, day=date(2025, 3, 5))
    assert [row.taken for row in next_day.desks] == [0, 1, 0]


def test_the_report_page_shows_the_table_and_the_chart(en_clerk, fourth_of_march):
    html = page_of(en_clerk.get(REPORT, {"datum": "04-03-2025"}))
    centrum = re.search(r'<tr class="utrecht-table__row" data-desk="01">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</td>", centrum) == ["3", "1", "1", "€ 82,70", "€ 41,35", "€ 124,05"]
    total = re.search(r'<tr class="utrecht-table__row" data-desk="total">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</td>", total) == ["4", "1", "2", "€ 82,70", "€ 82,70", "€ 165,40"]
    assert "Applications taken per desk on 04-03-2025" in html
    # The chart: the busiest desk has the full bar, the others in proportion, every number as text.
    assert re.findall(r'<rect class="counter-bars__bar" width="([0-9]+)%"', html) == ["100", "33"]
    for text in ("3 applications", "1 application<", "0 applications"):
        assert text in html
    assert 'href="/balie/rapport.csv?datum=04-03-2025"' in html


def test_the_report_is_of_today_by_default(en_clerk, desk):
    with time_machine.travel(at(2025, 3, 4, 10), tick=False):
        counter_application(desk)
        html = page_of(en_clerk.get(REPORT))
    assert "Tuesday 4 March 2025" in html
    assert re.search(r'data-desk="01">.*?<td[^>]*>1</td>', html, re.S)


def test_a_wrong_report_date_gets_a_message(en_clerk, desk):
    html = page_of(en_clerk.get(REPORT, {"datum": "4 maart"}))
    assert "Date: Write the date as DD-MM-YYYY, for example 17-05-2025." in html
    assert "<table" not in html
    response = en_clerk.get(REPORT_CSV, {"datum": "2025-03-04"})
    assert response.status_code == 400
    assert "Write the date as DD-MM-YYYY" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.MUNICIPAL_REPORT_EXPORTED).exists()


def test_the_csv_export_is_exact_and_audited(en_clerk, clerk, fourth_of_march, desk_zuid):
    desk_zuid.name = '=HYPERLINK("http://example.org")'
    desk_zuid.save()

    response = en_clerk.get(REPORT_CSV, {"datum": "04-03-2025"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="vog-balie-0363-2025-03-04.csv"'
    assert response.content == (
        "\ufeff"
        "Location code;Desk;Applications taken;Urgent;Personal data entered by hand;"
        "Fees by PIN (EUR);Fees in cash (EUR);Fees in total (EUR)\r\n"
        "01;Stadsloket Centrum;3;1;1;82,70;41,35;124,05\r\n"
        '02;"\'=HYPERLINK(""http://example.org"")";1;0;1;0,00;41,35;41,35\r\n'
        "03;Stadsloket Noord;0;0;0;0,00;0,00;0,00\r\n"
        ";Total;4;1;2;82,70;82,70;165,40\r\n"
    ).encode("utf-8")
    assert response.content.startswith(b"\xef\xbb\xbf")

    event = AuditEvent.objects.get(action=AuditAction.MUNICIPAL_REPORT_EXPORTED)
    assert (event.actor_kind, event.actor_id) == ("user", str(clerk.pk))
    assert (event.subject_type, event.subject_id) == ("municipality", "0363")
    assert event.data == {"day": "2025-03-04", "applications": 4}


def test_viewing_the_report_is_not_an_export(en_clerk, fourth_of_march):
    page_of(en_clerk.get(REPORT, {"datum": "04-03-2025"}))
    assert not AuditEvent.objects.filter(action=AuditAction.MUNICIPAL_REPORT_EXPORTED).exists()


# --- Who may look -------------------------------------------------------------------------------

PAGES = [OVERVIEW, REPORT, REPORT_CSV]


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, desk, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_a_clerk_without_the_second_factor_is_sent_to_the_staff_login(client, clerk, url):
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")


@pytest.mark.parametrize("url", PAGES)
def test_staff_who_are_not_clerks_are_refused(intake_officer_client, url):
    assert intake_officer_client.get(url).status_code == 403


def test_a_clerk_group_member_without_a_desk_is_refused(client, desk):
    application = counter_application(desk)
    user = staff_user("no.desk", Role.MUNICIPAL_CLERK)
    login_with_second_factor(client, user)
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(f"/balie/aanvragen/{application.intake.municipal_number}/").status_code == 403
