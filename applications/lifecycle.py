"""The lifecycle of an application: the one state machine.

Every status change goes through ``application_transition`` (or ``record_initial_status`` when an
application is created). It checks the transition against ``TRANSITIONS``, updates the row with a
guarded ``UPDATE … WHERE status = <expected>`` (so a second, concurrent or repeated run changes
nothing), and in the same transaction appends the status history, writes the audit entry and the
outbox message. Views, the API and tasks call it; none of them sets a status by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PREPARED = "prepared", _("Prepared by the organisation")
    SUBMITTED = "submitted", _("Completed by the applicant, awaiting payment")
    RECEIVED = "received", _("Received")
    IN_ASSESSMENT = "in_assessment", _("Being assessed")
    IN_REVIEW = "in_review", _("Being reviewed by a screener")
    ON_HOLD = "on_hold", _("On hold: information is missing")
    INTENT_TO_REFUSE = "intent_to_refuse", _("Intention to refuse: time for a view")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


CREATED = ""  # the source of the first transition of a new application

DECIDED = frozenset({Status.ISSUED, Status.REFUSED})
FINAL = DECIDED | {Status.WITHDRAWN, Status.EXPIRED}
# Statuses that a task must move on by itself; the sweeper watches them.
AWAITING_TASK = frozenset({Status.RECEIVED, Status.IN_ASSESSMENT})


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    message: str | None = None  # the outbox event telling people about it, if any


TRANSITIONS: tuple[Transition, ...] = (
    # Digital channel: the organisation prepares, the applicant completes and pays.
    Transition(CREATED, Status.PREPARED, "invitation"),
    Transition(Status.PREPARED, Status.SUBMITTED, "application_submitted"),
    Transition(Status.PREPARED, Status.EXPIRED, "invitation_expired"),
    Transition(Status.PREPARED, Status.WITHDRAWN, "application_withdrawn"),
    Transition(Status.SUBMITTED, Status.RECEIVED, "application_received"),
    Transition(Status.SUBMITTED, Status.WITHDRAWN, "application_withdrawn"),
    # Municipal and paper channels: received at once (identity checked and fee paid at the counter).
    Transition(CREATED, Status.RECEIVED, "application_received"),
    # Assessment.
    Transition(Status.RECEIVED, Status.IN_ASSESSMENT),
    Transition(Status.RECEIVED, Status.ON_HOLD, "information_requested"),
    Transition(Status.RECEIVED, Status.WITHDRAWN, "application_withdrawn"),
    Transition(Status.IN_ASSESSMENT, Status.ISSUED, "decision_issued"),
    # Entering review extends the decision period when still lawful; the extension announces itself
    # (decision_period_extended), so the edge has no message of its own.
    Transition(Status.IN_ASSESSMENT, Status.IN_REVIEW),
    Transition(Status.IN_ASSESSMENT, Status.ON_HOLD, "information_requested"),
    Transition(Status.ON_HOLD, Status.RECEIVED),
    Transition(Status.ON_HOLD, Status.WITHDRAWN, "application_withdrawn"),
    # A screener decides.
    Transition(Status.IN_REVIEW, Status.ISSUED, "decision_issued"),
    Transition(Status.IN_REVIEW, Status.INTENT_TO_REFUSE, "intent_to_refuse"),
    Transition(Status.IN_REVIEW, Status.WITHDRAWN, "application_withdrawn"),
    Transition(Status.INTENT_TO_REFUSE, Status.ISSUED, "decision_issued"),
    Transition(Status.INTENT_TO_REFUSE, Status.REFUSED, "decision_refused"),
    Transition(Status.INTENT_TO_REFUSE, Status.WITHDRAWN, "application_withdrawn"),
    # An upheld objection (bezwaar gegrond) against a refusal issues the certificate after all.
    Transition(Status.REFUSED, Status.ISSUED, "objection_upheld"),
)

_BY_EDGE = {(t.source, t.target): t for t in TRANSITIONS}


class InvalidTransition(Exception):
    def __init__(self, reference: str, source: str, target: str):
        self.reference, self.source, self.target = reference, source, target
        super().__init__(f"{reference}: no transition from {source or '(new)'} to {target}")


def transition_for(source: str, target: str) -> Transition | None:
    return _BY_EDGE.get((source, target))


def sources_of(target: str) -> frozenset[str]:
    return frozenset(t.source for t in TRANSITIONS if t.target == target)


def _entry_updates(application, source: str, target: str, now) -> tuple[dict, list]:
    """What entering ``target`` changes on the row besides the status, and the deadline events to record.

    The decision date is data (``applications.deadlines``): receipt starts the clock, review extends it
    once while still lawful, on hold suspends it and the way back adds the days held, and leaving the
    urgent fast path converts to the regular period.
    """
    from django.conf import settings

    from .deadlines import clock_on_entry

    updates: dict = {}
    if target == Status.RECEIVED:
        today = timezone.localdate(now)
        updates.update(
            application_date=application.application_date or today,
            received_at=application.received_at or now,
            # The assessment is queued on commit; if that message is lost, the sweeper queues it then.
            next_attempt_at=now + settings.ASSESSMENT_STALE_AFTER,
        )
    clock, events = clock_on_entry(application, source=source, target=target, now=now)
    updates.update(clock)
    if target in DECIDED:
        updates["decided_at"] = now
    if target not in AWAITING_TASK:
        updates["next_attempt_at"] = None
    return updates, events


def deadline_events_record(application, events, *, now) -> None:
    """Write the deadline events of a change and announce those that have a message, in this transaction.

    The applicant's notice carries the new decision date; its dedupe key is the event, so it goes once.
    """
    from notifications.services import outbox_enqueue

    for event in events:
        row = _deadline_event_row(application, event, now)
        row.save(force_insert=True)
        if event.message:
            outbox_enqueue(
                event=event.message,
                application=application,
                dedupe_key=f"deadline-event:{row.pk}",
                payload=_deadline_payload(event),
            )


def _status_change(application, transition: Transition, actor, reason: str, now):
    """The history row of a change, not yet saved."""
    from .models import StatusChange

    return StatusChange(
        application=application,
        from_status=transition.source,
        to_status=transition.target,
        at=now,
        actor_kind=actor.kind,
        actor_id=actor.identifier,
        actor_label=actor.label,
        reason=reason,
    )


def _change_audit(application, transition: Transition, actor, reason: str):
    """The audit entry of a change, not yet saved."""
    from justis.audit import audit_event
    from justis.models import AuditAction

    return audit_event(
        actor=actor,
        action=AuditAction.APPLICATION_RECEIVED
        if transition.source == CREATED and transition.target == Status.RECEIVED
        else AuditAction.STATUS_CHANGED,
        subject_type="application",
        subject_id=application.reference,
        reason=reason,
        data={"from": transition.source, "to": transition.target},
    )


def _deadline_event_row(application, event, now):
    from .models import DeadlineEvent

    return DeadlineEvent(
        application=application,
        kind=event.kind,
        at=now,
        previous_due_date=event.previous_due_date,
        new_due_date=event.new_due_date,
        days=event.days,
        reason=event.reason,
        announced_at=now if event.message else None,
    )


def _deadline_payload(event) -> dict:
    return {
        "new_due_date": event.new_due_date.isoformat(),
        "new_due_date_display": event.new_due_date.strftime("%d-%m-%Y"),
    }


def _record(application, transition: Transition, actor, reason: str, now) -> None:
    from notifications.services import outbox_enqueue

    change = _status_change(application, transition, actor, reason, now)
    change.save(force_insert=True)
    _change_audit(application, transition, actor, reason).save(force_insert=True)
    if transition.message:
        outbox_enqueue(event=transition.message, application=application, dedupe_key=f"status-change:{change.pk}")
    if transition.target == Status.RECEIVED:
        from justis.queue import publish_on_commit
        from screening.batch import assessment_queue
        from screening.tasks import assess_application

        publish_on_commit(assess_application, application.pk, queue=assessment_queue(application))


def record_initial_status(*, application, actor, reason: str = "") -> None:
    """Record the first status of an application created in this transaction."""
    transition = transition_for(CREATED, application.status)
    if transition is None:
        raise InvalidTransition(application.reference, CREATED, application.status)
    now = application.status_changed_at
    with transaction.atomic():
        updates, events = _entry_updates(application, CREATED, application.status, now)
        for field, value in updates.items():
            setattr(application, field, value)
        if updates:
            application.save(update_fields=[*updates, "updated_at"])
        _record(application, transition, actor, reason, now)
        deadline_events_record(application, events, now=now)


def application_transition(*, application, to_status: str, actor, reason: str = "", updates: dict | None = None):
    """Move ``application`` to ``to_status``. Returns the refreshed application; raises InvalidTransition.

    Safe to call twice: the second call finds the row no longer in a source state and raises
    InvalidTransition without changing anything.
    """
    from .models import Application

    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        transition = transition_for(current.status, to_status)
        if transition is None:
            raise InvalidTransition(current.reference, current.status, to_status)
        now = timezone.now()
        entry, events = _entry_updates(current, current.status, to_status, now)
        changes = {**entry, **(updates or {})}
        changed = Application.objects.filter(pk=current.pk, status=current.status).update(
            status=to_status, status_changed_at=now, updated_at=now, **changes
        )
        if changed != 1:  # pragma: no cover - the row lock above makes this unreachable
            raise InvalidTransition(current.reference, current.status, to_status)
        current.refresh_from_db()
        _record(current, transition, actor, reason, now)
        deadline_events_record(current, events, now=now)
    return current


def applications_transition_many(changes, *, actor, now=None) -> None:
    """``application_transition`` for a batch: ``changes`` are ``(application, to_status, reason)``.

    The caller holds the rows' locks (``select_for_update`` in this transaction) and passes them as
    read. The same checks and the same rows as one by one (status history, audit entries, deadline
    events, outbox messages), written with a few inserts; the status update is still guarded by the
    expected status, per group of rows that change alike. The objects are updated in place.
    Raises InvalidTransition (and writes nothing) when one change is not allowed.
    """
    from justis.models import AuditEvent
    from notifications.services import outbox_enqueue_many

    from .models import Application, DeadlineEvent, StatusChange

    now = now or timezone.now()
    planned = []
    groups: dict[tuple, list[int]] = {}
    for application, to_status, reason in changes:
        transition = transition_for(application.status, to_status)
        if transition is None:
            raise InvalidTransition(application.reference, application.status, to_status)
        entry, events = _entry_updates(application, application.status, to_status, now)
        planned.append((application, transition, reason, entry, events))
        key = (transition.source, to_status, tuple(sorted(entry.items())))
        groups.setdefault(key, []).append(application.pk)
    with transaction.atomic():
        for (source, to_status, entry), ids in groups.items():
            changed = Application.objects.filter(pk__in=ids, status=source).update(
                status=to_status, status_changed_at=now, updated_at=now, **dict(entry)
            )
            if changed != len(ids):
                raise InvalidTransition(f"{len(ids) - changed} of {len(ids)} applications", source, to_status)
        history = StatusChange.objects.bulk_create(
            _status_change(application, transition, actor, reason, now)
            for application, transition, reason, _entry, _events in planned
        )
        AuditEvent.objects.bulk_create(
            _change_audit(application, transition, actor, reason)
            for application, transition, reason, _entry, _events in planned
        )
        messages = [
            (transition.message, application, f"status-change:{change.pk}", None)
            for (application, transition, _reason, _entry, _events), change in zip(planned, history, strict=True)
            if transition.message
        ]
        announced = [(application, event) for application, _t, _r, _entry, events in planned for event in events]
        rows = DeadlineEvent.objects.bulk_create(_deadline_event_row(a, event, now) for a, event in announced)
        messages += [
            (event.message, application, f"deadline-event:{row.pk}", _deadline_payload(event))
            for (application, event), row in zip(announced, rows, strict=True)
            if event.message
        ]
        outbox_enqueue_many(messages)
        for application, transition, _reason, entry, _events in planned:
            for field, value in entry.items():
                setattr(application, field, value)
            application.status, application.status_changed_at, application.updated_at = transition.target, now, now
        received = [application.pk for application, transition, *_ in planned if transition.target == Status.RECEIVED]
        if received:
            from justis.queue import publish_many_on_commit
            from screening.tasks import assess_application

            publish_many_on_commit(assess_application, ([pk] for pk in received))
