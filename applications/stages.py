"""What people see of the lifecycle: a few plain stages per audience, derived from the status.

Organisations see where a request is, never the outcome of a decision or the applicant's records.
Municipalities (counter screens and API) see a few more stages, still without the outcome.
Applicants see a tracker: received, records checked, being assessed, decided, sent
(rendered by ``components/stage_tracker.html``).
"""

from django.db import models
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


def citizen_stage(status: str, *, certificate_ready: bool = False) -> str | None:
    """The applicant's tracker position for ``components/stage_tracker.html``.

    One of received, records_checked, assessing, decided, sent, or all_done; None before Justis
    received the application (still to complete or pay) and after a withdrawal or expiry.
    """
    if status == Status.ISSUED:
        return "all_done" if certificate_ready else "decided"
    return {
        Status.RECEIVED: "received",
        Status.IN_ASSESSMENT: "records_checked",
        Status.IN_REVIEW: "assessing",
        Status.ON_HOLD: "assessing",
        Status.INTENT_TO_REFUSE: "assessing",
        Status.REFUSED: "all_done",
    }.get(status)


class CounterStage(models.TextChoices):
    """What the municipality sees of the lifecycle."""

    RECEIVED = "received", _("Received by Justis")
    ASSESSING = "assessing", _("Being assessed by Justis")
    ON_HOLD = "on_hold", _("On hold: information is missing")
    DECIDED = "decided", _("Decided: the applicant receives the decision by post")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    NOT_RECEIVED = "not_received", _("Not yet received by Justis")


STAGE_OF_STATUS = {
    Status.PREPARED: CounterStage.NOT_RECEIVED,
    Status.SUBMITTED: CounterStage.NOT_RECEIVED,
    Status.RECEIVED: CounterStage.RECEIVED,
    Status.IN_ASSESSMENT: CounterStage.ASSESSING,
    Status.IN_REVIEW: CounterStage.ASSESSING,
    Status.INTENT_TO_REFUSE: CounterStage.ASSESSING,
    Status.ON_HOLD: CounterStage.ON_HOLD,
    Status.ISSUED: CounterStage.DECIDED,
    Status.REFUSED: CounterStage.DECIDED,
    Status.WITHDRAWN: CounterStage.WITHDRAWN,
    Status.EXPIRED: CounterStage.EXPIRED,
}


def counter_stage(status: str) -> CounterStage:
    return STAGE_OF_STATUS[status]
