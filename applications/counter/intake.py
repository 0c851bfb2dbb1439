"""The counter intake screen: a clerk takes a walk-in VOG NP application and forwards it to Justis.

The applicant's data comes from the population register (BRP) when it answers, or from the identity
document when it does not; the application then waits for a check against the register before it
is assessed. Forwarding is idempotent: the form carries a key made when it was first shown, so a
double click, a retry or the back button never makes a second application.
"""

from __future__ import annotations

import hashlib
import json

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justis.adapters import OutsideSystemUnavailable
from justis.audit import Actor
from justis.login.access import clerk_required

from ..brp import BrpPerson, brp_person_for
from ..fees import FeeUnknown, euros, fee_cents
from ..intake import REMARK_FLAGS, DeskSequenceExhausted, IntakeData
from ..models import ApplicationType, Channel, IdentityVerification, PersonalDataSource
from ..selectors import applications_for_municipality
from ..services import ApplicantData, IdempotencyConflict, application_receive
from .forms import HISTORY_FIELDS, HISTORY_ROWS, CounterIntakeForm, split_name

# The people this clerk looked up in the register, by BSN: what the register said, so that the
# forwarded application can say whether its personal data came from the register or was typed.
SESSION_PEOPLE = "counter_brp_people"
SESSION_PEOPLE_MAX = 10
BRP_REASON = "counter intake"
COMPARED_FIELDS = ("given_names", "surname_prefix", "surname")


def _fee_today() -> int | None:
    try:
        return fee_cents(product=ApplicationType.VOG_NP, channel_group="municipal", day=timezone.localdate())
    except FeeUnknown:
        return None


def _people(session) -> dict:
    return session.get(SESSION_PEOPLE, {})


def _remember(session, bsn: str, person: BrpPerson | None) -> None:
    people = dict(_people(session))
    people.pop(bsn, None)
    if person is None:
        people[bsn] = {"found": False}
    else:
        people[bsn] = {
            "found": True,
            **{field: getattr(person, field) for field in COMPARED_FIELDS},
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        }
    while len(people) > SESSION_PEOPLE_MAX:
        people.pop(next(iter(people)))
    session[SESSION_PEOPLE] = people


def personal_data_source(known: dict | None, data: dict) -> str:
    """The source is the register only when the names and the date of birth sent are those it gave."""
    if not known or not known.get("found"):
        return PersonalDataSource.MANUAL
    same = all(known[field] == data[field] for field in COMPARED_FIELDS)
    if same and known["birth_date"] == data["birth_date"].isoformat():
        return PersonalDataSource.BRP
    return PersonalDataSource.MANUAL


def _row_name(data, row: str) -> str:
    return " ".join(" ".join(data.get(row + part, "") for part in COMPARED_FIELDS).split()).casefold()


def prefilled(post, person: BrpPerson):
    """The form as sent, with the applicant's data from the register filled in."""
    data = post.copy()
    values = {
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "birth_date": person.birth_date.strftime("%d-%m-%Y") if person.birth_date else "",
        "birth_place": person.birth_place,
        "birth_country": person.birth_country,
        "gender": person.gender,
        "nationalities": ", ".join(person.nationalities),
    }
    if person.address is not None:
        address = person.address
        values.update(
            street=address.street,
            house_number=str(address.house_number or ""),
            house_number_suffix=address.house_number_suffix,
            postcode=address.postcode,
            city=address.city,
            country=address.country,
        )
    for name, value in values.items():
        data[name] = value or ""
    # Earlier names from the register go into the empty rows of the earlier identities.
    rows = [f"history_{number}_" for number in range(1, HISTORY_ROWS + 1)]
    free = [row for row in rows if not any(data.get(row + part, "").strip() for part in HISTORY_FIELDS)]
    present = {_row_name(data, row) for row in rows}
    for name in person.previous_names:
        written = " ".join(name.split()).casefold()
        if not free or written in present:
            continue
        present.add(written)
        row = free.pop(0)
        for part, value in split_name(name).items():
            data[row + part] = value
    return data


def _not_in_register(form) -> str:
    return _(
        "%(field)s: this BSN is not in the population register (BRP). The applicant must be registered in this "
        "municipality; a person who is not registered in the BRP applies directly at Justis."
    ).replace("%(field)s", form.error_name("bsn"))


def _prefill(request, fee: str) -> tuple[CounterIntakeForm, str]:
    """The button "fetch the data from the BRP": look the BSN up (audited) and fill in the form."""
    form = CounterIntakeForm(request.POST, lookup_only=True, fee=fee)
    bsn = form.lookup_bsn()
    if bsn is None:
        return form, ""
    try:
        person = brp_person_for(bsn, actor=Actor.user(request.user), reason=BRP_REASON)
    except OutsideSystemUnavailable:
        return form, "down"
    _remember(request.session, bsn, person)
    if person is None:
        form.add_error("bsn", _not_in_register(form))
        return form, "not_found"
    return CounterIntakeForm(prefilled(request.POST, person), lookup_only=True, fee=fee), "found"


