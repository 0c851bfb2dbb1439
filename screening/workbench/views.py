"""The screeners' work queue: cases that need a person, most at risk first; take up and release;
the case screen with the justice records and the grant decision.

The queue shows no justice data (no records, no assessment outcome), so opening it is not audited;
taking up and releasing a case are (in the services), and so is every opening of the case screen.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from applications.lifecycle import Status
from applications.models import Application, ApplicationType, DecisionProcedure
from justis.login.access import screener_required

from ..catalogue import CatalogueError, screening_basis_on
from ..models import SCREENER_MOTIVATION_MAX_LENGTH, SCREENER_MOTIVATION_MIN_LENGTH, DisposalType
from ..rules import RulesMissing, age_on, rules_on
from ..zienswijzen import zienswijze_deadline
from .companies import company_case_context
from .refusal_views import intention_context
from .sectors import legal_obligation_sector
from .selectors import CLAIMED_ALL, CLAIMED_FREE, CLAIMED_MINE, QUEUE_STATUSES, claim_is_current, work_queue
from .services import (
    REFUSAL_REASONS_MAX_LENGTH,
    CaseAlreadyIntendedToRefuse,
    CaseAlreadyIssued,
    CaseHeldByOther,
    CaseNotHeld,
    CaseNotInQueue,
    CaseNotInReview,
    GrantNotAvailable,
    InvalidAssessment,
    RefusalAlreadyProposed,
    RefusalNotAvailable,
    case_claim,
    case_grant,
    case_intend_refusal,
    case_open,
    case_release,
    decidable,
    records_for_screener,
)

PAGE_SIZE = 50
SHORT_TYPE = {"VOG_NP": "VOG NP", "VOG_RP": "VOG RP", "GVA": "GVA"}


class QueueFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *ApplicationType.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All cases waiting for a screener")), *((s.value, s.label) for s in QUEUE_STATUSES)],
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
    awaiting_approval = forms.BooleanField(label=_("Only refusals awaiting a second screener"), required=False)


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


def deadline_notes(application, today) -> list[str]:
    """What moved the decision date, in a few words: extended, suspended (days on hold), converted, urgent."""
    notes = []
    if application.decision_procedure == DecisionProcedure.URGENT:
        notes.append(pgettext("decision procedure", "urgent"))
    elif application.decision_procedure == DecisionProcedure.CONVERTED:
        notes.append(gettext("converted to regular"))
    if application.decision_period_extended:
        notes.append(pgettext("decision period", "extended"))
    if application.status == Status.ON_HOLD:
        days = max((today - timezone.localdate(application.status_changed_at)).days, 0)
        notes.append(ngettext("suspended for %(days)s day", "suspended for %(days)s days", days) % {"days": days})
    return notes


def screening_basis_short(application) -> str:
    if application.screening_profile:
        return gettext("profile %(code)s") % {"code": application.screening_profile}
    if application.functieaspecten:
        return gettext("aspects %(codes)s") % {"codes": ", ".join(application.functieaspecten)}
    return ""


def stage_label(application, today) -> str:
    """Where a case stands, beyond its status: the view period, views received, a refusal to approve."""
    if application.status == Status.ON_HOLD:
        return str(application.get_status_display())
    if application.status != Status.INTENT_TO_REFUSE:
        return ""
    if getattr(application, "pending_refusal", False):
        return gettext("Refusal awaits a second screener")
    if getattr(application, "views_received", False):
        return gettext("View received")
    sent_at = getattr(application, "intent_sent_at", None)
    if sent_at is None:
        return str(application.get_status_display())
    deadline = timezone.localdate(sent_at) + timedelta(days=settings.ZIENSWIJZE_PERIOD_DAYS)
    if today <= deadline:
        return gettext("View period until %(date)s") % {"date": formats.date_format(deadline, "d-m-Y")}
    return gettext("View period ended, no view received")


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
        "deadline_notes": deadline_notes(application, today),
        "sector": legal_obligation_sector(
            screening_profile=application.screening_profile, functieaspecten=application.functieaspecten
        ),
        "claim": claim,
        "mine": claim is not None and claim.screener_id == user.pk,
        "stage": stage_label(application, today),
    }


@screener_required
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET)
    page, rows, filtered = None, [], False
    if form.is_valid():
        data = form.cleaned_data
        filtered = any(data.get(key) for key in ("type", "status", "overdue", "awaiting_approval")) or data[
            "claimed"
        ] not in (
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
            awaiting_approval=data["awaiting_approval"],
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
    if request.POST.get("back") == "case":
        return redirect("workbench:case", reference=reference)
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


# --- The case screen --------------------------------------------------------------------------------

YES, NO = "yes", "no"


class CaseDecisionForm(forms.Form):
    """The screener's assessment: the objective criterion per record and the subjective weighing."""

    motivation = forms.CharField(
        label=_("Weighing of interests (motivation)"),
        min_length=SCREENER_MOTIVATION_MIN_LENGTH,
        max_length=SCREENER_MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reasons = forms.CharField(
        label=_("Reasons for the applicant (only for an intention to refuse)"),
        required=False,
        max_length=REFUSAL_REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, records=(), refusing=False, granting_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusing = refusing
        self.fields["reasons"].help_text = gettext(
            "Only when you send the intention to refuse: why Justis intends to refuse, in words the applicant "
            "understands. This text is printed in the letter. At most %(max)s characters."
        ) % {"max": REFUSAL_REASONS_MAX_LENGTH}
        self.fields["motivation"].help_text = gettext(
            "Weigh the applicant's interest against the risk to society: how often and how long ago, how "
            "serious, the age at the time and the outcome. Between %(min)s and %(max)s characters."
        ) % {"min": SCREENER_MOTIVATION_MIN_LENGTH, "max": SCREENER_MOTIVATION_MAX_LENGTH}
        objective = {}
        for index, label in records:
            objective[f"record_{index}"] = forms.ChoiceField(
                label=_("Would %(record)s hinder the purpose if it were repeated?") % {"record": label},
                choices=[(YES, _("yes")), (NO, _("no"))],
                widget=forms.RadioSelect,
            )
        # The questions first, then the weighing.
        self.fields = {**objective, "motivation": self.fields["motivation"], "reasons": self.fields["reasons"]}
        if granting_only:  # after an intention to refuse, this form only issues the certificate
            del self.fields["reasons"]
        self.record_indexes = [index for index, _label in records]

    def clean(self):
        cleaned = super().clean()
        if self.refusing:
            if not (cleaned.get("reasons") or "").strip() and "reasons" not in self.errors:
                message = gettext("Give the reasons for the applicant: they are printed in the letter.")
                self.add_error("reasons", message)
            answers = [cleaned.get(f"record_{index}") for index in self.record_indexes]
            if all(answer is not None for answer in answers) and YES not in answers:
                message = gettext(
                    "An intention to refuse needs at least one record that would hinder the purpose: answer "
                    "“yes” for that record."
                )
                if self.record_indexes:
                    self.add_error(f"record_{self.record_indexes[0]}", message)
                else:
                    self.add_error(None, message)
        return cleaned

    def objective(self) -> dict[int, bool]:
        return {index: self.cleaned_data[f"record_{index}"] == YES for index in self.record_indexes}


def _language() -> str:
    return (get_language() or "nl")[:2]


def _in_language(texts: dict, language: str) -> str:
    return texts.get(language) or texts.get("en") or texts.get("nl") or ""


def _record_label(record: dict) -> str:
    return f"{record.get('offence_article', '')} ({record.get('offence_description', '')})"


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _disposal_label(value: str) -> str:
    return str(DisposalType(value).label) if value in DisposalType.values else value


def _category_names(application) -> dict:
    try:
        rules = rules_on(application.application_date)
    except RulesMissing:
        return {}
    return {code: rules.category_name(code) for code in rules.categories}


def _records(application, language: str) -> list[dict]:
    """The records read from the JDS with the pre-assessment's finding for each (if any)."""
    assessment = getattr(application, "assessment", None)
    if assessment is None:
        return []
    findings = assessment.findings or []
    names = _category_names(application) if findings else {}
    rows = []
    for index, record in enumerate(assessment.records):
        finding = findings[index] if index < len(findings) else None
        row = {
            "index": index,
            "record": record,
            "label": _record_label(record),
            "decision_date": _date(record.get("decision_date")),
            "disposal": _disposal_label(record.get("disposal_type", "")),
            "finding": None,
        }
        if finding is not None:
            window = finding.get("window") or {}
            category = finding.get("category", "")
            row["finding"] = {
                "category": category,
                "category_name": _in_language(names.get(category) or {}, language),
                "years": window.get("years"),
                "unlimited": window.get("years") == "unlimited",
                "start": _date(window.get("start")),
                "extended_days": window.get("extended_days", 0),
                "in_window": finding.get("in_window"),
                "relevant": finding.get("relevant"),
                "for_screener": finding.get("for_screener"),
                "explanation": _in_language(finding.get("explanation") or {}, language),
            }
        rows.append(row)
    return rows


def _questions(application, records: list[dict]) -> list[tuple[int, str]]:
    """The records the screener answers the objective criterion for: those the pre-assessment put forward."""
    for_screener = set(records_for_screener(application))
    return [(row["index"], row["label"]) for row in records if row["index"] in for_screener]


def _basis(application) -> dict | None:
    if not application.application_date:
        return None
    try:
        return screening_basis_on(
            screening_profile=application.screening_profile,
            functieaspecten=list(application.functieaspecten),
            day=application.application_date,
        ).printed()
    except CatalogueError:
        return None


def _case_in_review(reference: str) -> Application:
    application = (
        Application.objects.select_related("claim__screener", "assessment")
        .filter(reference=reference, status__in=QUEUE_STATUSES)
        .first()
    )
    if application is None:
        raise Http404
    return application


def _render_case(request, application, form=None, status=200, intention_forms=None):
    language = _language()
    now = timezone.now()
    records = _records(application, language)
    if form is None:
        form = CaseDecisionForm(
            records=_questions(application, records), granting_only=application.status == Status.INTENT_TO_REFUSE
        )
    applicant = getattr(application, "applicant", None)
    today = timezone.localdate(now)
    days = (application.decision_due_date - today).days if application.decision_due_date else None
    claim = getattr(application, "claim", None)
    claim = claim if claim_is_current(claim, now) else None
    basis = _basis(application)
    mine = claim is not None and claim.screener_id == request.user.pk
    return render(
        request,
        "screening/case.html",
        {
            "application": application,
            "applicant": applicant,
            "age": age_on(applicant.birth_date, application.application_date)
            if applicant and application.application_date
            else None,
            "basis_items": [{"code": item["code"], "text": _in_language(item, language)} for item in basis["items"]]
            if basis
            else [],
            "basis_kind": basis["kind"] if basis else "",
            "days": days,
            "days_label": days_left_label(days),
            "risk": risk_level(days),
            "claim": claim,
            "mine": mine,
            "records": records,
            "form": form,
            "can_grant": application.status in (Status.IN_REVIEW, Status.INTENT_TO_REFUSE) and decidable(application),
            **intention_context(request, application, mine=mine, forms_=intention_forms),
            **company_case_context(application, records, _language()),
        },
        status=status,
    )


@screener_required
@require_GET
def case(request, reference: str):
    application = _case_in_review(reference)
    case_open(application=application, user=request.user)
    return _render_case(request, application)


def _decide(
    request,
    reference: str,
    *,
    refusing: bool,
    done_status: str,
    already_message: str,
    unavailable_message: str,
    invalid_message: str,
    act,
    success_message,
):
    """The flow both decisions share: validate the case form, call the service ``act(application, form)``,
    and turn what it raises into a message. ``success_message(application)`` says what was done.

    A refusal refuses a VOG RP or GVA before looking at the form; a grant lets its service say so.
    """
    application = get_object_or_404(Application.objects.select_related("assessment"), reference=reference)
    records = _records(application, _language())
    form = CaseDecisionForm(
        request.POST,
        records=_questions(application, records),
        refusing=refusing,
        granting_only=not refusing and application.status == Status.INTENT_TO_REFUSE,
    )
    if application.status == done_status:
        messages.info(request, already_message)
        return redirect("workbench:queue")
    if refusing and not decidable(application):
        messages.error(request, unavailable_message)
        return redirect("workbench:case", reference=reference)
    if not form.is_valid():
        application = _case_in_review(reference)
        case_open(application=application, user=request.user)
        return _render_case(request, application, form=form, status=400)
    values = {"reference": reference}
    try:
        act(application, form)
    except (CaseAlreadyIssued, CaseAlreadyIntendedToRefuse):
        messages.info(request, already_message)
        return redirect("workbench:queue")
    except (GrantNotAvailable, RefusalNotAvailable):
        messages.error(request, unavailable_message)
    except RefusalAlreadyProposed:
        messages.error(
            request,
            gettext("A refusal of case %(reference)s awaits a second screener: no other decision now.") % values,
        )
    except CaseNotHeld:
        messages.error(request, gettext("Take up case %(reference)s before you decide on it.") % values)
    except CaseNotInReview:
        messages.error(request, gettext("Case %(reference)s is not in review: no decision can be taken now.") % values)
    except InvalidAssessment:  # the form checks the same; a changed case (new records) ends here
        messages.error(request, invalid_message)
    else:
        messages.success(request, success_message(application))
        return redirect("workbench:queue")
    return redirect("workbench:case", reference=reference)


@screener_required
@require_POST
def grant(request, reference: str):
    values = {"reference": reference}
    return _decide(
        request,
        reference,
        refusing=False,
        done_status=Status.ISSUED,
        already_message=gettext("The certificate for case %(reference)s has already been issued.") % values,
        unavailable_message=gettext("This case has no applicant or company to issue the certificate to."),
        invalid_message=gettext("Answer the question for every record and give your motivation."),
        act=lambda application, form: case_grant(
            application=application,
            screener=request.user,
            motivation=form.cleaned_data["motivation"],
            objective=form.objective(),
        ),
        success_message=lambda application: gettext("The certificate for case %(reference)s has been issued.") % values,
    )


@screener_required
@require_POST
def refuse(request, reference: str):
    """Send the intention to refuse (voornemen tot weigering): the letter with the reasons and the view period."""
    values = {"reference": reference}
    return _decide(
        request,
        reference,
        refusing=True,
        done_status=Status.INTENT_TO_REFUSE,
        already_message=gettext("The intention to refuse for case %(reference)s has already been sent.") % values,
        unavailable_message=gettext("This case has no applicant or company to send the intention to refuse to."),
        invalid_message=gettext(
            "Answer the question for every record (at least one “yes”), give your motivation and the reasons "
            "for the applicant."
        ),
        act=lambda application, form: case_intend_refusal(
            application=application,
            screener=request.user,
            objective=form.objective(),
            motivation=form.cleaned_data["motivation"],
            reasons=form.cleaned_data["reasons"],
        ),
        success_message=lambda application: (
            gettext(
                "The intention to refuse for case %(reference)s has been sent. The applicant may give a view "
                "until %(date)s."
            )
            % {**values, "date": formats.date_format(zienswijze_deadline(application), "j F Y")}
        ),
    )
