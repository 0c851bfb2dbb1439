import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from two_factor.forms import AuthenticationTokenForm, TOTPDeviceForm

from justis.roles import user_has_staff_role

from . import lockout


class DemoKvkLoginForm(forms.Form):
    kvk_number = forms.CharField(
        label=_("KvK number"),
        min_length=8,
        max_length=8,
        help_text=_("8 digits. Pick one of the demo organisations or type any KvK number."),
        error_messages={
            "required": _("Fill in the KvK number of the organisation."),
            "min_length": _("A KvK number has exactly 8 digits."),
            "max_length": _("A KvK number has exactly 8 digits."),
        },
    )

    def clean_kvk_number(self):
        value = self.cleaned_data["kvk_number"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("A KvK number has exactly 8 digits."))
        return value


# --- Staff login (two factors) -------------------------------------------------------------------

CODE_PATTERN = re.compile(r"[0-9]{6}")


def _code_widget(**attrs):
    return forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false", **attrs}
    )


def _without_spaces(value: str) -> str:
    return "".join((value or "").split())


class StaffAuthenticationForm(AuthenticationForm):
    """Step 1 of the staff login: username and password. Only accounts with a staff role get through."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or the password is not correct. Check both and try again."),
        "not_staff": _(
            "This login is only for staff of municipalities and Justis. Applicants log in with DigiD, "
            "organisations with eHerkenning."
        ),
        "locked": _(
            "This account is locked for %(minutes)s minutes after too many wrong passwords. Wait, then try "
            "again; if you forgot your password, ask your application administrator."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Fill in your username.")
        self.fields["password"].error_messages["required"] = _("Fill in your password.")

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and lockout.login_locked(username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.STAFF_LOCKOUT_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if username and error.code == "invalid_login":
                lockout.login_failed(username)
            raise
        if username:
            lockout.login_succeeded(username)
        return cleaned

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user_has_staff_role(user):
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


class StaffTokenForm(AuthenticationTokenForm):
    """Step 2: the 6-digit code the authenticator app shows now."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        help_text=_("The 6 digits the app shows now. A new code appears every 30 seconds."),
        max_length=20,
        widget=_code_widget(autofocus=True),
        error_messages={"required": _("Fill in the 6-digit code from the authenticator app.")},
    )
    otp_error_messages = {
        **AuthenticationTokenForm.otp_error_messages,
        "token_required": _("Fill in the 6-digit code from the authenticator app."),
        "invalid_token": _("This code is not correct. Type the code that the app shows now."),
        "n_failed_attempts": _("Too many wrong codes in a row. Wait a moment, then type the code the app shows."),
        "verification_not_allowed": _(
            "Too many wrong codes in a row. Wait a moment, then type the code the app shows."
        ),
    }

    def clean_otp_token(self):
        value = _without_spaces(self.cleaned_data["otp_token"])
        if not CODE_PATTERN.fullmatch(value):
            raise forms.ValidationError(_("The code has 6 digits."), code="format")
        return value

    def clean(self):
        # Only a code in the right form is checked against the app (and counts as an attempt).
        if "otp_token" in self.cleaned_data:
            self.clean_otp(self.user)
        return self.cleaned_data


class StaffBackupCodeForm(StaffTokenForm):
    """Instead of step 2: one of the backup codes. Each code works once."""

    otp_token = forms.CharField(
        label=_("Backup code"),
        help_text=_("One of the codes you printed or saved when you set up the app. Each code works once."),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Fill in one of your backup codes.")},
    )
    otp_error_messages = {
        **StaffTokenForm.otp_error_messages,
        "token_required": _("Fill in one of your backup codes."),
        "invalid_token": _("This backup code is not correct or has been used before."),
        "n_failed_attempts": _("Too many wrong codes in a row. Wait a moment, then try again."),
        "verification_not_allowed": _("Too many wrong codes in a row. Wait a moment, then try again."),
    }

    def clean_otp_token(self):
        return _without_spaces(self.cleaned_data["otp_token"]).lower()


class StaffTOTPDeviceForm(TOTPDeviceForm):
    """Setting up the authenticator app: the first code it shows confirms that it has the right key."""

    token = forms.CharField(
        label=_("Code from the authenticator app"),
        help_text=_("The 6 digits the app shows for Justis VOG."),
        max_length=20,
        widget=_code_widget(),
        error_messages={"required": _("Fill in the 6-digit code from the authenticator app.")},
    )
    error_messages = {
        "invalid_token": _(
            "This code is not correct. Check that you added the QR code or the key above to the app, and type "
            "the code it shows now."
        ),
    }

    def clean_token(self):
        value = _without_spaces(self.cleaned_data.get("token"))
        if not CODE_PATTERN.fullmatch(value):
            raise forms.ValidationError(_("The code has 6 digits."), code="format")
        self.cleaned_data["token"] = int(value)  # the library compares with the computed code as a number
        return super().clean_token()
