"""Object-level access: a role that may open a page sees its own objects there and nobody else's.

The role matrix (tests/test_role_matrix.py) checks who may open which page; these tests check the
owner's scope behind the page: another citizen, a clerk of another municipality, and an organisation
looking at the requests it prepared. (Another organisation's requests and uploads, and another
municipality's API token, are covered in test_digital_channel.py, test_bulk.py and test_api_counter.py.)
"""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client

import pytest

from applications.lifecycle import Status, application_transition
from applications.models import Application
from justis.audit import Actor
from justis.roles import Role
from notifications.models import Letter, LetterKind
from tests.factories import counter_application
from tests.portal import login_with_digid, prepare
from tests.staff import login_with_second_factor, staff_user

User = get_user_model()

MIJNJUSTIS_PAGES = ("", "betalen/", "zienswijze/", "bezwaar/", "intrekken/", "verklaring.pdf")


@pytest.fixture
def issued_for_jan(received_for_jan):
    """Jan's application, issued, with its certificate PDF and a letter."""
    from screening.services import certificate_create, certificate_render

    actor = Actor.system("test")
    application = application_transition(application=received_for_jan, to_status=Status.IN_ASSESSMENT, actor=actor)
    application = application_transition(application=application, to_status=Status.ISSUED, actor=actor)
    assert certificate_render(certificate_id=certificate_create(application=application).pk)
    letter = Letter(application=application, kind=LetterKind.INFORMATION_REQUEST)
    letter.pdf.save("request.pdf", ContentFile(b"%PDF-1.7 a letter"), save=True)
    return application, letter


def test_another_citizen_opens_no_page_of_jans_application(client, issued_for_jan):
    application, letter = issued_for_jan
    base = f"/mijnjustis/{application.reference}/"
    pages = [base + suffix for suffix in MIJNJUSTIS_PAGES] + [f"{base}brieven/{letter.pk}.pdf"]
    assert client.get(base + "verklaring.pdf").status_code == 200  # Jan himself
    assert client.get(f"{base}brieven/{letter.pk}.pdf").status_code == 200

    other = Client()
    login_with_digid(other, "999990032")
    seen = {page: other.get(page).status_code for page in pages}
    assert seen == dict.fromkeys(pages, 404)
    posted = {page: other.post(page, {}).status_code for page in pages if not page.endswith(".pdf")}
    assert set(posted.values()) <= {404, 405}, posted
    assert application.reference.encode() not in other.get("/mijnjustis/").content
    assert Application.objects.get(pk=application.pk).status == Status.ISSUED


def test_a_rotterdam_clerk_sees_nothing_of_amsterdams_counter_applications(desk, other_desk):
    amsterdams = counter_application(desk)
    number = amsterdams.intake.municipal_number
    rotterdam_clerk = login_with_second_factor(
        Client(), staff_user("clerk.rotterdam", Role.MUNICIPAL_CLERK, desk=other_desk)
    )
    assert rotterdam_clerk.get(f"/balie/aanvragen/{number}/").status_code == 404
    assert rotterdam_clerk.get(f"/balie/doorgezet/{amsterdams.reference}/").status_code == 404
    overview = rotterdam_clerk.get("/balie/aanvragen/")
    assert overview.status_code == 200
    assert number.encode() not in overview.content
    amsterdam_clerk = login_with_second_factor(Client(), staff_user("clerk.amsterdam", Role.MUNICIPAL_CLERK, desk=desk))
    assert number.encode() in amsterdam_clerk.get("/balie/aanvragen/").content


def test_an_organisation_sees_the_stage_of_its_requests_never_their_status(client, org_user):
    """The stage is all an employer learns: not that records were found, nor whether the VOG was refused."""
    statuses = (Status.IN_REVIEW, Status.INTENT_TO_REFUSE, Status.REFUSED, Status.ISSUED)
    for status in statuses:
        application = prepare(org_user)
        Application.objects.filter(pk=application.pk).update(status=status)
    client.force_login(org_user)
    html = client.get("/organisatie/").content.decode()
    for status in statuses:
        assert f'"{status.value}"' not in html, status
