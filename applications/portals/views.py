"""The organisation portal and MijnJustis. Views parse and authorise; services do the work."""

import csv

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from justis.adapters import OutsideSystemUnavailable
from justis.audit import Actor, audit_record
from justis.login.access import citizen_required, organisation_required
from justis.models import AuditAction
from screening.catalogue import screening_basis_on
from screening.objections import ObjectionError, objection_period_end, objection_submit, objections_for_application
from screening.verification import checks_of_certificate
from screening.zienswijzen import (
    ZienswijzeError,
    period_ended_message,
    zienswijze_deadline,
    zienswijze_period_open,
    zienswijze_submit,
    zienswijzen_for_application,
)

from ..bulk import EXAMPLE_CSV, BulkFileError, bulk_upload_start, csv_safe
from ..data_access import citizen_data_download, citizen_data_json
from ..fees import euros
from ..invitations import (
    ContactDetails,
    InvitationError,
    application_complete,
    application_prepare,
    application_withdraw,
    invitation_accept,
    invitation_for_code,
)
from ..lifecycle import Status, sources_of
from ..models import OrganisationDefaults
from ..selectors import (
    application_for_citizen,
    applications_for_citizen,
    applications_for_organisation,
    bulk_uploads_for_organisation,
)
from ..stages import citizen_stage, organisation_stage
from .forms import (
    BulkUploadForm,
    CompleteRequestForm,
    InvitationCodeForm,
    ObjectionForm,
    PrepareRequestForm,
    ZienswijzeForm,
)

SESSION_CODE = "invitation_code"


# --- Organisation portal -----------------------------------------------------------------------


@organisation_required
def organisation_requests(request):
    organisation = request.user.organisation
    rows = [
        {
            "application": application,
            "stage": organisation_stage(application.status),
            "invitation": application.invitation,
        }
        for application in applications_for_organisation(organisation=organisation).select_related("invitation")
    ]
    return render(request, "organisation/requests.html", {"organisation": organisation, "rows": rows})


def _free_vog_allowed(organisation) -> bool:
    until = organisation.free_vog_admitted_until
    return bool(until and until >= timezone.localdate())


