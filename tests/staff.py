"""Helpers and fixtures for staff tests: desks, clerks, intake officers and screeners logged in with two factors."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.models import Desk
from justis.roles import Role

User = get_user_model()


def staff_user(username: str, role: Role, **fields):
    user = User.objects.create_user(username=username, password="correct horse battery staple", **fields)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def login_with_second_factor(client, user):
    """Log ``client`` in as ``user`` as if the password and the authenticator code were given."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def login_browser_with_second_factor(page, user, *, base_url: str | None = None):
    """Give a Playwright ``page`` the session of ``user`` after password and authenticator code."""
    from django.conf import settings
    from django.test import Client

    client = login_with_second_factor(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url or page.base_url,
            }
        ]
    )


@pytest.fixture
def desk(amsterdam):
    return Desk.objects.create(municipality=amsterdam, code="01", name="Stadsloket Centrum")


@pytest.fixture
def other_desk(rotterdam):
    return Desk.objects.create(municipality=rotterdam, code="02", name="Stadswinkel Noord")


@pytest.fixture
def clerk(desk):
    return staff_user("clerk.amsterdam", Role.MUNICIPAL_CLERK, desk=desk)


@pytest.fixture
def clerk_client(client, clerk):
    """A browser of an Amsterdam clerk, logged in with both factors."""
    return login_with_second_factor(client, clerk)


@pytest.fixture
def intake_officer(reference_data):
    return staff_user("intake.justis", Role.INTAKE_OFFICER)


@pytest.fixture
def intake_officer_client(client, intake_officer):
    return login_with_second_factor(client, intake_officer)


@pytest.fixture
def screener(reference_data):
    return staff_user("screener.justis", Role.SCREENER, first_name="Sanne", last_name="de Vries")


@pytest.fixture
def screener_client(client, screener):
    """A browser of a Justis screener, logged in with both factors."""
    return login_with_second_factor(client, screener)
