"""Reference data with history: every save in /beheer/ is a version with who, when, why and what changed,
in the admin's history and in the audit trail; fees are versioned by date like the rules; loading the
published data again never undoes an administrator's change."""

from datetime import date, timedelta

import pytest

from applications.fees import fee_cents, fees_load
from applications.models import FeeRate
from justis.admin import reference_admin
from justis.models import AuditAction, AuditEvent
from justis.reference_history import LOADED_REASON
from justis.roles import Role
from screening.models import LookBackRule
from screening.rules import rules_load
from tests.staff import login_with_second_factor, staff_user
from tests.test_rules_admin import form

pytestmark = pytest.mark.django_db

RULES = "/beheer/screening/lookbackrule/"
FEES = "/beheer/applications/feerate/"


@pytest.fixture
def beheer(client, reference_data):
    user = staff_user("beheer.history", Role.FUNCTIONAL_ADMIN)
    login_with_second_factor(client, user)
    client.user = user
    return client


REASON = "Beleidsregels VOG 2027, Stcrt. 2027-123"


def rule_form(rule: LookBackRule, **changes) -> dict:
    return {**form(rule), "change_reason": REASON, **changes}


def current_rule() -> LookBackRule:
    return LookBackRule.objects.filter(valid_to__isnull=True, years__isnull=False).order_by("code").first()


def test_every_table_of_the_reference_admin_keeps_its_versions():
    models = list(reference_admin._registry)
    assert len(models) >= 10
    assert [model for model in models if not hasattr(model, "history")] == []


def test_the_published_data_loaded_with_the_service_is_the_first_version(reference_data):
    rule = current_rule()
    versions = list(rule.history.all())
    assert len(versions) == 1
    assert versions[0].history_type == "+"
    assert versions[0].history_user is None
    assert versions[0].years == rule.years
    # The migration gave every loaded row its first version; runtime loads (after a flush) get one by signal.
    assert LookBackRule.history.filter(history_change_reason=LOADED_REASON).count() in (0, LookBackRule.objects.count())
    assert LookBackRule.history.values("id").distinct().count() == LookBackRule.objects.count()


def test_a_change_is_a_version_with_who_when_why_and_what_changed(beheer):
    rule = current_rule()
    end = date(2027, 6, 30)

    response = beheer.post(f"{RULES}{rule.pk}/change/", rule_form(rule, valid_to=end.isoformat()))

    assert response.status_code == 302, response.content.decode()[:1500]
    newest, first = rule.history.all()[:2]
    assert newest.history_type == "~"
    assert newest.history_user == beheer.user
    assert newest.history_change_reason == "Beleidsregels VOG 2027, Stcrt. 2027-123"
    assert newest.valid_to == end
    assert first.valid_to is None
    event = AuditEvent.objects.get(action=AuditAction.REFERENCE_DATA_CHANGED, subject_id=str(rule.pk))
    assert (event.actor_id, event.actor_label) == (str(beheer.user.pk), "beheer.history")
    assert event.data["changes"] == {"valid_to": ["", "2027-06-30"]}
    assert event.data["change_reason"] == "Beleidsregels VOG 2027, Stcrt. 2027-123"
    assert event.data["version"] == newest.history_id

    page = beheer.get(f"{RULES}{rule.pk}/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Beleidsregels VOG 2027, Stcrt. 2027-123" in page
    assert "loaded with the service" in page
    assert "2 versions" in page

    version_page = beheer.get(f"{RULES}{rule.pk}/history/{first.history_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert version_page.status_code == 200
    body = version_page.content.decode()
    assert "This version" in body
    assert "Changed by this save" not in body
    newest_page = beheer.get(f"{RULES}{rule.pk}/history/{newest.history_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Changed by this save" in newest_page.content.decode()
    assert "2027" in newest_page.content.decode()


def test_a_version_cannot_be_written_back_from_the_history(beheer):
    rule = current_rule()
    beheer.post(f"{RULES}{rule.pk}/change/", rule_form(rule, years=rule.years + 2))
    first = rule.history.order_by("history_id").first()

    response = beheer.post(f"{RULES}{rule.pk}/history/{first.history_id}/", rule_form(rule))

    assert response.status_code == 405
    rule.refresh_from_db()
    assert rule.years == first.years + 2
    assert rule.history.count() == 2


def test_a_save_without_a_reason_is_refused_and_nothing_is_kept(beheer):
    rule = current_rule()

    response = beheer.post(
        f"{RULES}{rule.pk}/change/", rule_form(rule, years=rule.years + 1, change_reason=""), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    rule.refresh_from_db()
    assert rule.history.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_CHANGED).exists()


def test_a_new_fee_applies_to_applications_from_its_date_and_overlaps_are_refused(beheer):
    current = FeeRate.objects.get(product="VOG_NP", channel_group="digital", valid_to__isnull=True)
    start = date(2027, 1, 1)
    new_fee = {
        "product": "VOG_NP",
        "channel_group": "digital",
        "amount_cents": 3595,
        "valid_from": start.isoformat(),
        "valid_to": "",
        "change_reason": "Tarievenbesluit 2027",
    }

    refused = beheer.post(f"{FEES}add/", new_fee, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert "overlaps the version valid from 01-03-2016" in refused.content.decode()

    ended = {
        "product": "VOG_NP",
        "channel_group": "digital",
        "amount_cents": current.amount_cents,
        "valid_from": current.valid_from.isoformat(),
        "valid_to": (start - timedelta(days=1)).isoformat(),
        "change_reason": "Tarievenbesluit 2027",
    }
    assert beheer.post(f"{FEES}{current.pk}/change/", ended).status_code == 302
    assert beheer.post(f"{FEES}add/", new_fee).status_code == 302

    assert fee_cents(product="VOG_NP", channel_group="digital", day=date(2026, 12, 31)) == current.amount_cents
    assert fee_cents(product="VOG_NP", channel_group="digital", day=start) == 3595
    listing = beheer.get(FEES, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "€ 35,95" in listing
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.REFERENCE_DATA_CHANGED, subject_type="applications.feerate"
        ).count()
        == 2
    )


def test_loading_the_published_data_again_leaves_an_administrators_change_alone(beheer):
    rule = current_rule()
    beheer.post(f"{RULES}{rule.pk}/change/", rule_form(rule, years=rule.years + 3))
    fee = FeeRate.objects.get(product="GVA", channel_group="digital", valid_to__isnull=True)
    fee.amount_cents = 8000
    fee.save()

    rules_load()
    fees_load()

    rule.refresh_from_db()
    fee.refresh_from_db()
    assert rule.years == rule.history.order_by("history_id").first().years + 3
    assert fee.amount_cents == 8000


def test_other_staff_cannot_read_the_history(client, reference_data, screener):
    rule = current_rule()
    login_with_second_factor(client, screener)
    response = client.get(f"{RULES}{rule.pk}/history/")
    assert response.status_code in (302, 403)
    version = rule.history.first()
    response = client.get(f"{RULES}{rule.pk}/history/{version.history_id}/")
    assert response.status_code in (302, 403)
