"""VOG RP and GVA: who is screened, the company's own records, the GVA exclusion grounds, automatic grant
or a screener, the decisions from the case screen and the certificate with its validity.

The combined rules (final or not, inside or outside the 5 and 3 years, a former director who left within
or after 12 months) are checked over every combination of a grid around their boundaries.
"""

import itertools
from datetime import date, timedelta

from django.utils import timezone

import pytest
from dateutil.relativedelta import relativedelta

from applications.lifecycle import Status
from applications.models import KeyPerson, KeyPersonRole
from applications.paper.services import former_director_earliest_left_on
from justis.audit import Actor
from justis.faults import fault_clear, fault_set
from justis.models import AuditAction, AuditEvent
from notifications.models import Letter, LetterKind
from screening import gva_data
from screening.companies import (
    exclusion_grounds_load,
    exclusion_grounds_on,
    former_director_screened_from,
    gva_finding,
    is_screened,
    months_before,
)
from screening.jds.base import JusticeRecord
from screening.jds.simulator import SimulatedJds
from screening.models import (
    Assessment,
    AssessmentOutcome,
    Certificate,
    ExclusionGround,
    ScreenerAssessment,
    SimulatedJusticeRecord,
)
from screening.pdf import certificate_html
from screening.rules import rules_on, years_before
from screening.services import (
    assessment_run,
    certificate_expired,
    certificate_printed_data,
    certificate_render,
    certificate_shown,
)
from screening.workbench.services import case_claim, case_grant, case_intend_refusal
from tests.test_paper import director, enter

pytestmark = pytest.mark.django_db

KVK = "87654321"  # the company of tests.test_paper.entity()
BSN_A, BSN_B, BSN_C = "999990019", "999990032", "999990044"
MOTIVATION = "De veroordeling is ouder en de bestuurder is sindsdien niet meer met justitie in aanraking geweest."
REASONS = "Een bestuurder is in de afgelopen vijf jaar onherroepelijk veroordeeld voor fraude."
ARTICLES = {
    "fraud": ("326 Sr", "oplichting", "fraud"),
    "bribery": ("177 Sr", "omkoping van een ambtenaar", "other"),
    "money_laundering": ("420bis Sr", "witwassen", "property"),
    "criminal_organisation": ("140 Sr", "deelneming aan een criminele organisatie", "other"),
    "trafficking": ("273f Sr", "mensenhandel", "other"),
    "terrorism": ("140a Sr", "deelneming aan een terroristische organisatie", "terrorism"),
    "theft": ("310 Sr", "diefstal", "property"),  # facultative: a property offence
    "drink_driving": ("8 WVW 1994", "rijden onder invloed", "traffic"),  # no exclusion ground
}


def today() -> date:
    return timezone.localdate()


def record(*, days_ago: int, kind="fraud", final=True, disposal="conviction", bsn="", kvk_number=""):
    article, description, category = ARTICLES[kind]
    decided = today() - timedelta(days=days_ago)
    return SimulatedJusticeRecord.objects.create(
        bsn=bsn,
        kvk_number=kvk_number,
        offence_article=article,
        offence_description=description,
        offence_category=category,
        offence_date=decided - timedelta(days=60),
        decision_date=decided,
        disposal_type=disposal,
        final=final,
        sentence="geldboete € 5.000",
    )


def company(user, application_type="GVA", persons=None, former=()):
    """A received paper application; ``former``: (bsn, left_on) of former directors added beyond the form's limit."""
    persons = persons if persons is not None else [director(bsn=BSN_A)]
    application, _created = enter(user, application_type, key_persons=persons)
    for number, (bsn, left_on) in enumerate(former):
        KeyPerson.objects.create(
            application=application,
            role=KeyPersonRole.FORMER_DIRECTOR,
            bsn=bsn,
            given_names=f"Oud{number}",
            surname="Bestuurder",
            birth_date=date(1970, 1, 1),
            nationality="Nederlandse",
            left_on=left_on,
        )
    return application


def assessed(application):
    outcome = assessment_run(application_id=application.pk)
    application.refresh_from_db()
    return outcome, Assessment.objects.get(application=application)


