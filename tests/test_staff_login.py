"""The staff login with two factors (/medewerkers/inloggen/): password, then the authenticator app's code.

The tests go through the real views with real TOTP codes computed from the device's key, as an app would.
"""

import time
from base64 import b32decode
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

import pytest
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.models import Desk
from justis.login.access import STAFF_LOGIN_URL
from justis.login.demo import DEMO_STAFF_PASSWORD
from justis.login.staff import BACKUP_CODE_COUNT, backup_codes_renew
from justis.roles import Role
from tests.staff import login_with_second_factor, staff_user

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"  # the password of tests.staff.staff_user
LOGIN = STAFF_LOGIN_URL
SETUP = "/medewerkers/authenticator/instellen/"
BACKUP_CODES = "/medewerkers/reservecodes/"


def dutch(message: str) -> str:
    """The text a Dutch page shows for ``message`` (the source text until the Dutch catalogue has it)."""
    with translation.override("nl"):
        return str(translation.gettext(message))


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def code_for_key(b32_secret: str) -> str:
    return f"{totp(b32decode(b32_secret)):06d}"


def password_step(client, username, password=PASSWORD, url=LOGIN):
    return client.post(
        url, {"staff_login_view-current_step": "auth", "auth-username": username, "auth-password": password}
    )


def code_step(client, code, step="token", url=LOGIN):
    return client.post(url, {"staff_login_view-current_step": step, f"{step}-otp_token": code})


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session and "_auth_user_id" in client.session


def form_errors(response) -> list[str]:
    form = response.context["wizard"]["form"]
    return [str(error) for errors in form.errors.values() for error in errors]


# --- Password and code --------------------------------------------------------------------------


