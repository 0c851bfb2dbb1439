"""The applicant objects (bezwaar) to a refusal in MijnJustis and follows it to the outcome."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from applications.lifecycle import Status
from justis.models import AuditAction, AuditEvent
from notifications.models import LetterKind
from screening.models import Objection, ObjectionChannel, ObjectionOutcome
from screening.objections import objection_decide
from tests.objection_factories import refuse
from tests.portal import login_with_digid
from tests.test_objections import MOTIVATION
from tests.test_workbench_case import other_screener  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
User = get_user_model()

GROUNDS = "Het feit is lang geleden; ik werk al vijf jaar zonder problemen met kinderen."


@pytest.fixture
def refused_for_jan(received_for_jan, screener):
    """Jan's own application, refused today by ``screener``; the ``client`` is Jan's."""
    return refuse(received_for_jan, screener)


def detail(client, application):
    return client.get(f"/mijnjustis/{application.reference}/", HTTP_ACCEPT_LANGUAGE="en")


def objection_url(application) -> str:
    return f"/mijnjustis/{application.reference}/bezwaar/"


def form_key(client, application) -> str:
    response = client.get(objection_url(application))
    assert response.status_code == 200
    return str(response.context["form"].initial["submission_key"])


def test_the_applicant_sees_until_when_and_how_to_object(client, refused_for_jan, settings):
    settings.JUSTIS_CONTACT_ADDRESS = ["Justis t.a.v. bezwaar", "Postbus 1", "2500 AA Den Haag"]
    response = detail(client, refused_for_jan)
    until = timezone.localdate() + timedelta(weeks=6)
    assert response.context["objection_until"] == until
    assert response.context["objection_possible"] is True
    html = response.content.decode()
    assert f'data-objection-until="{until.isoformat()}"' in html
    assert "Justis t.a.v. bezwaar, Postbus 1, 2500 AA Den Haag" in html
    assert f'href="{objection_url(refused_for_jan)}"' in html


def test_no_objection_before_a_refusal(client, received_for_jan):
    response = detail(client, received_for_jan)
    assert response.context["objection_possible"] is False
    assert objection_url(received_for_jan) not in response.content.decode()
    response = client.get(objection_url(received_for_jan))
    assert response.status_code == 302
    response = client.post(objection_url(received_for_jan), {"grounds": GROUNDS}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "has not been refused" in response.context["form"].non_field_errors()[0]
    assert not Objection.objects.exists()


def test_the_applicant_objects_digitally_once(client, refused_for_jan):
    key = form_key(client, refused_for_jan)
    response = client.post(objection_url(refused_for_jan), {"grounds": GROUNDS, "submission_key": key})
    assert response.status_code == 302
    assert response["Location"] == f"/mijnjustis/{refused_for_jan.reference}/"
    objection = Objection.objects.get()
    assert objection.channel == ObjectionChannel.DIGITAL
    assert objection.received_on == timezone.localdate()
    assert objection.registered_by.bsn == "999990019"
    assert objection.grounds == GROUNDS
    # The same form again (a double click, a reload): nothing new.
    response = client.post(objection_url(refused_for_jan), {"grounds": GROUNDS, "submission_key": key})
    assert response.status_code == 302
    assert Objection.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.OBJECTION_REGISTERED).count() == 1
    page = detail(client, refused_for_jan)
    assert page.context["objection_possible"] is False
    assert 'data-objection="open"' in page.content.decode()


def test_the_grounds_are_required(client, refused_for_jan):
    key = form_key(client, refused_for_jan)
    response = client.post(
        objection_url(refused_for_jan), {"grounds": "", "submission_key": key}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["grounds"] == ["Write why you object to the decision."]
    assert not Objection.objects.exists()


def test_after_the_period_the_applicant_says_why_the_objection_is_late(client, received_for_jan, screener):
    moment = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(weeks=6, days=1), time(12)))
    with time_machine.travel(moment, tick=False):
        application = refuse(received_for_jan, screener)
    key = form_key(client, application)
    response = client.post(
        objection_url(application), {"grounds": GROUNDS, "submission_key": key}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["late_excuse"] == ["Explain why you could not object in time."]
    response = client.post(
        objection_url(application),
        {"grounds": GROUNDS, "late_excuse": "Ik lag in het ziekenhuis.", "submission_key": key},
    )
    assert response.status_code == 302
    assert Objection.objects.get().late


def test_another_citizen_sees_nothing_of_it(refused_for_jan):
    other = Client()
    login_with_digid(other, "999990032")
    assert other.get(f"/mijnjustis/{refused_for_jan.reference}/").status_code == 404
    assert other.get(objection_url(refused_for_jan)).status_code == 404
    assert other.post(objection_url(refused_for_jan), {"grounds": GROUNDS}).status_code == 404
    assert not Objection.objects.exists()


def test_the_applicant_sees_the_outcome_and_the_decision_letter(client, refused_for_jan, other_screener):  # noqa: F811
    key = form_key(client, refused_for_jan)
    client.post(objection_url(refused_for_jan), {"grounds": GROUNDS, "submission_key": key})
    objection_decide(
        objection=Objection.objects.get(),
        screener=other_screener,
        outcome=ObjectionOutcome.UNFOUNDED,
        motivation=MOTIVATION,
    )
    response = detail(client, refused_for_jan)
    html = response.content.decode()
    assert 'data-objection="unfounded"' in html
    letter = refused_for_jan.letters.get(kind=LetterKind.OBJECTION_DECISION)
    letter_url = f"/mijnjustis/{refused_for_jan.reference}/brieven/{letter.pk}.pdf"
    assert letter_url in html
    download = client.get(letter_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"


def test_an_upheld_objection_shows_the_certificate_path(client, refused_for_jan, other_screener):  # noqa: F811
    key = form_key(client, refused_for_jan)
    client.post(objection_url(refused_for_jan), {"grounds": GROUNDS, "submission_key": key})
    objection_decide(
        objection=Objection.objects.get(),
        screener=other_screener,
        outcome=ObjectionOutcome.UPHELD,
        motivation=MOTIVATION,
    )
    response = detail(client, refused_for_jan)
    assert response.context["application"].status == Status.ISSUED
    assert 'data-objection="upheld"' in response.content.decode()
    assert response.context["objection_possible"] is False