def reads(application) -> list[dict]:
    return [
        event.data
        for event in AuditEvent.objects.filter(
            action=AuditAction.JUSTICE_DATA_READ, subject_id=application.reference
        ).order_by("id")
    ]


# --- Who is screened ---------------------------------------------------------------------------------


def test_a_former_director_counts_up_to_12_months_before_the_application_date_and_not_a_day_longer(intake_officer):
    boundary = former_director_screened_from(today())
    record(days_ago=365, bsn=BSN_B)
    record(days_ago=365, bsn=BSN_C)
    application = company(intake_officer, former=[(BSN_B, boundary), (BSN_C, boundary - timedelta(days=1))])

    outcome, assessment = assessed(application)

    just_in_time, too_early = application.key_persons.filter(role="former_bestuurder").order_by("pk")
    assert outcome == "in_review"
    assert [finding["key_person"] for finding in assessment.findings] == [just_in_time.pk]
    assert [finding["key_person_name"] for finding in assessment.findings] == [just_in_time.full_name]
    subjects = {subject["id"]: subject for subject in assessment.subjects if subject["kind"] == "key_person"}
    assert subjects[just_in_time.pk]["status"] == "screened"
    assert subjects[too_early.pk]["status"] == "left_too_long_ago"
    assert subjects[too_early.pk]["records"] == []
    assert subjects[too_early.pk]["explanation"]["en"] == (
        f"Not screened: left more than 12 months before the application (on {too_early.left_on:%d-%m-%Y})."
    )
    # The justice records of the one not screened are not read at all.
    assert too_early.pk not in [data.get("key_person") for data in reads(application)]


def test_the_months_are_a_setting(settings):
    settings.FORMER_DIRECTOR_SCREENED_MONTHS = 6
    assert former_director_screened_from(date(2026, 11, 23)) == date(2026, 5, 23)
    person = KeyPerson(role=KeyPersonRole.FORMER_DIRECTOR, left_on=date(2026, 5, 22))
    assert not is_screened(person, date(2026, 11, 23))
    person.left_on = date(2026, 5, 23)
    assert is_screened(person, date(2026, 11, 23))


def test_the_paper_form_follows_the_same_setting(settings):
    from applications.paper.services import key_person_problems

    settings.FORMER_DIRECTOR_SCREENED_MONTHS = 6
    day = date(2026, 11, 23)
    assert former_director_earliest_left_on(day) == date(2026, 5, 23)
    left_seven_months_ago = director(role="former_bestuurder", left_on=date(2026, 4, 23))
    assert set(key_person_problems(left_seven_months_ago, legal_form="bv", day=day)) == {"left_on"}


@pytest.mark.parametrize("role", [role for role in KeyPersonRole if role != KeyPersonRole.FORMER_DIRECTOR])
def test_every_current_key_person_is_screened(role):
    assert is_screened(KeyPerson(role=role), date(2026, 11, 23))


def test_the_12_months_agree_with_the_paper_form_and_with_calendar_months_for_every_day():
    day = date(2024, 1, 1)
    while day <= date(2028, 12, 31):
        assert former_director_screened_from(day) == former_director_earliest_left_on(day)
        assert months_before(day, 12) == day - relativedelta(months=12)
        for months in (1, 6, 14):
            assert months_before(day, months) == day - relativedelta(months=months)
        day += timedelta(days=1)


def test_whether_a_former_director_is_screened_over_a_grid_of_leave_dates():
    application_date = date(2026, 11, 23)
    for days_before in range(0, 800, 3):
        left_on = application_date - timedelta(days=days_before)
        person = KeyPerson(role=KeyPersonRole.FORMER_DIRECTOR, left_on=left_on)
        assert is_screened(person, application_date) == (left_on + relativedelta(months=12) >= application_date)


# --- The company's own records -----------------------------------------------------------------------


