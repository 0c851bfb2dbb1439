"""Functional administrators manage the continuous screening enrolments; nobody else may."""

from datetime import date

from django.test import Client
from django.utils import timezone

import pytest

from continuous.models import ContinuousEnrolment, EnrolmentLink
from justis.login.staff import staff_start_page
from justis.models import AuditAction, AuditEvent
from justis.roles import Role
from tests.continuous_helpers import enrol
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

ADMIN = "/beheer/continu-screenen/"


@pytest.fixture
def functional_admin(reference_data):
    return staff_user("beheer.justis", Role.FUNCTIONAL_ADMIN)


@pytest.fixture
def admin_client(functional_admin):
    return login_with_second_factor(Client(), functional_admin)


def enrolment_data(**changes):
    return {
        "sector": "childcare",
        "bsn": "999990032",
        "given_names": "Pieter",
        "surname": "de Boer",
        "birth_date": "1985-02-28",
        "email": "",
        "vog_reference": "VOG-2026-000777",
        "active_from": "2026-11-01",
        **changes,
    }


def test_only_functional_admins_manage_enrolments(screener, clerk, functional_admin):
    assert Client().get(ADMIN)["Location"].startswith("/medewerkers/inloggen/")
    for user in (screener, clerk):
        staff_client = login_with_second_factor(Client(), user)
        assert staff_client.get(ADMIN).status_code == 403
        assert staff_client.post(f"{ADMIN}nieuw/", enrolment_data()).status_code == 403
    assert not ContinuousEnrolment.objects.exists()
    assert staff_start_page(functional_admin) == ADMIN


def test_enrol_link_unlink_and_end_through_the_screens(admin_client, functional_admin):
    response = admin_client.post(f"{ADMIN}nieuw/", enrolment_data(bsn="123456789"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "11-test" in response.content.decode()

    response = admin_client.post(f"{ADMIN}nieuw/", enrolment_data())
    enrolment = ContinuousEnrolment.objects.get()
    assert response["Location"] == f"{ADMIN}{enrolment.pk}/"
    assert enrolment.active_from == date(2026, 11, 1)
    audit = AuditEvent.objects.get(action=AuditAction.ENROLMENT_CHANGED)
    assert audit.actor_id == str(functional_admin.pk)
    again = admin_client.post(f"{ADMIN}nieuw/", enrolment_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "already has an open enrolment" in again.content.decode()

    link = {
        "link-kvk_number": "12345678",
        "link-contact_email": "hr@zonnebloem.example",
        "link-active_from": "2026-11-01",
    }
    unknown = admin_client.post(f"{ADMIN}{enrolment.pk}/koppelen/", link, HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 400
    assert "give the name" in unknown.content.decode()
    link["link-name"] = "Kinderopvang De Zonnebloem"
    response = admin_client.post(f"{ADMIN}{enrolment.pk}/koppelen/", link)
    assert response.status_code == 302
    created = EnrolmentLink.objects.get()
    assert created.organisation.name == "Kinderopvang De Zonnebloem"
    assert "Kinderopvang De Zonnebloem" in admin_client.get(f"{ADMIN}{enrolment.pk}/").content.decode()

    admin_client.post(f"{ADMIN}{enrolment.pk}/ontkoppelen/{created.pk}/")
    created.refresh_from_db()
    assert created.active_to == timezone.localdate()

    early = admin_client.post(f"{ADMIN}{enrolment.pk}/beeindigen/", {"end-day": "2026-10-01"})
    assert early.status_code == 400
    admin_client.post(f"{ADMIN}{enrolment.pk}/beeindigen/", {"end-day": "2026-12-31"})
    enrolment.refresh_from_db()
    assert enrolment.active_to == date(2026, 12, 31)


def test_the_list_filters_by_sector(admin_client):
    enrol(link_to=())
    enrol("999990044", "taxi", link_to=())
    html = admin_client.get(ADMIN, {"sector": "taxi"}).content.decode()
    assert html.count("data-enrolment=") == 1
    assert admin_client.get(ADMIN).content.decode().count("data-enrolment=") == 2
