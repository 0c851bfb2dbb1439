"""Bulk preparation from a CSV file: the file checked as a whole, every row prepared or refused with a reason."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from applications.bulk import BulkFileError, bulk_parse, bulk_upload_run
from applications.lifecycle import Status
from applications.models import Application, BulkUpload, Organisation
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = (
    "voornamen;achternaam;geboortedatum;e-mailadres\n"
    "Jan;Jansen;17-05-1990;jan@example.org\n"
    "Sanne;Visser;14-07-1998;sanne@example.org\n"
    "Piet;de Boer;31-02-1985;piet@example.org\n"  # no such date
    "Kees;Bakker;08-01-1970;geen-adres\n"  # not an e-mail address
    "Jan;Jansen;17-05-1990;jan@example.org\n"  # the same person again
    '=HYPERLINK("x");Smit;19-09-1979;lisa@example.org\n'  # a formula is only text
)
PURPOSE = {"purpose_kind": "work", "position": "Begeleider", "basis": "aspects", "functieaspecten": ["84"]}


@pytest.fixture
def org_client(client, reference_data):
    organisation = Organisation.objects.create(kvk_number="12345678", name="Zorggroep Het Anker")
    client.force_login(User.objects.create(username="kvk-12345678-demo", organisation=organisation))
    return client


def upload(client, content: str, name="medewerkers.csv", **purpose):
    data = {**PURPOSE, **purpose, "file": SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")}
    return client.post("/organisatie/meerdere-klaarzetten/", data)


# --- The file ----------------------------------------------------------------------------------


def test_semicolons_commas_a_byte_order_mark_and_windows_text_are_read():
    assert [r["given_names"] for r in bulk_parse(GOOD.encode())][:2] == ["Jan", "Sanne"]
    commas = "\ufeffVoornamen,Achternaam,Geboortedatum,E-mail\nJosé,Müller,01-02-1980,jose@example.org\n"
    assert bulk_parse(commas.encode("utf-8"))[0]["given_names"] == "José"
    assert bulk_parse(commas.replace("\ufeff", "").encode("cp1252"))[0]["surname"] == "Müller"


def test_the_line_numbers_are_those_of_the_file():
    rows = bulk_parse(b"voornamen;achternaam;geboortedatum;e-mailadres\n\nA;B;01-01-1990;a@example.org\n")
    assert rows == [
        {"line": 3, "given_names": "A", "surname": "B", "birth_date": "01-01-1990", "email": "a@example.org"}
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"naam;email\nJan;jan@example.org\n", "Missing: voornamen, achternaam, geboortedatum"),
        (b"voornamen;achternaam;geboortedatum;e-mailadres\n", "no applicants"),
        (b"PK\x03\x04\x00\x00 spreadsheet", "not a CSV"),
    ],
)
def test_an_unusable_file_is_refused_saying_why(content, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(BulkFileError, match=message):
        bulk_parse(content)


def test_too_many_rows_is_refused(settings):
    settings.BULK_MAX_ROWS = 2
    content = "voornamen;achternaam;geboortedatum;e-mailadres\n" + "A;B;01-01-1990;a@example.org\n" * 3
    with pytest.raises(BulkFileError):
        bulk_parse(content.encode())


# --- The rows ----------------------------------------------------------------------------------


def test_each_row_is_prepared_or_refused_with_its_reason(org_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(org_client, GOOD)
    assert response.status_code == 302
    # The rows are processed by a task, queued after commit.
    assert [callback.args[0].name for callback in callbacks] == ["applications.tasks.bulk_upload_run"]
    bulk = BulkUpload.objects.get()
    assert bulk.total == 6
    assert bulk_upload_run(upload_id=bulk.pk) == "done"

    bulk.refresh_from_db()
    assert (bulk.processed, bulk.prepared_count, bulk.refused_count) == (6, 3, 3)
    outcome = {row["line"]: row for row in bulk.report}
    assert outcome[2]["prepared"]
    assert outcome[3]["prepared"]
    assert not outcome[4]["prepared"]
    assert "birth" in outcome[4]["reason"].lower() or "geboortedatum" in outcome[4]["reason"].lower()
    assert not outcome[5]["prepared"]
    assert "mail" in outcome[5]["reason"].lower()
    assert not outcome[6]["prepared"]
    assert "2" in outcome[6]["reason"]  # the same person as on line 2
    assert Application.objects.filter(status=Status.PREPARED).count() == 3
    assert OutboxMessage.objects.filter(event="invitation").count() == 3
    assert {a.position for a in Application.objects.all()} == {"Begeleider"}

    page = org_client.get(f"/organisatie/meerdere-klaarzetten/{bulk.pk}/")
    html = page.content.decode()
    assert outcome[2]["reference"] in html
    assert 'max="6" value="6"' in html

    status = org_client.get(f"/organisatie/meerdere-klaarzetten/{bulk.pk}/voortgang/").json()
    assert status == {"status": "done", "processed": 6, "total": 6, "prepared": 3, "refused": 3}

    report = org_client.get(f"/organisatie/meerdere-klaarzetten/{bulk.pk}/verslag.csv")
    text = b"".join(report.streaming_content if report.streaming else [report.content]).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 7
    assert "'=HYPERLINK" in text  # never a live formula in the organisation's spreadsheet


def test_running_again_prepares_nothing_twice(org_client):
    upload(org_client, GOOD)
    bulk = BulkUpload.objects.get()
    bulk_upload_run(upload_id=bulk.pk)
    assert bulk_upload_run(upload_id=bulk.pk) == "nothing to do"
    assert Application.objects.count() == 3


def test_a_run_interrupted_halfway_resumes_where_it_stopped(org_client):
    upload(org_client, GOOD)
    bulk = BulkUpload.objects.get()
    # Pretend a worker died after the first two rows: only those are recorded.
    rows, bulk.rows = bulk.rows, bulk.rows[:2]
    bulk.save()
    bulk_upload_run(upload_id=bulk.pk)
    bulk.refresh_from_db()
    bulk.rows, bulk.status = rows, "running"
    bulk.save()
    bulk_upload_run(upload_id=bulk.pk)
    bulk.refresh_from_db()
    assert [row["line"] for row in bulk.report] == [2, 3, 4, 5, 6, 7]
    assert Application.objects.count() == 3  # line 6 is still recognised as line 2's person


def test_the_form_says_what_is_wrong_and_nothing_is_queued(org_client):
    response = org_client.post("/organisatie/meerdere-klaarzetten/", {**PURPOSE}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    response = upload(org_client, "naam;email\nJan;jan@example.org\n")
    assert response.status_code == 200
    assert "voornamen" in " ".join(response.context["form"].errors["file"])
    assert BulkUpload.objects.count() == 0


def test_organisations_see_only_their_own_uploads(org_client, client):
    upload(org_client, GOOD)
    bulk = BulkUpload.objects.get()
    other = Organisation.objects.create(kvk_number="87654321", name="Ander")
    client.force_login(User.objects.create(username="other", organisation=other))
    for suffix in ("", "voortgang/", "verslag.csv"):
        assert client.get(f"/organisatie/meerdere-klaarzetten/{bulk.pk}/{suffix}").status_code == 404


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prepares_the_rows(start_worker, org_client):
    from tests.conftest import wait_for

    start_worker()
    upload(org_client, GOOD)
    bulk = BulkUpload.objects.get()
    wait_for(lambda: BulkUpload.objects.get(pk=bulk.pk).status == "done", message="the upload to be processed")
    assert Application.objects.count() == 3