def test_the_jds_simulator_reads_the_records_of_a_legal_entity_by_kvk_number():
    record(days_ago=400, kvk_number=KVK)
    record(days_ago=400, bsn=BSN_A, kind="theft")
    jds = SimulatedJds(timeout=1)
    assert [r.offence_article for r in jds.records_for_legal_entity(KVK)] == ["326 Sr"]
    assert [r.offence_article for r in jds.records_for(BSN_A)] == ["310 Sr"]
    assert jds.records_for_legal_entity("12345678") == []


def test_a_simulated_record_belongs_to_a_person_or_a_legal_entity_never_both_or_neither():
    from django.db import IntegrityError, transaction

    for bsn, kvk in ((BSN_A, KVK), ("", "")):
        with pytest.raises(IntegrityError), transaction.atomic():
            record(days_ago=10, bsn=bsn, kvk_number=kvk)


def test_the_companys_own_final_fraud_conviction_sends_a_gva_to_a_screener(intake_officer):
    record(days_ago=2 * 365, kvk_number=KVK)
    application = company(intake_officer)

    outcome, assessment = assessed(application)

    assert outcome == "in_review"
    assert assessment.outcome == AssessmentOutcome.NEEDS_SCREENER
    [finding] = assessment.findings
    assert finding["subject"] == "legal_entity"
    assert finding["legal_entity"] == application.legal_entity.pk
    assert (finding["ground"], finding["ground_kind"], finding["for_screener"]) == ("fraud", "mandatory", True)
    assert finding["category"] == "vermogen"  # the pre-assessment's offence category of 326 Sr
    assert assessment.records[0]["subject"] == "legal_entity"
    assert "mandatory exclusion ground: fraud" in finding["explanation"]["en"]
    assert "fraude" in finding["explanation"]["nl"]  # the ground's Dutch name, from the reference data
    assert "for a screener" in application.status_changes.order_by("at", "id").last().reason


def test_every_read_is_audited_naming_the_key_person_or_the_company(intake_officer):
    application = company(
        intake_officer,
        persons=[director(bsn=BSN_A), director(bsn=BSN_B, given_names="Anna", surname="Smit")],
    )

    assessed(application)

    first, second = application.key_persons.order_by("pk")
    events = list(
        AuditEvent.objects.filter(action=AuditAction.JUSTICE_DATA_READ, subject_id=application.reference).order_by("id")
    )
    assert [event.data for event in events] == [
        {"key_person": first.pk, "records": 0},
        {"key_person": second.pk, "records": 0},
        {"legal_entity": application.legal_entity.pk, "records": 0},
    ]
    assert [event.reason for event in events] == [
        "key person Pieter Boer (bestuurder) of a GVA",
        "key person Anna Smit (bestuurder) of a GVA",
        f"legal entity Transport Noord B.V. (KvK {KVK}) of a GVA",
    ]


def test_with_the_jds_down_nothing_is_read_or_written_and_the_application_waits(intake_officer):
    application = company(intake_officer)
    fault_set(system="jds", mode="down", actor=Actor.system("drill"))
    try:
        assert assessment_run(application_id=application.pk) == "waiting"
    finally:
        fault_clear(system="jds", actor=Actor.system("drill"))
    assert reads(application) == []
    assert not Assessment.objects.filter(application=application).exists()
    assert assessment_run(application_id=application.pk) == "issued"


# --- Automatic grant or a screener ----------------------------------------------------------------


def test_a_clean_gva_is_issued_with_a_validity_of_two_years(intake_officer):
    application = company(intake_officer)

    outcome, assessment = assessed(application)

    assert outcome == "issued"
    assert assessment.outcome == AssessmentOutcome.AUTO_GRANT
    assert [subject["status"] for subject in assessment.subjects] == ["screened", "screened"]
    certificate = Certificate.objects.get(application=application)
    issued_on = timezone.localdate(certificate.issued_at)
    assert certificate.valid_until == issued_on + relativedelta(years=2)
    assert certificate.printed["valid_until"] == certificate.valid_until.isoformat()
    assert certificate.printed["title"]["nl"] == "Gedragsverklaring Aanbesteden"
    assert certificate.printed["legal_entity"] == {
        "name": "Transport Noord B.V.",
        "kvk_number": KVK,
        "seat": "Groningen",
        "legal_form": "bv",
        "address": "Havenweg 4, Groningen",
    }
    assert "purpose" not in certificate.printed
    assert "applicant" not in certificate.printed


