"""The auditors' pages: search the audit trail and export a search as CSV. Read-only: nothing here changes data."""

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from justis.forms import date_field

from .audit_search import (
    SUBJECT_TYPES,
    AuditFilter,
    Cursor,
    audit_export_lines,
    audit_export_start,
    audit_search,
    data_text,
)
from .login.access import auditor_required
from .models import AuditAction


class AuditSearchForm(forms.Form):
    subject_type = forms.ChoiceField(
        label=_("Subject type"),
        required=False,
        choices=[("", _("Any subject type")), *((value, value) for value in SUBJECT_TYPES)],
        help_text=_("An application's entries have the subject type “application”."),
    )
    subject_id = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=64,
        help_text=_("The reference of an application (for example NP-261206-EK5J6F) or the id of another subject."),
    )
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=255)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices])
    date_from = date_field(_("From (date)"))
    date_to = date_field(_("Up to and including (date)"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def criteria(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            subject_type=data["subject_type"],
            subject_id=data["subject_id"].strip(),
            actor=data["actor"].strip(),
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _filter_query(request) -> str:
    """The query string of the search without the page cursor (for the export link and the first page)."""
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


@auditor_required
@require_GET
def search(request):
    form = AuditSearchForm(request.GET if request.GET else None)
    page, rows = None, []
    if form.is_bound and form.is_valid():
        cursor = Cursor.decode(request.GET.get("after", ""))
        page = audit_search(criteria=form.criteria(), cursor=cursor, user=request.user)
        rows = [{"event": event, "data": data_text(event)} for event in page.events]
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "paged": bool(request.GET.get("after")),
            "query": _filter_query(request),
        },
    )


@auditor_required
@require_GET
def export(request):
    """The current search as CSV, streamed newest first; refused filters give the search page with errors."""
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "page": None, "rows": []}, status=400)
    criteria = form.criteria()
    audit_export_start(criteria=criteria, user=request.user)
    response = StreamingHttpResponse(audit_export_lines(criteria), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audittrail-{stamp}.csv"'
    return response
