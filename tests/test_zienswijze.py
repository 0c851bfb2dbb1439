"""The applicant gives a view (zienswijze) on Justis' intention to refuse, in MijnJustis."""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

import pytest
import time_machine

from applications.lifecycle import Status, application_transition
from applications.models import Application, StatusChange
from justis.audit import Actor
from justis.models import AuditAction, AuditEvent
from notifications.models import OutboxMessage
from screening.models import Zienswijze, ZienswijzeChannel
from screening.zienswijzen import ZienswijzeError, zienswijze_deadline, zienswijze_submit
from tests.portal import login_with_digid

pytestmark = pytest.mark.django_db
User = get_user_model()
ACTOR = Actor.system("test")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def move_to(application, *statuses):
    for status in statuses:
        application = application_transition(application=application, to_status=status, actor=ACTOR)
    return application


@pytest.fixture
def intent_for_jan(received_for_jan):
    """Jan's application after a screener's intention to refuse."""
    return move_to(received_for_jan, Status.IN_ASSESSMENT, Status.IN_REVIEW, Status.INTENT_TO_REFUSE)


def url(application) -> str:
    return f"/mijnjustis/{application.reference}/zienswijze/"


def form_key(client, application) -> str:
    response = client.get(url(application))
    assert response.status_code == 200
    return str(response.context["form"].initial["submission_key"])


def post_view(client, application, *, text="Het was een eenmalige fout, tien jaar geleden.", attachment=None, key=None):
    data = {"text": text, "submission_key": key or form_key(client, application)}
    if attachment is not None:
        data["attachment"] = attachment
    return client.post(url(application), data, HTTP_ACCEPT_LANGUAGE="en")


def stored_files() -> set[Path]:
    """Every file under zienswijzen/ in the private storage (the folder is shared with earlier runs)."""
    root = Path(Zienswijze._meta.get_field("attachment").storage.location) / "zienswijzen"
    return {path for path in root.rglob("*") if path.is_file()}


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# --- The deadline --------------------------------------------------------------------------------


def test_the_deadline_counts_from_the_intention_to_refuse(intent_for_jan, settings):
    sent = StatusChange.objects.get(application=intent_for_jan, to_status=Status.INTENT_TO_REFUSE).at
    assert zienswijze_deadline(intent_for_jan) == timezone.localdate(sent) + timedelta(days=14)
    settings.ZIENSWIJZE_PERIOD_DAYS = 21
    assert zienswijze_deadline(intent_for_jan) == timezone.localdate(sent) + timedelta(days=21)


def test_there_is_no_deadline_without_an_intention_to_refuse(received_for_jan):
    assert zienswijze_deadline(received_for_jan) is None


# --- Giving a view -------------------------------------------------------------------------------


def test_a_view_with_a_pdf_is_stored_audited_and_reported(client, intent_for_jan):
    page = client.get(url(intent_for_jan))
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html

    response = post_view(client, intent_for_jan, attachment=upload("C:\\Users\\jan\\brief werkgever.pdf", PDF))
    assert response.status_code == 302
    assert response["Location"] == f"/mijnjustis/{intent_for_jan.reference}/"

    zienswijze = Zienswijze.objects.get(application=intent_for_jan)
    assert zienswijze.channel == ZienswijzeChannel.DIGITAL
    assert zienswijze.text == "Het was een eenmalige fout, tien jaar geleden."
    assert zienswijze.submitted_by.bsn == "999990019"
    assert zienswijze.attachment_original_name == "brief werkgever.pdf"
    assert zienswijze.attachment_content_type == "application/pdf"
    assert zienswijze.attachment_size == len(PDF)
    # The stored name is generated; the applicant's file name is only data.
    assert zienswijze.attachment.name.startswith("zienswijzen/")
    assert zienswijze.attachment.name.endswith(".pdf")
    assert "werkgever" not in zienswijze.attachment.name
    with storages["private"].open(zienswijze.attachment.name, "rb") as stored:
        assert stored.read() == PDF

    event = AuditEvent.objects.get(action=AuditAction.ZIENSWIJZE_RECEIVED)
    assert event.subject_id == intent_for_jan.reference
    assert event.actor_kind == "user"
    assert event.data["zienswijze"] == zienswijze.pk
    assert event.data["attachment"] is True
    assert "Het was" not in str(event.data)  # the view itself stays out of the audit trail
    message = OutboxMessage.objects.get(event="zienswijze_received")
    assert message.application_id == intent_for_jan.pk
    assert message.dedupe_key == f"zienswijze:{zienswijze.pk}"

    detail = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = detail.content.decode()
    assert "Justis has received your view" in html
    assert "with an attachment" in html