def test_a_key_person_without_a_bsn_always_needs_a_screener(intake_officer):
    foreign = director(given_names="Klaus", surname="Weber", nationality="Duitse")
    application = company(intake_officer, persons=[director(bsn=BSN_A), foreign])

    outcome, assessment = assessed(application)

    assert outcome == "in_review"
    assert assessment.findings == []
    assert [subject["status"] for subject in assessment.subjects] == ["screened", "no_bsn", "screened"]
    reason = application.status_changes.order_by("at", "id").last().reason
    assert "without a BSN, checked by a screener: Klaus Weber" in reason


def test_a_former_director_left_long_ago_with_a_record_does_not_stop_the_grant(intake_officer):
    record(days_ago=200, bsn=BSN_B)
    application = company(intake_officer, former=[(BSN_B, months_before(today(), 14))])

    outcome, assessment = assessed(application)

    assert outcome == "issued"
    assert [subject["status"] for subject in assessment.subjects] == ["screened", "left_too_long_ago", "screened"]
    assert "1 former director(s) not screened" in application.status_changes.order_by("at", "id").last().reason


@pytest.mark.parametrize(
    ("kind", "final", "disposal", "days_ago", "outcome"),
    [
        ("fraud", True, "conviction", 2 * 365, "in_review"),
        ("fraud", False, "conviction", 2 * 365, "issued"),  # under appeal
        ("fraud", True, "penal_order", 2 * 365, "issued"),  # not a conviction
        ("fraud", True, "conviction", 6 * 365, "issued"),  # before the 5 years
        ("bribery", True, "conviction", 4 * 365, "in_review"),
        ("money_laundering", True, "conviction", 4 * 365, "in_review"),
        ("criminal_organisation", True, "conviction", 4 * 365, "in_review"),
        ("trafficking", True, "conviction", 4 * 365, "in_review"),
        ("terrorism", True, "conviction", 4 * 365, "in_review"),
        ("theft", True, "conviction", 2 * 365, "in_review"),  # facultative, within 3 years
        ("theft", True, "conviction", 4 * 365, "issued"),  # facultative, before the 3 years
        ("drink_driving", True, "conviction", 100, "issued"),  # no exclusion ground
    ],
)
def test_the_gva_rules_for_a_directors_record(intake_officer, kind, final, disposal, days_ago, outcome):
    record(days_ago=days_ago, kind=kind, final=final, disposal=disposal, bsn=BSN_A)
    application = company(intake_officer)

    assert assessed(application)[0] == outcome


def test_a_vog_rp_screens_each_person_on_the_screening_basis_and_their_age(intake_officer):
    # Functieaspect 11 (information): property offences matter, traffic offences do not.
    record(days_ago=100, kind="drink_driving", bsn=BSN_A, disposal="penal_order")
    young = director(bsn=BSN_B, given_names="Noor", surname="Jong", birth_date=years_before(today(), 21))
    record(days_ago=3 * 365, kind="theft", bsn=BSN_B, disposal="penal_order")  # 2-year period under 23
    application = company(intake_officer, "VOG_RP", persons=[director(bsn=BSN_A), young])

    outcome, assessment = assessed(application)

    assert outcome == "issued"
    first, second = assessment.findings
    assert (first["key_person_name"], first["category"], first["relevant"]) == ("Pieter Boer", "verkeer", False)
    assert (second["key_person_name"], second["window"]["years"], second["in_window"]) == ("Noor Jong", 2, False)
    assert Certificate.objects.get(application=application).valid_until is None


def test_a_vog_rp_with_a_relevant_record_of_an_older_director_needs_a_screener(intake_officer):
    record(days_ago=3 * 365, kind="theft", bsn=BSN_A, disposal="penal_order")
    application = company(intake_officer, "VOG_RP")

    outcome, assessment = assessed(application)

    assert outcome == "in_review"
    assert assessment.findings[0]["window"]["years"] == 4
    assert assessment.findings[0]["for_screener"] is True


