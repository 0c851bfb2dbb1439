"""Properties of the pre-assessment where its rules combine (age, category, detention, disposal, basis),
checked by Hypothesis over records and applicants it makes up."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.jds.base import JusticeRecord
from screening.models import AssessmentOutcome, DisposalType
from screening.rules import age_on, pre_assessment, record_date

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 23)
# One or more articles of each category in screening/rules_data.py, and one the rules do not know.
ARTICLES = ("310 Sr", "311 Sr", "300 Sr", "302 Sr", "247 Sr", "140 WMSr", "225 Sr", "8 WVW 1994", "239 Sr", "999 Xx")
BASES = (("", ("84", "86")), ("", ("61", "62", "63")), ("65", ()), ("", ("11",)))
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def records(draw):
    decided = draw(st.dates(min_value=date(1990, 1, 1), max_value=DAY))
    return JusticeRecord(
        offence_article=draw(st.sampled_from(ARTICLES)),
        offence_description="feit",
        offence_category="",
        offence_date=decided - timedelta(days=draw(st.integers(0, 400))),
        decision_date=decided,
        disposal_type=draw(st.sampled_from(DisposalType.values)),
        final=draw(st.booleans()),
        sentence="",
        detention_days=draw(st.sampled_from((0, 0, 30, 180, 400, 1500))),
    )


BIRTH_DATES = st.dates(min_value=date(1945, 1, 1), max_value=date(2008, 11, 23))


def assess(items, birth, basis):
    profile, aspects = basis
    return pre_assessment(
        items,
        application_date=DAY,
        birth_date=birth,
        screening_profile=profile,
        functieaspecten=list(aspects),
        application_type="VOG_NP",
    )


@PROPERTY_SETTINGS
@given(items=st.lists(records(), max_size=4), birth=BIRTH_DATES, basis=st.sampled_from(BASES))
def test_a_screener_is_needed_exactly_when_a_counted_record_is_relevant_and_in_its_window(items, birth, basis):
    result = assess(items, birth, basis)
    assert len(result.findings) == len(items)
    needs = any(finding.counted and finding.relevant and finding.in_window for finding in result.findings)
    assert (result.outcome == AssessmentOutcome.NEEDS_SCREENER) == needs
    if not items:
        assert result.outcome == AssessmentOutcome.AUTO_GRANT


@PROPERTY_SETTINGS
@given(items=st.lists(records(), min_size=1, max_size=4), birth=BIRTH_DATES, basis=st.sampled_from(BASES))
def test_in_window_means_on_or_after_the_start_and_unlimited_windows_take_everything(items, birth, basis):
    for finding in assess(items, birth, basis).findings:
        if finding.window.start is None:
            assert finding.in_window
        else:
            assert finding.in_window == (record_date(finding.record) >= finding.window.start)


@PROPERTY_SETTINGS
@given(items=st.lists(records(), min_size=1, max_size=4), birth=BIRTH_DATES, basis=st.sampled_from(BASES))
def test_the_order_of_the_records_does_not_change_the_outcome(items, birth, basis):
    forward, backward = assess(items, birth, basis), assess(list(reversed(items)), birth, basis)
    assert forward.outcome == backward.outcome
    assert sorted(f.for_screener for f in forward.findings) == sorted(f.for_screener for f in backward.findings)


@PROPERTY_SETTINGS
@given(item=records(), birth=BIRTH_DATES, basis=st.sampled_from(BASES), extra=st.integers(1, 2000))
def test_more_detention_never_shortens_the_look_back(item, birth, basis, extra):
    longer = JusticeRecord(**{**item.__dict__, "detention_days": item.detention_days + extra})
    before, after = assess([item], birth, basis).findings[0], assess([longer], birth, basis).findings[0]
    if before.window.start is not None and after.window.start is not None:
        assert after.window.start <= before.window.start
    assert after.in_window or not before.in_window


@PROPERTY_SETTINGS
@given(decided=st.dates(min_value=date(1990, 1, 1), max_value=DAY), birth=BIRTH_DATES)
def test_a_sex_offence_is_always_within_its_window_and_relevant_for_childcare(decided, birth):
    item = JusticeRecord(
        offence_article="247 Sr",
        offence_description="ontucht met een minderjarige",
        offence_category="",
        offence_date=decided,
        decision_date=decided,
        disposal_type=DisposalType.CONVICTION,
        final=True,
        sentence="",
        detention_days=0,
    )
    finding = assess([item], birth, BASES[0]).findings[0]
    assert finding.window.start is None
    assert finding.in_window
    assert finding.relevant
    assert finding.for_screener


@PROPERTY_SETTINGS
@given(item=records(), birth=BIRTH_DATES)
def test_under_23_the_window_is_never_longer_than_for_an_adult(item, birth):
    adult = date(1970, 1, 1)
    young, grown = assess([item], birth, BASES[0]).findings[0], assess([item], adult, BASES[0]).findings[0]
    if age_on(birth, DAY) < 23 and young.window.start and grown.window.start:
        assert young.window.start >= grown.window.start
