"""The demo persons of ``seed_demo`` run through to their outcomes: the pre-assessment first, then the
demo screeners take every case that needs a person to a decision, each by another path.

``screening.demo.DEMO_PERSONS`` documents the pre-assessment's outcome for an application dated
2026-11-23 (the records have fixed dates), so the scenario runs on that date. The Celery worker is
covered by tests/integration; here ``assessment_run`` is called as the worker calls it.
"""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from applications.lifecycle import Status
from applications.models import Application
from notifications.models import LetterKind
from screening.demo import DEMO_COMPANIES, DEMO_PERSONS
from screening.models import Certificate
from screening.objections import objection_decide, objection_register
from screening.services import assessment_run
from screening.workbench.refusals import refusal_approve, refusal_propose
from screening.workbench.services import case_claim, case_grant, case_intend_refusal
from screening.zienswijzen import zienswijze_register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

DEMO_DAY = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
WEIGHING = "Gewogen tegen het belang van de aanvrager, de ernst, de tijd die verstreken is en de leeftijd."
BY_NAME = {person["given_names"]: person for person in DEMO_PERSONS}
BY_KEY = {company["key"]: company for company in DEMO_COMPANIES}


def test_seed_demo_applications_reach_their_outcomes():
    with time_machine.travel(DEMO_DAY, tick=True) as traveller:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())  # again: the same applications, not new ones
        applications = {
            application.applicant.given_names: application
            for application in Application.objects.filter(idempotency_key__startswith="demo-").select_related(
                "applicant"
            )
        }
        assert len(applications) == len(DEMO_PERSONS)

        # 1. The pre-assessment, as the worker runs it.
        for name, application in applications.items():
            assessment_run(application_id=application.pk)
            application.refresh_from_db()
            assert application.status == BY_NAME[name]["expected"], name
        automatic = [a for a in applications.values() if Application.objects.get(pk=a.pk).status == Status.ISSUED]
        assert len(automatic) == sum(1 for person in DEMO_PERSONS if person["expected"] == "issued")

        User = get_user_model()
        screener = User.objects.get(username="beoordelaar.justis")
        senior = User.objects.get(username="senior.justis")
        objections_screener = User.objects.get(username="bezwaar.justis")
        pieter, kees, ruud = (applications[name] for name in ("Pieter", "Kees", "Ruud"))

        # 2. Pieter: one theft; the screener weighs it and grants.
        case_claim(application=pieter, user=screener)
        case_grant(application=pieter, screener=screener, motivation=WEIGHING, objective={0: False})

        # 3. Kees (a sex offence, childcare) and Ruud (property, with detention): intention to refuse.
        for application in (kees, ruud):
            case_claim(application=application, user=screener)
            case_intend_refusal(
                application=application,
                screener=screener,
                objective={0: True},
                motivation=WEIGHING,
                reasons="Uw justitiële gegevens passen niet bij werk in de kinderopvang.",
            )
        # Ruud phones with his view; it convinces the screener, who grants after all.
        case_claim(application=ruud, user=screener)
        zienswijze_register(
            application=ruud,
            screener=screener,
            channel="phone",
            text="Ik heb mijn straf uitgezeten en werk sindsdien met een begeleider.",
            received_on=DEMO_DAY.date(),
        )
        case_grant(application=ruud, screener=screener, motivation=WEIGHING, objective={0: False})

        companies = {
            company["key"]: Application.objects.get(idempotency_key=f"demo:{company['key']}")
            for company in DEMO_COMPANIES
        }
        for key, application in companies.items():
            assert application.status == BY_KEY[key]["expected"], key
        case_claim(application=companies["gva-bouwbedrijf-van-rijn"], user=screener)
        case_intend_refusal(
            application=companies["gva-bouwbedrijf-van-rijn"],
            screener=screener,
            objective={0: True},
            motivation=WEIGHING,
            reasons="Een bestuurder is onherroepelijk veroordeeld voor fraude.",
        )

        # Kees gives no view; after the period the screener proposes and the senior approves.
        traveller.shift(timedelta(days=15))
        case_claim(application=kees, user=screener)
        refusal_propose(
            application=kees,
            screener=screener,
            motivation=WEIGHING,
            reasons="U bent veroordeeld voor een zedendelict. Dat weegt zwaar bij werk met kinderen.",
        )
        refusal_approve(application=kees, reviewer=senior)

        # The GVA of Bouwbedrijf Van Rijn: a director's final fraud conviction is a mandatory exclusion
        # ground; the company gives no view and the refusal is approved by the senior screener.
        gva = companies["gva-bouwbedrijf-van-rijn"]
        case_claim(application=gva, user=screener)
        refusal_propose(
            application=gva,
            screener=screener,
            motivation=WEIGHING,
            reasons="Een bestuurder is onherroepelijk veroordeeld voor fraude: een verplichte uitsluitingsgrond.",
        )
        refusal_approve(application=gva, reviewer=senior)

        # Kees objects by letter; a third screener finds the objection unfounded: the refusal stands.
        objection, _created = objection_register(
            application=kees,
            registered_by=objections_screener,
            channel="letter",
            received_on=timezone.localdate(),
            grounds="Het is lang geleden en ik heb nooit meer iets gedaan.",
        )
        objection_decide(
            objection=objection,
            screener=objections_screener,
            outcome="unfounded",
            motivation="Een zedendelict met een minderjarige weegt bij werk in de kinderopvang onverminderd zwaar.",
        )

    outcomes = {name: Application.objects.get(pk=a.pk).status for name, a in applications.items()}
    expected = {person["given_names"]: person.get("decision", person["expected"]) for person in DEMO_PERSONS}
    assert outcomes == expected
    assert Certificate.objects.filter(application__in=[pieter, ruud]).count() == 2
    assert kees.letters.filter(kind=LetterKind.DECISION).count() == 1
    assert kees.letters.filter(kind=LetterKind.OBJECTION_DECISION).count() == 1
    assert not Certificate.objects.filter(application=kees).exists()
    for key, application in companies.items():
        application.refresh_from_db()
        assert application.status == BY_KEY[key].get("decision", BY_KEY[key]["expected"]), key
    assert companies["gva-bouwbedrijf-van-rijn"].letters.filter(kind=LetterKind.DECISION).count() == 1