def test_the_companys_records_in_a_vog_rp_have_no_period_for_the_young(intake_officer):
    record(days_ago=3 * 365, kind="theft", kvk_number=KVK, disposal="penal_order")
    application = company(intake_officer, "VOG_RP")

    outcome, assessment = assessed(application)

    assert outcome == "in_review"
    assert assessment.findings[0]["subject"] == "legal_entity"
    assert assessment.findings[0]["window"]["years"] == 4


# --- The rules combined, over a grid around every boundary --------------------------------------------


def test_a_gva_record_counts_only_as_a_final_conviction_for_a_ground_within_its_period():
    day = date(2026, 11, 23)
    grounds = exclusion_grounds_on(day)
    rules = rules_on(day)
    years = {ground.code: ground.years for ground in grounds}
    kinds = {
        "fraud": "fraud",
        "bribery": "bribery",
        "money_laundering": "money_laundering",
        "terrorism": "terrorism",
        "theft": "professional_misconduct",
        "drink_driving": None,
    }
    offsets = (-2, -1, 0, 1, 2, 200)
    for kind, final, disposal, limit_years, offset in itertools.product(
        kinds, (True, False), ("conviction", "penal_order", "settlement"), (3, 5), offsets
    ):
        decided = years_before(day, limit_years) + timedelta(days=offset)
        article, description, category = ARTICLES[kind]
        the_record = JusticeRecord(article, description, category, decided, decided, disposal, final)
        finding = gva_finding(the_record, application_date=day, grounds=grounds, rules=rules)
        ground = kinds[kind]
        expected_in_window = ground is not None and decided >= years_before(day, years[ground])
        assert (finding.ground.code if finding.ground else None) == ground
        assert finding.in_window == expected_in_window
        assert finding.for_screener == (final and disposal == "conviction" and expected_in_window), (kind, decided)
        assert finding.as_json()["explanation"]["nl"]
        assert finding.as_json()["explanation"]["en"]


def test_the_outcome_of_a_gva_over_directors_and_former_directors(intake_officer):
    """Every combination of: a current and a former director, each with a final or non-final fraud
    conviction inside or outside the 5 years, the former one leaving within or after 12 months."""
    cases = itertools.product((True, False), (4, 6), (True, False), (4, 6), (11, 13))
    for final_a, years_a, final_b, years_b, left_months in cases:
        SimulatedJusticeRecord.objects.all().delete()
        record(days_ago=years_a * 365, final=final_a, bsn=BSN_A)
        record(days_ago=years_b * 365, final=final_b, bsn=BSN_B)
        application = company(intake_officer, former=[(BSN_B, months_before(today(), left_months))])
        stands_in_way_a = final_a and years_a < 5
        stands_in_way_b = final_b and years_b < 5 and left_months < 12
        expected = "in_review" if stands_in_way_a or stands_in_way_b else "issued"
        assert assessed(application)[0] == expected, (final_a, years_a, final_b, years_b, left_months)


# --- Reference data ---------------------------------------------------------------------------------


def test_the_exclusion_grounds_are_dated_reference_data_loaded_again_safely():
    assert exclusion_grounds_load() == len(gva_data.EXCLUSION_GROUNDS)
    assert exclusion_grounds_load() == len(gva_data.EXCLUSION_GROUNDS)
    mandatory = ExclusionGround.objects.filter(kind="mandatory")
    assert set(mandatory.values_list("code", flat=True)) == {
        "criminal_organisation",
        "bribery",
        "fraud",
        "money_laundering",
        "terrorism",
        "trafficking",
    }
    assert set(mandatory.values_list("years", flat=True)) == {5}
    assert ExclusionGround.objects.get(kind="facultative").years == 3
    assert exclusion_grounds_on(date(2016, 6, 30)) == ()


