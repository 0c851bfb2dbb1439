"""Functional administrators manage the continuous screening enrolments (/beheer/continu-screenen/):
enrol a person, link and unlink organisations, end an enrolment. The services do the work and audit it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Organisation
from applications.validators import validate_bsn, validate_kvk_number
from justis.audit import Actor
from justis.login.access import functional_admin_required

from .models import ContinuousEnrolment, EnrolmentLink, Sector
from .services import (
    AlreadyEnrolled,
    AlreadyLinked,
    enrolment_create,
    enrolment_end,
    enrolment_link,
    enrolment_unlink,
    organisation_for_kvk,
)

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnrolmentForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, widget=forms.RadioSelect)
    bsn = forms.CharField(label=_("BSN"), max_length=9, validators=[validate_bsn])
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    surname = forms.CharField(label=_("Surname"), max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE_INPUT)
    email = forms.EmailField(label=_("E-mail address of the person"), required=False)
    vog_reference = forms.CharField(label=_("Reference (kenmerk) of the VOG"), max_length=40)
    active_from = forms.DateField(label=_("Active from"), widget=DATE_INPUT)


class LinkForm(forms.Form):
    kvk_number = forms.CharField(label=_("KvK number"), max_length=8, validators=[validate_kvk_number])
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=80,
        required=False,
        help_text=_("Only needed when the organisation is not known yet."),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail address"))
    active_from = forms.DateField(label=_("Linked from"), widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        kvk = cleaned.get("kvk_number")
        if kvk and not cleaned.get("name") and not Organisation.objects.filter(kvk_number=kvk).exists():
            self.add_error(
                "name", gettext("Name of the organisation: this KvK number is not known yet, give the name.")
            )
        return cleaned


class EndForm(forms.Form):
    day = forms.DateField(label=_("Last day"), widget=DATE_INPUT)


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@functional_admin_required
@require_GET
def enrolments(request):
    queryset = ContinuousEnrolment.objects.order_by("surname", "given_names", "pk")
    sector = request.GET.get("sector", "")
    if sector in Sector.values:
        queryset = queryset.filter(sector=sector)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "continuous/admin/enrolments.html",
        {"page": page, "sector": sector, "sectors": Sector.choices, "today": timezone.localdate()},
    )


@functional_admin_required
@require_http_methods(["GET", "POST"])
def enrolment_new(request):
    form = EnrolmentForm(request.POST or None, initial={"active_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = enrolment_create(**form.cleaned_data, actor=Actor.user(request.user))
        except AlreadyEnrolled:
            form.add_error("bsn", gettext("BSN: this person already has an open enrolment in this sector."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, gettext("%(name)s has been enrolled.") % {"name": enrolment.full_name})
            return redirect("continuous-admin:enrolment", pk=enrolment.pk)
    return render(request, "continuous/admin/enrolment_new.html", {"form": form}, status=400 if form.errors else 200)


def _render_detail(request, enrolment, *, link_form=None, end_form=None, status=200):
    today = timezone.localdate()
    return render(
        request,
        "continuous/admin/enrolment.html",
        {
            "enrolment": enrolment,
            "links": enrolment.links.select_related("organisation").order_by("-active_from", "pk"),
            "link_form": link_form or LinkForm(initial={"active_from": today}, prefix="link"),
            "end_form": end_form or EndForm(initial={"day": today}, prefix="end"),
            "today": today,
        },
        status=status,
    )


@functional_admin_required
@require_GET
def enrolment_detail(request, pk: int):
    return _render_detail(request, get_object_or_404(ContinuousEnrolment, pk=pk))


@functional_admin_required
@require_POST
def link_new(request, pk: int):
    enrolment = get_object_or_404(ContinuousEnrolment, pk=pk)
    form = LinkForm(request.POST, prefix="link")
    if form.is_valid():
        data = form.cleaned_data
        organisation = organisation_for_kvk(kvk_number=data["kvk_number"], name=data["name"])
        try:
            enrolment_link(
                enrolment=enrolment,
                organisation=organisation,
                contact_email=data["contact_email"],
                active_from=data["active_from"],
                actor=Actor.user(request.user),
            )
        except AlreadyLinked:
            form.add_error("kvk_number", gettext("KvK number: this organisation is already linked."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, gettext("%(name)s has been linked.") % {"name": organisation.name})
            return redirect("continuous-admin:enrolment", pk=pk)
    return _render_detail(request, enrolment, link_form=form, status=400)


@functional_admin_required
@require_POST
def unlink(request, pk: int, link_pk: int):
    link = get_object_or_404(EnrolmentLink.objects.select_related("organisation"), pk=link_pk, enrolment_id=pk)
    day = max(timezone.localdate(), link.active_from)
    enrolment_unlink(link=link, day=day, actor=Actor.user(request.user))
    messages.success(request, gettext("%(name)s is no longer linked.") % {"name": link.organisation.name})
    return redirect("continuous-admin:enrolment", pk=pk)


@functional_admin_required
@require_POST
def end(request, pk: int):
    enrolment = get_object_or_404(ContinuousEnrolment, pk=pk)
    form = EndForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            enrolment_end(enrolment=enrolment, day=form.cleaned_data["day"], actor=Actor.user(request.user))
        except ValidationError as exc:
            form.add_error("day", exc.message_dict.get("active_to", exc.messages)[0])
        else:
            messages.success(request, gettext("The enrolment of %(name)s has ended.") % {"name": enrolment.full_name})
            return redirect("continuous-admin:enrolment", pk=pk)
    return _render_detail(request, enrolment, end_form=form, status=400)
