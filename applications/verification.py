"""Checking personal data typed by hand against the population register (BRP).

When the register could not be read at the counter, the clerk types the applicant's data and the
application is marked ``identity_verification=pending``. The assessment checks it first, once the
register answers again: the same person (names and date of birth) marks it verified; anything else
marks a mismatch, and the application is put on hold for a person to look at.
"""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.utils import timezone

from justis.audit import Actor, audit_record
from justis.models import AuditAction

from .brp import brp_person_for
from .models import Application, IdentityVerification

CHECK_ACTOR = Actor.system("identity-check")


def _normalised(text: str) -> str:
    """Compare names as a clerk would: without accents, case or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def identity_differences(applicant, person) -> list[str]:
    """The fields where the typed data differs from the register; empty when they agree."""
    if person is None:
        return ["bsn"]
    differences = []
    for field in ("given_names", "surname_prefix", "surname"):
        if _normalised(getattr(applicant, field)) != _normalised(getattr(person, field)):
            differences.append(field)
    if person.birth_date is not None and applicant.birth_date != person.birth_date:
        differences.append("birth_date")
    return differences


def identity_check(*, application: Application) -> str:
    """Check a pending application's personal data; returns the new ``IdentityVerification`` value.

    Raises ``OutsideSystemUnavailable`` when the register cannot answer (nothing changes then).
    Safe to run twice: an application that is no longer pending is returned as it is.
    """
    if application.identity_verification != IdentityVerification.PENDING:
        return application.identity_verification
    applicant = application.applicant
    person = brp_person_for(
        applicant.bsn, actor=CHECK_ACTOR, reason=f"check of personal data entered by hand ({application.reference})"
    )
    differences = identity_differences(applicant, person)
    outcome = IdentityVerification.MISMATCH if differences else IdentityVerification.VERIFIED
    with transaction.atomic():
        updated = Application.objects.filter(
            pk=application.pk, identity_verification=IdentityVerification.PENDING
        ).update(identity_verification=outcome, identity_checked_at=timezone.now())
        if updated:
            audit_record(
                actor=CHECK_ACTOR,
                action=AuditAction.IDENTITY_CHECKED,
                subject_type="application",
                subject_id=application.reference,
                data={"outcome": outcome, "differences": differences},
            )
    application.identity_verification = outcome
    return outcome
