"""The database itself makes deciding twice impossible, whatever the code does.

One assessment, one certificate, one issue and one refusal per application: a doubled task message,
a worker killed after its commit or a second screener each meet a unique constraint.
"""

from django.db import IntegrityError, transaction

import pytest

from applications.lifecycle import Status
from applications.models import StatusChange
from screening.models import Assessment, AssessmentOutcome
from screening.services import certificate_create
from tests.factories import application_in

pytestmark = pytest.mark.django_db


def test_a_second_assessment_is_refused(reference_data):
    application = application_in(Status.ISSUED)
    Assessment.objects.create(application=application, outcome=AssessmentOutcome.AUTO_GRANT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(application=application, outcome=AssessmentOutcome.NEEDS_SCREENER)
    assert Assessment.objects.filter(application=application).count() == 1


def test_a_second_certificate_is_refused(reference_data):
    application = application_in(Status.ISSUED)
    certificate_create(application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        certificate_create(application=application)
    assert application.__class__.objects.get(pk=application.pk).certificate is not None


@pytest.mark.parametrize("decision", [Status.ISSUED, Status.REFUSED])
def test_a_second_issue_or_refusal_in_the_history_is_refused(reference_data, decision):
    application = application_in(Status.ISSUED)
    if decision == Status.REFUSED:
        StatusChange.objects.create(application=application, from_status="intent_to_refuse", to_status=decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        # What a second worker deciding the same application would write, bypassing the state machine.
        StatusChange.objects.create(application=application, from_status=Status.IN_REVIEW, to_status=decision)
    assert application.status_changes.filter(to_status=decision).count() == 1


def test_refused_then_issued_on_objection_is_one_decision_of_each(reference_data):
    application = application_in(Status.IN_REVIEW)
    StatusChange.objects.create(application=application, from_status="intent_to_refuse", to_status=Status.REFUSED)
    StatusChange.objects.create(application=application, from_status=Status.REFUSED, to_status=Status.ISSUED)
    assert application.status_changes.filter(to_status__in=[Status.ISSUED, Status.REFUSED]).count() == 2
