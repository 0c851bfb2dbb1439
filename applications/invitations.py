"""The digital channel: an organisation prepares a request, the applicant completes it with DigiD.

prepared (invitation with link and code) → submitted (applicant checked the data and confirmed)
→ received (paid, or free for volunteers: the statutory clock starts) → assessment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justis.audit import Actor

from .fees import fee_cents
from .lifecycle import Status, application_transition, record_initial_status, sources_of
from .models import Applicant, Application, ApplicationType, Channel, Invitation, Organisation, OrganisationDefaults
from .services import reference_new

_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FREE_VOG_POSITION = "Vrijwilliger"


class InvitationError(Exception):
    """Something the user can act on; the message says what."""


def invitation_code_new() -> str:
    """12 symbols of base32 (60 bits) in groups of four: easy to type, impossible to guess."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def invitation_code_normalise(value: str) -> str:
    """Accept the code as people type it: any case, spaces or dashes, O for 0 and I/L for 1."""
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def free_vog_rules_check(*, organisation: Organisation, screening_profile: str, functieaspecten: list[str]) -> None:
    """Gratis VOG (domain.md §4.6): admitted organisations only, area 8 with 84 and/or 85, no profile."""
    today = timezone.localdate()
    if not organisation.free_vog_admitted_until or organisation.free_vog_admitted_until < today:
        raise InvitationError(_("Your organisation is not admitted to the free VOG scheme for volunteers."))
    if screening_profile:
        raise InvitationError(_("A free VOG uses functieaspecten, not a specific screening profile."))
    if not {"84", "85"} & set(functieaspecten):
        raise InvitationError(_("A free VOG needs functieaspect 84 and/or 85 (risk area 8, persons)."))


def open_request_for(
    *, organisation: Organisation, given_names: str, surname: str, birth_date: date, email: str
) -> Application | None:
    """The organisation's prepared request for this same person that is still open, if any.

    The same person means the same names (any case, spaces around), date of birth and e-mail address.
    Preparing it again is almost always a mistake: a double submit, or the form sent again after the
    back button.
    """
    return (
        Application.objects.filter(
            organisation=organisation,
            status=Status.PREPARED,
            invitation__given_names__iexact=given_names.strip(),
            invitation__surname__iexact=surname.strip(),
            invitation__birth_date=birth_date,
            invitation__email__iexact=email.strip(),
            invitation__expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def application_prepare(
    *,
    organisation: Organisation,
    prepared_by,
    purpose_code: str,
    position: str,
    purpose_description: str,
    screening_profile: str,
    functieaspecten: list[str],
    given_names: str,
    surname: str,
    birth_date: date,
    email: str,
    is_free: bool = False,
    save_as_default: bool = False,
) -> Application:
    """Prepare a VOG NP request and invite the applicant (an outbox message with link and code).

    Refuses (InvitationError, naming the reference) a second open request for the same person.
    """
    if is_free:
        free_vog_rules_check(
            organisation=organisation, screening_profile=screening_profile, functieaspecten=functieaspecten
        )
        purpose_code, position, purpose_description = "WRE", FREE_VOG_POSITION, ""
    now = timezone.now()
    # One prepare at a time per organisation, so two requests sent at once cannot both pass the check.
    Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)
    open_request = open_request_for(
        organisation=organisation, given_names=given_names, surname=surname, birth_date=birth_date, email=email
    )
    if open_request is not None:
        raise InvitationError(
            _(
                "A request for %(name)s is already prepared: %(reference)s. The applicant can use the "
                "e-mail with the application code of that request; it has not been completed yet."
            )
            % {"name": f"{given_names} {surname}".strip(), "reference": open_request.reference}
        )
    application = Application.objects.create(
        reference=reference_new(ApplicationType.VOG_NP),
        type=ApplicationType.VOG_NP,
        channel=Channel.DIGITAL_ORGANISATION,
        status=Status.PREPARED,
        status_changed_at=now,
        organisation=organisation,
        organisation_name=organisation.name,
        purpose_code=purpose_code,
        position=position,
        purpose_description=purpose_description,
        screening_profile=screening_profile,
        functieaspecten=functieaspecten,
    )
    Invitation.objects.create(
        application=application,
        code=invitation_code_new(),
        given_names=given_names,
        surname=surname,
        birth_date=birth_date,
        email=email,
        prepared_by=prepared_by,
        sent_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        is_free=is_free,
    )
    record_initial_status(application=application, actor=Actor.user(prepared_by))
    if save_as_default and not is_free:
        OrganisationDefaults.objects.update_or_create(
            organisation=organisation,
            defaults={
                "purpose_code": purpose_code,
                "position": position,
                "purpose_description": purpose_description,
                "screening_profile": screening_profile,
                "functieaspecten": functieaspecten,
            },
        )
    return application


def invitation_for_code(code: str) -> Invitation:
    """The open invitation with this code, or InvitationError saying why it cannot be used."""
    invitation = Invitation.objects.select_related("application").filter(code=invitation_code_normalise(code)).first()
    if invitation is None:
        raise InvitationError(_("We do not know this application code. Check the code in the e-mail you received."))
    status = invitation.application.status
    if status == Status.EXPIRED or (status == Status.PREPARED and invitation.expires_at < timezone.now()):
        raise InvitationError(
            _("This application code has expired. Ask the organisation to prepare the request again.")
        )
    if status == Status.WITHDRAWN:
        raise InvitationError(_("The organisation has withdrawn this request."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, citizen, person=None) -> Application:
    """Tie the request to the applicant who logged in with DigiD; nobody else can take it up after that.

    ``person`` is the citizen as the population register (BRP) knows them. Someone born on another
    day than the organisation gave (e.g. logged in with the DigiD of a partner) does not take the
    request: it stays free for the applicant.
    """
    invitation = Invitation.objects.select_for_update().select_related("application").get(pk=invitation.pk)
    if invitation.accepted_by_id not in (None, citizen.pk):
        raise InvitationError(_("This application code has already been used by someone else."))
    if invitation.accepted_by_id is None and person is not None and person.birth_date != invitation.birth_date:
        raise InvitationError(
            _(
                "This request is for someone born on another day than you. Did you log in with your own "
                "DigiD? Log out and let the applicant log in with their own DigiD. Is your date of birth "
                "wrong in the request? Ask the organisation to check it."
            )
        )
    if invitation.accepted_by_id is None:
        invitation.accepted_by = citizen
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])
        Application.objects.filter(pk=invitation.application_id).update(citizen=citizen)
    invitation.application.refresh_from_db()
    return invitation.application