def test_a_ground_that_ends_no_longer_applies_after_its_last_day(intake_officer):
    ExclusionGround.objects.filter(code="fraud").update(valid_to=today() - timedelta(days=1))
    record(days_ago=365, bsn=BSN_A)  # 326 Sr: now only a property offence, the facultative ground

    _outcome, assessment = assessed(company(intake_officer))

    assert assessment.findings[0]["ground"] == "professional_misconduct"


# --- Decisions and the certificate ------------------------------------------------------------------


@pytest.fixture
def gva_in_review(intake_officer):
    record(days_ago=2 * 365, bsn=BSN_A)
    application = company(intake_officer)
    assert assessed(application)[0] == "in_review"
    return application


def test_a_screener_grants_a_gva_in_review(screener, gva_in_review):
    case_claim(application=gva_in_review, user=screener)

    issued = case_grant(application=gva_in_review, screener=screener, motivation=MOTIVATION, objective={0: False})

    assert issued.status == Status.ISSUED
    certificate = Certificate.objects.get(application=issued)
    assert certificate.valid_until == timezone.localdate(certificate.issued_at) + relativedelta(years=2)
    assert ScreenerAssessment.objects.get(application=issued).objective == [
        {"record": 0, "offence_article": "326 Sr", "hinders": False}
    ]
    assert not certificate_expired(certificate)
    assert certificate_expired(certificate, certificate.valid_until + timedelta(days=1))
    assert not certificate_expired(certificate, certificate.valid_until)


def test_a_screener_sends_the_intention_to_refuse_a_gva_to_the_company(screener, gva_in_review):
    case_claim(application=gva_in_review, user=screener)

    intended = case_intend_refusal(
        application=gva_in_review, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
    )

    assert intended.status == Status.INTENT_TO_REFUSE
    letter = Letter.objects.get(application=intended)
    assert letter.kind == LetterKind.INTENTION_TO_REFUSE
    assert letter.pdf.read().startswith(b"%PDF")


