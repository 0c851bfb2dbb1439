"""The audit trail cannot be changed or deleted through the application's database connection."""

from django.db import connection, transaction
from django.db.utils import DatabaseError

import pytest

from justis.audit import Actor, audit_record
from justis.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(
        actor=Actor.system("test"),
        action=AuditAction.choices[0][0],
        subject_type="application",
        subject_id="NP-1",
        reason="test",
    )


def test_an_audit_event_cannot_be_updated(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=entry.pk).update(reason="rewritten")
    entry.refresh_from_db()
    assert entry.reason == "test"


def test_an_audit_event_cannot_be_deleted_not_even_in_raw_sql(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM justis_auditevent WHERE id = %s", [entry.pk])
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_new_events_are_still_written(entry):
    audit_record(actor=Actor.system("test"), action=entry.action, subject_type="application", subject_id="NP-2")
    assert AuditEvent.objects.filter(subject_id__in=["NP-1", "NP-2"]).count() == 2
