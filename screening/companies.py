"""Screening a VOG RP or a GVA: who is screened, and what the records of each person and the company mean.

Who (domain.md §1.4, §1.5, §6): every current key person (directors, partners, maten, managers, the
owner of an eenmanszaak) and the former directors who left within ``FORMER_DIRECTOR_SCREENED_MONTHS``
(12) before the application date; a former director who left earlier is listed as not screened. The
company itself is screened too, by its KvK number.

What:
- VOG RP: the records of each person (and of the company) go through the ordinary pre-assessment
  (``screening.rules.pre_assessment``) with the application's screening basis and the person's age on
  the application date (the company has no age).
- GVA: only final (onherroepelijke) convictions count, and only for an offence of an exclusion ground
  (``ExclusionGround``, data in ``gva_data``) decided within the ground's look-back period (5 years for
  the mandatory grounds, 3 for the facultative one).

Each record gets a finding with its explanation in Dutch and English, and the person (or the company)
it belongs to. ``company_screening`` only computes; ``screening.services`` reads the JDS, audits and
decides.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicationType, KeyPersonRole
from justis.reference_history import load_missing

from . import gva_data
from .jds.base import JusticeRecord
from .models import AssessmentOutcome, DisposalType
from .rules import (
    RuleSet,
    RulesMissing,
    Text,
    article_key,
    in_languages,
    pre_assessment,
    record_date,
    rules_on,
    years_before,
)

KEY_PERSON = "key_person"
LEGAL_ENTITY = "legal_entity"

# Why a subject is (not) screened; stored in ``Assessment.subjects``.
SCREENED = "screened"
LEFT_TOO_LONG_AGO = "left_too_long_ago"
NO_BSN = "no_bsn"


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier; a day the month lacks becomes its last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def former_director_screened_from(application_date: date) -> date:
    """The earliest leave date of a former director who is still screened."""
    return months_before(application_date, settings.FORMER_DIRECTOR_SCREENED_MONTHS)


def is_screened(person, application_date: date) -> bool:
    """Whether this key person is screened: current key persons always, former directors who left recently."""
    if person.role != KeyPersonRole.FORMER_DIRECTOR:
        return True
    return person.left_on is not None and person.left_on >= former_director_screened_from(application_date)


# --- GVA: the exclusion grounds ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ground:
    code: str
    kind: str
    name: dict
    years: int
    articles: frozenset
    categories: frozenset

    @property
    def mandatory(self) -> bool:
        return self.kind == "mandatory"


def exclusion_grounds_on(day: date) -> tuple[Ground, ...]:
    """The exclusion grounds valid on ``day``, mandatory ones first."""
    from .models import ExclusionGround

    rows = ExclusionGround.objects.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))
    grounds = [
        Ground(
            code=row.code,
            kind=row.kind,
            name={"nl": row.name_nl, "en": row.name_en},
            years=row.years,
            articles=frozenset(article_key(article) for article in row.articles),
            categories=frozenset(row.categories),
        )
        for row in rows
    ]
    return tuple(sorted(grounds, key=lambda ground: (not ground.mandatory, ground.code)))


def ground_of(record: JusticeRecord, grounds: Sequence[Ground], rules: RuleSet | None) -> Ground | None:
    """The exclusion ground of a record: by an offence article first, else by the offence category."""
    keys = {article_key(part) for part in re.split(r"[;,]", record.offence_article)}
    for ground in grounds:
        if ground.articles & keys:
            return ground
    if rules is None:
        return None
    category = rules.category_of(record)
    for ground in grounds:
        if category in ground.categories:
            return ground
    return None


def is_final_conviction(record: JusticeRecord) -> bool:
    return record.final and record.disposal_type == DisposalType.CONVICTION


@dataclass(frozen=True)
class GvaFinding:
    record: JusticeRecord
    category: str
    ground: Ground | None
    counted: bool
    in_window: bool
    window_start: date | None
    explanation: tuple[Text, ...]

    @property
    def for_screener(self) -> bool:
        return self.counted and self.ground is not None and self.in_window

    def as_json(self) -> dict:
        return {
            "offence_article": self.record.offence_article,
            "category": self.category,
            "ground": self.ground.code if self.ground else None,
            "ground_kind": self.ground.kind if self.ground else None,
            "ground_name": self.ground.name if self.ground else None,
            "counted": self.counted,
            "window": {
                "years": self.ground.years if self.ground else None,
                "start": self.window_start.isoformat() if self.window_start else None,
                "extended_days": 0,
            },
            "in_window": self.in_window,
            "relevant": self.ground is not None,
            "for_screener": self.for_screener,
            "explanation": in_languages(self.explanation),
        }


def gva_finding(record: JusticeRecord, *, application_date: date, grounds, rules: RuleSet | None) -> GvaFinding:
    """What one record means for a GVA, with the reasons in words."""
    explanation = [
        Text(
            _("%(article)s (%(description)s), decided on %(date)s."),
            {
                "article": record.offence_article,
                "description": record.offence_description,
                "date": record_date(record).isoformat(),
            },
        )
    ]
    counted = is_final_conviction(record)
    if not counted:
        explanation.append(Text(_("For a GVA only final convictions count; this record is not one.")))
    ground = ground_of(record, grounds, rules)
    start = None
    in_window = False
    if ground is None:
        explanation.append(Text(_("The offence is not one of the exclusion grounds of the GVA.")))
    else:
        start = years_before(application_date, ground.years)
        in_window = record_date(record) >= start
        kind = (
            Text(_("a mandatory exclusion ground")) if ground.mandatory else Text(_("a facultative exclusion ground"))
        )
        explanation.append(
            Text(
                _(
                    "The offence falls under %(kind)s: %(ground)s, with a look-back period of %(years)s years, "
                    "from %(start)s."
                ),
                {"kind": kind, "ground": ground.name, "years": ground.years, "start": start.isoformat()},
            )
        )
        if in_window:
            explanation.append(Text(_("The decision is within this period.")))
        else:
            explanation.append(Text(_("The decision is before this period.")))
    category = rules.category_of(record) if rules is not None else ""
    finding = GvaFinding(
        record=record,
        category=category,
        ground=ground,
        counted=counted,
        in_window=in_window,
        window_start=start,
        explanation=(),
    )
    if finding.for_screener:
        explanation.append(Text(_("A screener assesses this record.")))
    else:
        explanation.append(Text(_("This record does not stand in the way of an automatic grant.")))
    return replace(finding, explanation=tuple(explanation))


# --- One application ---------------------------------------------------------------------------------


@dataclass
class Subject:
    """A key person or the company, and what was read and found about them."""

    kind: str  # KEY_PERSON or LEGAL_ENTITY
    id: int
    name: str
    role: str
    status: str  # SCREENED, LEFT_TOO_LONG_AGO, NO_BSN
    left_on: date | None = None
    bsn: str = ""  # a key person's; never stored with the subject
    records: list[JusticeRecord] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)

    @property
    def for_screener(self) -> int:
        return sum(1 for finding in self.findings if finding.get("for_screener"))

    def explanation(self, application_date: date) -> dict:
        if self.status == LEFT_TOO_LONG_AGO:
            text = Text(
                _("Not screened: left more than %(months)s months before the application (on %(date)s)."),
                {"months": settings.FORMER_DIRECTOR_SCREENED_MONTHS, "date": self.left_on.isoformat()},
            )
        elif self.status == NO_BSN:
            text = Text(_("Not screened automatically: no BSN, so a screener checks this person."))
        elif self.for_screener:
            text = Text(
                _("Screened: %(count)s record(s), %(relevant)s for a screener."),
                {"count": len(self.records), "relevant": self.for_screener},
            )
        elif self.records:
            text = Text(_("Screened: %(count)s record(s), none stands in the way."), {"count": len(self.records)})
        else:
            text = Text(_("Screened: no justice records."))
        return in_languages([text])

    def as_json(self, application_date: date, record_indexes: list[int]) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "status": self.status,
            "left_on": self.left_on.isoformat() if self.left_on else None,
            "records": record_indexes,
            "for_screener": self.for_screener,
            "explanation": self.explanation(application_date),
        }


def subjects_of(application) -> list[Subject]:
    """The key persons (in the order entered) and the company, with whether each is to be screened."""
    day = application.application_date
    subjects = []
    for person in application.key_persons.order_by("pk"):
        if not is_screened(person, day):
            status = LEFT_TOO_LONG_AGO
        elif not person.bsn:
            status = NO_BSN
        else:
            status = SCREENED
        subjects.append(
            Subject(
                kind=KEY_PERSON,
                id=person.pk,
                name=person.full_name,
                role=person.role,
                status=status,
                left_on=person.left_on,
                bsn=person.bsn,
            )
        )
    entity = getattr(application, "legal_entity", None)
    if entity is not None:
        subjects.append(
            Subject(kind=LEGAL_ENTITY, id=entity.pk, name=entity.name, role="legal_entity", status=SCREENED)
        )
    return subjects


def findings_for(application, subject: Subject, *, key_persons: dict) -> list[dict]:
    """The finding of each of the subject's records, with the subject named in it."""
    day = application.application_date
    if application.type == ApplicationType.GVA:
        try:
            rules = rules_on(day)
        except RulesMissing:
            rules = None
        grounds = exclusion_grounds_on(day)
        findings = [
            gva_finding(record, application_date=day, grounds=grounds, rules=rules).as_json()
            for record in subject.records
        ]
    else:
        person = key_persons.get(subject.id) if subject.kind == KEY_PERSON else None
        result = pre_assessment(
            subject.records,
            application_date=day,
            birth_date=person.birth_date if person else None,
            screening_profile=application.screening_profile,
            functieaspecten=list(application.functieaspecten),
            application_type=application.type,
        )
        findings = result.findings_json()
    owner = {"subject": subject.kind, "subject_name": subject.name}
    if subject.kind == KEY_PERSON:
        owner.update({"key_person": subject.id, "key_person_name": subject.name})
    else:
        owner.update({"legal_entity": subject.id})
    return [{**finding, **owner} for finding in findings]


