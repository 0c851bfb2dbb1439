"""The signals queue of continuous screening for screeners (/beoordeling/signalen/) and the signal screen.

The queue lists people and days, no justice data, so opening it is not audited; opening a signal is
(``services.signal_open``). These screens read only the continuous screening tables and the linked
organisations, never the application intake or the assessment queue.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from justis.login.access import screener_required
from screening.models import DisposalType
from screening.rules import RulesMissing, rules_on

from .models import (
    SIGNAL_MOTIVATION_MAX_LENGTH,
    SIGNAL_MOTIVATION_MIN_LENGTH,
    SignalAction,
    SignalStatus,
)
from .selectors import linked_organisations, signal_get, signal_queue
from .services import SignalAlreadyDecided, signal_decide, signal_open

PAGE_SIZE = 50
YES, NO = "yes", "no"


class SignalDecisionForm(forms.Form):
    direct_risk = forms.ChoiceField(
        label=_("Is there a direct risk?"),
        choices=[(YES, _("yes")), (NO, _("no"))],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        min_length=SIGNAL_MOTIVATION_MIN_LENGTH,
        max_length=SIGNAL_MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    action = forms.ChoiceField(label=_("Action"), choices=SignalAction.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivation"].help_text = gettext(
            "Why there is or is not a direct risk for the work this person does. Between %(min)s and %(max)s "
            "characters."
        ) % {"min": SIGNAL_MOTIVATION_MIN_LENGTH, "max": SIGNAL_MOTIVATION_MAX_LENGTH}
        self.fields["action"].help_text = gettext(
            "A new VOG is required: the organisations linked are told, and in childcare the person is "
            "non-active until a new VOG is issued."
        )


def days_since_label(days: int) -> str:
    if days == 0:
        return gettext("today")
    return ngettext("%(days)s day ago", "%(days)s days ago", days) % {"days": days}


@screener_required
@require_GET
def queue(request):
    page = Paginator(signal_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for signal in page:
        days = (today - timezone.localdate(signal.received_at)).days
        rows.append({"signal": signal, "days": days, "days_label": days_since_label(days)})
    open_count = sum(1 for row in rows if row["signal"].status == SignalStatus.OPEN)
    return render(request, "continuous/queue.html", {"page": page, "rows": rows, "open_count": open_count})


def _language() -> str:
    return (get_language() or "nl")[:2]


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _record_view(signal) -> dict:
    record, finding = signal.record, signal.finding or {}
    language = _language()
    explanation = finding.get("explanation") or {}
    category = finding.get("category", "")
    category_name = category
    try:
        name = rules_on(timezone.localdate(signal.received_at)).category_name(category)
        category_name = name.get(language) or name.get("en") or category
    except RulesMissing:
        pass
    disposal = record.get("disposal_type", "")
    window = finding.get("window") or {}
    return {
        "record": record,
        "offence_date": _date(record.get("offence_date")),
        "decision_date": _date(record.get("decision_date")),
        "disposal": str(DisposalType(disposal).label) if disposal in DisposalType.values else disposal,
        "category": category,
        "category_name": category_name,
        "years": window.get("years"),
        "unlimited": window.get("years") == "unlimited",
        "explanation": explanation.get(language) or explanation.get("en") or explanation.get("nl", ""),
    }


def _render_signal(request, signal, form=None, status=200):
    if form is None and signal.status == SignalStatus.OPEN:
        form = SignalDecisionForm()
    days = (timezone.localdate() - timezone.localdate(signal.received_at)).days
    return render(
        request,
        "continuous/signal.html",
        {
            "signal": signal,
            "enrolment": signal.enrolment,
            "links": linked_organisations(signal.enrolment),
            "row": _record_view(signal),
            "days_label": days_since_label(days),
            "form": form,
        },
        status=status,
    )


def _signal_or_404(pk: int):
    signal = signal_get(pk)
    if signal is None:
        raise Http404
    return signal


@screener_required
@require_GET
def signal_detail(request, pk: int):
    signal = _signal_or_404(pk)
    signal_open(signal=signal, user=request.user)
    return _render_signal(request, signal)


@screener_required
@require_POST
def decide(request, pk: int):
    signal = _signal_or_404(pk)
    if signal.status != SignalStatus.OPEN:
        messages.info(request, gettext("A decision on this signal has already been recorded."))
        return redirect("continuous:signal", pk=pk)
    form = SignalDecisionForm(request.POST)
    if form.is_valid():
        try:
            signal_decide(
                signal=signal,
                screener=request.user,
                direct_risk=form.cleaned_data["direct_risk"] == YES,
                motivation=form.cleaned_data["motivation"],
                action=form.cleaned_data["action"],
            )
        except SignalAlreadyDecided:
            messages.info(request, gettext("A decision on this signal has already been recorded."))
            return redirect("continuous:signal", pk=pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            if form.cleaned_data["action"] == SignalAction.NEW_VOG_REQUIRED:
                message = gettext(
                    "Your decision on the signal about %(name)s has been recorded. The organisations linked are "
                    "told that a new VOG is required."
                )
            else:
                message = gettext("Your decision on the signal about %(name)s has been recorded.")
            messages.success(request, message % {"name": signal.enrolment.full_name})
            return redirect("continuous:queue")
    signal_open(signal=signal, user=request.user)
    return _render_signal(request, signal, form=form, status=400)
