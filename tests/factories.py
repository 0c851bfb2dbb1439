"""Builders of applications in a given lifecycle state, through the real services."""

from datetime import date

from applications.lifecycle import Status, application_transition
from applications.models import Channel
from applications.services import ApplicantData, application_receive
from justis.audit import Actor

TEST_ACTOR = Actor.system("test")


def received_application(
    *, municipality=None, bsn="999990019", functieaspecten=("84", "86"), screening_profile="", **extra
):
    application, _created = application_receive(
        application_type="VOG_NP",
        channel=Channel.MUNICIPAL_API,
        applicant=ApplicantData(
            bsn=bsn,
            given_names="Jan",
            surname="Jansen",
            birth_date=date(1990, 5, 17),
            birth_place="Utrecht",
            birth_country="Nederland",
            email="jan@example.org",
        ),
        organisation_name="Kinderopvang De Zonnebloem",
        kvk_number="12345678",
        purpose_code="WRE",
        position="Pedagogisch medewerker",
        purpose_description="",
        screening_profile=screening_profile,
        functieaspecten=[] if screening_profile else list(functieaspecten),
        actor=TEST_ACTOR,
        municipality=municipality,
        **extra,
    )
    return application


def application_in(status: str, **kwargs):
    """An application moved through the lifecycle to ``status`` (received → in_assessment → …)."""
    path = {
        Status.RECEIVED: [],
        Status.IN_ASSESSMENT: [Status.IN_ASSESSMENT],
        Status.IN_REVIEW: [Status.IN_ASSESSMENT, Status.IN_REVIEW],
        Status.ISSUED: [Status.IN_ASSESSMENT, Status.ISSUED],
    }[status]
    application = received_application(**kwargs)
    for step in path:
        application = application_transition(application=application, to_status=step, actor=TEST_ACTOR)
    return application
