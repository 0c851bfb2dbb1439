"""The screeners' work queue: cases that need a person, most at risk first; take up and release.

The queue shows no justice data (no records, no assessment outcome), so opening it is not audited;
taking up and releasing a case are (in the services).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application, ApplicationType
from justis.login.access import screener_required

from .sectors import legal_obligation_sector
from .selectors import CLAIMED_ALL, CLAIMED_FREE, CLAIMED_MINE, QUEUE_STATUSES, claim_is_current, work_queue
from .services import CaseHeldByOther, CaseNotHeld, CaseNotInQueue, case_claim, case_release

PAGE_SIZE = 50
SHORT_TYPE = {"VOG_NP": "VOG NP", "VOG_RP": "VOG RP", "GVA": "GVA"}


class QueueFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *ApplicationType.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("In review and on hold")), *((s.value, s.label) for s in QUEUE_STATUSES)],
    )
    claimed = forms.ChoiceField(
        label=_("Taken up"),
        required=False,
        choices=[
            (CLAIMED_ALL, _("All cases")),
            (CLAIMED_MINE, _("Taken up by me")),
            (CLAIMED_FREE, _("Not taken up")),
        ],
    )
    overdue = forms.BooleanField(label=_("Only cases past their decision date"), required=False)


def days_left_label(days: int | None) -> str:
    """The days until the statutory decision date, in words."""
    if days is None:
        return gettext("no decision date")
    if days > 0:
        return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
    if days == 0:
        return gettext("due today")
    return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}


def risk_level(days: int | None) -> str:
    if days is None:
        return "unknown"
    if days < 0:
        return "overdue"
    if days <= 7:
        return "soon"
    return "ok"


def screening_basis_short(application) -> str:
    if application.screening_profile:
        return gettext("profile %(code)s") % {"code": application.screening_profile}
    if application.functieaspecten:
        return gettext("aspects %(codes)s") % {"codes": ", ".join(application.functieaspecten)}
    return ""


def _row(application, *, today, now, user) -> dict:
    days = (application.decision_due_date - today).days if application.decision_due_date else None
    claim = getattr(application, "claim", None)
    claim = claim if claim_is_current(claim, now) else None
    return {
        "application": application,
        "type_short": SHORT_TYPE.get(application.type, application.type),
        "basis": screening_basis_short(application),
        "days": days,
        "days_label": days_left_label(days),
        "risk": risk_level(days),
        "sector": legal_obligation_sector(
            screening_profile=application.screening_profile, functieaspecten=application.functieaspecten
        ),
        "claim": claim,
        "mine": claim is not None and claim.screener_id == user.pk,
    }


@screener_required
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET)
    page, rows, filtered = None, [], False
    if form.is_valid():
        data = form.cleaned_data
        filtered = any(data.get(key) for key in ("type", "status", "overdue")) or data["claimed"] not in (
            "",
            CLAIMED_ALL,
        )
        now = timezone.now()
        applications = work_queue(
            user=request.user,
            types=[data["type"]] if data["type"] else None,
            statuses=[data["status"]] if data["status"] else None,
            claimed=data["claimed"] or CLAIMED_ALL,
            overdue_only=data["overdue"],
            now=now,
        )
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate(now)
        rows = [_row(application, today=today, now=now, user=request.user) for application in page]
    return render(
        request,
        "screening/queue.html",
        {"form": form, "page": page, "rows": rows, "filtered": filtered, "query": request.GET.urlencode()},
    )


def _back_to_queue(request):
    """Back to the queue with the filters and page the screener had (only the query string is kept)."""
    query = QueryDict(request.POST.get("query", "")).urlencode()
    url = reverse("workbench:queue")
    return redirect(f"{url}?{query}" if query else url)


@screener_required
@require_POST
def claim(request, reference: str):
    values = {"reference": reference}
    application = get_object_or_404(Application, reference=reference)
    try:
        case_claim(application=application, user=request.user, reason="work queue")
    except CaseHeldByOther as held:
        messages.error(
            request,
            gettext("Case %(reference)s has already been taken up by %(name)s (since %(since)s). Choose another case.")
            % {
                **values,
                "name": held.claim.screener.get_full_name() or held.claim.screener.get_username(),
                "since": formats.date_format(timezone.localtime(held.claim.claimed_at), "d-m-Y H:i"),
            },
        )
    except CaseNotInQueue:
        messages.error(request, gettext("Case %(reference)s no longer waits for a screener.") % values)
    else:
        messages.success(request, gettext("You have taken up case %(reference)s.") % values)
    return _back_to_queue(request)


@screener_required
@require_POST
def release(request, reference: str):
    values = {"reference": reference}
    application = get_object_or_404(Application, reference=reference)
    try:
        case_release(application=application, user=request.user, reason="work queue")
    except CaseNotHeld:
        messages.error(request, gettext("You do not hold case %(reference)s, so you cannot release it.") % values)
    else:
        messages.success(
            request,
            gettext("You have released case %(reference)s: another screener can take it up.") % values,
        )
    return _back_to_queue(request)
