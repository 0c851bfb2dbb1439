"""The case screen after an intention to refuse: views registered by letter or phone, the proposal to
refuse and its approval by a second (senior) screener. The services are in ``refusals.py`` and
``screening/zienswijzen.py``; the case screen itself is ``views.case``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applications.lifecycle import Status
from applications.models import Application
from justis.login.access import screener_required

from ..models import (
    REFUSAL_TEXT_MAX_LENGTH,
    SCREENER_MOTIVATION_MAX_LENGTH,
    SCREENER_MOTIVATION_MIN_LENGTH,
    ZIENSWIJZE_TEXT_MAX_LENGTH,
    RefusalProposal,
    RefusalProposalState,
)
from ..zienswijzen import (
    REGISTERED_CHANNELS,
    ZienswijzeError,
    intent_to_refuse_sent_at,
    zienswijze_deadline,
    zienswijze_register,
    zienswijzen_for_application,
)
from .refusals import (
    FourEyesRequired,
    NoPendingRefusal,
    RefusalNotPossible,
    ViewPeriodRunning,
    may_review,
    pending_refusal,
    refusal_approve,
    refusal_propose,
    refusal_send_back,
)
from .selectors import claim_is_current
from .services import CaseNotHeld, InvalidAssessment, RefusalAlreadyProposed, intention_reasons


class ViewRegistrationForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the view come in?"),
        choices=[(channel.value, channel.label) for channel in REGISTERED_CHANNELS],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date received"),
        help_text=_("The date of the letter's receipt or of the phone call, as dd-mm-yyyy."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
    )
    text = forms.CharField(
        label=_("The view"),
        help_text=_("The text of the letter, or what the applicant said on the phone. At most 5,000 characters."),
        max_length=ZIENSWIJZE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("The date received cannot be in the future."))
        return day


class RefusalProposalForm(forms.Form):
    motivation = forms.CharField(
        label=_("Weighing after the view period (motivation)"),
        help_text=_(
            "How you weighed the views (or their absence) against the risk. For Justis only. Between 20 and "
            "5,000 characters."
        ),
        min_length=SCREENER_MOTIVATION_MIN_LENGTH,
        max_length=SCREENER_MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reasons = forms.CharField(
        label=_("Reasons in the decision letter"),
        help_text=_(
            "Printed in the letter to the applicant: why the certificate is refused, in words the applicant "
            "understands. At most 5,000 characters."
        ),
        max_length=REFUSAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class RefusalReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Your note as second screener"),
        help_text=_("Required when you send the proposal back: say what must change. Between 20 and 5,000 characters."),
        required=False,
        max_length=SCREENER_MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def intention_context(request, application, *, mine: bool, forms_: dict | None = None) -> dict:
    """What the case screen shows for a case in ``intent_to_refuse``."""
    if application.status != Status.INTENT_TO_REFUSE:
        return {}
    forms_ = forms_ or {}
    deadline = zienswijze_deadline(application)
    sent_at = intent_to_refuse_sent_at(application)
    period_open = deadline is not None and timezone.localdate() <= deadline
    proposal = pending_refusal(application)
    reasons = intention_reasons(application)
    earlier = RefusalProposal.objects.filter(
        application=application, state=RefusalProposalState.REJECTED
    ).select_related("proposed_by", "reviewed_by")
    return {
        "intention": {
            "sent_on": timezone.localdate(sent_at) if sent_at else None,
            "deadline": deadline,
            "period_open": period_open,
            "reasons": reasons,
            "views": list(zienswijzen_for_application(application).select_related("submitted_by")),
            "proposal": proposal,
            "may_review": proposal is not None and may_review(request.user, proposal),
            "sent_back": list(earlier),
        },
        "view_form": forms_.get("view") or ViewRegistrationForm(initial={"received_on": timezone.localdate()}),
        "proposal_form": forms_.get("proposal") or RefusalProposalForm(initial={"reasons": reasons}),
        "review_form": forms_.get("review") or RefusalReviewForm(),
    }


def _rerender(request, reference: str, **forms_):
    from .views import _case_in_review, _render_case, case_open

    application = _case_in_review(reference)
    case_open(application=application, user=request.user)
    return _render_case(request, application, status=400, intention_forms=forms_)


def _application(reference: str) -> Application:
    return get_object_or_404(Application, reference=reference)


@screener_required
@require_POST
def register_view(request, reference: str):
    """Register a view given by letter or phone (the screener must hold the case)."""
    application = _application(reference)
    form = ViewRegistrationForm(request.POST)
    if not form.is_valid():
        return _rerender(request, reference, view=form)
    claim = getattr(application, "claim", None)
    if claim is None or claim.screener_id != request.user.pk or not claim_is_current(claim):
        messages.error(
            request, gettext("Take up case %(reference)s before you register a view.") % {"reference": reference}
        )
        return redirect("workbench:case", reference=reference)
    try:
        zienswijze_register(
            application=application,
            screener=request.user,
            channel=form.cleaned_data["channel"],
            text=form.cleaned_data["text"],
            received_on=form.cleaned_data["received_on"],
        )
    except ZienswijzeError as error:
        form.add_error(None, str(error))
        return _rerender(request, reference, view=form)
    messages.success(
        request, gettext("The view has been registered with case %(reference)s.") % {"reference": reference}
    )
    return redirect("workbench:case", reference=reference)


@screener_required
@require_POST
def propose_refusal(request, reference: str):
    application = _application(reference)
    values = {"reference": reference}
    form = RefusalProposalForm(request.POST)
    if not form.is_valid():
        if application.status == Status.INTENT_TO_REFUSE:
            return _rerender(request, reference, proposal=form)
        messages.error(request, gettext("Case %(reference)s no longer waits for a final decision.") % values)
        return redirect("workbench:queue")
    try:
        refusal_propose(
            application=application,
            screener=request.user,
            motivation=form.cleaned_data["motivation"],
            reasons=form.cleaned_data["reasons"],
        )
    except RefusalAlreadyProposed:
        messages.info(request, gettext("The refusal of case %(reference)s has already been proposed.") % values)
        return redirect("workbench:queue")
    except RefusalNotPossible:
        messages.error(request, gettext("Case %(reference)s no longer waits for a final decision.") % values)
        return redirect("workbench:queue")
    except CaseNotHeld:
        messages.error(request, gettext("Take up case %(reference)s before you decide on it.") % values)
    except ViewPeriodRunning as running:
        messages.error(
            request,
            gettext(
                "The applicant may give a view until %(date)s. Propose the refusal after that date, or issue the "
                "certificate now if the view convinced you."
            )
            % {"date": formats.date_format(running.deadline, "j F Y")},
        )
    except InvalidAssessment:
        messages.error(request, gettext("Give your motivation and the reasons for the applicant."))
    else:
        messages.success(
            request,
            gettext(
                "The refusal of case %(reference)s has been proposed. A senior screener other than you approves it."
            )
            % values,
        )
        return redirect("workbench:queue")
    return redirect("workbench:case", reference=reference)


def _review(request, reference: str, *, approve: bool):
    application = _application(reference)
    values = {"reference": reference}
    form = RefusalReviewForm(request.POST)
    if not form.is_valid():
        return _rerender(request, reference, review=form)
    note = form.cleaned_data["note"]
    try:
        if approve:
            refusal_approve(application=application, reviewer=request.user, note=note)
        else:
            refusal_send_back(application=application, reviewer=request.user, note=note)
    except NoPendingRefusal:
        messages.info(request, gettext("No refusal of case %(reference)s waits for approval.") % values)
        return redirect("workbench:queue")
    except FourEyesRequired:
        messages.error(
            request,
            gettext("A senior screener other than the one who proposed it approves a refusal (four eyes)."),
        )
    except InvalidAssessment:
        form.add_error("note", gettext("Say why you send the proposal back (at least 20 characters)."))
        return _rerender(request, reference, review=form)
    else:
        if approve:
            messages.success(
                request,
                gettext("Case %(reference)s has been refused. The decision letter has been sent to the applicant.")
                % values,
            )
        else:
            messages.success(
                request,
                gettext("The proposal for case %(reference)s has been sent back. The case is in the queue again.")
                % values,
            )
        return redirect("workbench:queue")
    return redirect("workbench:case", reference=reference)


@screener_required
@require_POST
def approve_refusal(request, reference: str):
    return _review(request, reference, approve=True)


@screener_required
@require_POST
def send_back_refusal(request, reference: str):
    return _review(request, reference, approve=False)