def fingerprint(data: dict) -> str:
    """The SHA-256 of what the clerk sent: the same key with other data is a conflict, not a repeat."""
    sent = {name: value for name, value in data.items() if name not in {"idempotency_key", "fee_received", "basis"}}
    sent["functieaspecten"] = sorted(sent.get("functieaspecten") or [])
    return hashlib.sha256(json.dumps(sent, sort_keys=True, default=str).encode()).hexdigest()


def _forward(request, form: CounterIntakeForm, context: dict):
    """Forward the application to Justis; a redirect to the done page, or None with the errors on the form."""
    data = form.cleaned_data
    user = request.user
    known = _people(request.session).get(data["bsn"])
    if known is None:
        # Not looked up in this session: ask the register now, so a BSN it does not know is refused at
        # the counter and data that matches it needs no later check. When it is down, the data counts
        # as typed by hand.
        try:
            person = brp_person_for(data["bsn"], actor=Actor.user(user), reason=BRP_REASON)
        except OutsideSystemUnavailable:
            person = False
        if person is not False:
            _remember(request.session, data["bsn"], person)
            known = _people(request.session)[data["bsn"]]
    if known is not None and not known["found"]:
        form.add_error("bsn", _not_in_register(form))
        return None
    purpose = form.purpose_kwargs()
    purpose.pop("is_free")
    try:
        application, _created = application_receive(
            application_type=ApplicationType.VOG_NP,
            channel=Channel.MUNICIPAL_COUNTER,
            applicant=ApplicantData.from_values(data),
            organisation_name=data["org_name"],
            kvk_number=data["org_kvk_number"],
            organisation_contact=form.organisation_contact(),
            **purpose,
            circumstances=data["circumstances_text"].strip() if data["circumstances"] else "",
            urgent_reason=data["urgent_reason"],
            intake=IntakeData(
                desk=user.desk,
                clerk=user,
                personal_data_source=personal_data_source(known, data),
                id_document_kind=data["id_document_kind"],
                id_document_number_end=data["id_document_number_end"],
                payment_method=data["payment_method"],
                mayor_advice=data["mayor_advice"],
                remark=data["remark"],
                **{flag: data[flag] for flag, _text in REMARK_FLAGS},
                **{text: data[text].strip() if data[flag] else "" for flag, text in REMARK_FLAGS},
            ),
            actor=Actor.user(user),
            idempotency_key=str(data["idempotency_key"]),
            request_fingerprint=fingerprint(data),
        )
    except IdempotencyConflict as exc:
        context["conflict"] = exc.reference
        form.add_error(
            None,
            _(
                "This form was already forwarded as application %(reference)s, with other data. Check that "
                "application; for another applicant, discard this form and start a new application."
            )
            % {"reference": exc.reference},
        )
        return None
    except DeskSequenceExhausted:
        form.add_error(None, _("This desk has used up its 9,999 municipal numbers of today. Forward it tomorrow."))
        return None
    except FeeUnknown:
        form.add_error(None, _("The fee table has no fee for today: nothing was forwarded. Call the service desk."))
        return None
    return redirect("counter:done", reference=application.reference)


@clerk_required
@require_http_methods(["GET", "POST"])
def intake(request):
    desk = request.user.desk
    cents = _fee_today()
    fee = euros(cents) if cents is not None else ""
    context = {"desk": desk, "fee": fee, "brp": ""}
    if request.method == "POST" and request.POST.get("action") == "brp":
        form, context["brp"] = _prefill(request, fee)
    elif request.method == "POST":
        form = CounterIntakeForm(request.POST, fee=fee)
        if form.is_valid():
            response = _forward(request, form, context)
            if response is not None:
                return response
        bsn = "".join(request.POST.get("bsn", "").split()).replace(".", "")
        known = _people(request.session).get(bsn)
        if not (known and known.get("found")):
            context["brp"] = "manual"
    else:
        form = CounterIntakeForm(fee=fee)
    context["form"] = form
    return render(request, "counter/intake.html", context)


@clerk_required
def done(request, reference: str):
    """What was forwarded: the municipal number, Justis' reference, the fee and how it was paid."""
    application = (
        applications_for_municipality(municipality=request.user.desk.municipality)
        .filter(reference=reference, channel=Channel.MUNICIPAL_COUNTER, intake__isnull=False)
        .select_related("intake", "intake__desk", "applicant")
        .first()
    )
    if application is None:
        raise Http404
    return render(
        request,
        "counter/done.html",
        {
            "application": application,
            "intake": application.intake,
            "desk": request.user.desk,
            "fee": euros(application.intake.fee_cents),
            "awaiting_check": application.identity_verification == IdentityVerification.PENDING,
        },
    )
