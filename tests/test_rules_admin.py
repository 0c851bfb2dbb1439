"""Functional administrators maintain the screening rules as versioned reference data at /beheer/:
a change is a new version from a date, an application is judged by the version valid on its date, and
every addition is audited."""

from datetime import date, timedelta

import pytest

from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from screening.models import LookBackRule
from screening.rules import rules_on
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

LIST = "/beheer/screening/lookbackrule/"


@pytest.fixture
def admin_client(client, reference_data):
    return login_with_second_factor(client, staff_user("beheer.rules", Role.FUNCTIONAL_ADMIN))


def form(rule: LookBackRule, **changes) -> dict:
    values = {
        "code": rule.code,
        "kind": rule.kind,
        "years": rule.years or "",
        "age_below": rule.age_below or "",
        "categories": str(rule.categories).replace("'", '"'),
        "profile_codes": str(rule.profile_codes).replace("'", '"'),
        "valid_from": rule.valid_from.isoformat(),
        "valid_to": "",
        "change_reason": "Beleidsregels 2027",
    }
    return {**values, **changes}


def test_a_new_version_applies_from_its_date_and_the_old_one_before(admin_client):
    rule = LookBackRule.objects.filter(valid_to__isnull=True, years__isnull=False).order_by("code").first()
    start = date(2027, 7, 1)

    response = admin_client.post(
        f"{LIST}add/",
        form(rule, years=rule.years + 1, valid_from=start.isoformat()),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "overlaps the version valid from" in response.content.decode()
    assert LookBackRule.objects.filter(code=rule.code).count() == 1

    response = admin_client.post(
        f"{LIST}{rule.pk}/change/", form(rule, valid_to=(start - timedelta(days=1)).isoformat())
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = admin_client.post(f"{LIST}add/", form(rule, years=rule.years + 1, valid_from=start.isoformat()))
    assert response.status_code == 302

    def years_on(day):
        return {r.code: r.years for r in rules_on(day).rules_of(rule.kind)}[rule.code]

    assert years_on(start - timedelta(days=1)) == rule.years
    assert years_on(start) == rule.years + 1
    entries = AuditEvent.objects.filter(
        action=AuditAction.REFERENCE_DATA_CHANGED, subject_type="screening.lookbackrule"
    )
    assert sorted(entries.values_list("reason", flat=True)) == ["added", "changed"]


def test_rules_are_never_deleted_and_other_roles_stay_out(admin_client, screener):
    from django.test import Client

    rule = LookBackRule.objects.order_by("pk").first()
    assert admin_client.get(f"{LIST}{rule.pk}/delete/").status_code == 403
    response = login_with_second_factor(Client(), screener).get(LIST)
    assert response.status_code in (302, 403)
    assert LookBackRule.objects.filter(pk=rule.pk).exists()
