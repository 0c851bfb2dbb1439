"""Publishing incidents and telling the people whose applications are under way.

Every change writes the status snapshot after commit (``snapshot.snapshot_refresh``). Opening and
resolving an incident queue the fan-out (``tasks.incident_notify``), which writes one outbox message
per open application and per organisation that prepared one, in batches; dedupe keys per incident,
phase and recipient make a rerun (or a doubled task message) add nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from applications.lifecycle import FINAL
from applications.models import Application, Invitation
from justis.audit import Actor, audit_record
from justis.models import AuditAction
from justis.queue import publish, publish_on_commit
from notifications.models import OutboxMessage
from notifications.services import outbox_enqueue

from .models import Incident, IncidentChannel, IncidentUpdate
from .snapshot import snapshot_refresh

OPENED = "opened"
RESOLVED = "resolved"
PHASES = (OPENED, RESOLVED)
EVENTS = {OPENED: "incident_opened", RESOLVED: "incident_resolved"}


class IncidentClosed(Exception):
    """The incident was resolved already: it cannot be changed any more."""


@dataclass(frozen=True)
class NotifyBatch:
    handled: int
    next_after: int | None  # where the next batch starts; None when this phase is done


def _refresh_after_commit():
    transaction.on_commit(snapshot_refresh, robust=True)


def _audit(actor, action: AuditAction, incident: Incident, data: dict) -> None:
    audit_record(actor=Actor.user(actor), action=action, subject_type="incident", subject_id=incident.pk, data=data)


def _channels_data(channels: dict[str, str]) -> dict[str, str]:
    return {str(channel): str(state) for channel, state in channels.items()}


def _queue_notify(incident_id: int, phase: str) -> None:
    from .tasks import incident_notify

    publish_on_commit(incident_notify, incident_id, phase, 0)


@transaction.atomic
def incident_open(
    *, actor, title_nl, title_en, text_nl, text_en, channels: dict[str, str], started_at=None, expected_end_at=None
) -> Incident:
    """Publish an incident; the status page shows it and everyone with an open application hears of it."""
    incident = Incident.objects.create(
        title_nl=title_nl,
        title_en=title_en,
        text_nl=text_nl,
        text_en=text_en,
        started_at=started_at or timezone.now(),
        expected_end_at=expected_end_at,
        created_by=actor,
    )
    IncidentChannel.objects.bulk_create(
        IncidentChannel(incident=incident, channel=channel, state=state) for channel, state in channels.items()
    )
    _audit(actor, AuditAction.INCIDENT_PUBLISHED, incident, {"title": title_nl, "channels": _channels_data(channels)})
    _refresh_after_commit()
    _queue_notify(incident.pk, OPENED)
    return incident


def _lock_open(incident_id: int) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if incident.resolved_at is not None:
        raise IncidentClosed(incident_id)
    return incident


@transaction.atomic
def incident_update(
    incident_id: int, *, actor, text_nl, text_en, channels: dict[str, str] | None = None, expected_end_at=None
) -> IncidentUpdate:
    """Add a progress message; optionally change the affected channels and the expected end."""
    incident = _lock_open(incident_id)
    update = IncidentUpdate.objects.create(incident=incident, text_nl=text_nl, text_en=text_en, author=actor)
    if channels is not None:
        incident.channels.all().delete()
        IncidentChannel.objects.bulk_create(
            IncidentChannel(incident=incident, channel=channel, state=state) for channel, state in channels.items()
        )
    if expected_end_at is not None:
        incident.expected_end_at = expected_end_at
        incident.save(update_fields=["expected_end_at"])
    _audit(
        actor,
        AuditAction.INCIDENT_UPDATED,
        incident,
        {"update": update.pk, "channels": _channels_data(channels) if channels is not None else None},
    )
    _refresh_after_commit()
    return update


@transaction.atomic
def incident_resolve(incident_id: int, *, actor, text_nl, text_en) -> Incident:
    """Close the incident with a last message; everyone told of it hears that it is over."""
    incident = _lock_open(incident_id)
    IncidentUpdate.objects.create(incident=incident, text_nl=text_nl, text_en=text_en, author=actor)
    incident.resolved_at = timezone.now()
    incident.save(update_fields=["resolved_at"])
    _audit(actor, AuditAction.INCIDENT_RESOLVED, incident, {"title": incident.title_nl})
    _refresh_after_commit()
    _queue_notify(incident.pk, RESOLVED)
    return incident


def _payload(incident: Incident) -> dict:
    return {
        "incident": incident.pk,
        "title_nl": incident.title_nl,
        "title_en": incident.title_en,
        "text_nl": incident.text_nl,
        "text_en": incident.text_en,
        "status_url": f"{settings.PUBLIC_BASE_URL}/status/",
    }


def dedupe_key(incident_id: int, phase: str, recipient: str) -> str:
    return f"incident:{incident_id}:{phase}:{recipient}"


def _organisation_contacts(application_ids) -> dict[int, str]:
    """The e-mail address of the organisation user who prepared the newest of these requests, per organisation."""
    contacts: dict[int, str] = {}
    rows = (
        Invitation.objects.filter(application_id__in=application_ids, application__organisation__isnull=False)
        .exclude(prepared_by__email="")
        .order_by("-sent_at")
        .values_list("application__organisation_id", "prepared_by__email")
    )
    for organisation_id, email in rows:
        contacts.setdefault(organisation_id, email)
    return contacts


def _notify_opened(incident: Incident, payload: dict, after: int, size: int) -> NotifyBatch:
    if incident.resolved_at is not None:
        return NotifyBatch(0, None)
    applications = list(Application.objects.exclude(status__in=FINAL).filter(pk__gt=after).order_by("pk")[:size])
    for application in applications:
        outbox_enqueue(
            event=EVENTS[OPENED],
            application=application,
            dedupe_key=dedupe_key(incident.pk, OPENED, f"application:{application.pk}"),
            payload=payload,
        )
    for organisation_id, email in _organisation_contacts([a.pk for a in applications]).items():
        outbox_enqueue(
            event=EVENTS[OPENED],
            dedupe_key=dedupe_key(incident.pk, OPENED, f"organisation:{organisation_id}"),
            payload={**payload, "email": email, "organisation": organisation_id},
        )
    last = applications[-1].pk if len(applications) == size else None
    return NotifyBatch(len(applications), last)


def _notify_resolved(incident: Incident, payload: dict, after: int, size: int) -> NotifyBatch:
    if incident.resolved_at is None:
        return NotifyBatch(0, None)
    told = list(
        OutboxMessage.objects.filter(dedupe_key__startswith=dedupe_key(incident.pk, OPENED, ""), pk__gt=after).order_by(
            "pk"
        )[:size]
    )
    for message in told:
        recipient = message.dedupe_key.removeprefix(dedupe_key(incident.pk, OPENED, ""))
        payload_extra = {k: message.payload[k] for k in ("email", "organisation") if k in message.payload}
        outbox_enqueue(
            event=EVENTS[RESOLVED],
            application=message.application,
            dedupe_key=dedupe_key(incident.pk, RESOLVED, recipient),
            payload={**payload, **payload_extra},
        )
    last = told[-1].pk if len(told) == size else None
    return NotifyBatch(len(told), last)


DONE_FIELDS = {OPENED: "opened_notices_done_at", RESOLVED: "resolved_notices_done_at"}


def incident_notify_batch(incident_id: int, phase: str, *, after: int = 0, size: int | None = None) -> NotifyBatch:
    """Write the outbox messages of one batch of recipients of ``phase``, starting after id ``after``.

    Opened: the applications not in a final status (one message each) and the organisations that
    prepared them (one each, to the address of the person who prepared it; none without an address).
    Resolved: everyone who got the opened message. A batch runs under the incident's row lock, so
    an opened batch never runs after the resolve committed. Each batch records that it ran, and the
    last one that the phase is done, for the resume job.
    """
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}")
    size = size or settings.STATUS_NOTIFY_BATCH_SIZE
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        notify = _notify_opened if phase == OPENED else _notify_resolved
        batch = notify(incident, _payload(incident), after, size)
        now = timezone.now()
        changes = {"notices_touched_at": now}
        if batch.next_after is None:
            changes[DONE_FIELDS[phase]] = now
        Incident.objects.filter(pk=incident.pk).update(**changes)
        return batch


def incident_notices_resume(*, stale_after_seconds: int | None = None) -> list[tuple[int, str]]:
    """Restart the fan-out of every phase that is not done and whose chain of tasks went quiet.

    A task message lost with Redis, or a worker killed between two batches, would otherwise leave
    people untold. Starting a phase again from the first recipient is safe: the dedupe keys make
    every message that was written already a no-op. Returns the (incident, phase) pairs queued.
    """
    from .tasks import incident_notify

    stale = timezone.now() - timedelta(seconds=stale_after_seconds or settings.STATUS_NOTIFY_RESUME_AFTER)
    quiet = models.Q(notices_touched_at__isnull=True) | models.Q(notices_touched_at__lt=stale)
    pending = [
        (Incident.objects.filter(quiet, opened_notices_done_at__isnull=True, created_at__lt=stale), OPENED),
        (
            Incident.objects.filter(quiet, resolved_at__lt=stale, resolved_notices_done_at__isnull=True),
            RESOLVED,
        ),
    ]
    queued = []
    for incidents, phase in pending:
        for incident_id in incidents.values_list("pk", flat=True):
            if publish(incident_notify, incident_id, phase, 0):
                Incident.objects.filter(pk=incident_id).update(notices_touched_at=timezone.now())
                queued.append((incident_id, phase))
    return queued


def incident_notify_all(incident_id: int, phase: str) -> int:
    """All batches of a phase in this process (for commands and tests). Returns the recipients handled."""
    handled, after = 0, 0
    while True:
        batch = incident_notify_batch(incident_id, phase, after=after)
        handled += batch.handled
        if batch.next_after is None:
            return handled
        after = batch.next_after
