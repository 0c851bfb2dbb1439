"""Statutory decision periods (beslistermijnen), computed from the application date and stored on the row.

Defaults from domain.md §4.1: VOG NP 4 weeks, extended by 4 when an assessment is needed; VOG RP 8
weeks (+4); GVA 8 weeks for a company (+8). Reference data with history comes with the operations work.
"""

from datetime import date, timedelta

DECISION_PERIODS = {
    # type: (base period, extension when the case needs an assessment)
    "VOG_NP": (timedelta(weeks=4), timedelta(weeks=4)),
    "VOG_RP": (timedelta(weeks=8), timedelta(weeks=4)),
    "GVA": (timedelta(weeks=8), timedelta(weeks=8)),
}


def decision_due_date(*, application_type: str, application_date: date, extended: bool = False) -> date:
    base, extension = DECISION_PERIODS[application_type]
    return application_date + base + (extension if extended else timedelta(0))