def test_a_view_without_an_attachment_is_stored(client, intent_for_jan):
    assert post_view(client, intent_for_jan).status_code == 302
    zienswijze = Zienswijze.objects.get(application=intent_for_jan)
    assert not zienswijze.attachment
    assert zienswijze.attachment_original_name == ""
    detail = client.get(f"/mijnjustis/{intent_for_jan.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "without an attachment" in detail.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("scan.pdf", PNG, "image/png", "png"),  # a PNG called .pdf is a PNG
        ("foto.JPG", JPEG, "image/jpeg", "jpg"),
        ("bijlage", PDF, "application/pdf", "pdf"),  # no extension: the bytes decide
    ],
    ids=["png-named-pdf", "jpeg", "pdf-without-extension"],
)
def test_the_type_is_recognised_by_the_first_bytes(client, intent_for_jan, name, content, content_type, extension):
    assert post_view(client, intent_for_jan, attachment=upload(name, content, "application/pdf")).status_code == 302
    zienswijze = Zienswijze.objects.get(application=intent_for_jan)
    assert zienswijze.attachment_content_type == content_type
    assert zienswijze.attachment.name.endswith(f".{extension}")
    assert zienswijze.attachment_original_name == name


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("factuur.pdf", EXE, "This type of file cannot be sent. Send a PDF, JPEG or PNG file of at most 10 MB."),
        ("plaatje.gif", GIF, "This type of file cannot be sent. Send a PDF, JPEG or PNG file of at most 10 MB."),
        ("leeg.pdf", b"", "The file is empty. Send a PDF, JPEG or PNG file of at most 10 MB."),
    ],
    ids=["exe-named-pdf", "gif", "empty"],
)
def test_other_files_are_refused_and_nothing_is_stored(client, intent_for_jan, name, content, expected):
    before = stored_files()
    response = post_view(client, intent_for_jan, attachment=upload(name, content))
    assert response.status_code == 200
    assert field_errors(response, "attachment") == [expected]
    html = response.content.decode()
    assert 'id="id_attachment_error"' in html  # next to the field
    assert 'aria-invalid="true"' in html
    assert not Zienswijze.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ZIENSWIJZE_RECEIVED).exists()
    assert not OutboxMessage.objects.filter(event="zienswijze_received").exists()
    assert stored_files() == before  # no file left behind


def test_a_file_over_the_limit_is_refused(client, intent_for_jan, settings):
    settings.ZIENSWIJZE_MAX_UPLOAD_MB = 1
    too_large = PDF + b"0" * (1024 * 1024)
    response = post_view(client, intent_for_jan, attachment=upload("groot.pdf", too_large))
    assert response.status_code == 200
    assert field_errors(response, "attachment") == [
        "The file is larger than 1 MB. Send a PDF, JPEG or PNG file of at most 1 MB."
    ]
    assert not Zienswijze.objects.exists()
    # Exactly at the limit is fine.
    at_limit = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert post_view(client, intent_for_jan, attachment=upload("precies.pdf", at_limit)).status_code == 302


def test_the_messages_are_in_dutch_too(client, intent_for_jan):
    key = form_key(client, intent_for_jan)
    response = client.post(url(intent_for_jan), {"text": "", "submission_key": key, "attachment": upload("x.pdf", GIF)})
    assert field_errors(response, "text") == ["Schrijf uw zienswijze."]
    assert field_errors(response, "attachment") == [
        "Dit soort bestand kunt u niet meesturen. Stuur een PDF-, JPEG- of PNG-bestand van maximaal 10 MB."
    ]


def test_the_text_is_required_and_at_most_5000_characters(client, intent_for_jan):
    response = post_view(client, intent_for_jan, text="   ")
    assert field_errors(response, "text") == ["Write your view."]
    response = post_view(client, intent_for_jan, text="x" * 5001)
    assert field_errors(response, "text") == ["Your view is too long: at most 5,000 characters (now 5001)."]
    assert not Zienswijze.objects.exists()
    assert post_view(client, intent_for_jan, text="x" * 5000).status_code == 302


# --- Only in its time, only by the applicant -----------------------------------------------------


