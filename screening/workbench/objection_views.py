"""The screeners' screens for objections (bezwaren): the list of open objections, registering one that
came in by letter or in person, and the objection screen with the hearing and the decision.

The services in ``screening.objections`` do the work and say what is wrong; these views parse the
forms and show it. No justice data is shown here.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Application
from justis.forms import date_field
from justis.login.access import screener_required

from ..models import (
    OBJECTION_GROUNDS_MAX_LENGTH,
    OBJECTION_TEXT_MAX_LENGTH,
    Objection,
    ObjectionChannel,
    ObjectionOutcome,
)
from ..objections import (
    ObjectionError,
    objection_decide,
    objection_hearing_record,
    objection_register,
    open_objections,
    refusal_change,
    took_part_in_refusal,
)
from .views import days_left_label, risk_level


class ObjectionRegisterForm(forms.Form):
    """An objection received by letter or in person, registered by a screener."""

    reference = forms.CharField(
        label=_("Reference of the refused application"),
        max_length=32,
        error_messages={"required": _("Give the reference of the refused application.")},
    )
    channel = forms.ChoiceField(
        label=_("How did the objection come in?"),
        choices=[
            (ObjectionChannel.LETTER.value, ObjectionChannel.LETTER.label),
            (ObjectionChannel.IN_PERSON.value, ObjectionChannel.IN_PERSON.label),
        ],
        widget=forms.RadioSelect,
        initial=ObjectionChannel.LETTER.value,
        error_messages={"required": _("Choose how the objection came in.")},
    )
    received_on = date_field(_("Received on"), required=True)
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        max_length=OBJECTION_GROUNDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Why the objector thinks the refusal is wrong, as written in the objection. At most 10,000 characters."
        ),
        error_messages={
            "required": _("Give the grounds of the objection: why the decision is wrong."),
            "max_length": _("The grounds are too long: at most 10,000 characters (now %(show_value)d)."),
        },
    )
    late_excuse = forms.CharField(
        label=_("Only for a late objection: why the delay is excusable"),
        required=False,
        max_length=OBJECTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "An objection received after the last day of the objection period is only considered when the delay "
            "is excusable (Awb 6:11)."
        ),
    )
    advisory_committee = forms.BooleanField(label=_("The advisory committee hears this objection"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].error_messages["required"] = gettext("Give the date the objection was received.")
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate().strftime("%d-%m-%Y"))

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        self.application = Application.objects.filter(reference=reference).first()
        if self.application is None:
            raise forms.ValidationError(
                gettext("There is no application with reference %(reference)s.") % {"reference": reference}
            )
        return reference


class HearingForm(forms.Form):
    hearing_on = date_field(_("Date of the hearing"), required=False)
    hearing_notes = forms.CharField(
        label=_("Notes of the hearing"),
        required=False,
        max_length=OBJECTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    advisory_committee = forms.BooleanField(label=_("The advisory committee hears this objection"), required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ObjectionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the objection.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=OBJECTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Printed in the letter to the objector. At most 5,000 characters."),
        error_messages={
            "required": _("Give the motivation of the decision on the objection: it is printed in the letter.")
        },
    )


def _add_error(form, error: ObjectionError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _days(objection) -> int:
    return (objection.decision_due_on - timezone.localdate()).days


@screener_required
@require_GET
def objections(request):
    rows = []
    for objection in open_objections():
        days = _days(objection)
        rows.append(
            {
                "objection": objection,
                "applicant": getattr(objection.application, "applicant", None),
                "days": days,
                "days_label": days_left_label(days),
                "risk": risk_level(days),
            }
        )
    return render(request, "screening/objections.html", {"rows": rows})


@screener_required
@require_http_methods(["GET", "POST"])
def objection_new(request):
    form = ObjectionRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objection, _created = objection_register(
                application=form.application,
                registered_by=request.user,
                channel=data["channel"],
                received_on=data["received_on"],
                grounds=data["grounds"],
                late_excuse=data["late_excuse"],
                advisory_committee=data["advisory_committee"],
            )
        except ObjectionError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                gettext("The objection against %(reference)s has been registered. Decide on it no later than %(date)s.")
                % {
                    "reference": objection.application.reference,
                    "date": formats.date_format(objection.decision_due_on, "j F Y"),
                },
            )
            return redirect("workbench:objection", objection_id=objection.pk)
    return render(request, "screening/objection_new.html", {"form": form}, status=400 if form.errors else 200)


def _render_objection(request, objection, *, hearing_form=None, decision_form=None, status=200):
    change = refusal_change(objection.application)
    refused_by_me = took_part_in_refusal(objection.application, request.user)
    if hearing_form is None:
        hearing_form = HearingForm(
            initial={
                "hearing_on": objection.hearing_on.strftime("%d-%m-%Y") if objection.hearing_on else "",
                "hearing_notes": objection.hearing_notes,
                "advisory_committee": objection.advisory_committee,
            }
        )
    days = _days(objection)
    return render(
        request,
        "screening/objection.html",
        {
            "objection": objection,
            "application": objection.application,
            "applicant": getattr(objection.application, "applicant", None),
            "refusal": change,
            "refused_by_me": refused_by_me,
            "days_label": days_left_label(days),
            "risk": risk_level(days),
            "hearing_form": hearing_form,
            "decision_form": decision_form or DecisionForm(),
        },
        status=status,
    )


def _objection(objection_id: int) -> Objection:
    return get_object_or_404(
        Objection.objects.select_related("application", "application__applicant", "registered_by", "decided_by"),
        pk=objection_id,
    )


@screener_required
@require_GET
def objection(request, objection_id: int):
    return _render_objection(request, _objection(objection_id))


@screener_required
@require_POST
def objection_hearing(request, objection_id: int):
    objection = _objection(objection_id)
    form = HearingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            objection_hearing_record(
                objection=objection,
                screener=request.user,
                hearing_on=data["hearing_on"],
                notes=data["hearing_notes"],
                advisory_committee=data["advisory_committee"],
            )
        except ObjectionError as error:
            _add_error(form, error)
        else:
            messages.success(request, gettext("The hearing has been recorded."))
            return redirect("workbench:objection", objection_id=objection.pk)
    return _render_objection(request, objection, hearing_form=form, status=400)


@screener_required
@require_POST
def objection_decision(request, objection_id: int):
    objection = _objection(objection_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            objection = objection_decide(
                objection=objection, screener=request.user, outcome=data["outcome"], motivation=data["motivation"]
            )
        except ObjectionError as error:
            _add_error(form, error)
        else:
            values = {"reference": objection.application.reference}
            if objection.outcome == ObjectionOutcome.UPHELD:
                message = gettext(
                    "The objection against %(reference)s is upheld: the certificate has been issued and the decision "
                    "letter sent."
                )
            else:
                message = gettext(
                    "The decision on the objection against %(reference)s has been taken: the refusal stands and the "
                    "decision letter has been sent."
                )
            messages.success(request, message % values)
            return redirect("workbench:objections")
    objection.refresh_from_db()
    return _render_objection(request, objection, decision_form=form, status=400)
