"""Objections (bezwaar) against a refusal: registration, the hearing and the decision on the objection.

An objection may be made up to and including the last day of the objection period: the date of the
refusal plus ``OBJECTION_PERIOD_WEEKS`` (Awb 6:7). One received later is registered only with the
reason why the lateness is excusable (verschoonbare termijnoverschrijding, Awb 6:11); the screener who
decides judges that reason and declares the objection inadmissible (niet-ontvankelijk) when it does not
excuse the delay. Justis decides within ``OBJECTION_DECISION_WEEKS`` after the objection period ended,
or ``OBJECTION_DECISION_WEEKS_COMMITTEE`` when an advisory committee hears it (Awb 7:10).

The decision is taken by a screener other than the one who refused the application (four eyes). An
upheld objection issues the certificate (refused → issued, the certificate, in one transaction); an
unfounded or inadmissible one leaves the application refused. Every outcome produces a decision letter
(PDF) with, when the refusal stands, the right of appeal (beroep) to the district court.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applications.lifecycle import Status, application_transition
from applications.models import Application, StatusChange
from justis.audit import Actor, audit_record
from justis.models import AuditAction
from notifications.models import Letter, LetterKind
from notifications.services import outbox_enqueue

from .models import (
    OBJECTION_GROUNDS_MAX_LENGTH,
    OBJECTION_TEXT_MAX_LENGTH,
    Objection,
    ObjectionChannel,
    ObjectionOutcome,
)

APPEAL_PERIOD_WEEKS = 6  # beroep at the district court: six weeks after the decision on the objection (Awb 6:7)


class ObjectionError(Exception):
    """The objection cannot be registered or decided; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class ObjectionFourEyes(ObjectionError):
    """The screener who refused the application may not decide on the objection against it."""


@dataclass(frozen=True)
class RefusalFacts:
    decision_date: date
    period_ends_on: date
    refused_by: str  # the user id of who refused (StatusChange.actor_id), "" when not a person


# --- Reads ---------------------------------------------------------------------------------------


def _long(day: date) -> str:
    return formats.date_format(day, "j F Y")


def refusal_change(application: Application) -> StatusChange | None:
    """The status change that refused the application (the latest one), or None."""
    return StatusChange.objects.filter(application=application, to_status=Status.REFUSED).order_by("-at", "-id").first()


def took_part_in_refusal(application: Application, user) -> bool:
    """Whether ``user`` refused the application: approved the refusal, or proposed it (four eyes)."""
    from .models import RefusalProposal, RefusalProposalState

    change = refusal_change(application)
    if change is not None and change.actor_kind == "user" and change.actor_id == str(user.pk):
        return True
    return RefusalProposal.objects.filter(
        application=application, state=RefusalProposalState.APPROVED, proposed_by=user
    ).exists()


def refusal_facts(application: Application) -> RefusalFacts | None:
    """The date of the refusal, the last day for an objection and who refused; None unless refused."""
    if application.status != Status.REFUSED or application.decided_at is None:
        return None
    decision_date = timezone.localdate(application.decided_at)
    change = refusal_change(application)
    return RefusalFacts(
        decision_date=decision_date,
        period_ends_on=decision_date + timedelta(weeks=settings.OBJECTION_PERIOD_WEEKS),
        refused_by=change.actor_id if change is not None and change.actor_kind == "user" else "",
    )


def objection_period_end(application: Application) -> date | None:
    facts = refusal_facts(application)
    return facts.period_ends_on if facts else None


def objection_decision_due(*, period_ends_on: date, advisory_committee: bool) -> date:
    weeks = settings.OBJECTION_DECISION_WEEKS_COMMITTEE if advisory_committee else settings.OBJECTION_DECISION_WEEKS
    return period_ends_on + timedelta(weeks=weeks)


def open_objections() -> QuerySet[Objection]:
    """Open objections, the fewest days before the decision on them is due first."""
    return (
        Objection.objects.filter(outcome="")
        .select_related("application", "application__applicant", "registered_by")
        .order_by("decision_due_on", "registered_at", "id")
    )


def objections_for_application(application: Application) -> QuerySet[Objection]:
    return Objection.objects.filter(application=application).order_by("registered_at", "id")


def appeal_deadline(objection: Objection) -> date | None:
    if objection.decided_at is None:
        return None
    return timezone.localdate(objection.decided_at) + timedelta(weeks=APPEAL_PERIOD_WEEKS)


