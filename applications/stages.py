"""What people see of the lifecycle: a few plain stages per audience, derived from the status.

Organisations see where a request is, never the outcome of a decision or the applicant's records.
Applicants see a tracker: received, records checked, being assessed, decided, sent.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .lifecycle import Status

ORGANISATION_STAGES = {
    Status.PREPARED: _("Prepared: waiting for the applicant"),
    Status.SUBMITTED: _("Completed by the applicant"),
    Status.RECEIVED: _("Being handled by Justis"),
    Status.IN_ASSESSMENT: _("Being handled by Justis"),
    Status.IN_REVIEW: _("Being handled by Justis"),
    Status.ON_HOLD: _("Being handled by Justis"),
    Status.INTENT_TO_REFUSE: _("Being handled by Justis"),
    Status.ISSUED: _("Decision sent to the applicant"),
    Status.REFUSED: _("Decision sent to the applicant"),
    Status.EXPIRED: _("Expired: the applicant did not complete it in time"),
    Status.WITHDRAWN: _("Withdrawn"),
}


def organisation_stage(status: str) -> str:
    return str(ORGANISATION_STAGES[status])


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


CITIZEN_STEPS = (
    _("Received"),
    _("Records checked"),
    _("Being assessed"),
    _("Decided"),
    _("Sent"),
)


def citizen_steps(status: str, *, certificate_ready: bool = False) -> list[Step] | None:
    """The tracker for an application that Justis received; None before that (still to complete)."""
    position = {
        Status.RECEIVED: 0,
        Status.IN_ASSESSMENT: 1,
        Status.IN_REVIEW: 2,
        Status.ON_HOLD: 2,
        Status.INTENT_TO_REFUSE: 2,
        Status.ISSUED: 4 if certificate_ready else 3,
        Status.REFUSED: 4,
    }.get(status)
    if position is None:
        return None
    finished = status in (Status.ISSUED, Status.REFUSED) and position == 4
    return [
        Step(
            label=str(label),
            state="done" if index < position or finished else "current" if index == position else "todo",
        )
        for index, label in enumerate(CITIZEN_STEPS)
    ]
