"""The audit trail: who did what, when and why. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import AuditAction, AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acts: a person, an API client of a municipality, or the system itself (a task, a command)."""

    kind: str
    identifier: str
    label: str

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(kind="system", identifier=name, label=name)

    @classmethod
    def user(cls, user) -> Actor:
        return cls(kind="user", identifier=str(user.pk), label=user.get_username())


def audit_event(
    *,
    actor: Actor,
    action: AuditAction,
    subject_type: str,
    subject_id: Any,
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """The audit entry, not yet saved: ``audit_record`` saves one, a batch saves many with ``bulk_create``."""
    return AuditEvent(
        actor_kind=actor.kind,
        actor_id=actor.identifier,
        actor_label=actor.label,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        reason=reason,
        data=data or {},
    )


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    subject_type: str,
    subject_id: Any,
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    event = audit_event(
        actor=actor, action=action, subject_type=subject_type, subject_id=subject_id, reason=reason, data=data
    )
    event.save(force_insert=True)
    return event
