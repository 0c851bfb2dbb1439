"""The Justis back office for paper: RNI VOG NP, VOG RP and GVA forms entered with their scans."""

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from applications import services
from applications.lifecycle import Status
from applications.models import (
    Application,
    Channel,
    KeyPerson,
    KeyPersonRole,
    LegalEntity,
    PaperIntake,
    ScannedDocument,
    ScannedDocumentKind,
)
from applications.paper.services import (
    KeyPersonData,
    LegalEntityData,
    PaperApplicationError,
    PaperDocument,
    PurposeData,
    company_application_enter,
    former_director_earliest_left_on,
    key_person_problems,
)
from applications.portals.uploads import checked_upload
from applications.services import IdempotencyConflict, application_receive
from justis.audit import Actor
from justis.faults import fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from screening.models import Assessment, AssessmentOutcome, SimulatedJusticeRecord
from screening.services import SCREENER_REASON_PAPER, assessment_run
from tests.factories import received_application

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
NOT_A_PDF = b"Dit is gewoon tekst, geen PDF.\n"
# Valid BSNs (11-test) of the demo persons; 999990032 gets a justice record in some tests.
BSN_CLEAN, BSN_WITH_RECORD = "999990019", "999990032"
DRILL = Actor.system("drill")


def pdf(name="aanvraagformulier.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def today() -> date:
    return timezone.localdate()


def months_ago(months: int) -> date:
    day = today()
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


def stored_files() -> set[Path]:
    """Every file under paper/ in the private storage (the folder is shared with earlier runs)."""
    root = Path(ScannedDocument._meta.get_field("file").storage.location) / "paper"
    return {path for path in root.rglob("*") if path.is_file()}


def errors(response, field: str, form: str = "form") -> list[str]:
    return response.context[form].errors.get(field, [])


PURPOSE = {
    "purpose_kind": "work",
    "position": "Verpleegkundige",
    "basis": "aspects",
    "functieaspecten": ["84", "86"],
}


def rni_data(**changes) -> dict:
    data = {
        **PURPOSE,
        "submission_key": str(uuid.uuid4()),
        "given_names": "Anna Maria",
        "surname": "Kowalska",
        "birth_date": "12-03-1988",
        "birth_place": "Kraków",
        "birth_country": "Polen",
        "nationalities": "Poolse, Duitse",
        "street": "ul. Floriańska 12",
        "postcode": "31-019",
        "city": "Kraków",
        "country": "Polen",
        "email": "anna@example.org",
        "organisation_name": "Zorggroep Oost B.V.",
        "organisation_kvk": "12345678",
        "payment_confirmed": "on",
        "scan": pdf(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def persons(*rows: dict, total: int = 3) -> dict:
    data = {
        "persons-TOTAL_FORMS": str(max(total, len(rows))),
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        data.update({f"persons-{index}-{key}": value for key, value in row.items()})
    return data


DIRECTOR = {
    "role": "bestuurder",
    "given_names": "Pieter",
    "surname": "Boer",
    "surname_prefix": "de",
    "bsn": BSN_WITH_RECORD,
    "birth_date": "28-02-1985",
    "nationality": "Nederlandse",
}
FOREIGN_DIRECTOR = {
    "role": "bestuurder",
    "given_names": "Klaus",
    "surname": "Weber",
    "birth_date": "01-07-1970",
    "nationality": "Duitse",
}


def company_data(*rows, **changes) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "kvk_number": "87654321",
        "company_name": "Transport Noord B.V.",
        "legal_form": "bv",
        "street": "Havenweg",
        "house_number": "4",
        "postcode": "9711 AA",
        "city": "Groningen",
        "representative_name": "P. de Boer",
        "payment_confirmed": "on",
        "scan": pdf(),
        **persons(*(rows or (DIRECTOR,))),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def rp_data(*rows, **changes) -> dict:
    return company_data(*rows, **{**PURPOSE, **changes})


def post(client, kind: str, data: dict, query: str = ""):
    return client.post(f"/backoffice/papier/nieuw/{kind}/{query}", data, HTTP_ACCEPT_LANGUAGE="en")


# --- RNI: VOG NP of a person not registered in the Netherlands ------------------------------------


def test_an_rni_application_is_received_with_its_scan_and_goes_to_a_screener(intake_officer_client, intake_officer):
    id_copy = SimpleUploadedFile("paspoort.png", PNG, content_type="image/png")
    response = post(intake_officer_client, "rni", rni_data(id_copy=id_copy))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/papier/{application.reference}/"
    assert (application.type, application.channel, application.status) == ("VOG_NP", "rni_direct", "received")
    assert application.municipality is None
    assert application.received_at is not None
    assert application.decision_due_date is not None
    assert (application.purpose_code, application.position, application.functieaspecten) == (
        "WRE",
        "Verpleegkundige",
        ["84", "86"],
    )
    assert application.organisation.kvk_number == "12345678"
    applicant = application.applicant
    assert applicant.bsn == ""
    assert (applicant.full_name, applicant.birth_date, applicant.country) == (
        "Anna Maria Kowalska",
        date(1988, 3, 12),
        "Polen",
    )
    assert applicant.nationalities == ["Poolse", "Duitse"]
    intake = PaperIntake.objects.get(application=application)
    assert (intake.entered_by, intake.fee_cents, intake.extra_copies) == (intake_officer, 4135, 0)
    documents = {document.kind: document for document in application.scanned_documents.all()}
    assert set(documents) == {ScannedDocumentKind.APPLICATION_FORM, ScannedDocumentKind.ID_COPY}
    scan = documents[ScannedDocumentKind.APPLICATION_FORM]
    assert (scan.original_name, scan.content_type, scan.size, scan.uploaded_by) == (
        "aanvraagformulier.pdf",
        "application/pdf",
        len(PDF),
        intake_officer,
    )
    assert scan.file.name.startswith("paper/")
    assert scan.file.name.endswith(".pdf")
    assert "aanvraagformulier" not in scan.file.name
    assert scan.file.read() == PDF
    assert documents[ScannedDocumentKind.ID_COPY].content_type == "image/png"
    assert AuditEvent.objects.filter(action=AuditAction.APPLICATION_RECEIVED, actor_id=str(intake_officer.pk)).exists()

    # No BSN: the JDS cannot be asked; a screener checks the identity.
    assert assessment_run(application_id=application.pk) == "in_review"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assessment = Assessment.objects.get(application=application)
    assert (assessment.outcome, assessment.records) == (AssessmentOutcome.NEEDS_SCREENER, [])
    assert application.status_changes.first().reason == SCREENER_REASON_PAPER
    assert not AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ).exists()


def test_an_rni_form_with_errors_keeps_what_was_typed_and_asks_for_the_files_again(intake_officer_client):
    response = post(intake_officer_client, "rni", rni_data(email="geen-adres", scan=None))

    assert response.status_code == 200
    assert not Application.objects.exists()
    assert errors(response, "email") == ["Enter a valid email address."]
    assert errors(response, "scan") == ["Choose the scan of the application form: a PDF, JPEG or PNG file."]
    html = response.content.decode()
    assert 'value="Kowalska"' in html
    assert 'value="ul. Floriańska 12"' in html
    assert "Choose the files again" in html
    # The summary names each field.
    assert "Scan of the application form: Choose the scan" in html


def test_required_fields_are_named_in_their_message(intake_officer_client):
    response = post(intake_officer_client, "rni", rni_data(surname="", birth_place=""))

    assert errors(response, "surname") == ["Surname is required."]
    assert errors(response, "birth_place") == ["Place of birth is required."]


def test_an_rni_application_needs_the_payment_confirmed(intake_officer_client):
    response = post(intake_officer_client, "rni", rni_data(payment_confirmed=None))

    assert errors(response, "payment_confirmed")[0].startswith("Confirm that the fee has been received")
    assert not Application.objects.exists()


def test_the_rni_form_shows_the_fee_from_the_fee_table(intake_officer_client):
    response = intake_officer_client.get("/backoffice/papier/nieuw/rni/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "The fee of € 41,35 has been received by bank transfer" in response.content.decode()


# --- Scans ----------------------------------------------------------------------------------------


def test_a_text_file_renamed_to_pdf_is_refused(intake_officer_client):
    response = post(intake_officer_client, "rni", rni_data(scan=pdf("formulier.pdf", NOT_A_PDF)))

    assert errors(response, "scan") == [
        "This type of file cannot be sent. Send a PDF, JPEG or PNG file of at most 10 MB."
    ]
    assert not Application.objects.exists()


def test_a_scan_over_the_limit_is_refused(intake_officer_client, settings):
    settings.PAPER_MAX_UPLOAD_MB = 1
    big = pdf(content=PDF + b"0" * (1024 * 1024))

    response = post(intake_officer_client, "rni", rni_data(scan=big))

    assert errors(response, "scan") == ["The file is larger than 1 MB. Send a PDF, JPEG or PNG file of at most 1 MB."]
    assert not Application.objects.exists()


def test_the_paper_limit_is_its_own_setting(settings):
    settings.PAPER_MAX_UPLOAD_MB = 1
    settings.ZIENSWIJZE_MAX_UPLOAD_MB = 10
    upload = pdf(content=PDF + b"0" * (2 * 1024 * 1024))

    assert checked_upload(upload).size == upload.size
    with pytest.raises(Exception, match="larger than 1 MB"):
        checked_upload(upload, max_mb=1)


# --- VOG RP ---------------------------------------------------------------------------------------


def test_a_vog_rp_is_received_and_the_key_persons_with_a_bsn_are_looked_up(intake_officer_client):
    SimulatedJusticeRecord.objects.create(
        bsn=BSN_WITH_RECORD,
        offence_article="225 Sr",
        offence_description="valsheid in geschrift",
        offence_category="fraude",
        offence_date=date(2023, 4, 1),
        decision_date=date(2024, 1, 10),
        disposal_type="conviction",
    )
    former = {
        **FOREIGN_DIRECTOR,
        "role": "former_bestuurder",
        "bsn": BSN_CLEAN,
        "left_on": months_ago(3).strftime("%d-%m-%Y"),
    }
    response = post(
        intake_officer_client,
        "vog-rp",
        rp_data(DIRECTOR, FOREIGN_DIRECTOR, former, urgent_reason="activities_abroad"),
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.type, application.channel, application.status) == ("VOG_RP", "paper", "received")
    assert application.urgent_reason == "activities_abroad"
    assert application.reference.startswith("RP-")
    assert not hasattr(application, "applicant")
    entity = LegalEntity.objects.get(application=application)
    assert (entity.kvk_number, entity.name, entity.legal_form) == ("87654321", "Transport Noord B.V.", "bv")
    assert application.organisation.kvk_number == "87654321"
    people = list(KeyPerson.objects.filter(application=application))
    assert [(p.role, p.bsn, p.left_on) for p in people] == [
        ("bestuurder", BSN_WITH_RECORD, None),
        ("bestuurder", "", None),
        ("former_bestuurder", BSN_CLEAN, months_ago(3)),
    ]
    assert PaperIntake.objects.get(application=application).fee_cents == 20700

    assert assessment_run(application_id=application.pk) == "in_review"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assessment = Assessment.objects.get(application=application)
    assert assessment.outcome == AssessmentOutcome.NEEDS_SCREENER
    assert [(r["offence_article"], r["key_person"]) for r in assessment.records] == [("225 Sr", people[0].pk)]
    reads = AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ, subject_id=application.reference)
    assert sorted(event.data["key_person"] for event in reads if "key_person" in event.data) == [
        people[0].pk,
        people[2].pk,
    ]
    assert [event.data["legal_entity"] for event in reads if "legal_entity" in event.data] == [entity.pk]
    reason = application.status_changes.order_by("at", "id").last().reason
    assert "without a BSN" in reason
    assert "1 justice record(s)" in reason


def test_a_vog_rp_waits_when_the_jds_does_not_answer(intake_officer_client):
    post(intake_officer_client, "vog-rp", rp_data())
    application = Application.objects.get()
    fault_set(system="jds", mode="down", actor=DRILL)
    try:
        assert assessment_run(application_id=application.pk) == "waiting"
    finally:
        fault_clear(system="jds", actor=DRILL)
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT
    assert application.next_attempt_at > timezone.now()
    assert not Assessment.objects.filter(application=application).exists()
    assert assessment_run(application_id=application.pk) == "issued"  # the director has no records


def test_a_bad_kvk_number_is_refused(intake_officer_client):
    response = post(intake_officer_client, "vog-rp", rp_data(kvk_number="1234567"))

    assert errors(response, "kvk_number") == ["A KvK number has exactly 8 digits."]
    assert not Application.objects.exists()


def test_a_key_persons_bsn_must_pass_the_11_test(intake_officer_client):
    response = post(intake_officer_client, "vog-rp", rp_data({**DIRECTOR, "bsn": "123456789"}))

    person = response.context["persons"].forms[0]
    assert person.errors["bsn"] == [
        "This is not a valid BSN: it fails the 11-test. Check the number on the identity document."
    ]
    assert "Key person 1, BSN (optional): This is not a valid BSN" in response.content.decode()
    assert not Application.objects.exists()


def test_a_former_director_who_left_13_months_ago_is_refused(intake_officer_client):
    former = {**DIRECTOR, "role": "former_bestuurder", "left_on": months_ago(13).strftime("%d-%m-%Y")}

    response = post(intake_officer_client, "vog-rp", rp_data(DIRECTOR, former))

    earliest = former_director_earliest_left_on(today())
    assert response.context["persons"].forms[1].errors["left_on"] == [
        "This director left more than 12 months before the application. A former director counts only when "
        f"they left on or after {earliest:%d-%m-%Y}: leave this person out."
    ]
    assert not Application.objects.exists()


def test_a_former_director_needs_the_date_of_leaving(intake_officer_client):
    response = post(intake_officer_client, "vog-rp", rp_data({**DIRECTOR, "role": "former_bestuurder"}))

    assert response.context["persons"].forms[0].errors["left_on"] == [
        "Fill in the date on which the former director left."
    ]


def test_a_vog_rp_needs_at_least_one_key_person(intake_officer_client):
    data = {key: value for key, value in rp_data().items() if not key.startswith("persons-0-")}

    response = post(intake_officer_client, "vog-rp", data)

    assert response.context["persons"].non_form_errors() == ["Fill in at least one key person."]
    assert not Application.objects.exists()


def test_a_vog_rp_may_be_urgent_only_for_activities_abroad(intake_officer_client):
    response = post(intake_officer_client, "vog-rp", rp_data(urgent_reason="adoption"))

    assert errors(response, "urgent_reason") == ["A VOG RP may use the urgent procedure only for activities abroad."]
    assert not Application.objects.exists()


def test_a_vog_rp_is_not_for_an_eenmanszaak(intake_officer_client):
    response = post(intake_officer_client, "vog-rp", rp_data(legal_form="eenmanszaak"))

    assert errors(response, "legal_form")
    assert not Application.objects.exists()


def test_the_form_shows_more_rows_for_key_persons_on_request(intake_officer_client):
    response = intake_officer_client.get("/backoffice/papier/nieuw/vog-rp/?rijen=6")

    assert response.context["persons"].total_form_count() == 6


# --- GVA ------------------------------------------------------------------------------------------


def test_a_gva_with_a_former_director_and_extra_copies_is_received(intake_officer_client):
    former = {**FOREIGN_DIRECTOR, "role": "former_bestuurder", "left_on": months_ago(11).strftime("%d-%m-%Y")}

    response = post(intake_officer_client, "gva", company_data(DIRECTOR, former, extra_copies="3"))

    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.type, application.channel, application.status) == ("GVA", "paper", "received")
    assert (application.screening_profile, application.functieaspecten, application.urgent_reason) == ("", [], "")
    intake = PaperIntake.objects.get(application=application)
    assert (intake.extra_copies, intake.fee_cents) == (3, 7500 + 300)
    assert KeyPerson.objects.filter(application=application, role=KeyPersonRole.FORMER_DIRECTOR).count() == 1

    assert assessment_run(application_id=application.pk) == "in_review"
    detail = intake_officer_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€ 78,00 (including € 3,00 for 3 extra copies)" in detail


def test_a_gva_for_an_eenmanszaak_has_its_owner_as_key_person(intake_officer_client):
    owner = {**DIRECTOR, "role": "eigenaar"}

    response = post(intake_officer_client, "gva", company_data(owner, legal_form="eenmanszaak"))

    assert response.status_code == 302
    assert KeyPerson.objects.get().role == KeyPersonRole.OWNER
    wrong = post(intake_officer_client, "gva", company_data(DIRECTOR, legal_form="eenmanszaak"))
    assert wrong.context["persons"].forms[0].errors["role"] == [
        "An eenmanszaak has only its owner as key person: choose the role “owner”."
    ]


def test_a_gva_has_at_most_ten_extra_copies(intake_officer_client):
    response = post(intake_officer_client, "gva", company_data(extra_copies="11"))

    assert errors(response, "extra_copies") == ["At most 10 extra copies."]
    assert not Application.objects.exists()


def entity() -> LegalEntityData:
    return LegalEntityData(
        kvk_number="87654321",
        name="Transport Noord B.V.",
        legal_form="bv",
        street="Havenweg",
        house_number="4",
        city="Groningen",
        representative_name="P. de Boer",
    )


def director(**changes) -> KeyPersonData:
    return KeyPersonData(
        **{
            "role": "bestuurder",
            "given_names": "Pieter",
            "surname": "Boer",
            "birth_date": date(1985, 2, 28),
            "nationality": "Nederlandse",
            **changes,
        }
    )


def scan() -> PaperDocument:
    return PaperDocument(kind=ScannedDocumentKind.APPLICATION_FORM, upload=checked_upload(pdf()))


def enter(user, application_type="GVA", **changes):
    arguments = {
        "application_type": application_type,
        "legal_entity": entity(),
        "key_persons": [director()],
        "documents": [scan()],
        "entered_by": user,
        "submission_key": uuid.uuid4(),
        **changes,
    }
    if application_type == "VOG_RP":
        arguments.setdefault("purpose", PurposeData("WRE", "Vervoerder", "", "", ("11",)))
    return company_application_enter(**arguments)


def test_the_12_months_count_back_from_the_application_date():
    day = date(2026, 11, 23)
    assert former_director_earliest_left_on(day) == date(2025, 11, 23)
    assert former_director_earliest_left_on(date(2028, 2, 29)) == date(2027, 2, 28)
    left_just_in_time = director(role="former_bestuurder", left_on=date(2025, 11, 23))
    left_a_day_too_early = director(role="former_bestuurder", left_on=date(2025, 11, 22))
    assert key_person_problems(left_just_in_time, legal_form="bv", day=day) == {}
    assert set(key_person_problems(left_a_day_too_early, legal_form="bv", day=day)) == {"left_on"}
    assert set(key_person_problems(director(left_on=date(2026, 1, 1)), legal_form="bv", day=day)) == {"left_on"}


def test_the_gva_form_shows_the_fee_and_the_price_of_a_copy_and_no_urgent_procedure(intake_officer_client):
    html = intake_officer_client.get("/backoffice/papier/nieuw/gva/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "The fee of € 75,00 plus € 1,00 for each extra copy has been received by bank transfer" in html
    assert 'name="urgent_reason"' not in html
    assert 'value="eenmanszaak"' in html


def test_the_vog_rp_form_offers_no_eenmanszaak_and_no_owner(intake_officer_client):
    html = intake_officer_client.get("/backoffice/papier/nieuw/vog-rp/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "The fee of € 207,00 has been received by bank transfer" in html
    assert 'value="eenmanszaak"' not in html
    assert 'value="eigenaar"' not in html
    assert 'value="former_bestuurder"' in html


def test_a_gva_has_no_urgent_procedure(intake_officer):
    with pytest.raises(PaperApplicationError) as refused:
        enter(intake_officer, urgent_reason="activities_abroad")

    assert refused.value.field == "urgent_reason"
    assert refused.value.message == "A GVA has no urgent procedure."
    assert not Application.objects.exists()


def test_the_service_refuses_what_the_form_refuses(intake_officer):
    cases = [
        ({"application_type": "VOG_RP", "urgent_reason": "adoption"}, "urgent_reason"),
        ({"key_persons": []}, "key_persons"),
        ({"key_persons": [director(role="former_bestuurder", left_on=months_ago(13))]}, "key_persons"),
        ({"key_persons": [director(bsn="123456789")]}, "key_persons"),
        ({"extra_copies": 11}, "extra_copies"),
        ({"application_type": "VOG_RP", "extra_copies": 1}, "extra_copies"),
        ({"documents": []}, "scan"),
    ]
    for changes, field in cases:
        with pytest.raises(PaperApplicationError) as refused:
            enter(intake_officer, **changes)
        assert refused.value.field == field, changes
    assert not Application.objects.exists()


def test_a_vog_np_still_needs_its_applicant():
    with pytest.raises(ValueError, match="needs its applicant"):
        application_receive(
            application_type="VOG_NP",
            channel=Channel.PAPER,
            applicant=None,
            organisation_name="X",
            kvk_number="",
            purpose_code="WRE",
            position="Kok",
            purpose_description="",
            screening_profile="",
            functieaspecten=["11"],
            actor=DRILL,
        )


# --- One submission, one application --------------------------------------------------------------


def test_the_same_form_sent_twice_gives_one_application(intake_officer_client):
    data = rni_data()
    first = post(intake_officer_client, "rni", data)
    again = post(intake_officer_client, "rni", {**data, "scan": pdf()})

    application = Application.objects.get()
    assert first["Location"] == again["Location"] == f"/backoffice/papier/{application.reference}/"
    assert application.scanned_documents.count() == 1
    assert PaperIntake.objects.count() == 1


def test_the_same_key_with_other_data_is_refused(intake_officer):
    key = uuid.uuid4()
    first, created = enter(intake_officer, submission_key=key)
    assert created
    same, created_again = enter(intake_officer, submission_key=key)
    assert (same, created_again) == (first, False)
    with pytest.raises(IdempotencyConflict) as conflict:
        enter(intake_officer, submission_key=key, extra_copies=2)
    assert conflict.value.reference == first.reference
    assert Application.objects.count() == 1


def test_the_conflict_is_explained_on_the_form(intake_officer_client):
    data = rni_data()
    post(intake_officer_client, "rni", data)
    response = post(intake_officer_client, "rni", {**data, "surname": "Nowak", "scan": pdf()})

    application = Application.objects.get()
    assert response.status_code == 200
    html = response.content.decode()
    assert "This form was sent before, with other data, and entered as application" in html
    assert f'href="/backoffice/papier/{application.reference}/">{application.reference}</a>' in html
    assert application.applicant.surname == "Kowalska"


def test_a_race_of_two_submissions_ends_with_the_first_application(intake_officer, monkeypatch):
    """The second request misses the first in its look-up; the database's constraint catches it."""
    key = uuid.uuid4()
    first, _created = enter(intake_officer, submission_key=key)
    look_up = services._existing_for_key
    calls = []

    def miss_the_first_look_up(*args):
        calls.append(args)
        return None if len(calls) == 1 else look_up(*args)

    monkeypatch.setattr(services, "_existing_for_key", miss_the_first_look_up)
    again, created = enter(intake_officer, submission_key=key)

    assert (again, created) == (first, False)
    assert len(calls) == 2
    assert Application.objects.count() == 1
    assert ScannedDocument.objects.count() == 1


def test_the_database_refuses_a_second_application_with_the_same_key_without_a_municipality(intake_officer):
    first, _created = enter(intake_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            reference="GVA-000000-XXXXXX",
            type="GVA",
            channel=Channel.PAPER,
            status=Status.RECEIVED,
            purpose_code="",
            idempotency_key=first.idempotency_key,
        )


def test_a_failure_after_the_scans_were_stored_leaves_neither_rows_nor_files(intake_officer, monkeypatch):
    before = stored_files()
    saves = []
    original_save = ScannedDocument.save

    def save_then_fail(self, *args, **kwargs):
        saves.append(self.kind)
        if len(saves) == 2:
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(ScannedDocument, "save", save_then_fail)
    proof = PaperDocument(
        kind=ScannedDocumentKind.PAYMENT_PROOF,
        upload=checked_upload(SimpleUploadedFile("betaling.png", PNG, content_type="image/png")),
    )
    with pytest.raises(RuntimeError):
        enter(intake_officer, documents=[scan(), proof])

    assert not Application.objects.exists()
    assert not ScannedDocument.objects.exists()
    assert stored_files() == before


# --- List, detail and downloads -------------------------------------------------------------------


def test_the_list_shows_only_paper_applications_newest_first(intake_officer_client, intake_officer, amsterdam):
    municipal = received_application(municipality=amsterdam)
    older, _created = enter(intake_officer)
    Application.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    post(intake_officer_client, "rni", rni_data())
    rni = Application.objects.get(channel=Channel.RNI_DIRECT)

    response = intake_officer_client.get("/backoffice/papier/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert [application.reference for application in response.context["page"]] == [rni.reference, older.reference]
    html = response.content.decode()
    assert municipal.reference not in html
    assert "Anna Maria Kowalska" in html
    assert "Transport Noord B.V." in html
    for link in ("/backoffice/papier/nieuw/rni/", "/backoffice/papier/nieuw/vog-rp/", "/backoffice/papier/nieuw/gva/"):
        assert f'href="{link}"' in html


def test_the_detail_page_shows_the_data_key_persons_documents_and_history(intake_officer_client, intake_officer):
    application, _created = enter(intake_officer, key_persons=[director(bsn=BSN_CLEAN)])
    assessment_run(application_id=application.pk)

    response = intake_officer_client.get(f"/backoffice/papier/{application.reference}/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert application.reference in html
    assert "Transport Noord B.V." in html
    assert "87654321" in html
    assert "Pieter Boer" in html
    assert BSN_CLEAN in html
    document = application.scanned_documents.get()
    assert f"/backoffice/papier/{application.reference}/documenten/{document.pk}/" in html
    # A clean company whose only key person has a BSN and no records: the GVA is issued automatically.
    assert [change.to_status for change in response.context["history"]] == ["received", "in_assessment", "issued"]
    assert "none stands in the way" in html
    assert 'data-validity="valid"' in html


def test_a_municipal_application_has_no_paper_detail_page(intake_officer_client, amsterdam):
    municipal = received_application(municipality=amsterdam)

    assert intake_officer_client.get(f"/backoffice/papier/{municipal.reference}/").status_code == 404


def test_an_intake_officer_downloads_a_scan_and_it_is_audited(intake_officer_client, intake_officer):
    application, _created = enter(intake_officer)
    document = application.scanned_documents.get()
    url = f"/backoffice/papier/{application.reference}/documenten/{document.pk}/"

    response = intake_officer_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="aanvraagformulier.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOADED)
    assert (event.actor_id, event.subject_id, event.data) == (
        str(intake_officer.pk),
        application.reference,
        {"document": document.pk, "kind": "application_form"},
    )


def test_a_scan_of_another_application_is_not_found(intake_officer_client, intake_officer):
    first, _created = enter(intake_officer)
    second, _created = enter(intake_officer)
    document = first.scanned_documents.get()

    response = intake_officer_client.get(f"/backoffice/papier/{second.reference}/documenten/{document.pk}/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()


def test_other_roles_cannot_open_the_back_office_or_download(client, clerk_client, intake_officer):
    application, _created = enter(intake_officer)
    document = application.scanned_documents.get()
    urls = [
        "/backoffice/papier/",
        "/backoffice/papier/nieuw/rni/",
        "/backoffice/papier/nieuw/vog-rp/",
        "/backoffice/papier/nieuw/gva/",
        f"/backoffice/papier/{application.reference}/",
        f"/backoffice/papier/{application.reference}/documenten/{document.pk}/",
    ]
    for url in urls:
        assert clerk_client.get(url).status_code == 403, url
    assert clerk_client.post("/backoffice/papier/nieuw/rni/", rni_data()).status_code == 403
    clerk_client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/medewerkers/inloggen/"), url
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()
    assert Application.objects.count() == 1
