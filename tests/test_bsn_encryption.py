"""BSNs are encrypted at rest: no plain BSN in any row, lookups through the keyed digest, key rotation."""

from datetime import date

from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

import pytest

from applications.models import Applicant, Application, KeyPerson, KeyPersonRole
from continuous.models import ContinuousEnrolment
from justis import bsn_crypto
from justis.models import User
from tests.continuous_helpers import enrol
from tests.factories import received_application

pytestmark = pytest.mark.django_db

JAN = "999990019"
FATIMA = "999990020"
OLD_KEY = f"old:{bsn_crypto.generate_key()}"
NEW_KEY = f"new:{bsn_crypto.generate_key()}"


def raw_rows(model) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {model._meta.db_table} t")
        return [row[0] for row in cursor.fetchall()]


def raw_column(model, pk, column="bsn"):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM {model._meta.db_table} WHERE id = %s', [pk])
        return cursor.fetchone()[0]


def key_person(application, bsn, **extra):
    return KeyPerson.objects.create(
        application=application,
        role=KeyPersonRole.DIRECTOR,
        bsn=bsn,
        given_names="Fatima",
        surname="El Amrani",
        birth_date=date(1980, 3, 1),
        nationality="Nederlandse",
        **extra,
    )


def test_no_row_holds_a_plain_bsn(reference_data):
    application = received_application(bsn=JAN)
    applicant = application.applicant
    applicant.previous_identities = [{"given_names": "Jan", "surname": "Janssen", "bsn": FATIMA}]
    applicant.save()
    key_person(application, FATIMA)
    User.digid_objects.digid_create(JAN)
    enrol(JAN)

    for model in (Applicant, KeyPerson, User, ContinuousEnrolment):
        rows = raw_rows(model)
        assert rows, model
        for row in rows:
            assert JAN not in row, (model, row)
            assert FATIMA not in row, (model, row)
    # In Python nothing changes: the plain BSN, also in the earlier identities.
    applicant = Applicant.objects.get(pk=applicant.pk)
    assert applicant.bsn == JAN
    assert applicant.previous_identities[0]["bsn"] == FATIMA
    assert KeyPerson.objects.get().bsn == FATIMA
    assert ContinuousEnrolment.objects.get().bsn == JAN


def test_the_same_bsn_twice_gives_different_ciphertexts_and_the_same_digest(reference_data):
    first = received_application(bsn=JAN).applicant
    second = received_application(bsn=JAN).applicant
    assert first.pk != second.pk
    cipher_1, cipher_2 = raw_column(Applicant, first.pk), raw_column(Applicant, second.pk)
    assert cipher_1 != cipher_2
    assert cipher_1.startswith("dev:")
    assert cipher_2.startswith("dev:")
    digest = raw_column(Applicant, first.pk, "bsn_digest")
    assert digest == raw_column(Applicant, second.pk, "bsn_digest") == bsn_crypto.digest(JAN)
    assert len(digest) == 64


def test_lookups_exact_in_get_and_through_relations(reference_data):
    jan = received_application(bsn=JAN)
    fatima = received_application(bsn=FATIMA)
    assert Applicant.objects.get(bsn=JAN).pk == jan.applicant.pk
    assert set(Applicant.objects.filter(bsn__in=[JAN, FATIMA, "123456782"])) == {jan.applicant, fatima.applicant}
    assert Applicant.objects.filter(bsn__in=[]).count() == 0
    assert list(Application.objects.filter(applicant__bsn=FATIMA)) == [fatima]
    assert Applicant.objects.exclude(bsn=JAN).get() == fatima.applicant
    assert not Applicant.objects.filter(bsn="123456782").exists()

    key_person(jan, "")
    key_person(jan, FATIMA)
    assert list(jan.key_persons.exclude(bsn="").values_list("bsn", flat=True)) == [FATIMA]
    assert raw_column(KeyPerson, jan.key_persons.get(bsn="").pk) == ""

    user = User.digid_objects.digid_create(JAN)
    assert User.digid_objects.get_by_bsn(JAN) == user
    assert User.objects.filter(bsn__isnull=True).filter(pk=user.pk).count() == 0


