from datetime import date

from applications.deadlines import decision_due_date


def test_vog_np_is_decided_within_four_weeks_or_eight_with_an_assessment():
    day = date(2026, 11, 23)
    assert decision_due_date(application_type="VOG_NP", application_date=day) == date(2026, 12, 21)
    assert decision_due_date(application_type="VOG_NP", application_date=day, extended=True) == date(2027, 1, 18)


def test_vog_rp_and_gva_have_longer_periods():
    day = date(2026, 1, 1)
    assert decision_due_date(application_type="VOG_RP", application_date=day) == date(2026, 2, 26)
    assert decision_due_date(application_type="VOG_RP", application_date=day, extended=True) == date(2026, 3, 26)
    assert decision_due_date(application_type="GVA", application_date=day, extended=True) == date(2026, 4, 23)