@pytest.mark.parametrize("statuses", [(), (Status.IN_ASSESSMENT, Status.IN_REVIEW)])
def test_no_view_before_an_intention_to_refuse(client, received_for_jan, statuses):
    application = move_to(received_for_jan, *statuses)
    response = client.get(url(application), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    response = client.post(url(application), {"text": "Mijn zienswijze"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Justis has not sent an intention to refuse" in response.content.decode()
    assert not Zienswijze.objects.exists()
    with translation.override("en"), pytest.raises(ZienswijzeError, match="has not sent an intention to refuse"):
        zienswijze_submit(application=application, citizen=application.citizen, text="Mijn zienswijze")


def test_no_view_after_the_decision(client, intent_for_jan):
    application = move_to(intent_for_jan, Status.REFUSED)
    assert client.get(url(application)).status_code == 302
    with pytest.raises(ZienswijzeError):
        zienswijze_submit(application=application, citizen=application.citizen, text="Te laat")


def test_someone_elses_application_is_not_found(client, intent_for_jan):
    client.logout()
    login_with_digid(client, "999990020")
    assert client.get(url(intent_for_jan)).status_code == 404
    assert client.post(url(intent_for_jan), {"text": "Niet van mij"}).status_code == 404
    other = User.objects.get(bsn="999990020")
    with translation.override("nl"), pytest.raises(ZienswijzeError, match="Alleen de aanvrager"):
        zienswijze_submit(application=intent_for_jan, citizen=other, text="Niet van mij")
    assert not Zienswijze.objects.exists()


def test_not_logged_in_goes_to_the_login(client, intent_for_jan):
    client.logout()
    assert client.get(url(intent_for_jan))["Location"].startswith("/inloggen/")


def test_after_the_deadline_the_view_is_refused_with_the_date(client, intent_for_jan):
    deadline = zienswijze_deadline(intent_for_jan)
    key = form_key(client, intent_for_jan)
    # On the last day it is still open.
    with time_machine.travel(timezone.make_aware(datetime.combine(deadline, time(23, 59, 59))), tick=False):
        assert zienswijze_submit(application=intent_for_jan, citizen=intent_for_jan.citizen, text="Op de laatste dag")[
            1
        ]
    after = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time(0, 0, 1)))
    with time_machine.travel(after, tick=False):
        login_with_digid(client, "999990019")  # the session of two weeks ago has ended
        response = post_view(client, intent_for_jan, text="Een dag te laat", key=key)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"The period for giving your view ended on {deadline.day} {deadline:%B} {deadline.year}" in html
        assert "Phone Justis" in html
        assert "<textarea" not in html
        detail = client.get(f"/mijnjustis/{intent_for_jan.reference}/", HTTP_ACCEPT_LANGUAGE="en")
        assert "ended on" in detail.content.decode()
        assert url(intent_for_jan) not in detail.content.decode()
    assert list(Zienswijze.objects.values_list("text", flat=True)) == ["Op de laatste dag"]


def test_the_deadline_follows_the_newest_intention_to_refuse(intent_for_jan):
    StatusChange.objects.filter(application=intent_for_jan, to_status=Status.INTENT_TO_REFUSE).update(
        at=timezone.now() - timedelta(days=15)
    )
    ended = formats.date_format(zienswijze_deadline(intent_for_jan), "j F Y")
    with translation.override("nl"), pytest.raises(ZienswijzeError, match=f"op {ended} afgelopen"):
        zienswijze_submit(application=intent_for_jan, citizen=intent_for_jan.citizen, text="Te laat")


# --- Twice ---------------------------------------------------------------------------------------


def test_sending_the_same_form_twice_makes_one_view(client, intent_for_jan):
    key = form_key(client, intent_for_jan)
    before = stored_files()
    first = post_view(client, intent_for_jan, key=key, attachment=upload("brief.pdf", PDF))
    second = post_view(client, intent_for_jan, key=key, attachment=upload("brief.pdf", PDF))
    assert first.status_code == second.status_code == 302
    assert Zienswijze.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ZIENSWIJZE_RECEIVED).count() == 1
    assert OutboxMessage.objects.filter(event="zienswijze_received").count() == 1
    assert len(stored_files() - before) == 1  # the second upload was not stored
    detail = client.get(second["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "Justis had already received this view" in detail.content.decode()


def test_separate_views_within_the_period_are_all_kept(client, intent_for_jan):
    post_view(client, intent_for_jan, text="Eerste zienswijze")
    post_view(client, intent_for_jan, text="Aanvulling met een bijlage", attachment=upload("verklaring.png", PNG))
    assert list(Zienswijze.objects.order_by("id").values_list("text", flat=True)) == [
        "Eerste zienswijze",
        "Aanvulling met een bijlage",
    ]
    assert OutboxMessage.objects.filter(event="zienswijze_received").count() == 2
    each_form_has_its_own_key = form_key(client, intent_for_jan) != form_key(client, intent_for_jan)
    assert each_form_has_its_own_key


def test_an_invalid_form_keeps_its_key(client, intent_for_jan):
    key = form_key(client, intent_for_jan)
    response = post_view(client, intent_for_jan, text="", key=key)
    assert f'value="{key}"' in response.content.decode()


# --- The detail page -----------------------------------------------------------------------------


def test_the_detail_page_shows_the_intention_and_the_link_only_then(client, received_for_jan):
    detail_url = f"/mijnjustis/{received_for_jan.reference}/"
    for statuses in [(), (Status.IN_ASSESSMENT,), (Status.IN_REVIEW,)]:
        application = move_to(Application.objects.get(pk=received_for_jan.pk), *statuses)
        html = client.get(detail_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Justis intends to refuse" not in html, application.status
        assert url(application) not in html

    application = move_to(Application.objects.get(pk=received_for_jan.pk), Status.INTENT_TO_REFUSE)
    deadline = zienswijze_deadline(application)
    html = client.get(detail_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Justis intends to refuse your application" in html
    assert f"up to and including {deadline.day} {deadline:%B} {deadline.year}" in html
    assert f'href="{url(application)}"' in html
    dutch = client.get(detail_url).content.decode()
    assert "Zienswijze geven" in dutch

    move_to(application, Status.ISSUED)
    html = client.get(detail_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Justis intends to refuse" not in html
    assert url(application) not in html