@dataclass(frozen=True)
class CompanyScreening:
    outcome: str
    records: list[dict]
    findings: list[dict]
    subjects: list[dict]
    reason: str


def company_screening(application, subjects: list[Subject]) -> CompanyScreening:
    """Combine the records read for each subject into the assessment of the application.

    AUTO_GRANT only when every person to be screened has a BSN and no record of a person or the
    company is for a screener; otherwise NEEDS_SCREENER with the reason.
    """
    key_persons = {person.pk: person for person in application.key_persons.all()}
    records: list[dict] = []
    findings: list[dict] = []
    subjects_json = []
    for subject in subjects:
        subject.findings = findings_for(application, subject, key_persons=key_persons) if subject.records else []
        indexes = []
        for record, finding in zip(subject.records, subject.findings, strict=True):
            owner = {key: finding[key] for key in ("subject", "key_person", "legal_entity") if key in finding}
            indexes.append(len(records))
            records.append({**record.as_json(), **owner})
            findings.append(finding)
        subjects_json.append(subject.as_json(application.application_date, indexes))
    without_bsn = [subject.name for subject in subjects if subject.status == NO_BSN]
    for_screener = sum(subject.for_screener for subject in subjects)
    reasons = []
    if without_bsn:
        reasons.append(f"key person(s) without a BSN, checked by a screener: {', '.join(without_bsn)}")
    if for_screener:
        reasons.append(f"{for_screener} justice record(s) of the company or its key persons for a screener")
    not_screened = sum(1 for subject in subjects if subject.status == LEFT_TOO_LONG_AGO)
    if reasons:
        outcome = AssessmentOutcome.NEEDS_SCREENER
        reason = "; ".join(reasons)
    else:
        outcome = AssessmentOutcome.AUTO_GRANT
        reason = f"{len(records)} justice record(s) of the company and its key persons, none stands in the way"
    if not_screened:
        months = settings.FORMER_DIRECTOR_SCREENED_MONTHS
        reason += f"; {not_screened} former director(s) not screened: left more than {months} months before"
    return CompanyScreening(outcome=outcome, records=records, findings=findings, subjects=subjects_json, reason=reason)


@transaction.atomic
def exclusion_grounds_load(apps=None) -> int:
    """Load the exclusion grounds from ``gva_data`` that are missing. Safe to run again; a version an
    administrator changed is left alone."""
    if apps is not None:
        ExclusionGround = apps.get_model("screening", "ExclusionGround")  # noqa: N806
    else:
        from .models import ExclusionGround
    load_missing(ExclusionGround, gva_data.EXCLUSION_GROUNDS, migrating=apps is not None)
    return ExclusionGround.objects.count()
