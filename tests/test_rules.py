"""The automatic pre-assessment: categories, look-back periods, relevance, their history, and the
assessment storing its findings."""

from datetime import date, timedelta

import pytest

from applications.lifecycle import Status
from screening.demo import DEMO_PERSONS
from screening.jds.base import JusticeRecord
from screening.models import (
    Assessment,
    AssessmentOutcome,
    Certificate,
    LookBackRule,
    OffenceRelevance,
    SimulatedJusticeRecord,
)
from screening.rules import pre_assessment, rules_load, rules_on, years_before
from screening.services import assessment_run
from tests.factories import received_application

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 23)  # the application date of these tests
ADULT = date(1980, 6, 1)
YOUNG = date(2005, 1, 1)  # 21 on DAY
CHILDCARE = ("84", "86")
GRANT, SCREENER = AssessmentOutcome.AUTO_GRANT, AssessmentOutcome.NEEDS_SCREENER


def record(article="310 Sr", *, decided=None, years_ago=1, category="", disposal="conviction", final=True, **extra):
    decided = decided or years_before(DAY, years_ago)
    return JusticeRecord(
        offence_article=article,
        offence_description="feit",
        offence_category=category,
        offence_date=decided - timedelta(days=60),
        decision_date=decided,
        disposal_type=disposal,
        final=final,
        sentence="",
        detention_days=extra.get("detention_days", 0),
    )


def assess(records, *, birth=ADULT, profile="", aspects=CHILDCARE, kind="VOG_NP", day=DAY):
    if not isinstance(records, list):
        records = [records]
    return pre_assessment(
        records,
        application_date=day,
        birth_date=birth,
        screening_profile=profile,
        functieaspecten=[] if profile or kind != "VOG_NP" else list(aspects),
        application_type=kind,
    )


@pytest.fixture(autouse=True)
def _rules(reference_data):
    """The rules as the migration loads them."""


def test_no_records_is_always_granted():
    result = assess([])
    assert (result.outcome, result.findings) == (GRANT, ())


# name, record, assess() keyword arguments, expected (category, years, in_window, relevant, outcome)
CASES = [
    ("default 4 years, within", record(years_ago=3), {}, ("vermogen", 4, True, True, SCREENER)),
    ("default 4 years, before", record(years_ago=5), {}, ("vermogen", 4, False, True, GRANT)),
    ("young: 2 years, 3-year-old theft", record(years_ago=3), {"birth": YOUNG}, ("vermogen", 2, False, True, GRANT)),
    ("young: 2 years, 1-year-old theft", record(years_ago=1), {"birth": YOUNG}, ("vermogen", 2, True, True, SCREENER)),
    (
        "young: sex offences excepted",
        record("247 Sr", years_ago=3),
        {"birth": YOUNG},
        ("zeden", None, True, True, SCREENER),
    ),
    (
        "young: serious violence keeps 4 years",
        record("302 Sr", years_ago=3),
        {"birth": YOUNG},
        ("zwaar_geweld", 4, True, True, SCREENER),
    ),
    (
        "young: ordinary violence has 2 years",
        record("300 Sr", years_ago=3),
        {"birth": YOUNG},
        ("geweld", 2, False, True, GRANT),
    ),
    ("sex offence 20 years ago, childcare", record("247 Sr", years_ago=20), {}, ("zeden", None, True, True, SCREENER)),
    (
        "public indecency is not a sex offence",
        record("239 Sr", years_ago=10, category="sexual"),
        {},
        ("overig", 4, False, True, GRANT),
    ),
    (
        "traffic does not matter for childcare",
        record("8 WVW 1994", years_ago=1),
        {},
        ("verkeer", 4, True, False, GRANT),
    ),
    (
        "traffic matters for passenger transport",
        record("8 WVW 1994", years_ago=1),
        {"aspects": ("63",)},
        ("verkeer", 4, True, True, SCREENER),
    ),
    (
        "taxi profile: 5 years",
        record("8 WVW 1994", years_ago=5),
        {"profile": "65"},
        ("verkeer", 5, True, True, SCREENER),
    ),
    (
        "taxi profile: 5 years also when young",
        record(years_ago=3),
        {"profile": "65", "birth": YOUNG},
        ("vermogen", 5, True, True, SCREENER),
    ),
    (
        "shooting club: 8 years, within",
        record("300 Sr", years_ago=7),
        {"profile": "85"},
        ("geweld", 8, True, True, SCREENER),
    ),
    (
        "shooting club: 8 years, before",
        record("300 Sr", years_ago=9),
        {"profile": "85"},
        ("geweld", 8, False, True, GRANT),
    ),
    (
        "shooting club: theft does not matter",
        record(years_ago=1),
        {"profile": "85"},
        ("vermogen", 8, True, False, GRANT),
    ),
    (
        "sworn interpreter: 10 years",
        record("225 Sr", years_ago=9),
        {"profile": "80"},
        ("vermogen", 10, True, True, SCREENER),
    ),
    ("money aspects: theft matters", record(years_ago=2), {"aspects": ("21",)}, ("vermogen", 4, True, True, SCREENER)),
    (
        "money aspects: violence does not",
        record("300 Sr", years_ago=2),
        {"aspects": ("21",)},
        ("geweld", 4, True, False, GRANT),
    ),
    (
        "unknown position: everything matters",
        record("8 WVW 1994", years_ago=1),
        {"profile": "96"},
        ("verkeer", 4, True, True, SCREENER),
    ),
    ("terrorism: 20 years", record("421 Sr", years_ago=15), {}, ("terrorisme", 20, True, True, SCREENER)),
    (
        "JDS category when the article is unknown",
        record("999 Sr", years_ago=1, category="traffic"),
        {},
        ("verkeer", 4, True, False, GRANT),
    ),
    ("unknown offence goes to a screener", record("1 Wet X", years_ago=1), {}, ("overig", 4, True, True, SCREENER)),
    ("acquittal never counts", record(years_ago=1, disposal="acquittal"), {}, ("vermogen", 4, True, True, GRANT)),
    ("GVA: a final conviction counts", record(years_ago=1), {"kind": "GVA"}, ("vermogen", 4, True, True, SCREENER)),
    (
        "GVA: a conviction under appeal does not",
        record(years_ago=1, final=False),
        {"kind": "GVA"},
        ("vermogen", 4, True, True, GRANT),
    ),
    (
        "GVA: a penal order does not",
        record(years_ago=1, disposal="penal_order"),
        {"kind": "GVA"},
        ("vermogen", 4, True, True, GRANT),
    ),
]


