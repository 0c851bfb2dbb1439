"""Application services: receiving applications from every channel, and API tokens for municipal systems."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from django.db import IntegrityError, transaction
from django.utils import timezone

from justis.audit import Actor, audit_record
from justis.models import AuditAction

from .fees import fee_cents
from .intake import IntakeData, intake_record
from .lifecycle import Status, record_initial_status
from .models import ApiToken, Applicant, Application, ApplicationType, Municipality, Organisation

# Crockford's base32 without I, L, O, U: references are read aloud at counters and over the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_REFERENCE_PREFIX = {ApplicationType.VOG_NP: "NP", ApplicationType.VOG_RP: "RP", ApplicationType.GVA: "GVA"}


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for a different request."""

    def __init__(self, reference: str):
        self.reference = reference
        super().__init__(reference)


def reference_new(application_type: str) -> str:
    """E.g. ``NP-261123-7K3Q9M``: product, date, 6 random symbols (30 bits: not guessable in order)."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"{_REFERENCE_PREFIX[application_type]}-{timezone.localdate():%y%m%d}-{suffix}"


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *, municipality: Municipality, name: str, actor: Actor, key: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for a municipal system. Returns the row and the key, which is shown only now."""
    key = key or "jt_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            municipality=municipality, name=name, key_prefix=key[:8], key_hash=api_token_hash(key)
        )
        audit_record(
            actor=actor,
            action=AuditAction.API_TOKEN_CREATED,
            subject_type="municipality",
            subject_id=municipality.code,
            data={"token": token.pk, "name": name},
        )
    return token, key


@dataclass(frozen=True)
class ApplicantData:
    bsn: str
    given_names: str
    surname: str
    birth_date: object
    birth_place: str
    birth_country: str
    surname_prefix: str = ""
    email: str = ""
    street: str = ""
    house_number: str = ""
    house_number_suffix: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    phone: str = ""
    gender: str = ""
    nationalities: tuple[str, ...] = ()
    # Earlier identities (historie): dicts with given_names, surname_prefix, surname, birth_date, bsn.
    previous_identities: tuple[dict, ...] = ()

    @classmethod
    def from_values(cls, values: dict, **overrides) -> ApplicantData:
        """From validated form or serializer data whose keys are these field names (other keys are ignored)."""
        names = {field.name for field in dataclass_fields(cls)}
        chosen = {name: value for name, value in {**values, **overrides}.items() if name in names}
        for name in ("nationalities", "previous_identities"):
            if name in chosen:
                chosen[name] = tuple(chosen[name])
        return cls(**chosen)

    def as_fields(self) -> dict:
        fields = dict(self.__dict__)
        fields["nationalities"] = list(self.nationalities)
        fields["previous_identities"] = [
            {key: str(value) for key, value in identity.items() if value} for identity in self.previous_identities
        ]
        return fields


@dataclass(frozen=True)
class OrganisationContact:
    """The organisation's contact details as given with the application (representative, address, phone)."""

    representative: str = ""
    street: str = ""
    house_number: str = ""
    house_number_suffix: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    phone: str = ""

    def as_fields(self) -> dict:
        return {f"organisation_{name}": value for name, value in self.__dict__.items()}


def _organisation_for(*, name: str, kvk_number: str) -> Organisation | None:
    if not name:
        return None
    if not kvk_number:
        return Organisation.objects.create(name=name)
    organisation, created = Organisation.objects.get_or_create(kvk_number=kvk_number, defaults={"name": name})
    if not created and organisation.name != name:
        organisation.name = name
        organisation.save(update_fields=["name"])
    return organisation


def application_receive(
    *,
    application_type: str,
    channel: str,
    applicant: ApplicantData | None,
    organisation_name: str,
    kvk_number: str,
    purpose_code: str,
    position: str,
    purpose_description: str,
    screening_profile: str,
    functieaspecten: list[str],
    actor: Actor,
    municipality: Municipality | None = None,
    idempotency_key: str = "",
    request_fingerprint: str = "",
    circumstances: str = "",
    urgent_reason: str = "",
    intake: IntakeData | None = None,
    organisation_contact: OrganisationContact | None = None,
) -> tuple[Application, bool]:
    """Receive a complete application (identity checked and fee settled by the channel).

    Starts the statutory clock and queues the assessment after commit. With an idempotency key a
    repeated call returns the first application and ``created=False``; the same key with another
    request raises ``IdempotencyConflict``. ``intake`` is the municipal counter's record (desk, clerk,
    identity document, fee, remarks): it gets its municipal number in the same transaction, and
    personal data typed by hand marks the application for a check against the population register.
    ``applicant`` is None only for a VOG RP or GVA: the company applies, and its key persons are
    recorded by the channel in the same transaction.
    """
    if applicant is None and application_type == ApplicationType.VOG_NP:
        raise ValueError("a VOG NP application needs its applicant")
    if intake is not None:
        municipality = intake.desk.municipality
    if idempotency_key:
        existing = _existing_for_key(municipality, idempotency_key, request_fingerprint)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            application = _create_received(
                application_type=application_type,
                channel=channel,
                applicant=applicant,
                organisation_name=organisation_name,
                kvk_number=kvk_number,
                purpose_code=purpose_code,
                position=position,
                purpose_description=purpose_description,
                screening_profile=screening_profile,
                functieaspecten=functieaspecten,
                actor=actor,
                municipality=municipality,
                idempotency_key=idempotency_key,
                request_fingerprint=request_fingerprint,
                circumstances=circumstances,
                urgent_reason=urgent_reason,
                intake=intake,
                **(organisation_contact.as_fields() if organisation_contact else {}),
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its application.
        if idempotency_key:
            existing = _existing_for_key(municipality, idempotency_key, request_fingerprint)
            if existing is not None:
                return existing, False
        raise
    return application, True


def _existing_for_key(municipality, idempotency_key: str, fingerprint: str) -> Application | None:
    existing = Application.objects.filter(municipality=municipality, idempotency_key=idempotency_key).first()
    if existing is not None and fingerprint and existing.request_fingerprint != fingerprint:
        raise IdempotencyConflict(existing.reference)
    return existing


def _create_received(
    *,
    application_type: str,
    applicant: ApplicantData | None,
    organisation_name: str,
    kvk_number: str,
    actor: Actor,
    intake: IntakeData | None,
    **fields,
) -> Application:
    now = timezone.now()
    if intake is not None:
        fields["identity_verification"] = intake.identity_verification
    organisation = _organisation_for(name=organisation_name, kvk_number=kvk_number)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    reference=reference_new(application_type),
                    type=application_type,
                    status=Status.RECEIVED,
                    status_changed_at=now,
                    organisation=organisation,
                    organisation_name=organisation_name,
                    **fields,
                )
            break
        except IntegrityError as exc:
            if "reference" not in str(exc):
                raise
    else:  # pragma: no cover - five collisions in a 30-bit space
        raise RuntimeError("could not draw a unique reference")
    if applicant is not None:
        Applicant.objects.create(application=application, **applicant.as_fields())
    if intake is not None:
        intake_record(
            application=application,
            data=intake,
            fee_cents=fee_cents(product=application_type, channel_group="municipal", day=timezone.localdate(now)),
        )
    record_initial_status(application=application, actor=actor)
    return application