def test_the_login_page_asks_for_username_and_password_accessibly(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert '<label class="utrecht-form-label" for="id_auth-username">' in html
    assert "bootstrap" not in html  # our own frame, not the library's
    assert response.templates[0].name == "two_factor/core/login.html"
    assert "base.html" in [template.name for template in response.templates]


def test_a_clerk_logs_in_with_password_and_code_and_lands_at_the_counter(client, clerk):
    response = password_step(client, "clerk.amsterdam")
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"
    assert not is_verified(client)
    html = response.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html

    response = code_step(client, code_of(clerk.totpdevice_set.get()))
    assert response.status_code == 302
    assert response.url == "/balie/"
    assert is_verified(client)
    counter = client.get("/balie/")
    assert counter.status_code == 200
    assert counter.context["form"].__class__.__name__ == "CounterIntakeForm"


def test_the_login_goes_to_the_page_asked_for_but_never_to_another_site(client, clerk):
    device = clerk.totpdevice_set.get()
    password_step(client, "clerk.amsterdam", url=f"{LOGIN}?next=/balie/aanvragen/")
    response = code_step(client, code_of(device), url=f"{LOGIN}?next=/balie/aanvragen/")
    assert response.url == "/balie/aanvragen/"

    client.logout()
    device.refresh_from_db()
    # A code is accepted once: the app's next code.
    with time_machine.travel((device.last_t + 1) * device.step + 1, tick=False):
        password_step(client, "clerk.amsterdam", url=f"{LOGIN}?next=https://evil.example/")
        response = code_step(client, code_of(device), url=f"{LOGIN}?next=https://evil.example/")
    assert response.url == "/balie/"


def test_an_intake_officer_lands_at_the_paper_applications(client, intake_officer):
    password_step(client, "intake.justis")
    response = code_step(client, code_of(intake_officer.totpdevice_set.get()))
    assert response.url == "/backoffice/papier/"
    assert client.get("/backoffice/papier/").status_code == 200


def test_a_wrong_password_says_so_and_reveals_nothing_else(client, clerk):
    wrong = password_step(client, "clerk.amsterdam", password="not the password")
    unknown = password_step(client, "nobody.here", password="not the password")
    message = dutch("The username or the password is not correct. Check both and try again.")
    assert form_errors(wrong) == form_errors(unknown) == [message]
    assert message in wrong.content.decode()
    assert 'role="alert"' in wrong.content.decode()  # the error summary is read out
    assert wrong.context["wizard"]["steps"].current == "auth"
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused(client, clerk):
    device = clerk.totpdevice_set.get()
    password_step(client, "clerk.amsterdam")
    right = int(code_of(device))
    response = code_step(client, f"{(right + 1) % 1_000_000:06d}")
    assert response.status_code == 200
    assert form_errors(response) == [dutch("This code is not correct. Type the code that the app shows now.")]
    assert "_auth_user_id" not in client.session
    assert client.get("/balie/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_code_that_is_not_six_digits_is_refused_without_counting_as_an_attempt(client, clerk):
    password_step(client, "clerk.amsterdam")
    response = code_step(client, "12ab")
    assert form_errors(response) == [dutch("The code has 6 digits.")]
    assert 'aria-invalid="true"' in response.content.decode()
    assert clerk.totpdevice_set.get().throttling_failure_count == 0
    assert "_auth_user_id" not in client.session


def test_a_code_given_too_late_starts_the_login_again(client, clerk):
    password_step(client, "clerk.amsterdam")
    with time_machine.travel(time.time() + 601):  # TWO_FACTOR_LOGIN_TIMEOUT: 10 minutes
        response = code_step(client, code_of(clerk.totpdevice_set.get()))
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "auth"
    assert form_errors(response) == [dutch("It took too long to give the code. Log in again.")]
    assert "_auth_user_id" not in client.session


def test_a_code_typed_with_a_space_is_accepted(client, clerk):
    password_step(client, "clerk.amsterdam")
    code = code_of(clerk.totpdevice_set.get())
    response = code_step(client, f"{code[:3]} {code[3:]}")
    assert response.status_code == 302
    assert is_verified(client)


def test_a_backup_code_logs_in_once(client, clerk):
    codes = backup_codes_renew(clerk)
    assert len(codes) == BACKUP_CODE_COUNT
    password_step(client, "clerk.amsterdam")
    response = client.post(LOGIN, {"wizard_goto_step": "backup"})
    assert response.context["wizard"]["steps"].current == "backup"
    response = code_step(client, codes[0].upper(), step="backup")  # as typed from a printed list
    assert response.status_code == 302
    assert response.url == "/balie/"
    assert is_verified(client)
    assert StaticToken.objects.filter(device__user=clerk).count() == BACKUP_CODE_COUNT - 1

    client.post("/uitloggen/")
    password_step(client, "clerk.amsterdam")
    client.post(LOGIN, {"wizard_goto_step": "backup"})
    response = code_step(client, codes[0], step="backup")
    assert response.status_code == 200
    assert form_errors(response) == [dutch("This backup code is not correct or has been used before.")]
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_verified_staff_session(clerk_client):
    assert clerk_client.get("/balie/").status_code == 200
    response = clerk_client.post("/uitloggen/")
    assert response.status_code == 302
    assert "_auth_user_id" not in clerk_client.session
    assert DEVICE_ID_SESSION_KEY not in clerk_client.session
    response = clerk_client.get("/balie/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/balie/"


# --- Setting up the authenticator app -----------------------------------------------------------


def test_a_staff_member_without_an_app_sets_it_up_and_gets_backup_codes(client, desk):
    clerk = staff_user("new.clerk", Role.MUNICIPAL_CLERK, desk=desk)
    clerk.totpdevice_set.all().delete()

    response = password_step(client, "new.clerk", url=f"{LOGIN}?next=/balie/aanvragen/")
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fbalie%2Faanvragen%2F"
    assert not is_verified(client)
    assert client.get("/balie/").status_code == 302  # the password alone opens no staff page

    response = client.get(response.url)
    assert response.status_code == 200
    secret = response.context["secret_key"]
    html = response.content.decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html  # the key to type
    assert response.context["otpauth_url"].startswith("otpauth://totp/Justis%20VOG%3A%20new.clerk?secret=")
    assert "issuer=Justis+VOG" in response.context["otpauth_url"]
    qr = client.get(response.context["QR_URL"])
    assert qr.status_code == 200
    assert qr["Content-Type"].startswith("image/svg+xml")

    wrong_code = f"{(int(code_for_key(secret)) + 1) % 10**6:06d}"
    wrong = client.post(
        f"{SETUP}?next=/balie/aanvragen/", {"staff_setup_view-current_step": "generator", "generator-token": wrong_code}
    )
    assert wrong.status_code == 200
    assert form_errors(wrong) == [
        dutch(
            "This code is not correct. Check that you added the QR code or the key above to the app, and type "
            "the code it shows now."
        )
    ]
    assert not TOTPDevice.objects.filter(user=clerk).exists()

    response = client.post(
        f"{SETUP}?next=/balie/aanvragen/",
        {"staff_setup_view-current_step": "generator", "generator-token": code_for_key(secret)},
    )
    assert response.status_code == 302
    assert response.url == f"{BACKUP_CODES}?next=%2Fbalie%2Faanvragen%2F"
    device = TOTPDevice.objects.get(user=clerk, confirmed=True)
    assert device.name == "default"
    assert is_verified(client)

    codes = client.get(response.url)
    assert codes.status_code == 200
    shown = codes.context["codes"]
    assert len(shown) == BACKUP_CODE_COUNT
    assert all(code in codes.content.decode() for code in shown)
    assert codes.context["continue_url"] == "/balie/aanvragen/"
    assert client.get("/balie/aanvragen/").status_code == 200


def test_new_backup_codes_replace_the_old_ones(clerk_client, clerk):
    old = backup_codes_renew(clerk)
    response = clerk_client.post(BACKUP_CODES)
    assert response.status_code == 302
    new = clerk_client.get(BACKUP_CODES).context["codes"]
    assert len(new) == BACKUP_CODE_COUNT
    assert not set(old) & set(new)


def test_the_backup_codes_page_needs_both_factors(client, clerk):
    client.force_login(clerk)
    response = client.get(BACKUP_CODES)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_password_alone_cannot_add_a_second_app(client, clerk):
    """Someone with only the password of an account that has an app is sent to the login, not to setup."""
    client.force_login(clerk)  # password step passed, code not given
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={SETUP}"
    response = client.post(SETUP, {"staff_setup_view-current_step": "generator", "generator-token": "123456"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=clerk).count() == 1


def test_setup_is_only_for_logged_in_staff(client, citizen):
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    client.force_login(citizen)
    assert client.get(SETUP).status_code == 403


# --- Who may log in here ------------------------------------------------------------------------


def test_a_citizen_account_cannot_log_in_here(client, citizen):
    citizen.set_password(PASSWORD)  # even with a password, a citizen is no staff member
    citizen.save()
    response = password_step(client, citizen.username)
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "auth"
    message = form_errors(response)[0]
    assert message == dutch(
        "This login is only for staff of municipalities and Justis. Applicants log in with DigiD, "
        "organisations with eHerkenning."
    )
    assert "_auth_user_id" not in client.session
    assert client.get(SETUP).status_code == 302


def test_a_logged_in_clerk_who_did_not_give_the_code_is_sent_to_the_staff_login(client, clerk):
    client.force_login(clerk)
    response = client.get("/balie/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/balie/"


def test_a_clerk_without_the_clerk_group_gets_403(client, desk):
    user = staff_user("no.group", Role.MUNICIPAL_CLERK, desk=desk)
    user.groups.clear()
    login_with_second_factor(client, user)
    assert client.get("/balie/").status_code == 403


# --- Demo accounts ------------------------------------------------------------------------------


def test_seed_demo_creates_staff_whose_demo_code_the_login_accepts(client, reference_data):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # safe to run again
    clerk = User.objects.get(username="balie.amsterdam")
    assert (clerk.desk.municipality.code, clerk.desk.code, clerk.desk.name) == ("0363", "01", "Stadsloket Centrum")
    assert Desk.objects.filter(municipality__code="0363").count() == 2
    assert User.objects.get(username="balie.rotterdam").desk.municipality.code == "0599"
    assert TOTPDevice.objects.filter(user__username="backoffice.justis", confirmed=True).count() == 1

    out = StringIO()
    call_command("demo_totp", "balie.amsterdam", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()

    password_step(client, "balie.amsterdam", password=DEMO_STAFF_PASSWORD)
    response = code_step(client, code)
    assert response.status_code == 302
    assert response.url == "/balie/"
    assert client.get("/balie/").status_code == 200


@override_settings(ENABLE_DEMO_LOGINS=False)
def test_demo_staff_and_their_codes_are_refused_without_demo_logins(reference_data):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert not User.objects.filter(username="balie.amsterdam").exists()
    assert "ENABLE_DEMO_LOGINS" in out.getvalue()
    staff_user("balie.amsterdam", Role.INTAKE_OFFICER)
    with pytest.raises(CommandError, match="ENABLE_DEMO_LOGINS"):
        call_command("demo_totp", "balie.amsterdam")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, clerk):
    for _attempt in range(5):
        wrong = password_step(client, "clerk.amsterdam", password="not the password")
        assert form_errors(wrong) == [dutch("The username or the password is not correct. Check both and try again.")]
    locked = password_step(client, "Clerk.Amsterdam ")  # the right password, the username typed differently
    [message] = form_errors(locked)
    assert "15" in message
    assert message.startswith("Dit account is")
    assert locked.context["wizard"]["steps"].current == "auth"
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_when_its_time_is_over_and_a_login_clears_the_count(client, clerk):
    from justis.login import lockout

    for _attempt in range(4):
        password_step(client, "clerk.amsterdam", password="not the password")
    assert password_step(client, "clerk.amsterdam").context["wizard"]["steps"].current == "token"  # fourth: not locked
    assert not lockout.login_locked("clerk.amsterdam")  # the right password cleared the count
    with override_settings(STAFF_LOCKOUT_SECONDS=1):
        for _attempt in range(5):
            lockout.login_failed("clerk.amsterdam")
        assert lockout.login_locked("clerk.amsterdam")
        time.sleep(1.2)  # the count expires with the lock time (in Redis)
        assert not lockout.login_locked("clerk.amsterdam")


def test_an_unknown_username_is_locked_alike(client, db):
    for _attempt in range(5):
        password_step(client, "nobody.here", password="not the password")
    [message] = form_errors(password_step(client, "nobody.here", password="whatever"))
    assert message.startswith("Dit account is")  # the same answer as for a real account