def test_the_case_screen_groups_the_records_per_key_person_and_company(screener, screener_client, intake_officer):
    record(days_ago=2 * 365, bsn=BSN_A)
    record(days_ago=400, kvk_number=KVK, kind="bribery")
    application = company(intake_officer, former=[(BSN_B, months_before(today(), 14))])
    assessed(application)

    html = screener_client.get(f"/beoordeling/zaken/{application.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()

    current, former = application.key_persons.order_by("pk")
    assert f'data-legal-entity="{KVK}"' in html
    assert f'data-subject="key_person-{current.pk}" data-subject-status="screened"' in html
    assert f'data-subject="key_person-{former.pk}" data-subject-status="left_too_long_ago"' in html
    assert f'data-subject="legal_entity-{application.legal_entity.pk}"' in html
    assert 'data-ground="fraud"' in html
    assert 'data-ground="bribery"' in html
    assert "Not screened: left more than 12 months before the application" in html
    # The person's record comes first, the company's second, each under its own heading.
    assert html.index(f"key_person-{current.pk}") < html.index('data-record="0"') < html.index("legal_entity-")
    assert html.index("legal_entity-") < html.index('data-record="1"')
    dutch = screener_client.get(f"/beoordeling/zaken/{application.reference}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "omkoping" in dutch.content.decode()  # the ground's Dutch name, from the reference data


def test_the_certificate_of_a_vog_rp_prints_the_company_purpose_and_basis(intake_officer):
    application = company(intake_officer, "VOG_RP")
    assert assessed(application)[0] == "issued"

    printed = certificate_printed_data(application)
    certificate = Certificate.objects.get(application=application)
    html = certificate_html(certificate)

    assert printed["legal_entity"]["name"] == "Transport Noord B.V."
    assert printed["purpose"]["code"] == "WRE"
    assert [item["code"] for item in printed["screening_basis"]["items"]] == ["11"]
    assert "Verklaring Omtrent het Gedrag" in html
    assert KVK in html
    assert "Groningen" in html
    assert "Geldig tot" not in html


def test_the_gva_certificate_prints_its_validity(intake_officer):
    application = company(intake_officer)
    assessed(application)
    certificate = Certificate.objects.get(application=application)

    html = certificate_html(certificate)

    assert "Gedragsverklaring Aanbesteden" in html
    assert "Geldig tot en met" in html
    assert str(certificate.valid_until.year) in html
    assert certificate_render(certificate_id=certificate.pk) is True
    certificate.refresh_from_db()
    assert certificate.pdf.read().startswith(b"%PDF")


def test_staff_see_the_validity_of_a_gva_and_expired_after_it(intake_officer, intake_officer_client):
    application = company(intake_officer)
    assessed(application)
    certificate = Certificate.objects.get(application=application)
    url = f"/backoffice/papier/{application.reference}/"

    assert certificate_shown(application)["expired"] is False
    assert 'data-validity="valid"' in intake_officer_client.get(url).content.decode()

    Certificate.objects.filter(pk=certificate.pk).update(valid_until=today() - timedelta(days=1))
    html = intake_officer_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-validity="expired"' in html
    assert "(expired)" in html
    assert "(verlopen)" in intake_officer_client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()


# --- Demo data --------------------------------------------------------------------------------------


def test_seed_demo_enters_the_demo_companies_once_with_the_expected_outcomes(reference_data):
    from django.core.management import call_command

    from applications.models import Application
    from justis.roles import Role
    from screening.demo import DEMO_COMPANIES
    from screening.workbench.selectors import work_queue
    from tests.staff import staff_user

    call_command("seed_demo")
    call_command("seed_demo")

    paper = Application.objects.filter(channel="paper")
    companies = {application.organisation_name: application for application in paper}
    assert len(companies) == len(DEMO_COMPANIES)
    for demo in DEMO_COMPANIES:
        assert companies[demo["legal_entity"]["name"]].status == demo["expected"]
    gva = companies["Bouwbedrijf Van Rijn B.V."]
    subjects = {subject["name"]: subject["status"] for subject in gva.assessment.subjects}
    assert subjects == {
        "Henk van Rijn": "screened",
        "Jan Jansen": "screened",
        "Eva Kramer": "left_too_long_ago",
        "Bouwbedrijf Van Rijn B.V.": "screened",
    }
    [finding] = gva.assessment.findings
    assert (finding["key_person_name"], finding["ground"], finding["for_screener"]) == ("Henk van Rijn", "fraud", True)
    screener = staff_user("demo.check", Role.SCREENER)
    assert gva in list(work_queue(user=screener))


def test_a_gva_is_refused_with_four_eyes_and_the_decision_letter_goes_to_the_company(
    screener, gva_in_review, reference_data
):
    from justis.roles import Role
    from screening.pdf import refusal_decision_html
    from screening.workbench.refusals import refusal_approve, refusal_propose
    from tests.staff import staff_user
    from tests.test_final_refusal import period_ended

    senior = staff_user("senior.gva", Role.SENIOR_SCREENER)
    case_claim(application=gva_in_review, user=screener)
    case_intend_refusal(
        application=gva_in_review, screener=screener, objective={0: True}, motivation=MOTIVATION, reasons=REASONS
    )
    period_ended(gva_in_review)
    case_claim(application=gva_in_review, user=screener)
    refusal_propose(application=gva_in_review, screener=screener, motivation=MOTIVATION, reasons=REASONS)

    refused = refusal_approve(application=gva_in_review, reviewer=senior)

    assert refused.status == Status.REFUSED
    decision = Letter.objects.get(application=refused, kind=LetterKind.DECISION)
    assert decision.pdf.read().startswith(b"%PDF")
    html = refusal_decision_html(application=refused, reasons=REASONS, views=[], decided_on=today())
    entity = refused.legal_entity
    assert entity.name in html
    assert entity.representative_name in html
    assert entity.kvk_number in html
    assert "Gedragsverklaring Aanbesteden" in html
    assert "MijnJustis" not in html  # a company objects by letter


def test_the_case_screen_of_a_gva_names_its_purpose(screener_client, gva_in_review):
    html = screener_client.get(
        f"/beoordeling/zaken/{gva_in_review.reference}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Taking part in public tenders" in html
