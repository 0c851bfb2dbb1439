"""The municipal intake record: municipal numbers, fees, remarks, and the later check against the BRP."""

from datetime import date

from django.db import IntegrityError
from django.utils import timezone

import pytest
import time_machine

from applications.brp.simulator import generated_person
from applications.intake import municipal_number
from applications.lifecycle import Status
from applications.models import Application, Desk, IdentityVerification, MunicipalIntake, PersonalDataSource
from applications.services import ApplicantData
from applications.verification import identity_check, identity_differences
from justis.adapters import OutsideSystemUnavailable
from justis.audit import Actor
from justis.faults import Mode, System, fault_set
from justis.models import AuditAction, AuditEvent
from screening.services import assessment_run
from tests import factories

pytestmark = pytest.mark.django_db

BSN = "123456782"


def applicant_from(person, **overrides) -> ApplicantData:
    """The applicant data a clerk would type from this register person."""
    fields = ("bsn", "given_names", "surname_prefix", "surname", "birth_date", "birth_place", "birth_country")
    return ApplicantData(**{**{field: getattr(person, field) for field in fields}, **overrides})


def counter_application(desk, applicant: ApplicantData, *, source=PersonalDataSource.MANUAL, key="", **intake):
    """An application taken at ``desk`` with this applicant's data, typed by hand unless ``source`` says."""
    return factories.counter_application(
        desk,
        **applicant.__dict__,
        personal_data_source=source,
        idempotency_key=key,
        request_fingerprint=key and f"fingerprint-{key}",
        **intake,
    )


@pytest.fixture
def person():
    return generated_person(BSN)


def test_the_municipal_number_counts_per_desk_and_day(desk, amsterdam, person):
    second_desk = Desk.objects.create(municipality=amsterdam, code="02", name="Stadsloket Zuidoost")
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 23, 10, 0)), tick=False):
        first = counter_application(desk, applicant_from(person))
        second = counter_application(desk, applicant_from(person))
        elsewhere = counter_application(second_desk, applicant_from(person))
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 24, 9, 0)), tick=False):
        next_day = counter_application(desk, applicant_from(person))
    assert first.intake.municipal_number == "0363-01-20261123-0001"
    assert second.intake.municipal_number == "0363-01-20261123-0002"
    assert elsewhere.intake.municipal_number == "0363-02-20261123-0001"
    assert next_day.intake.municipal_number == "0363-01-20261124-0001"
    assert first.municipality == amsterdam


def test_a_failed_intake_gives_its_number_back(desk, person):
    with pytest.raises(IntegrityError):
        # A "yes" without its explanation is refused by the database too, and nothing is kept.
        counter_application(desk, applicant_from(person), special_findings=True, special_findings_text="")
    assert not Application.objects.exists()
    application = counter_application(desk, applicant_from(person))
    assert application.intake.municipal_number.endswith("-0001")


def test_the_fee_comes_from_the_fee_table_and_remarks_are_kept(desk, person):
    application = counter_application(
        desk,
        applicant_from(person),
        persisted=True,
        persisted_text="Aanvrager wil doorzetten ondanks twijfel over de functie.",
        covog_advice_requested=False,
        covog_advice_text="not kept: the flag is no",
        mayor_advice="V",
        remark="x" * 2000,
        id_document_number_end="x7k2",
    )
    intake = MunicipalIntake.objects.get(application=application)
    assert intake.fee_cents == 4135
    assert intake.persisted
    assert intake.persisted_text.startswith("Aanvrager")
    assert intake.covog_advice_text == ""
    assert intake.mayor_advice == "V"
    assert intake.id_document_number_end == "X7K2"  # typed in lower case, stored in capitals
    assert application.status == Status.RECEIVED


def test_register_data_needs_no_check_and_typed_data_does(desk, person):
    from_register = counter_application(desk, applicant_from(person), source=PersonalDataSource.BRP)
    typed = counter_application(desk, applicant_from(person), source=PersonalDataSource.MANUAL)
    assert from_register.identity_verification == IdentityVerification.NOT_NEEDED
    assert typed.identity_verification == IdentityVerification.PENDING


def test_a_repeated_forward_with_the_same_key_makes_no_second_application(desk, person):
    first = counter_application(desk, applicant_from(person), key="k-1")
    again = counter_application(desk, applicant_from(person), key="k-1")
    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert MunicipalIntake.objects.get().municipal_number.endswith("-0001")


def test_names_compare_as_a_clerk_would(person):
    typed = applicant_from(person, given_names=person.given_names.upper() + "  ", surname=f" {person.surname} ")
    assert identity_differences(typed, person) == []
    assert identity_differences(applicant_from(person, surname="Pietersen"), person) == ["surname"]
    assert identity_differences(applicant_from(person, birth_date=date(1901, 1, 1)), person) == ["birth_date"]
    assert identity_differences(applicant_from(person), None) == ["bsn"]


def test_typed_data_is_checked_before_the_justice_records_are_read(desk, person):
    application = counter_application(desk, applicant_from(person))
    assert assessment_run(application_id=application.pk) == "issued"
    application.refresh_from_db()
    assert application.identity_verification == IdentityVerification.VERIFIED
    assert application.identity_checked_at is not None
    checked = AuditEvent.objects.get(action=AuditAction.IDENTITY_CHECKED, subject_id=application.reference)
    assert checked.data == {"outcome": "verified", "differences": []}
    read = AuditEvent.objects.filter(subject_id=application.reference).order_by("id")
    actions = [event.action for event in read]
    assert actions.index(AuditAction.IDENTITY_CHECKED) < actions.index(AuditAction.JUSTICE_DATA_READ)


def test_typed_data_that_differs_from_the_register_puts_the_application_on_hold(desk, person):
    application = counter_application(desk, applicant_from(person, surname="Anders"))
    assert assessment_run(application_id=application.pk) == "on_hold"
    application.refresh_from_db()
    assert application.status == Status.ON_HOLD
    assert application.identity_verification == IdentityVerification.MISMATCH
    assert not AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ).exists()
    assert application.status_changes.first().reason.startswith("the personal data entered at the counter")


def test_while_the_register_is_down_the_application_waits(desk, person):
    application = counter_application(desk, applicant_from(person))
    fault_set(system=System.BRP, mode=Mode.DOWN, actor=Actor.system("drill"))
    assert assessment_run(application_id=application.pk) == "waiting"
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT
    assert application.identity_verification == IdentityVerification.PENDING
    assert application.next_attempt_at > timezone.now()
    assert "brp" in application.last_attempt_error
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_UNAVAILABLE).count() == 1
    with pytest.raises(OutsideSystemUnavailable):
        identity_check(application=application)


def test_the_check_runs_once(desk, person):
    application = counter_application(desk, applicant_from(person))
    assert identity_check(application=application) == IdentityVerification.VERIFIED
    again = Application.objects.get(pk=application.pk)
    assert identity_check(application=again) == IdentityVerification.VERIFIED
    assert AuditEvent.objects.filter(action=AuditAction.IDENTITY_CHECKED).count() == 1


def test_municipal_number_format(desk):
    assert municipal_number(desk, date(2026, 1, 5), 42) == "0363-01-20260105-0042"
