"""Builders of applications in a given lifecycle state, through the real services."""

from dataclasses import fields
from datetime import date, timedelta

from applications.intake import IntakeData
from applications.lifecycle import Status, application_transition
from applications.models import (
    Channel,
    CounterPaymentMethod,
    IdentityDocumentKind,
    PersonalDataSource,
)
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


def counter_application(desk, **overrides):
    """An application taken at ``desk``: received, with its intake record and municipal number.

    ``overrides`` may name fields of the applicant (ApplicantData), of the intake (IntakeData) or
    arguments of ``application_receive`` (urgent_reason, circumstances, …).
    """
    applicant_names = {field.name for field in fields(ApplicantData)}
    intake_names = {field.name for field in fields(IntakeData)}
    applicant = {
        "bsn": "999990019",
        "given_names": "Jan",
        "surname": "Jansen",
        "birth_date": date(1990, 5, 17),
        "birth_place": "Utrecht",
        "birth_country": "Nederland",
        **{key: value for key, value in overrides.items() if key in applicant_names},
    }
    intake = {
        "desk": desk,
        "personal_data_source": PersonalDataSource.BRP,
        "id_document_kind": IdentityDocumentKind.PASSPORT,
        "id_document_number_end": "X7K2",
        "payment_method": CounterPaymentMethod.PIN,
        **{key: value for key, value in overrides.items() if key in intake_names},
    }
    arguments = {
        "application_type": "VOG_NP",
        "channel": Channel.MUNICIPAL_COUNTER,
        "organisation_name": "Kinderopvang De Zonnebloem",
        "kvk_number": "12345678",
        "purpose_code": "WRE",
        "position": "Pedagogisch medewerker",
        "purpose_description": "",
        "screening_profile": "",
        "functieaspecten": ["84", "86"],
        "actor": TEST_ACTOR,
        **{key: value for key, value in overrides.items() if key not in applicant_names | intake_names},
    }
    application, _created = application_receive(
        applicant=ApplicantData(**applicant), intake=IntakeData(**intake), **arguments
    )
    return application


def theft_a_year_ago(bsn: str):
    """A JDS record (simulator) of a theft decided a year ago: relevant to childcare and within the period."""
    from screening.models import SimulatedJusticeRecord
    from screening.rules import years_before

    decided = years_before(date.today(), 1)
    return SimulatedJusticeRecord.objects.create(
        bsn=bsn,
        offence_article="310 Sr",
        offence_description="diefstal",
        offence_category="property",
        offence_date=decided - timedelta(days=30),
        decision_date=decided,
        disposal_type="penal_order",
    )


def with_theft(bsn="999990032"):
    """A VOG NP for childcare with a theft of a year ago: relevant and within the period, so in review."""
    from screening.services import assessment_run

    theft_a_year_ago(bsn)
    application = received_application(bsn=bsn)
    assert assessment_run(application_id=application.pk) == "in_review"
    application.refresh_from_db()
    return application