def test_a_users_bsn_is_unique_and_many_users_have_none():
    User.digid_objects.digid_create(JAN)
    User.objects.create(username="staff-1")
    User.objects.create(username="staff-2")
    assert User.objects.filter(bsn__isnull=True).count() == 2
    assert User.objects.filter(bsn=None).count() == 2
    assert User.objects.exclude(bsn=JAN).count() == 2  # as for any nullable field: NULL is "not JAN"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.digid_objects.digid_create(JAN)


def test_one_open_enrolment_per_person_and_sector_still_holds(reference_data):
    enrolment = enrol(JAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContinuousEnrolment.objects.create(
            sector=enrolment.sector,
            bsn=JAN,
            given_names="Pieter",
            surname="de Boer",
            birth_date=date(1985, 2, 28),
            vog_reference="VOG-2",
            active_from=date(2026, 1, 1),
        )


def test_bulk_create_fills_the_digest(reference_data):
    application = received_application(bsn=JAN)
    people = [
        KeyPerson(
            application=application,
            role=KeyPersonRole.DIRECTOR,
            bsn=bsn,
            given_names="A",
            surname="B",
            birth_date=date(1980, 1, 1),
            nationality="Nederlandse",
        )
        for bsn in (FATIMA, "")
    ]
    KeyPerson.objects.bulk_create(people)
    digests = dict(KeyPerson.objects.values_list("bsn", "bsn_digest"))
    assert digests == {FATIMA: bsn_crypto.digest(FATIMA), "": ""}
    assert KeyPerson.objects.get(bsn=FATIMA).given_names == "A"


def test_changing_a_bsn_changes_its_digest(reference_data):
    applicant = received_application(bsn=JAN).applicant
    applicant.bsn = FATIMA
    applicant.save()
    assert Applicant.objects.get(bsn=FATIMA).pk == applicant.pk
    assert not Applicant.objects.filter(bsn=JAN).exists()


def test_an_unknown_key_or_a_tampered_ciphertext_fails_loudly(reference_data):
    applicant = received_application(bsn=JAN).applicant
    stored = raw_column(Applicant, applicant.pk)
    key_id, _sep, body = stored.partition(":")
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    for broken in (f"gone:{body}", f"{key_id}:{flipped}", f"{key_id}:{body[:30]}", "no-key-id"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE applications_applicant SET bsn = %s WHERE id = %s", [broken, applicant.pk])
        with pytest.raises(bsn_crypto.BSNDecryptionError):
            Applicant.objects.get(pk=applicant.pk)


def test_unsupported_lookups_raise():
    for lookup in ("contains", "startswith", "regex", "icontains", "gt", "lower__exact"):
        with pytest.raises(FieldError, match="encrypted"):
            Applicant.objects.filter(**{f"bsn__{lookup}": "9999"}).exists()
    with pytest.raises(FieldError, match="encrypted"):
        Application.objects.filter(applicant__bsn__startswith="9999").exists()


def test_rotation_re_encrypts_rows_under_an_old_key_and_lookups_still_work(reference_data):
    with override_settings(BSN_ENCRYPTION_KEYS=[OLD_KEY]):
        application = received_application(bsn=JAN)
        applicant = application.applicant
        applicant.previous_identities = [{"given_names": "Jan", "bsn": FATIMA}]
        applicant.save()
        key_person(application, FATIMA)
        user = User.digid_objects.digid_create(JAN)
        enrolment = enrol(JAN)
        assert raw_column(Applicant, applicant.pk).startswith("old:")

    with override_settings(BSN_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_bsn_keys", batch=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("rotate_bsn_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
        for model, pk in ((Applicant, applicant.pk), (User, user.pk), (ContinuousEnrolment, enrolment.pk)):
            assert raw_column(model, pk).startswith("new:"), model
        with connection.cursor() as cursor:
            cursor.execute("SELECT previous_identities::text FROM applications_applicant WHERE id = %s", [applicant.pk])
            assert '"bsn": "new:' in cursor.fetchone()[0]

    # Without the old key everything still reads: nothing is left under it.
    with override_settings(BSN_ENCRYPTION_KEYS=[NEW_KEY]):
        found = Applicant.objects.get(bsn=JAN)
        assert found.pk == applicant.pk
        assert found.previous_identities[0]["bsn"] == FATIMA
        assert KeyPerson.objects.get(bsn=FATIMA).application_id == application.pk
        assert User.objects.get(bsn=JAN) == user
        assert ContinuousEnrolment.objects.get(bsn=JAN) == enrolment
