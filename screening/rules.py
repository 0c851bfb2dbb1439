"""The automatic pre-assessment: which justice records a screener must look at, and why.

Justis' decision steps (domain.md §3.2): no record ⇒ always granted; otherwise, is there a record
that is relevant for the screening basis and within the look-back period (terugkijktermijn)? Only
then does a screener weigh it. ``pre_assessment`` takes that second step with the rules valid on the
application date (``screening.rules_data``, loaded into the database with a history) and explains,
per record, the category, the window, whether the record falls in it and whether it is relevant.

It never refuses: its outcome is an automatic grant or "a screener assesses this".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicationType
from justis.memo import memo_in_batch
from justis.reference_history import load_missing

from . import rules_data
from .jds.base import JusticeRecord
from .models import AssessmentOutcome, DisposalType

# The age that decides the shorter period for young applicants is the age on this date. Justis'
# texts do not say whether it is the age at application or at the offence (domain.md §10.3,
# unconfirmed); we take the application date. The other possible value is RECORD_DATE.
APPLICATION_DATE = "application_date"
RECORD_DATE = "record_date"
AGE_BASIS = APPLICATION_DATE

# The date of a record that must fall within the look-back period: the date of the decision (the
# conviction, penal order or settlement), as lawyers describe Justis' practice. ``offence_date``
# would be the other reading.
RECORD_DATE_FIELD = "decision_date"

# A detention is taken to start on the decision date and to last ``detention_days`` (the JDS gives
# no start date). When it ends on or after the start of a period, the period is extended by all its
# days (domain.md §3.3: "period extended by the time deprived of liberty").

UNLIMITED = "unlimited"


class RulesMissing(LookupError):
    """No look-back rules are valid on the date asked for."""


# ---------------------------------------------------------------------------
# Explanations: translatable sentences with their values, rendered in any language.
# ---------------------------------------------------------------------------


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Text:
    """A translatable sentence and its values; values may be ``Text`` or a {"nl", "en"} dict."""

    message: object
    values: dict = field(default_factory=dict)

    def render(self) -> str:
        language = (translation.get_language() or "en")[:2]
        values = {}
        for key, value in self.values.items():
            if isinstance(value, Text):
                value = value.render()
            elif isinstance(value, dict):
                value = value.get(language, value.get("en", ""))
            elif isinstance(value, date):
                value = value.strftime("%d-%m-%Y")
            elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
                value = date.fromisoformat(value).strftime("%d-%m-%Y")
            values[key] = value
        return str(self.message) % values if values else str(self.message)

    def __str__(self):
        return self.render()


def in_languages(texts: Iterable[Text]) -> dict[str, str]:
    """The sentences joined, in Dutch and in English."""
    texts = list(texts)
    rendered = {}
    for language in ("nl", "en"):
        with translation.override(language):
            rendered[language] = " ".join(text.render() for text in texts)
    return rendered


# ---------------------------------------------------------------------------
# The rules valid on one day.
# ---------------------------------------------------------------------------


def _valid_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def article_key(article: str) -> str:
    """How articles are compared: case and spacing ignored, a leading "art." dropped."""
    article = re.sub(r"\s+", " ", article.strip().lower())
    return re.sub(r"^(art\.?|artikel) ", "", article)


@dataclass(frozen=True)
class RuleSet:
    day: date
    categories: dict  # code -> {"nl", "en", "rank", "jds"}
    articles: dict  # article_key -> category code
    look_back: tuple  # LookBackRule-like objects
    relevance: dict  # (basis, basis_code) -> frozenset of categories ("*" = all)

    def category_of(self, record: JusticeRecord) -> str:
        """The category of a record: by its article(s), else by the JDS category, else ``overig``."""
        found = [
            self.articles[key]
            for key in (article_key(part) for part in re.split(r"[;,]", record.offence_article))
            if key in self.articles
        ]
        if found:
            return min(found, key=lambda code: self.categories.get(code, {}).get("rank", 99))
        jds_category = record.offence_category.strip().lower()
        for code, category in sorted(self.categories.items(), key=lambda item: item[1]["rank"]):
            if jds_category in category["jds"]:
                return code
        return rules_data.OTHER

    def category_name(self, code: str) -> dict:
        category = self.categories.get(code)
        if category is None:
            return {"nl": code, "en": code}
        return {"nl": category["nl"], "en": category["en"]}

    def rules_of(self, kind: str) -> list:
        return [rule for rule in self.look_back if rule.kind == kind]


@memo_in_batch
def rules_on(day: date) -> RuleSet:
    """Every rule valid on ``day``, read in one go (four queries)."""
    from .models import LookBackRule, OffenceArticle, OffenceCategory, OffenceRelevance

    valid = _valid_on(day)
    categories = {
        row.code: {
            "nl": row.name_nl,
            "en": row.name_en,
            "rank": row.rank,
            "jds": [c.lower() for c in row.jds_categories],
        }
        for row in OffenceCategory.objects.filter(valid)
    }
    articles = {article_key(row.code): row.category for row in OffenceArticle.objects.filter(valid)}
    look_back = tuple(LookBackRule.objects.filter(valid).order_by("code"))
    relevance = {
        (row.basis, row.basis_code): frozenset(row.categories) for row in OffenceRelevance.objects.filter(valid)
    }
    rules = RuleSet(day=day, categories=categories, articles=articles, look_back=look_back, relevance=relevance)
    if not rules.rules_of("default"):
        raise RulesMissing(f"no look-back rules valid on {day.isoformat()}")
    return rules


# ---------------------------------------------------------------------------
# Dates.
# ---------------------------------------------------------------------------


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def record_date(record: JusticeRecord) -> date:
    return getattr(record, RECORD_DATE_FIELD)


def detention_extension(records: Sequence[JusticeRecord], start: date) -> int:
    """Days deprived of liberty that reach into a period starting at ``start``, extending it.

    An extension moves the start back, which may bring in another detention: repeated until stable.
    """
    extension = 0
    while True:
        window_start = start - timedelta(days=extension)
        days = sum(
            record.detention_days
            for record in records
            if record.detention_days and record_date(record) + timedelta(days=record.detention_days) >= window_start
        )
        if days == extension:
            return extension
        extension = days


# ---------------------------------------------------------------------------
# The pre-assessment.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    years: int | None  # None: unlimited
    start: date | None  # None: unlimited
    extended_days: int
    rule: Text

    def as_json(self) -> dict:
        return {
            "years": UNLIMITED if self.years is None else self.years,
            "start": self.start.isoformat() if self.start else None,
            "extended_days": self.extended_days,
        }


@dataclass(frozen=True)
class Finding:
    """What the pre-assessment concluded about one record."""

    record: JusticeRecord
    category: str
    counted: bool
    window: Window
    in_window: bool
    relevant: bool
    explanation: tuple[Text, ...]

    @property
    def for_screener(self) -> bool:
        return self.counted and self.in_window and self.relevant

    def as_json(self) -> dict:
        return {
            "offence_article": self.record.offence_article,
            "category": self.category,
            "counted": self.counted,
            "window": self.window.as_json(),
            "in_window": self.in_window,
            "relevant": self.relevant,
            "for_screener": self.for_screener,
            "explanation": in_languages(self.explanation),
        }


@dataclass(frozen=True)
class PreAssessment:
    outcome: AssessmentOutcome
    findings: tuple[Finding, ...]
    reason: Text

    def findings_json(self) -> list[dict]:
        return [finding.as_json() for finding in self.findings]

    @property
    def for_screener(self) -> int:
        return sum(1 for finding in self.findings if finding.for_screener)


def _basis_text(application_type: str, screening_profile: str, functieaspecten: Sequence[str]) -> Text:
    if application_type == ApplicationType.GVA:
        return Text(_("a GVA"))
    if screening_profile:
        return Text(_("specific screening profile %(code)s"), {"code": screening_profile})
    if functieaspecten:
        return Text(_("functieaspecten %(codes)s"), {"codes": ", ".join(sorted(functieaspecten))})
    return Text(_("no screening basis"))


def relevant_categories(
    rules: RuleSet, *, application_type: str, screening_profile: str, functieaspecten: Sequence[str]
) -> frozenset[str] | None:
    """The categories that matter for this basis; None means every category.

    A VOG RP is screened on its screening basis like a VOG NP; a GVA has none (its exclusion grounds
    are in ``screening.companies``).
    """
    if application_type == ApplicationType.GVA:
        return None
    if screening_profile:
        categories = rules.relevance.get(("specific_profile", screening_profile))
        return None if categories is None or rules_data.ALL in categories else categories
    if not functieaspecten:
        return None
    found: set[str] = set()
    for code in functieaspecten:
        area = rules.relevance.get(("risk_area", code[:1]))
        if area is None or rules_data.ALL in area:
            return None
        found |= area | rules.relevance.get(("function_aspect", code), frozenset())
    return frozenset(found)


def _window(
    rules: RuleSet,
    record: JusticeRecord,
    category: str,
    *,
    records: Sequence[JusticeRecord],
    application_date: date,
    birth_date: date | None,
    screening_profile: str,
) -> Window:
    years: int | None = rules.rules_of("default")[0].years
    rule = Text(_("the default period"))
    profile_rules = [r for r in rules.rules_of("profile") if screening_profile and screening_profile in r.profile_codes]
    if profile_rules:
        years = profile_rules[0].years
        rule = Text(_("the period for specific screening profile %(code)s"), {"code": screening_profile})
    elif birth_date is not None:  # a legal entity has no age
        age_day = application_date if AGE_BASIS == APPLICATION_DATE else record_date(record)
        age = age_on(birth_date, age_day)
        for young in rules.rules_of("young"):
            if young.age_below is not None and age < young.age_below and category not in young.categories:
                years = young.years
                rule = Text(_("the period for applicants younger than %(age)s"), {"age": young.age_below})
    for category_rule in rules.rules_of("category"):
        if category in category_rule.categories and (
            category_rule.years is None or (years is not None and category_rule.years > years)
        ):
            years = category_rule.years
            rule = Text(_("the period for a %(category)s"), {"category": rules.category_name(category)})
    if years is None:
        return Window(years=None, start=None, extended_days=0, rule=rule)
    start = years_before(application_date, years)
    extension = detention_extension(records, start)
    return Window(years=years, start=start - timedelta(days=extension), extended_days=extension, rule=rule)


def pre_assessment(
    records: Sequence[JusticeRecord],
    *,
    application_date: date,
    birth_date: date | None,
    screening_profile: str = "",
    functieaspecten: Sequence[str] = (),
    application_type: str = ApplicationType.VOG_NP,
    rules: RuleSet | None = None,
) -> PreAssessment:
    """Decide whether the records need a screener, with the rules valid on the application date.

    AUTO_GRANT when no record is counted, within its look-back period and relevant for the
    screening basis; otherwise NEEDS_SCREENER. Without rules for the date every record goes to a
    screener. ``birth_date`` is None for the records of a legal entity (no period for the young).
    """
    records = list(records)
    if not records:
        return PreAssessment(outcome=AssessmentOutcome.AUTO_GRANT, findings=(), reason=Text(_("No justice records.")))
    if rules is None:
        try:
            rules = rules_on(application_date)
        except RulesMissing:
            return _without_rules(records, application_date)
    functieaspecten = list(functieaspecten)
    relevant = relevant_categories(
        rules, application_type=application_type, screening_profile=screening_profile, functieaspecten=functieaspecten
    )
    basis = _basis_text(application_type, screening_profile, functieaspecten)
    counted_records = [record for record in records if record.disposal_type != DisposalType.ACQUITTAL]
    findings = []
    for record in records:
        category = rules.category_of(record)
        name = rules.category_name(category)
        explanation = [
            Text(
                _("%(article)s (%(description)s): %(category)s."),
                {"article": record.offence_article, "description": record.offence_description, "category": name},
            )
        ]
        counted = True
        if record.disposal_type == DisposalType.ACQUITTAL:
            counted = False
            explanation.append(Text(_("An acquittal is never taken into account.")))
        elif application_type == ApplicationType.GVA and not (
            record.final and record.disposal_type == DisposalType.CONVICTION
        ):
            counted = False
            explanation.append(Text(_("For a GVA only final convictions count; this record is not one.")))
        window = _window(
            rules,
            record,
            category,
            records=counted_records,
            application_date=application_date,
            birth_date=birth_date,
            screening_profile=screening_profile,
        )
        day = record_date(record)
        if window.years is None:
            in_window = True
            explanation.append(Text(_("Look-back period: unlimited (%(rule)s)."), {"rule": window.rule}))
        else:
            in_window = day >= window.start
            explanation.append(
                Text(
                    _("Look-back period: %(years)s years (%(rule)s), from %(start)s."),
                    {"years": window.years, "rule": window.rule, "start": window.start.isoformat()},
                )
            )
            if window.extended_days:
                explanation.append(
                    Text(
                        _("The period is extended by %(days)s days deprived of liberty."),
                        {"days": window.extended_days},
                    )
                )
        if in_window:
            explanation.append(Text(_("The decision of %(date)s is within this period."), {"date": day.isoformat()}))
        else:
            explanation.append(Text(_("The decision of %(date)s is before this period."), {"date": day.isoformat()}))
        is_relevant = relevant is None or category in relevant
        if is_relevant:
            explanation.append(Text(_("This kind of offence matters for %(basis)s."), {"basis": basis}))
        else:
            explanation.append(Text(_("This kind of offence does not matter for %(basis)s."), {"basis": basis}))
        finding = Finding(
            record=record,
            category=category,
            counted=counted,
            window=window,
            in_window=in_window,
            relevant=is_relevant,
            explanation=(),
        )
        if finding.for_screener:
            explanation.append(Text(_("A screener assesses this record.")))
        else:
            explanation.append(Text(_("This record does not stand in the way of an automatic grant.")))
        findings.append(replace(finding, explanation=tuple(explanation)))
    for_screener = sum(1 for finding in findings if finding.for_screener)
    if for_screener:
        return PreAssessment(
            outcome=AssessmentOutcome.NEEDS_SCREENER,
            findings=tuple(findings),
            reason=Text(
                _("Justice records: %(count)s; relevant and within the look-back period: %(relevant)s."),
                {"count": len(records), "relevant": for_screener},
            ),
        )
    return PreAssessment(
        outcome=AssessmentOutcome.AUTO_GRANT,
        findings=tuple(findings),
        reason=Text(
            _("Justice records: %(count)s; none is both relevant and within the look-back period."),
            {"count": len(records)},
        ),
    )


def _without_rules(records: list[JusticeRecord], application_date: date) -> PreAssessment:
    explanation = (Text(_("No look-back rules are valid on the application date: a screener assesses this record.")),)
    window = Window(years=None, start=None, extended_days=0, rule=Text(_("no rules")))
    findings = tuple(
        Finding(
            record=record,
            category=rules_data.OTHER,
            counted=True,
            window=window,
            in_window=True,
            relevant=True,
            explanation=explanation,
        )
        for record in records
    )
    return PreAssessment(
        outcome=AssessmentOutcome.NEEDS_SCREENER,
        findings=findings,
        reason=Text(
            _("No look-back rules are valid on %(date)s: a screener assesses the records."),
            {"date": application_date.isoformat()},
        ),
    )


# ---------------------------------------------------------------------------
# Loading the reference data.
# ---------------------------------------------------------------------------


@transaction.atomic
def rules_load(apps=None) -> dict[str, int]:
    """Load the rules from ``rules_data`` that are missing. Safe to run again: a version an administrator
    changed is left alone.

    ``apps`` is the migration state's registry when called from a data migration.
    """
    if apps is not None:
        OffenceCategory, OffenceArticle, LookBackRule, OffenceRelevance = (  # noqa: N806
            apps.get_model("screening", name)
            for name in ("OffenceCategory", "OffenceArticle", "LookBackRule", "OffenceRelevance")
        )
    else:
        from .models import LookBackRule, OffenceArticle, OffenceCategory, OffenceRelevance
    tables = (
        (OffenceCategory, rules_data.OFFENCE_CATEGORIES),
        (OffenceArticle, rules_data.OFFENCE_ARTICLES),
        (LookBackRule, rules_data.LOOK_BACK_RULES),
        (OffenceRelevance, rules_data.RELEVANCE),
    )
    for model, rows in tables:
        load_missing(model, rows, migrating=apps is not None)
    return {model._meta.model_name: model.objects.count() for model, _rows in tables}
