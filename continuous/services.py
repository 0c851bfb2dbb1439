"""Continuous screening services: enrolments and their organisations, the daily run against the JDS,
and the screener's decision on a signal. Views, tasks and the demo call these; each is safe to repeat.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from justis.adapters import OutsideSystemUnavailable
from justis.audit import Actor, audit_record
from justis.models import AuditAction
from notifications.services import outbox_enqueue
from screening.jds import JusticeRecord, jds_client
from screening.rules import pre_assessment

from .models import (
    SIGNAL_MOTIVATION_MAX_LENGTH,
    SIGNAL_MOTIVATION_MIN_LENGTH,
    ContinuousEnrolment,
    ContinuousRun,
    EnrolmentLink,
    EnrolmentStatus,
    RunStatus,
    Signal,
    SignalAction,
    SignalStatus,
)
from .sectors import NON_ACTIVE_PENDING_VOG, SECTOR_BASIS

RUN_ACTOR = Actor.system("continuous screening")
NEW_VOG_EVENT = "continuous_new_vog_required"
# A run that has not finished after this long (a worker killed mid-run) may be taken over.
RUN_LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


class AlreadyEnrolled(Exception):
    """The person already has an open enrolment in this sector."""


class AlreadyLinked(Exception):
    """The organisation is already linked to this enrolment."""


class SignalAlreadyDecided(Exception):
    """A screener has already recorded a decision on this signal."""


# --- Enrolments -------------------------------------------------------------------------------------


def _audit_enrolment(enrolment: ContinuousEnrolment, actor: Actor, change: str, **data) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.ENROLMENT_CHANGED,
        subject_type="continuous_enrolment",
        subject_id=enrolment.pk,
        reason=change,
        data={"sector": enrolment.sector, **data},
    )


@transaction.atomic
def enrolment_create(
    *,
    sector: str,
    bsn: str,
    given_names: str,
    surname: str,
    birth_date: date,
    vog_reference: str,
    active_from: date,
    actor: Actor,
    email: str = "",
    certificate=None,
) -> ContinuousEnrolment:
    """Enrol a person for daily screening. Records decided before ``active_from`` were weighed for the VOG."""
    enrolment = ContinuousEnrolment(
        sector=sector,
        bsn=bsn,
        given_names=given_names.strip(),
        surname=surname.strip(),
        birth_date=birth_date,
        email=email.strip(),
        vog_reference=vog_reference.strip(),
        certificate=certificate,
        active_from=active_from,
    )
    enrolment.full_clean(validate_constraints=False)
    if ContinuousEnrolment.objects.filter(sector=sector, bsn=bsn, active_to__isnull=True).exists():
        raise AlreadyEnrolled(bsn)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:  # enrolled at the same moment by someone else
        raise AlreadyEnrolled(bsn) from exc
    _audit_enrolment(enrolment, actor, "enrolled", vog_reference=enrolment.vog_reference)
    return enrolment


def organisation_for_kvk(*, kvk_number: str, name: str = ""):
    """The organisation with this KvK number; a new one with ``name`` when it is not known yet."""
    from applications.models import Organisation

    return Organisation.objects.get_or_create(kvk_number=kvk_number, defaults={"name": name.strip()[:80]})[0]


@transaction.atomic
def enrolment_link(
    *, enrolment: ContinuousEnrolment, organisation, contact_email: str, active_from: date, actor: Actor
) -> EnrolmentLink:
    """Link an organisation (koppeling): it is told when the person needs a new VOG."""
    link = EnrolmentLink(
        enrolment=enrolment, organisation=organisation, contact_email=contact_email.strip(), active_from=active_from
    )
    link.full_clean(validate_constraints=False)
    if enrolment.active_to is not None and active_from > enrolment.active_to:
        raise ValidationError({"active_from": _("The enrolment has ended: an organisation cannot be linked after it.")})
    if EnrolmentLink.objects.filter(enrolment=enrolment, organisation=organisation, active_to__isnull=True).exists():
        raise AlreadyLinked(organisation.pk)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise AlreadyLinked(organisation.pk) from exc
    _audit_enrolment(enrolment, actor, "organisation linked", organisation=organisation.pk)
    return link


@transaction.atomic
def enrolment_unlink(*, link: EnrolmentLink, day: date, actor: Actor) -> EnrolmentLink:
    """End a koppeling on ``day`` (the last day it counts). Unlinking twice changes nothing."""
    link = EnrolmentLink.objects.select_for_update().get(pk=link.pk)
    if link.active_to is not None:
        return link
    if day < link.active_from:
        raise ValidationError({"active_to": _("The link cannot end before it started.")})
    link.active_to = day
    link.save(update_fields=["active_to"])
    _audit_enrolment(link.enrolment, actor, "organisation unlinked", organisation=link.organisation_id)
    return link


@transaction.atomic
def enrolment_end(*, enrolment: ContinuousEnrolment, day: date, actor: Actor) -> ContinuousEnrolment:
    """End the enrolment (and its open links) on ``day``: runs after that day no longer read the person."""
    enrolment = ContinuousEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.active_to is not None:
        return enrolment
    if day < enrolment.active_from:
        raise ValidationError({"active_to": _("The enrolment cannot end before it started.")})
    enrolment.active_to = day
    enrolment.save(update_fields=["active_to"])
    enrolment.links.filter(active_to__isnull=True).update(active_to=day)
    _audit_enrolment(enrolment, actor, "enrolment ended", active_to=day.isoformat())
    return enrolment


# --- The daily run ----------------------------------------------------------------------------------


def record_key(record: JusticeRecord) -> str:
    """What makes a record the same record in every run: article, dates and disposal (not the wording)."""
    identity = [
        record.offence_article.strip().lower(),
        record.offence_date.isoformat(),
        record.decision_date.isoformat(),
        record.disposal_type,
    ]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


def run_retry_delay(attempt: int) -> timedelta:
    return min(settings.CONTINUOUS_RETRY_BASE * (2 ** max(attempt - 1, 0)), settings.CONTINUOUS_RETRY_MAX)


def _active_on(day: date) -> Q:
    return Q(active_from__lte=day) & (Q(active_to__isnull=True) | Q(active_to__gte=day))


def _due_on(day: date) -> Q:
    """Enrolments the run of ``day`` still has to read."""
    return _active_on(day) & (Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=day))


def enrolment_check(*, enrolment: ContinuousEnrolment, records: list[JusticeRecord], day: date, run=None) -> list:
    """Raise a signal for each new record that is relevant for the sector's screening basis.

    A record is new when it was decided on or after the day the enrolment began (older records were
    weighed for the VOG it started from) and has no signal yet. The JDS gives no registration date, so
    comparing with the last check's date would lose records registered late; comparing with the signals
    raised loses none and raises none twice. Relevance is the pre-assessment's (``screening.rules``):
    counted, within its look-back period on ``day`` and relevant for the basis.
    """
    candidates = [record for record in records if record.decision_date >= enrolment.active_from]
    if not candidates:
        return []
    basis = SECTOR_BASIS[enrolment.sector]
    result = pre_assessment(
        records,
        application_date=day,
        birth_date=enrolment.birth_date,
        screening_profile=basis.screening_profile,
        functieaspecten=list(basis.functieaspecten),
    )
    raised = []
    for finding in result.findings:
        record = finding.record
        if record.decision_date < enrolment.active_from or not finding.for_screener:
            continue
        signal, created = Signal.objects.get_or_create(
            enrolment=enrolment,
            record_key=record_key(record),
            defaults={"record": record.as_json(), "finding": finding.as_json(), "run": run},
        )
        if created:
            raised.append(signal)
    return raised


def _run_claim(day: date) -> ContinuousRun | None:
    """Take the run of ``day`` (creating it); None when it is done or another process is running it."""
    now = timezone.now()
    with transaction.atomic():
        ContinuousRun.objects.get_or_create(day=day)
        run = ContinuousRun.objects.select_for_update(skip_locked=True).filter(day=day).first()
        if run is None or run.status == RunStatus.DONE:
            return None
        if run.status == RunStatus.RUNNING and run.attempts and run.started_at > now - RUN_LEASE:
            return None
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.started_at = now
        run.next_attempt_at = now + RUN_LEASE
        run.save(update_fields=["status", "attempts", "started_at", "next_attempt_at"])
        return run


def continuous_run(*, day: date | None = None) -> ContinuousRun | None:
    """The daily run: read the JDS for every active enrolment not yet checked for ``day``.

    Each enrolment is read and its signals raised in one transaction with its ``last_checked_on``, so
    an interrupted run resumes where it stopped. The JDS unavailable: the run waits (``next_attempt_at``
    by back-off) and is tried again; every enrolment keeps its last successful check, so the next try
    (or the next day's run) reads everyone it missed. Returns the run, or None when there was nothing
    to do (done already, or another process runs it right now).
    """
    day = day or timezone.localdate()
    run = _run_claim(day)
    if run is None:
        return None
    client = jds_client()
    ids = list(ContinuousEnrolment.objects.filter(_due_on(day)).order_by("pk").values_list("pk", flat=True))
    for enrolment_id in ids:
        with transaction.atomic():
            enrolment = (
                ContinuousEnrolment.objects.select_for_update(skip_locked=True)
                .filter(_due_on(day), pk=enrolment_id)
                .first()
            )
            if enrolment is None:
                continue
            try:
                records = client.records_for(enrolment.bsn)
            except OutsideSystemUnavailable as exc:
                return _run_wait(run, exc, enrolment)
            raised = enrolment_check(enrolment=enrolment, records=records, day=day, run=run)
            audit_record(
                actor=RUN_ACTOR,
                action=AuditAction.JUSTICE_DATA_READ,
                subject_type="continuous_enrolment",
                subject_id=enrolment.pk,
                reason="continuous screening: daily run",
                data={"day": day.isoformat(), "records": len(records), "signals": [s.pk for s in raised]},
            )
            ContinuousEnrolment.objects.filter(pk=enrolment.pk).update(
                last_checked_on=day, last_checked_at=timezone.now()
            )
            ContinuousRun.objects.filter(pk=run.pk).update(
                enrolments_checked=F("enrolments_checked") + 1, signals_raised=F("signals_raised") + len(raised)
            )
    now = timezone.now()
    with transaction.atomic():
        ContinuousRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, finished_at=now, next_attempt_at=None, last_error=""
        )
        # Earlier runs that never finished: this run read every enrolment they missed.
        ContinuousRun.objects.filter(day__lt=day).exclude(status=RunStatus.DONE).update(
            status=RunStatus.DONE, finished_at=now, next_attempt_at=None, completed_by=day
        )
    run.refresh_from_db()
    return run


def _run_wait(run: ContinuousRun, exc: Exception, enrolment: ContinuousEnrolment) -> ContinuousRun:
    retry_at = timezone.now() + run_retry_delay(run.attempts)
    ContinuousRun.objects.filter(pk=run.pk).update(
        status=RunStatus.WAITING, next_attempt_at=retry_at, last_error=str(exc)[:255]
    )
    audit_record(
        actor=RUN_ACTOR,
        action=AuditAction.JUSTICE_DATA_UNAVAILABLE,
        subject_type="continuous_run",
        subject_id=run.day.isoformat(),
        data={
            "attempt": run.attempts,
            "enrolment": enrolment.pk,
            "error": str(exc)[:255],
            "retry_at": retry_at.isoformat(),
        },
    )
    run.refresh_from_db()
    return run


def continuous_resume(*, now=None) -> list[date]:
    """Runs that wait for the JDS (or whose worker died) and are due again: run them, oldest first."""
    now = now or timezone.now()
    days = list(
        ContinuousRun.objects.exclude(status=RunStatus.DONE)
        .filter(next_attempt_at__lte=now)
        .order_by("day")
        .values_list("day", flat=True)
    )
    for day in days:
        continuous_run(day=day)
    return days


# --- Signals ----------------------------------------------------------------------------------------


def signal_open(*, signal: Signal, user) -> None:
    """A screener opens a signal: a read of justice data, audited."""
    audit_record(
        actor=Actor.user(user),
        action=AuditAction.SIGNAL_OPENED,
        subject_type="signal",
        subject_id=signal.pk,
        data={"enrolment": signal.enrolment_id},
    )


def _person_payload(enrolment: ContinuousEnrolment) -> dict:
    return {
        "person_name": enrolment.full_name,
        "birth_date": enrolment.birth_date.isoformat(),
        "sector": enrolment.sector,
        "vog_reference": enrolment.vog_reference,
        "non_active": enrolment.sector in NON_ACTIVE_PENDING_VOG,
    }


@transaction.atomic
def signal_decide(*, signal: Signal, screener, direct_risk: bool, motivation: str, action: str) -> Signal:
    """Record the screener's assessment: direct risk, motivation and the action.

    "A new VOG is required" puts a childcare person on non-active and tells every organisation linked
    today (and the person, when an e-mail address is known) through the outbox, in this transaction.
    The messages say only that a new VOG is required, never the record.
    """
    signal = Signal.objects.select_for_update().select_related("enrolment").get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise SignalAlreadyDecided(signal.pk)
    motivation = (motivation or "").strip()
    errors = {}
    if not SIGNAL_MOTIVATION_MIN_LENGTH <= len(motivation) <= SIGNAL_MOTIVATION_MAX_LENGTH:
        errors["motivation"] = _("Motivation: write between %(min)s and %(max)s characters.") % {
            "min": SIGNAL_MOTIVATION_MIN_LENGTH,
            "max": SIGNAL_MOTIVATION_MAX_LENGTH,
        }
    if action not in SignalAction.values:
        errors["action"] = _("Action: choose one of the actions.")
    elif direct_risk and action != SignalAction.NEW_VOG_REQUIRED:
        errors["action"] = _("Action: with a direct risk a new VOG is required.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    signal.status = SignalStatus.DECIDED
    signal.direct_risk = bool(direct_risk)
    signal.motivation = motivation
    signal.action = action
    signal.decided_by = screener
    signal.decided_at = now
    signal.save(update_fields=["status", "direct_risk", "motivation", "action", "decided_by", "decided_at"])
    enrolment = signal.enrolment
    told = []
    if action == SignalAction.NEW_VOG_REQUIRED:
        if enrolment.sector in NON_ACTIVE_PENDING_VOG:
            ContinuousEnrolment.objects.filter(pk=enrolment.pk).update(
                status=EnrolmentStatus.NON_ACTIVE, non_active_since=now
            )
        today = timezone.localdate(now)
        links = EnrolmentLink.objects.select_related("organisation").filter(_active_on(today), enrolment=enrolment)
        for link in links.order_by("pk"):
            outbox_enqueue(
                event=NEW_VOG_EVENT,
                application=None,
                dedupe_key=f"{NEW_VOG_EVENT}:{signal.pk}:link:{link.pk}",
                payload={
                    "email": link.contact_email,
                    "recipient": "organisation",
                    "organisation_name": link.organisation.name,
                    **_person_payload(enrolment),
                },
            )
            told.append(f"organisation:{link.organisation_id}")
        if enrolment.email:
            outbox_enqueue(
                event=NEW_VOG_EVENT,
                application=None,
                dedupe_key=f"{NEW_VOG_EVENT}:{signal.pk}:person",
                payload={"email": enrolment.email, "recipient": "person", **_person_payload(enrolment)},
            )
            told.append("person")
    audit_record(
        actor=Actor.user(screener),
        action=AuditAction.SIGNAL_DECIDED,
        subject_type="signal",
        subject_id=signal.pk,
        data={"direct_risk": signal.direct_risk, "action": action, "told": told},
    )
    return signal