@organisation_required
@require_http_methods(["GET", "POST"])
def organisation_prepare(request):
    organisation = request.user.organisation
    initial = {}
    defaults = OrganisationDefaults.objects.filter(organisation=organisation).first()
    if defaults:
        initial = {
            "purpose_kind": "other" if defaults.purpose_code == "OVG" else "work",
            "position": defaults.position,
            "tasks": defaults.purpose_description if defaults.purpose_code == "WRE" else "",
            "description": defaults.purpose_description if defaults.purpose_code == "OVG" else "",
            "basis": "profile" if defaults.screening_profile else "aspects",
            "screening_profile": defaults.screening_profile,
            "functieaspecten": defaults.functieaspecten,
        }
    form = PrepareRequestForm(request.POST or None, initial=initial, free_vog_allowed=_free_vog_allowed(organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_prepare(
                organisation=organisation,
                prepared_by=request.user,
                **form.purpose_kwargs(),
                given_names=data["given_names"],
                surname=data["surname"],
                birth_date=data["birth_date"],
                email=data["email"],
                save_as_default=data["save_as_default"],
            )
        except InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Request %(reference)s is prepared. %(email)s receives a link and an application code by e-mail.")
                % {"reference": application.reference, "email": data["email"]},
            )
            return redirect("organisation-requests")
    return render(
        request,
        "organisation/prepare.html",
        {"form": form, "organisation": organisation, "free_vog_allowed": _free_vog_allowed(organisation)},
    )


# --- The applicant completes a prepared request ------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_start(request, code: str = ""):
    """Enter the application code (or follow the link with the code in it), then log in with DigiD."""
    form = InvitationCodeForm(request.POST or ({"code": code} if code else None))
    if form.is_bound and form.is_valid():
        try:
            invitation_for_code(form.cleaned_data["code"])
        except InvitationError as exc:
            form.add_error("code", str(exc))
        else:
            request.session[SESSION_CODE] = form.cleaned_data["code"]
            return redirect("invitation-complete")
    return render(request, "mijnjustis/start.html", {"form": form})


@citizen_required
@require_http_methods(["GET", "POST"])
def invitation_complete(request):
    from .brp import person_or_none

    code = request.session.get(SESSION_CODE)
    if not code:
        return redirect("invitation-start")
    try:
        invitation = invitation_for_code(code)
    except InvitationError as exc:
        messages.error(request, str(exc))
        return redirect("invitation-start")
    application = invitation.application
    if application.citizen_id == request.user.pk and application.status != Status.PREPARED:
        # Confirmed already (back button, reload, a second tab): go on where the application is.
        return _onward(application)

    try:
        person = person_or_none(request.user)
    except OutsideSystemUnavailable:
        return render(request, "mijnjustis/register_unavailable.html", status=503)
    if person is None:
        return render(request, "mijnjustis/not_registered.html", status=200)
    try:
        application = invitation_accept(invitation=invitation, citizen=request.user, person=person)
    except InvitationError as exc:
        return render(request, "mijnjustis/not_for_you.html", {"message": str(exc)}, status=200)
    if application.status != Status.PREPARED:
        return _onward(application)

    form = CompleteRequestForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_complete(
                application=application,
                citizen=request.user,
                person=person,
                contact=ContactDetails(email=form.cleaned_data["email"], delivery=form.cleaned_data["delivery"]),
            )
        except InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            # The code stays in the session: coming back to this page sends the applicant onward.
            if application.status == Status.SUBMITTED:
                return redirect("mijnjustis-pay", reference=application.reference)
            messages.success(request, _("Your application has been received."))
            return redirect("mijnjustis-detail", reference=application.reference)
    basis = screening_basis_on(
        screening_profile=application.screening_profile,
        functieaspecten=list(application.functieaspecten),
        day=timezone.localdate(),
    )
    return render(
        request,
        "mijnjustis/complete.html",
        {
            "form": form,
            "application": application,
            "invitation": invitation,
            "person": person,
            "basis": basis.printed(),
        },
    )


def _onward(application):
    """Where a confirmed application goes on: paying when the payment is missing, else MijnJustis."""
    if application.status == Status.SUBMITTED:
        return redirect("mijnjustis-pay", reference=application.reference)
    return redirect("mijnjustis-detail", reference=application.reference)


# --- MijnJustis --------------------------------------------------------------------------------


def _own_application(request, reference: str):
    """The logged-in applicant's application with this reference; 404 for anyone else's."""
    application = application_for_citizen(citizen=request.user, reference=reference)
    if application is None:
        raise Http404
    return application


@citizen_required
def mijnjustis_home(request):
    applications = applications_for_citizen(citizen=request.user)
    return render(request, "mijnjustis/home.html", {"applications": applications})


@citizen_required
@require_http_methods(["GET"])
def mijnjustis_my_data(request):
    """What the download of one's own data holds, with the links to it (nothing is handed out here)."""
    return render(request, "mijnjustis/my_data.html")


@citizen_required
@require_http_methods(["GET"])
@never_cache
def mijnjustis_my_data_summary(request):
    """One's own data as a readable page (to print or save); audited."""
    data = citizen_data_download(citizen=request.user, kind="summary")
    return render(request, "mijnjustis/my_data_summary.html", {"data": data})


@citizen_required
@require_http_methods(["GET"])
@never_cache
def mijnjustis_my_data_json(request):
    """One's own data as a JSON file (GDPR right of access); audited."""
    data = citizen_data_download(citizen=request.user, kind="json")
    response = HttpResponse(citizen_data_json(data), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="mijnjustis-gegevens-{stamp}.json"'
    return response


@citizen_required
def mijnjustis_detail(request, reference: str):
    application = _own_application(request, reference)
    certificate = getattr(application, "certificate", None) if application.status == Status.ISSUED else None
    certificate_ready = bool(certificate and certificate.pdf_rendered_at)
    intent_to_refuse = application.status == Status.INTENT_TO_REFUSE
    return render(
        request,
        "mijnjustis/detail.html",
        {
            "application": application,
            "zienswijze_deadline": zienswijze_deadline(application) if intent_to_refuse else None,
            "zienswijze_open": intent_to_refuse and zienswijze_period_open(application),
            "zienswijzen": list(zienswijzen_for_application(application)),
            "stage": citizen_stage(application.status, certificate_ready=certificate_ready),
            "certificate_ready": certificate_ready,
            "certificate_checks": checks_of_certificate(certificate),
            "can_withdraw": application.status in sources_of(Status.WITHDRAWN),
            "letters": application.letters.all(),
            **_objection_context(application),
            "fee": euros(application.invitation.fee_cents)
            if hasattr(application, "invitation") and application.invitation.fee_cents
            else "",
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def mijnjustis_zienswijze(request, reference: str):
    """The applicant gives a view (zienswijze) on Justis' intention to refuse, with an optional attachment."""
    application = _own_application(request, reference)
    if application.status != Status.INTENT_TO_REFUSE:
        messages.error(
            request, _("You cannot give a view on this application: Justis has not sent an intention to refuse.")
        )
        return redirect("mijnjustis-detail", reference=reference)
    deadline = zienswijze_deadline(application)
    period_open = zienswijze_period_open(application)
    form = ZienswijzeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _zienswijze, created = zienswijze_submit(
                application=application,
                citizen=request.user,
                text=data["text"],
                attachment=data["attachment"],
                submission_key=data["submission_key"],
            )
        except ZienswijzeError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Thank you: Justis has received your view and takes it into account."))
            else:
                messages.info(request, _("Justis had already received this view."))
            return redirect("mijnjustis-detail", reference=reference)
    return render(
        request,
        "mijnjustis/zienswijze.html",
        {
            "application": application,
            "form": form,
            "deadline": deadline,
            "period_open": period_open,
            "period_ended": "" if period_open or deadline is None else period_ended_message(deadline),
        },
    )


def _objection_context(application) -> dict:
    """Until when and how the applicant can object to a refusal, and the objections made so far."""
    objections = list(objections_for_application(application))
    period_end = objection_period_end(application)
    return {
        "objections": objections,
        "objection_until": period_end,
        "objection_possible": period_end is not None and not any(objection.is_open for objection in objections),
        "objection_late": period_end is not None and timezone.localdate() > period_end,
        "contact_address": settings.JUSTIS_CONTACT_ADDRESS,
    }


@citizen_required
@require_http_methods(["GET", "POST"])
def mijnjustis_objection(request, reference: str):
    """The applicant objects (bezwaar) to the refusal of their application, digitally."""
    application = _own_application(request, reference)
    context = _objection_context(application)
    # A POST goes to the service anyway: the same form sent twice gives the objection saved the first time.
    if not context["objection_possible"] and request.method != "POST":
        messages.error(
            request,
            _(
                "You cannot object to this application now: it has not been refused, or your objection is already "
                "being handled."
            ),
        )
        return redirect("mijnjustis-detail", reference=reference)
    form = ObjectionForm(request.POST or None, late=context["objection_late"])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _objection, created = objection_submit(
                application=application,
                citizen=request.user,
                grounds=data["grounds"],
                late_excuse=data.get("late_excuse", ""),
                submission_key=data["submission_key"],
            )
        except ObjectionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            if created:
                messages.success(
                    request, _("Thank you: Justis has received your objection. You will receive a decision.")
                )
            else:
                messages.info(request, _("Justis had already received this objection."))
            return redirect("mijnjustis-detail", reference=reference)
    return render(request, "mijnjustis/objection.html", {"application": application, "form": form, **context})


@citizen_required
@require_http_methods(["GET", "POST"])
def mijnjustis_pay(request, reference: str):
    """Start (or resume) the payment of a submitted application: a reload never pays twice."""
    from payments.services import PaymentProviderUnavailable, payment_start

    application = _own_application(request, reference)
    if application.status != Status.SUBMITTED:
        return redirect("mijnjustis-detail", reference=reference)
    if request.method == "GET":
        return render(
            request, "mijnjustis/pay.html", {"application": application, "fee": euros(application.invitation.fee_cents)}
        )
    try:
        payment = payment_start(
            application=application,
            amount_cents=application.invitation.fee_cents,
            description=f"VOG {application.reference}",
            return_url=reverse("mijnjustis-detail", kwargs={"reference": reference}),
            request=request,
        )
    except PaymentProviderUnavailable as exc:
        messages.error(request, exc.user_message)
        return redirect("mijnjustis-detail", reference=reference)
    return redirect(payment.checkout_url)


@citizen_required
@require_http_methods(["GET", "POST"])
def mijnjustis_withdraw(request, reference: str):
    """Withdraw an application, after a confirmation page."""
    application = _own_application(request, reference)
    if request.method == "POST":
        try:
            application_withdraw(application=application, actor=Actor.user(request.user))
        except InvitationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("mijnjustis-detail", reference=reference)
    return render(request, "mijnjustis/withdraw.html", {"application": application})


@citizen_required
def mijnjustis_certificate(request, reference: str):
    """The applicant downloads their digital certificate (PDF); every download is audited."""
    application = _own_application(request, reference)
    certificate = getattr(application, "certificate", None)
    if certificate is None or not certificate.pdf_rendered_at:
        raise Http404
    audit_record(
        actor=Actor.user(request.user),
        action=AuditAction.CERTIFICATE_DOWNLOADED,
        subject_type="application",
        subject_id=application.reference,
    )
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=f"VOG-{application.reference}.pdf")


# --- Bulk preparation --------------------------------------------------------------------------


def _own_upload(request, upload_id: int):
    upload = bulk_uploads_for_organisation(organisation=request.user.organisation).filter(pk=upload_id).first()
    if upload is None:
        raise Http404
    return upload


@organisation_required
@require_http_methods(["GET", "POST"])
def organisation_bulk(request):
    organisation = request.user.organisation
    form = BulkUploadForm(request.POST or None, request.FILES or None, free_vog_allowed=_free_vog_allowed(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            upload = bulk_upload_start(
                organisation=organisation,
                user=request.user,
                file_name=form.cleaned_data["file"].name,
                content=form.cleaned_data["file"].read(),
                purpose=form.purpose_kwargs(),
            )
        except BulkFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("organisation-bulk-detail", upload_id=upload.pk)
    uploads = bulk_uploads_for_organisation(organisation=organisation)[:10]
    return render(
        request,
        "organisation/bulk.html",
        {"form": form, "uploads": uploads, "free_vog_allowed": _free_vog_allowed(organisation), "example": EXAMPLE_CSV},
    )


@organisation_required
def organisation_bulk_detail(request, upload_id: int):
    upload = _own_upload(request, upload_id)
    return render(request, "organisation/bulk_detail.html", {"upload": upload, "done": upload.status == "done"})


@organisation_required
def organisation_bulk_status(request, upload_id: int):
    """Progress as JSON, for the progress bar (polled while the rows are processed)."""
    upload = _own_upload(request, upload_id)
    return JsonResponse(
        {
            "status": upload.status,
            "processed": upload.processed,
            "total": upload.total,
            "prepared": upload.prepared_count,
            "refused": upload.refused_count,
        }
    )


@organisation_required
def organisation_bulk_report(request, upload_id: int):
    """The per-row report as CSV (semicolons, for spreadsheets set to Dutch)."""
    upload = _own_upload(request, upload_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verslag-{upload.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Line"), _("Name"), _("E-mail address"), _("Result"), _("Reference or reason")])
    for row in upload.report:
        writer.writerow(
            [
                row["line"],
                csv_safe(row["name"]),
                csv_safe(row["email"]),
                _("prepared") if row["prepared"] else _("refused"),
                row.get("reference") or csv_safe(row.get("reason", "")),
            ]
        )
    return response


@citizen_required
def mijnjustis_letter(request, reference: str, letter_id: int):
    """The applicant downloads one of their letters (PDF); every download is audited."""
    application = _own_application(request, reference)
    letter = application.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    audit_record(
        actor=Actor.user(request.user),
        action=AuditAction.LETTER_DOWNLOADED,
        subject_type="application",
        subject_id=application.reference,
        data={"letter": letter.pk, "kind": letter.kind},
    )
    filename = f"{letter.kind}-{application.reference}-{letter.created_at:%Y%m%d}.pdf"
    return FileResponse(letter.pdf.open("rb"), as_attachment=True, filename=filename)
