"""The applicant's data from the population register (BRP), through its adapter (the read is audited)."""

from justis.audit import Actor


def person_or_none(user):
    from applications.brp import brp_person_for

    return brp_person_for(user.bsn, actor=Actor.user(user), reason="applicant checks their data for a VOG request")
