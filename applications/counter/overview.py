"""The municipality's overview of its applications, one application's detail, and the daily report.

A clerk sees the applications of their own municipality only (the selectors scope by municipality;
another municipality's number is a 404). The municipality sees where an application is, never the
outcome of the screening: the statuses that would tell whether a person has justice records (in
review, intention to refuse, refused) are shown as plain stages, like the organisation's.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from justis.audit import Actor, audit_record
from justis.login.access import clerk_required
from justis.models import AuditAction
from screening.catalogue import CatalogueError, screening_basis_on

from ..fees import euros
from ..models import IdentityVerification
from ..selectors import (
    counter_application_for_municipality,
    counter_applications_for_municipality,
    desks_of_municipality,
)
from ..stages import STAGE_OF_STATUS, CounterStage, counter_stage
from .reports import daily_report, daily_report_csv, daily_report_filename

PAGE_SIZE = 50
DATE_FORMATS = ["%d-%m-%Y"]


# The stages a municipal application can be in (it is received at once), for the filter.
FILTER_STAGES = [
    CounterStage.RECEIVED,
    CounterStage.ASSESSING,
    CounterStage.ON_HOLD,
    CounterStage.DECIDED,
    CounterStage.WITHDRAWN,
]

# Personal data still to be checked, or found to differ from the register: the clerk may have to act.
IDENTITY_ATTENTION = {IdentityVerification.PENDING, IdentityVerification.MISMATCH}


def statuses_of_stage(stage: str) -> list[str]:
    return [status for status, its_stage in STAGE_OF_STATUS.items() if its_stage == stage]


def masked_bsn(bsn: str) -> str:
    """The last three digits only, for lists: ******789."""
    return "*" * (len(bsn) - 3) + bsn[-3:] if bsn else ""


def _municipality(request):
    return request.user.desk.municipality


def _date_field(label, help_text=None):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=help_text or _("DD-MM-YYYY, for example 17-05-2025."),
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10}),
        error_messages={"invalid": _("Write the date as DD-MM-YYYY, for example 17-05-2025.")},
    )


class OverviewFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Municipal number, Justis reference, surname, or the whole BSN."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    desk = forms.ModelChoiceField(
        label=_("Desk"), required=False, queryset=None, empty_label=_("All desks"), to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    taken_from = _date_field(_("Taken on or after"))
    taken_to = _date_field(_("Taken on or before"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks_of_municipality(municipality=municipality)
        self.fields["desk"].label_from_instance = lambda desk: f"{desk.name} ({desk.code})"
        self.fields["status"].choices = [("", _("All statuses")), *((s.value, s.label) for s in FILTER_STAGES)]

    def clean(self):
        cleaned = super().clean()
        taken_from, taken_to = cleaned.get("taken_from"), cleaned.get("taken_to")
        if taken_from and taken_to and taken_from > taken_to:
            self.add_error("taken_to", _("This date is before the date in “Taken on or after”."))
        return cleaned


class ReportDayForm(forms.Form):
    datum = _date_field(_("Date"))


@clerk_required
@require_GET
def overview(request):
    municipality = _municipality(request)
    form = OverviewFilterForm(request.GET, municipality=municipality)
    page = None
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        filtered = any(data.get(key) for key in ("q", "desk", "status", "taken_from", "taken_to"))
        applications = counter_applications_for_municipality(
            municipality=municipality,
            search=data["q"],
            desk=data["desk"],
            statuses=statuses_of_stage(data["status"]) if data["status"] else None,
            taken_from=data["taken_from"],
            taken_to=data["taken_to"],
        )
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "application": application,
            "stage": counter_stage(application.status),
            "bsn_masked": masked_bsn(application.applicant.bsn),
            "identity_attention": application.identity_verification in IDENTITY_ATTENTION,
        }
        for application in (page or [])
    ]
    return render(
        request,
        "counter/overview.html",
        {"form": form, "page": page, "rows": rows, "filtered": filtered, "municipality": municipality},
    )


def _screening_basis(application) -> dict | None:
    try:
        basis = screening_basis_on(
            screening_profile=application.screening_profile,
            functieaspecten=list(application.functieaspecten),
            day=application.application_date or timezone.localdate(application.created_at),
        )
    except CatalogueError:
        return None
    return basis.printed()


def _history(application) -> list[dict]:
    """The status history as the municipality sees it: one row for each change of stage, oldest first.

    Who made a change and why is not shown: the reason can tell about justice records.
    """
    history: list[dict] = []
    for change in application.status_changes.order_by("at", "pk").only("to_status", "at"):
        stage = counter_stage(change.to_status)
        if history and history[-1]["stage"] == stage:
            continue
        history.append({"stage": stage, "at": change.at})
    return history


@clerk_required
@require_GET
def detail(request, municipal_number: str):
    application = counter_application_for_municipality(
        municipality=_municipality(request), municipal_number=municipal_number
    )
    if application is None:
        raise Http404
    # The detail shows the full BSN and what was forwarded: who opened it is recorded.
    audit_record(
        actor=Actor.user(request.user),
        action=AuditAction.APPLICATION_VIEWED,
        subject_type="application",
        subject_id=application.reference,
        reason="municipal counter: detail of a forwarded application",
    )
    intake = application.intake
    remarks = [
        {"label": label, "text": getattr(intake, text)}
        for flag, text, label in (
            ("special_findings", "special_findings_text", _("Special findings")),
            ("persisted", "persisted_text", _("The applicant persisted")),
            ("covog_advice_requested", "covog_advice_text", _("COVOG advice requested")),
            ("general_explanation", "general_explanation_text", _("General explanation")),
        )
        if getattr(intake, flag)
    ]
    return render(
        request,
        "counter/detail.html",
        {
            "application": application,
            "applicant": application.applicant,
            "intake": intake,
            "basis": _screening_basis(application),
            "remarks": remarks,
            "fee": euros(intake.fee_cents),
            "stage": counter_stage(application.status),
            "identity_attention": application.identity_verification in IDENTITY_ATTENTION,
            "history": _history(application),
        },
    )


def _report_day(request) -> tuple[ReportDayForm, object]:
    form = ReportDayForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["datum"] or timezone.localdate()


@clerk_required
@require_GET
def report(request):
    municipality = _municipality(request)
    form, day = _report_day(request)
    context = {"form": form, "municipality": municipality, "report": None}
    if day is None:
        return render(request, "counter/report.html", context)
    result = daily_report(municipality=municipality, day=day)
    most = max((desk.taken for desk in result.desks), default=0)

    def row(desk, percent=0):
        fees = (euros(desk.pin_cents), euros(desk.cash_cents), euros(desk.fees_cents))
        return {"desk": desk, "percent": percent, "pin": fees[0], "cash": fees[1], "fees": fees[2]}

    today = timezone.localdate()
    context.update(
        report=result,
        day=day,
        day_param=day.strftime(DATE_FORMATS[0]),
        previous_day=(day - timedelta(days=1)).strftime(DATE_FORMATS[0]),
        next_day=(day + timedelta(days=1)).strftime(DATE_FORMATS[0]) if day < today else "",
        # Bars in whole percent of the busiest desk; a desk with any application shows a bar.
        rows=[row(desk, max(1, round(100 * desk.taken / most)) if desk.taken else 0) for desk in result.desks],
        total=row(result.total),
    )
    return render(request, "counter/report.html", context)


@clerk_required
@require_GET
def report_csv(request):
    municipality = _municipality(request)
    form, day = _report_day(request)
    if day is None:
        return render(request, "counter/report.html", {"form": form, "municipality": municipality}, status=400)
    content = daily_report_csv(municipality=municipality, day=day, actor=Actor.user(request.user))
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{daily_report_filename(municipality=municipality, day=day)}"'
    )
    return response
