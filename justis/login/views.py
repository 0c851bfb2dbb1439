from django.conf import settings
from django.contrib import auth, messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .demo import DEMO_ORGANISATIONS
from .forms import DemoKvkLoginForm

CITIZEN_HOME = "/mijnjustis/"
ORGANISATION_HOME = "/organisatie/"


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_http_methods(["GET"])
def login_choice(request):
    """Choose how to log in: DigiD (citizens) or eHerkenning (organisations)."""
    if request.GET.get("verlopen"):
        messages.info(request, _("You were logged out because you had not done anything for a while."))
    citizen_next = _safe_next(request, CITIZEN_HOME)
    organisation_next = _safe_next(request, ORGANISATION_HOME)
    return render(
        request,
        "login/choice.html",
        {
            "digid_url": f"{reverse('digid:login')}?next={citizen_next}",
            "eherkenning_url": (
                f"{reverse('demo-eherkenning')}?next={organisation_next}"
                if settings.ENABLE_DEMO_LOGINS
                else f"{reverse('eherkenning:login')}?next={organisation_next}"
            ),
            "role": request.GET.get("rol", ""),
            "demo": settings.ENABLE_DEMO_LOGINS,
        },
    )


@require_http_methods(["GET", "POST"])
def demo_eherkenning(request):
    """The demo eHerkenning page: log in as an organisation by KvK number (development flag only)."""
    if not settings.ENABLE_DEMO_LOGINS:
        raise Http404
    next_url = _safe_next(request, ORGANISATION_HOME)
    form = DemoKvkLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = auth.authenticate(request, kvk_number=form.cleaned_data["kvk_number"])
        if user is not None:
            auth.login(request, user)
            return redirect(next_url)
        form.add_error(None, _("Logging in did not succeed. Try again."))
    return render(
        request,
        "login/demo_eherkenning.html",
        {"form": form, "next": next_url, "organisations": sorted(DEMO_ORGANISATIONS.items())},
    )


@require_POST
def logout(request):
    auth.logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("/")


@require_POST
def extend_session(request):
    """Called by the idle warning's “stay logged in” button: any request renews the session."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)


@require_http_methods(["GET"])
def digid_login(request):
    """The start of a DigiD login, behind DigiD's circuit breaker.

    In the demo the DigiD simulator obeys the ``digid`` fault switches; when DigiD does not answer
    (or its breaker is open), the applicant gets a page that says so plainly, with Retry-After and a
    way back, instead of an error. Nothing of theirs is lost: what they prepared is kept and the
    ``next`` address brings them back to it once they log in.
    """
    from digid_eherkenning.mock.views.digid import DigiDLoginMockView

    from justis.adapters import OutsideSystemUnavailable
    from justis.api import RETRY_AFTER_SECONDS
    from justis.breaker import breaker_call
    from justis.faults import System, simulate_faults

    try:
        breaker_call(System.DIGID, simulate_faults, System.DIGID, timeout=settings.DIGID_TIMEOUT_SECONDS)
    except OutsideSystemUnavailable:
        response = render(
            request,
            "login/digid_unavailable.html",
            {"retry_url": request.get_full_path(), "next": _safe_next(request, CITIZEN_HOME)},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return DigiDLoginMockView.as_view()(request)
