"""The Justis back office for paper applications. Views parse and authorise; services do the work."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justis.login.access import intake_officer_required
from screening.services import certificate_shown

from ..fees import euros
from ..lifecycle import Status
from ..models import ApplicationType
from ..services import IdempotencyConflict
from .forms import GvaApplicationForm, RniApplicationForm, VogRpApplicationForm
from .services import (
    EXTRA_COPY_CENTS,
    PaperApplicationError,
    company_application_enter,
    paper_application,
    paper_applications,
    rni_application_enter,
    scanned_document_download,
)

PAGE_SIZE = 50
DEFAULT_PERSON_ROWS = 3


@intake_officer_required
def paper_list(request):
    page = Paginator(paper_applications(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "paper/list.html", {"page": page})


def _person_rows(request) -> int:
    """How many rows for key persons the empty form shows (``?rijen=6``), 1 to 30."""
    try:
        return max(1, min(int(request.GET.get("rijen", DEFAULT_PERSON_ROWS)), 30))
    except ValueError:
        return DEFAULT_PERSON_ROWS


def _enter(request, form, enter):
    """Enter the application of a valid form; on a refusal the error goes to the form and None returns."""
    try:
        application, created = enter(**form.entry_kwargs(), entered_by=request.user)
    except IdempotencyConflict as exc:
        form.add_error(
            None,
            format_html(
                _(
                    "This form was sent before, with other data, and entered as application {}. Check that "
                    "application; to enter another application, open a new form."
                ),
                format_html(
                    '<a class="utrecht-link utrecht-link--html-a" href="{}">{}</a>',
                    reverse("paper:detail", kwargs={"reference": exc.reference}),
                    exc.reference,
                ),
            ),
        )
        return None
    except PaperApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    if created:
        messages.success(
            request, _("Application %(reference)s has been entered.") % {"reference": application.reference}
        )
    else:
        messages.info(
            request,
            _("This form had already been entered as application %(reference)s: nothing was entered twice.")
            % {"reference": application.reference},
        )
    return redirect("paper:detail", reference=application.reference)


@intake_officer_required
@require_http_methods(["GET", "POST"])
def paper_new_rni(request):
    form = RniApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _enter(request, form, rni_application_enter)
        if response is not None:
            return response
    return render(request, "paper/rni_form.html", {"form": form})


@intake_officer_required
@require_http_methods(["GET", "POST"])
def paper_new_vog_rp(request):
    return _company_form(request, VogRpApplicationForm)


@intake_officer_required
@require_http_methods(["GET", "POST"])
def paper_new_gva(request):
    return _company_form(request, GvaApplicationForm)


def _company_form(request, form_class):
    rows = _person_rows(request)
    form = form_class(request.POST or None, request.FILES or None, person_rows=rows)
    if request.method == "POST" and form.is_valid():
        response = _enter(request, form, company_application_enter)
        if response is not None:
            return response
    return render(
        request,
        "paper/company_form.html",
        {
            "form": form,
            "persons": form.persons,
            "is_gva": form.application_type == ApplicationType.GVA,
            "more_rows": min(rows + 3, 30),
            "can_add_rows": rows < 30 and not form.is_bound,
        },
    )


@intake_officer_required
def paper_detail(request, reference: str):
    application = paper_application(reference)
    if application is None:
        raise Http404
    intake = getattr(application, "paper_intake", None)
    return render(
        request,
        "paper/detail.html",
        {
            "application": application,
            "applicant": getattr(application, "applicant", None),
            "legal_entity": getattr(application, "legal_entity", None),
            "key_persons": application.key_persons.all(),
            "documents": application.scanned_documents.select_related("uploaded_by"),
            "history": _history(application),
            "intake": intake,
            "fee": euros(intake.fee_cents) if intake else "",
            "extra_copies_fee": euros(intake.extra_copies * EXTRA_COPY_CENTS) if intake else "",
            "certificate": certificate_shown(application),
        },
    )


def _history(application) -> list:
    changes = list(application.status_changes.order_by("at", "id"))
    for change in changes:
        change.to_status_label = Status(change.to_status).label
    return changes


@intake_officer_required
def paper_document(request, reference: str, document_id: int):
    """An intake officer downloads a scan; every download is audited."""
    application = paper_application(reference)
    if application is None:
        raise Http404
    document = scanned_document_download(application=application, document_id=document_id, user=request.user)
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