@pytest.mark.parametrize(("record_", "kwargs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule(record_, kwargs, expected):
    result = assess(record_, **kwargs)
    [finding] = result.findings
    assert (
        finding.category,
        finding.window.years,
        finding.in_window,
        finding.relevant,
        result.outcome,
    ) == expected


def test_the_finding_explains_itself_in_both_languages():
    finding = assess(record(years_ago=3)).findings_json()[0]
    assert finding["category"] == "vermogen"
    assert finding["window"] == {"years": 4, "start": "2022-11-23", "extended_days": 0}
    assert (finding["in_window"], finding["relevant"], finding["for_screener"]) == (True, True, True)
    assert set(finding["explanation"]) == {"nl", "en"}
    english = finding["explanation"]["en"]
    assert "310 Sr" in english
    assert "4 years" in english
    assert "23-11-2022" in english  # dates in explanations are written day-month-year
    assert "2022-11-23" not in english
    assert "functieaspecten 84, 86" in english
    assert "A screener assesses this record." in english


def test_an_unlimited_window_has_no_start():
    finding = assess(record("247 Sr", years_ago=30)).findings_json()[0]
    assert finding["window"] == {"years": "unlimited", "start": None, "extended_days": 0}


# --- boundaries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "in_window"),
    [
        (date(2022, 11, 23), True),  # exactly 4 years before the application date
        (date(2022, 11, 22), False),  # the day before
        (date(2022, 11, 24), True),  # the day after
    ],
)
def test_the_four_year_boundary(decided, in_window):
    [finding] = assess(record(decided=decided)).findings
    assert finding.window.start == date(2022, 11, 23)
    assert finding.in_window is in_window


def test_a_leap_day_application_looks_back_to_28_february():
    [finding] = assess(record(decided=date(2026, 2, 28)), birth=date(2007, 1, 1), day=date(2028, 2, 29)).findings
    assert (finding.window.years, finding.window.start, finding.in_window) == (2, date(2026, 2, 28), True)


@pytest.mark.parametrize(
    ("birth_date", "years"),
    [
        (date(2003, 11, 23), 4),  # 23rd birthday on the application date: no longer younger than 23
        (date(2003, 11, 24), 2),  # 23 tomorrow
        (date(2003, 11, 22), 4),
    ],
)
def test_the_23rd_birthday(birth_date, years):
    [finding] = assess(record(years_ago=3), birth=birth_date).findings
    assert finding.window.years == years


def test_every_age_and_category_gets_the_expected_period():
    articles = {
        "zeden": "247 Sr",
        "zwaar_geweld": "302 Sr",
        "geweld": "300 Sr",
        "vermogen": "310 Sr",
        "verkeer": "8 WVW 1994",
        "drugs": "10 Opiumwet",
        "wapens": "26 WWM",
        "terrorisme": "421 Sr",
        "overig": "1 Wet X",
    }
    rules = rules_on(DAY)
    for age in range(16, 31):
        birth = years_before(DAY, age)
        for category, article in articles.items():
            [finding] = pre_assessment(
                [record(article)], application_date=DAY, birth_date=birth, functieaspecten=["86"], rules=rules
            ).findings
            assert finding.category == category
            if category == "zeden":
                expected = None
            elif category == "terrorisme":
                expected = 20
            elif age < 23 and category != "zwaar_geweld":
                expected = 2
            else:
                expected = 4
            assert finding.window.years == expected, (age, category)


def test_detention_extends_the_window_by_the_days_deprived_of_liberty():
    decided = date(2022, 10, 1)  # 53 days before the 4-year window
    without = assess(record(decided=decided)).findings[0]
    assert (without.window.extended_days, without.in_window) == (0, False)
    result = assess(record(decided=decided, detention_days=100))
    [finding] = result.findings
    assert finding.window.extended_days == 100
    assert finding.window.start == date(2022, 11, 23) - timedelta(days=100)
    assert (finding.in_window, result.outcome) == (True, SCREENER)
    assert "100 days deprived of liberty" in result.findings_json()[0]["explanation"]["en"]


@pytest.mark.parametrize(("days", "extended"), [(53, 53), (52, 0)])
def test_a_detention_ending_before_the_window_does_not_extend_it(days, extended):
    # Decided 53 days before the window starts: a detention of 53 days reaches its first day.
    [finding] = assess(record(decided=date(2022, 10, 1), detention_days=days)).findings
    assert finding.window.extended_days == extended


def test_one_extension_can_bring_in_an_older_detention():
    recent = record(decided=date(2022, 10, 1), detention_days=100)  # reaches into the window
    older = record("311 Sr", decided=date(2022, 7, 20), detention_days=30)  # ends within the extended window
    result = assess([recent, older])
    assert [f.window.extended_days for f in result.findings] == [130, 130]
    assert all(f.in_window for f in result.findings)


def test_several_articles_take_the_most_serious_category_and_spelling_does_not_matter():
    assert assess(record("310 Sr; 247 Sr", years_ago=10)).findings[0].category == "zeden"
    assert assess(record("art. 310  SR")).findings[0].category == "vermogen"


def test_the_rules_are_read_once_per_call(django_assert_num_queries):
    records = [record(years_ago=n) for n in range(1, 6)]
    with django_assert_num_queries(4):
        assess(records)


# --- history --------------------------------------------------------------------------------------


def test_a_rule_that_has_ended_is_not_applied():
    LookBackRule.objects.filter(code="default").update(valid_to=date(2025, 12, 31))
    LookBackRule.objects.create(code="default", kind="default", years=6, valid_from=date(2026, 1, 1))
    old = record(decided=date(2021, 1, 1))
    assert assess(old).findings[0].window.years == 6
    assert assess(old).outcome == SCREENER
    earlier = assess(record(decided=date(2021, 7, 1)), day=date(2025, 6, 1)).findings[0]
    assert (earlier.window.years, earlier.in_window) == (4, True)
    assert assess(record(decided=date(2019, 1, 1)), day=date(2025, 6, 1)).outcome == GRANT


def test_relevance_that_has_ended_is_not_applied():
    OffenceRelevance.objects.filter(code="risk_area-8").update(valid_to=date(2025, 12, 31))
    # No relevance row for area 8 any more: every category matters (the cautious side).
    traffic = record("8 WVW 1994", decided=date(2025, 1, 1))
    assert assess(traffic).outcome == SCREENER
    assert assess(traffic, day=date(2025, 6, 1)).outcome == GRANT


def test_the_terrorism_period_applies_from_2024():
    assert assess(record("421 Sr", decided=date(2015, 1, 1)), day=date(2023, 12, 31)).outcome == GRANT
    assert assess(record("421 Sr", decided=date(2015, 1, 1)), day=date(2024, 1, 1)).outcome == SCREENER


def test_without_rules_on_the_date_a_screener_assesses():
    result = assess(record(decided=date(1999, 1, 1)), day=date(2000, 1, 1))
    assert result.outcome == SCREENER
    assert "No look-back rules" in result.findings_json()[0]["explanation"]["en"]


def test_loading_the_rules_again_changes_nothing():
    before = LookBackRule.objects.count()
    counts = rules_load()
    assert counts["lookbackrule"] == before
    assert counts["offencecategory"] == 9


# --- demo persons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("person", DEMO_PERSONS, ids=lambda person: person["bsn"])
def test_the_demo_persons_get_the_outcome_the_readme_gives(person):
    records = [JusticeRecord(**data) for data in person["records"]]
    result = assess(records, birth=person["birth_date"])
    assert {GRANT: "issued", SCREENER: "in_review"}[result.outcome] == person["expected"]


def test_the_demo_drink_driver_goes_to_a_screener_for_a_taxi_card():
    sanne = next(person for person in DEMO_PERSONS if person["bsn"] == "999990044")
    records = [JusticeRecord(**data) for data in sanne["records"]]
    assert assess(records, birth=sanne["birth_date"], profile="65").outcome == SCREENER


# --- the assessment --------------------------------------------------------------------------------


def _record_for(bsn, article, description, category, years_ago):
    decided = years_before(date.today(), years_ago)
    SimulatedJusticeRecord.objects.create(
        bsn=bsn,
        offence_article=article,
        offence_description=description,
        offence_category=category,
        offence_date=decided - timedelta(days=30),
        decision_date=decided,
        disposal_type="penal_order",
    )


def test_an_assessment_with_a_relevant_record_stores_the_findings_and_goes_to_a_screener():
    _record_for("999990032", "310 Sr", "diefstal", "property", 1)
    application = received_application(bsn="999990032")

    assert assessment_run(application_id=application.pk) == "in_review"

    assessment = Assessment.objects.get(application=application)
    assert assessment.outcome == SCREENER
    assert assessment.records[0]["offence_article"] == "310 Sr"
    [finding] = assessment.findings
    assert (finding["category"], finding["in_window"], finding["relevant"]) == ("vermogen", True, True)
    assert finding["explanation"]["en"].startswith("310 Sr (diefstal)")
    change = application.status_changes.get(to_status=Status.IN_REVIEW)
    assert "1 relevant and within the look-back period" in change.reason
    assert not Certificate.objects.filter(application=application).exists()


def test_records_that_do_not_matter_are_granted_with_the_reason_and_findings_kept():
    _record_for("999990044", "8 WVW 1994", "rijden onder invloed", "traffic", 1)  # childcare: not relevant
    _record_for("999990044", "310 Sr", "diefstal", "property", 6)  # before the 4-year period
    application = received_application(bsn="999990044")

    assert assessment_run(application_id=application.pk) == "issued"

    assessment = Assessment.objects.get(application=application)
    assert assessment.outcome == GRANT
    assert len(assessment.records) == 2
    assert [(f["category"], f["in_window"], f["relevant"]) for f in assessment.findings] == [
        ("vermogen", False, True),
        ("verkeer", True, False),
    ]
    change = application.status_changes.get(to_status=Status.ISSUED)
    assert change.reason == "2 justice record(s), none both relevant and within the look-back period"
    assert Certificate.objects.filter(application=application).exists()


def test_the_same_record_goes_to_a_screener_for_a_taxi_driver():
    _record_for("999990044", "8 WVW 1994", "rijden onder invloed", "traffic", 1)
    application = received_application(bsn="999990044", screening_profile="65")

    assert assessment_run(application_id=application.pk) == "in_review"
    assert Assessment.objects.get(application=application).findings[0]["window"]["years"] == 5


def test_a_clean_application_is_granted_with_no_findings():
    application = received_application()
    assert assessment_run(application_id=application.pk) == "issued"
    assessment = Assessment.objects.get(application=application)
    assert (assessment.outcome, assessment.findings) == (GRANT, [])
    assert application.status_changes.get(to_status=Status.ISSUED).reason == "no justice records"