@dataclass(frozen=True)
class ContactDetails:
    email: str
    delivery: str


@transaction.atomic
def application_complete(*, application: Application, citizen, person, contact: ContactDetails) -> Application:
    """The applicant checked the data and confirmed the declaration: prepared → submitted.

    ``person`` is the applicant as the population register (BRP) knows them. Free requests skip
    payment and are received at once; others wait for the payment.
    """
    invitation = Invitation.objects.select_for_update().get(application=application)
    if application.citizen_id != citizen.pk:
        raise InvitationError(_("This request belongs to someone else."))
    if application.status != Status.PREPARED:
        return application  # a reload or double submit changes nothing
    if person.birth_date != invitation.birth_date:
        raise InvitationError(
            _(
                "The date of birth in the population register differs from the one the organisation gave. "
                "Ask the organisation to check the request."
            )
        )
    address = person.address
    Applicant.objects.create(
        application=application,
        bsn=person.bsn,
        given_names=person.given_names,
        surname_prefix=person.surname_prefix,
        surname=person.surname,
        birth_date=person.birth_date,
        birth_place=person.birth_place,
        birth_country=person.birth_country,
        street=address.street if address else "",
        house_number=str(address.house_number) if address and address.house_number is not None else "",
        house_number_suffix=address.house_number_suffix if address else "",
        postcode=address.postcode if address else "",
        city=address.city if address else "",
        country=address.country if address else "",
        email=contact.email,
    )
    today = timezone.localdate()
    invitation.delivery = contact.delivery
    invitation.declaration_confirmed_at = timezone.now()
    invitation.fee_cents = fee_cents(
        product=application.type, channel_group="free" if invitation.is_free else "digital", day=today
    )
    invitation.save(update_fields=["delivery", "declaration_confirmed_at", "fee_cents"])
    actor = Actor.user(citizen)
    application = application_transition(application=application, to_status=Status.SUBMITTED, actor=actor)
    if invitation.fee_cents == 0:
        application = application_transition(
            application=application, to_status=Status.RECEIVED, actor=actor, reason="free VOG: no payment"
        )
    return application


def application_paid(*, application_id: int, actor: Actor) -> Application | None:
    """The payment of a submitted application is complete: it is received and its clock starts.

    Safe to call again: an application that is no longer 'submitted' is left as it is.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if application is None or application.status != Status.SUBMITTED:
            return application
        return application_transition(
            application=application, to_status=Status.RECEIVED, actor=actor, reason="payment completed"
        )


def invitations_expire() -> int:
    """Expire prepared requests whose invitation ran out (beat task)."""
    expired = 0
    now = timezone.now()
    for application in Application.objects.filter(status=Status.PREPARED, invitation__expires_at__lt=now):
        application_transition(
            application=application,
            to_status=Status.EXPIRED,
            actor=Actor.system("invitations"),
            reason="the applicant did not complete the request in time",
        )
        expired += 1
    return expired


def invitations_remind() -> int:
    """Remind applicants whose invitation expires within INVITATION_REMINDER_DAYS (once each)."""
    from notifications.services import outbox_enqueue

    now = timezone.now()
    due = Invitation.objects.filter(
        application__status=Status.PREPARED,
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=settings.INVITATION_REMINDER_DAYS),
    ).select_related("application")
    reminded = 0
    for invitation in due:
        with transaction.atomic():
            updated = Invitation.objects.filter(pk=invitation.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if updated:
                outbox_enqueue(
                    event="reminder",
                    application=invitation.application,
                    dedupe_key=f"invitation-reminder:{invitation.pk}",
                    payload={"code": invitation.code, "expires_at": invitation.expires_at.isoformat()},
                )
                reminded += 1
    return reminded


def application_withdraw(*, application: Application, actor: Actor, reason: str = "") -> Application:
    """The applicant (or the organisation, before it is taken up) withdraws the request."""
    if application.status not in sources_of(Status.WITHDRAWN):
        raise InvitationError(_("This application can no longer be withdrawn."))
    return application_transition(
        application=application, to_status=Status.WITHDRAWN, actor=actor, reason=reason or "withdrawn by the applicant"
    )
