"""The staff login, the setup of the authenticator app and the backup codes (django-two-factor-auth).

The flow: username and password → the app's 6-digit code (or a backup code) → the page asked for
(``?next=``) or the role's start page. A staff member without a confirmed app is logged in with the
password only (not verified: no staff page opens) and set up the app first: scan the QR code or type
the key, confirm with a code, then note the backup codes.
"""

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.forms import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from two_factor.forms import MethodForm
from two_factor.utils import default_device, get_otpauth_url
from two_factor.views import LoginView, QRGeneratorView, SetupView

from .access import staff_required, staff_setup_required
from .forms import StaffAuthenticationForm, StaffBackupCodeForm, StaffTokenForm, StaffTOTPDeviceForm
from .staff import backup_codes_of, backup_codes_renew, staff_start_page


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class StaffLoginView(LoginView):
    template_name = "two_factor/core/login.html"
    form_list = (
        (LoginView.AUTH_STEP, StaffAuthenticationForm),
        (LoginView.TOKEN_STEP, StaffTokenForm),
        (LoginView.BACKUP_STEP, StaffBackupCodeForm),
    )

    def get_form_list(self):
        # The library picks the code form by the kind of device; staff use an authenticator app.
        form_list = super().get_form_list()
        if self.TOKEN_STEP in form_list:
            form_list[self.TOKEN_STEP] = StaffTokenForm
        return form_list

    def get_form(self, step=None, **kwargs):
        timed_out, self.show_timeout_error = self.show_timeout_error, False
        form = super().get_form(step=step, **kwargs)
        if timed_out:
            form.cleaned_data = getattr(form, "cleaned_data", {})
            form.add_error(None, ValidationError(_("It took too long to give the code. Log in again.")))
        return form

    def get_success_url(self):
        return self.get_redirect_url() or staff_start_page(self.get_user())

    def done(self, form_list, **kwargs):
        user = self.get_user()
        if default_device(user) is None:
            # No authenticator app yet: logged in with the password only, which opens no staff page,
            # and on to setting up the app.
            login(self.request, user)
            return redirect(_with_next(reverse("two_factor:setup"), self.get_redirect_url()))
        return super().done(form_list, **kwargs)


@method_decorator(staff_setup_required, name="dispatch")
class StaffSetupView(SetupView):
    template_name = "two_factor/core/setup.html"
    # No welcome step: the page with the QR code explains what to do. The method step drops out
    # because the authenticator app is the only method.
    form_list = (("method", MethodForm),)

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = StaffTOTPDeviceForm
        return form_list

    def get_success_url(self):
        return _with_next(reverse("two_factor:backup_tokens"), self.get_redirect_url())

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["cancel_url"] = None
        if self.steps.current == "generator":
            secret = b32encode(unhexlify(self.get_key("generator").encode("ascii"))).decode("ascii")
            issuer = settings.OTP_TOTP_ISSUER
            context.update(
                issuer=issuer,
                secret_key=secret,
                secret_key_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
                otpauth_url=get_otpauth_url(self.request.user.get_username(), secret, issuer),
            )
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        backup_codes_renew(self.request.user)
        return response


@method_decorator(staff_setup_required, name="dispatch")
class StaffQRGeneratorView(QRGeneratorView):
    def get_issuer(self):
        return settings.OTP_TOTP_ISSUER


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def backup_codes(request):
    """The staff member's backup codes, and making new ones (the old ones then stop working)."""
    next_url = _safe_next(request)
    if request.method == "POST":
        backup_codes_renew(request.user)
        messages.success(request, _("You have new backup codes. The old codes no longer work."))
        return redirect(_with_next(reverse("two_factor:backup_tokens"), next_url))
    return render(
        request,
        "two_factor/core/backup_tokens.html",
        {
            "codes": backup_codes_of(request.user),
            "next": next_url,
            "continue_url": next_url or staff_start_page(request.user),
        },
    )
