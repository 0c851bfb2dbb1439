"""What people see of the lifecycle: a few plain stages per audience, derived from the status.

Organisations see where a request is, never the outcome of a decision or the applicant's records.
Applicants see a tracker: received, records checked, being assessed, decided, sent
(rendered by ``components/stage_tracker.html``).
"""

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
