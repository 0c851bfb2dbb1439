"""The applicant's data from the population register (BRP), through its adapter."""


def person_or_none(bsn: str):
    from applications.brp import brp_person_for

    return brp_person_for(bsn)