# --- Writes --------------------------------------------------------------------------------------


def _clean_text(value: str, *, field: str, required_message: str, limit: int, too_long_message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ObjectionError(field, required_message)
    if len(value) > limit:
        raise ObjectionError(field, too_long_message)
    return value


def _grounds(grounds: str) -> str:
    return _clean_text(
        grounds,
        field="grounds",
        required_message=_("Give the grounds of the objection: why the decision is wrong."),
        limit=OBJECTION_GROUNDS_MAX_LENGTH,
        too_long_message=_("The grounds are too long: at most 10,000 characters."),
    )


def objection_register(
    *,
    application: Application,
    registered_by,
    channel: str,
    received_on: date,
    grounds: str,
    late_excuse: str = "",
    advisory_committee: bool = False,
    submission_key: uuid.UUID | None = None,
) -> tuple[Objection, bool]:
    """Register an objection against the refusal of ``application``; returns ``(objection, created)``.

    Raises ObjectionError naming the field: ``reference`` (not refused, an objection already open),
    ``received_on`` (in the future or before the refusal), ``grounds`` (missing, too long) or
    ``late_excuse`` (received after the last day without a reason why that is excusable). The
    objection, its audit entry and the acknowledgement to the applicant (outbox) are written in one
    transaction. The same ``submission_key`` again returns the objection saved the first time.
    """
    grounds = _grounds(grounds)
    late_excuse = (late_excuse or "").strip()
    if len(late_excuse) > OBJECTION_TEXT_MAX_LENGTH:
        raise ObjectionError("late_excuse", _("The reason for the lateness is too long: at most 5,000 characters."))
    if channel not in ObjectionChannel.values:
        raise ObjectionError("channel", _("Choose how the objection came in."))
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if submission_key is not None:
            earlier = Objection.objects.filter(application=current, submission_key=submission_key).first()
            if earlier is not None:
                return earlier, False
        facts = refusal_facts(current)
        if facts is None:
            raise ObjectionError(
                "reference",
                _("Application %(reference)s has not been refused: an objection is only possible against a refusal.")
                % {"reference": current.reference},
            )
        if Objection.objects.filter(application=current, outcome="").exists():
            raise ObjectionError(
                "reference",
                _("An objection against application %(reference)s is already being handled.")
                % {"reference": current.reference},
            )
        today = timezone.localdate()
        if received_on > today:
            raise ObjectionError("received_on", _("The date of receipt cannot be in the future."))
        if received_on < facts.decision_date:
            raise ObjectionError(
                "received_on",
                _("The date of receipt cannot be before the date of the refusal (%(date)s).")
                % {"date": _long(facts.decision_date)},
            )
        if received_on > facts.period_ends_on and not late_excuse:
            raise ObjectionError(
                "late_excuse",
                _(
                    "The objection period ended on %(date)s. A later objection can only be considered if the "
                    "delay is excusable: give the reason."
                )
                % {"date": _long(facts.period_ends_on)},
            )
        objection = Objection.objects.create(
            application=current,
            channel=channel,
            received_on=received_on,
            grounds=grounds,
            late_excuse=late_excuse if received_on > facts.period_ends_on else "",
            decision_date=facts.decision_date,
            period_ends_on=facts.period_ends_on,
            advisory_committee=advisory_committee,
            decision_due_on=objection_decision_due(
                period_ends_on=facts.period_ends_on, advisory_committee=advisory_committee
            ),
            registered_by=registered_by,
            submission_key=submission_key,
        )
        audit_record(
            actor=Actor.user(registered_by),
            action=AuditAction.OBJECTION_REGISTERED,
            subject_type="application",
            subject_id=current.reference,
            data={
                "objection": objection.pk,
                "channel": channel,
                "received_on": received_on.isoformat(),
                "late": objection.late,
                "characters": len(grounds),
            },
        )
        outbox_enqueue(
            event="objection_received",
            application=current,
            dedupe_key=f"objection-received:{objection.pk}",
            payload={"objection": objection.pk, "decision_due_on": objection.decision_due_on.isoformat()},
        )
    return objection, True


def objection_submit(
    *, application: Application, citizen, grounds: str, late_excuse: str = "", submission_key=None
) -> tuple[Objection, bool]:
    """The applicant's own objection, made in MijnJustis (received today, digitally)."""
    if application.citizen_id is None or application.citizen_id != citizen.pk:
        raise ObjectionError("reference", _("Only the applicant can object to this decision."))
    return objection_register(
        application=application,
        registered_by=citizen,
        channel=ObjectionChannel.DIGITAL,
        received_on=timezone.localdate(),
        grounds=grounds,
        late_excuse=late_excuse,
        submission_key=submission_key,
    )


def _locked_open(objection: Objection) -> Objection:
    current = Objection.objects.select_for_update().select_related("application").get(pk=objection.pk)
    if not current.is_open:
        raise ObjectionError("outcome", _("A decision on this objection has already been taken."))
    return current


def objection_hearing_record(
    *, objection: Objection, screener, hearing_on: date | None, notes: str, advisory_committee: bool
) -> Objection:
    """Record the hearing (date, notes) and whether the advisory committee hears the objection.

    Changing the committee moves the decision date (Awb 7:10).
    """
    notes = (notes or "").strip()
    if len(notes) > OBJECTION_TEXT_MAX_LENGTH:
        raise ObjectionError("hearing_notes", _("The notes are too long: at most 5,000 characters."))
    with transaction.atomic():
        current = _locked_open(objection)
        current.hearing_on = hearing_on
        current.hearing_notes = notes
        current.advisory_committee = advisory_committee
        current.decision_due_on = objection_decision_due(
            period_ends_on=current.period_ends_on, advisory_committee=advisory_committee
        )
        current.save(update_fields=["hearing_on", "hearing_notes", "advisory_committee", "decision_due_on"])
    return current


def objection_decide(*, objection: Objection, screener, outcome: str, motivation: str) -> Objection:
    """Decide on an open objection: upheld, unfounded or inadmissible, with the motivation.

    Four eyes: the screener who refused the application may not decide (ObjectionFourEyes). In one
    transaction: the outcome, for an upheld objection refused → issued with the certificate, the
    decision letter (PDF), the audit entry and, when the refusal stands, the outbox message. A second
    submit finds the objection decided and raises ObjectionError (field ``outcome``).
    """
    from .pdf import objection_decision_pdf
    from .services import certificate_create

    if outcome not in ObjectionOutcome.values:
        raise ObjectionError("outcome", _("Choose the outcome of the objection."))
    motivation = _clean_text(
        motivation,
        field="motivation",
        required_message=_("Give the motivation of the decision on the objection: it is printed in the letter."),
        limit=OBJECTION_TEXT_MAX_LENGTH,
        too_long_message=_("The motivation is too long: at most 5,000 characters."),
    )
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=objection.application_id)
        current = _locked_open(objection)
        application = current.application
        if application.status != Status.REFUSED:
            raise ObjectionError(
                "outcome", _("The application is no longer refused: no decision on the objection can be taken.")
            )
        if took_part_in_refusal(application, screener):
            raise ObjectionFourEyes(
                "outcome",
                _("You took part in refusing this application: another screener decides on the objection against it."),
            )
        now = timezone.now()
        current.outcome = outcome
        current.motivation = motivation
        current.decided_by = screener
        current.decided_at = now
        current.save(update_fields=["outcome", "motivation", "decided_by", "decided_at"])
        actor = Actor.user(screener)
        certificate = None
        if outcome == ObjectionOutcome.UPHELD:
            application = application_transition(
                application=application,
                to_status=Status.ISSUED,
                actor=actor,
                reason=f"objection {current.pk} upheld",
            )
            certificate = certificate_create(application=application)
        else:
            outbox_enqueue(
                event="objection_decided",
                application=application,
                dedupe_key=f"objection-decided:{current.pk}",
                payload={"objection": current.pk, "outcome": outcome},
            )
        letter = Letter(application=application, kind=LetterKind.OBJECTION_DECISION, created_at=now)
        content = objection_decision_pdf(objection=current, application=application, sent_on=timezone.localdate(now))
        letter.pdf.save(f"{application.reference}-beslissing-bezwaar.pdf", ContentFile(content), save=False)
        try:
            letter.save()
            audit_record(
                actor=actor,
                action=AuditAction.OBJECTION_DECIDED,
                subject_type="application",
                subject_id=application.reference,
                reason=f"outcome: {outcome}",
                data={
                    "objection": current.pk,
                    "outcome": outcome,
                    "letter": letter.pk,
                    "certificate": certificate.pk if certificate else None,
                },
            )
        except BaseException:
            # The transaction is rolled back: do not leave the PDF behind without its row.
            letter.pdf.storage.delete(letter.pdf.name)
            raise
    return current
