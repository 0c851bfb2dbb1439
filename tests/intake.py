"""Builders of counter applications through the real services (the intake record with its municipal number)."""

from applications.intake import IntakeData
from applications.models import Channel, CounterPaymentMethod, IdentityDocumentKind, PersonalDataSource
from applications.services import ApplicantData, application_receive
from tests.factories import TEST_ACTOR


def applicant_from(person, **overrides) -> ApplicantData:
    """The applicant data a clerk would type from this register person."""
    values = {
        "bsn": person.bsn,
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "birth_date": person.birth_date,
        "birth_place": person.birth_place,
        "birth_country": person.birth_country,
        **overrides,
    }
    return ApplicantData(**values)


def counter_application(desk, applicant: ApplicantData, *, source=PersonalDataSource.MANUAL, key="", **intake):
    application, _created = application_receive(
        application_type="VOG_NP",
        channel=Channel.MUNICIPAL_COUNTER,
        applicant=applicant,
        organisation_name="Kinderopvang De Zonnebloem",
        kvk_number="12345678",
        purpose_code="WRE",
        position="Pedagogisch medewerker",
        purpose_description="",
        screening_profile="",
        functieaspecten=["84", "86"],
        actor=TEST_ACTOR,
        idempotency_key=key,
        request_fingerprint=key and f"fingerprint-{key}",
        intake=IntakeData(
            desk=desk,
            personal_data_source=source,
            id_document_kind=intake.pop("id_document_kind", IdentityDocumentKind.PASSPORT),
            id_document_number_end=intake.pop("id_document_number_end", "1a2b"),
            payment_method=intake.pop("payment_method", CounterPaymentMethod.PIN),
            **intake,
        ),
    )
    return application
