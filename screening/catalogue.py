"""The screening catalogue: loading the reference data and looking codes up by date.

A code is valid for an application when a version of it is valid on the application date; the
certificate prints the wording of that version. Unknown and expired codes are refused with a message
that names the code and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from justis.memo import memo_in_batch
from justis.reference_history import load_missing

from . import catalogue_data
from .models import FunctionAspect, PurposeCode, SpecificProfile


class CatalogueError(ValueError):
    """A code that is unknown, or not valid on the date it is used for."""


def _valid_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _lookup(model, code: str, day: date, *, what: str):
    versions = list(model.objects.filter(code=code).order_by("valid_from"))
    if not versions:
        raise CatalogueError(_("Unknown %(what)s code “%(code)s”.") % {"what": what, "code": code})
    for version in versions:
        if version.valid_on(day):
            return version
    last = versions[-1]
    if last.valid_to is not None and last.valid_to < day:
        raise CatalogueError(
            _("%(what)s code “%(code)s” is no longer in use (valid until %(valid_to)s).")
            % {"what": what.capitalize(), "code": code, "valid_to": last.valid_to.isoformat()}
        )
    raise CatalogueError(
        _("%(what)s code “%(code)s” is not valid on %(day)s.")
        % {"what": what.capitalize(), "code": code, "day": day.isoformat()}
    )


def function_aspect_on(code: str, day: date) -> FunctionAspect:
    return _lookup(FunctionAspect, code, day, what=_("functieaspect"))


def specific_profile_on(code: str, day: date) -> SpecificProfile:
    return _lookup(SpecificProfile, code, day, what=_("screening profile"))


@memo_in_batch
def purpose_code_on(code: str, day: date) -> PurposeCode:
    return _lookup(PurposeCode, code, day, what=_("purpose"))


@dataclass(frozen=True)
class ScreeningBasis:
    """The screening basis of an application, in the wording valid on its date."""

    profile: SpecificProfile | None
    aspects: tuple[FunctionAspect, ...]

    def printed(self) -> dict:
        if self.profile is not None:
            return {
                "kind": "specific_profile",
                "items": [{"code": self.profile.code, "nl": self.profile.name_nl, "en": self.profile.name_en}],
            }
        return {
            "kind": "functieaspecten",
            "items": [{"code": a.code, "nl": a.text_nl, "en": a.text_en} for a in self.aspects],
        }


@memo_in_batch
def screening_basis_on(*, screening_profile: str, functieaspecten: list[str], day: date) -> ScreeningBasis:
    """Resolve (and so validate) a screening basis: exactly one profile, or one or more aspects."""
    if screening_profile and functieaspecten:
        raise CatalogueError(_("Choose either one specific screening profile or functieaspecten, not both."))
    if screening_profile:
        return ScreeningBasis(profile=specific_profile_on(screening_profile, day), aspects=())
    if not functieaspecten:
        raise CatalogueError(_("Choose one specific screening profile or at least one functieaspect."))
    if len(set(functieaspecten)) != len(functieaspecten):
        raise CatalogueError(_("Each functieaspect may be chosen only once."))
    aspects = tuple(function_aspect_on(code, day) for code in sorted(functieaspecten))
    return ScreeningBasis(profile=None, aspects=aspects)


@transaction.atomic
def catalogue_load(apps=None) -> dict[str, int]:
    """Load the reference data from ``catalogue_data`` that is missing. Safe to run again: a version an
    administrator changed is left alone.

    ``apps`` is the migration state's registry when called from a data migration.
    """
    if apps is not None:
        RiskArea, FunctionAspect, SpecificProfile, PurposeCode = (  # noqa: N806
            apps.get_model("screening", name)
            for name in ("RiskArea", "FunctionAspect", "SpecificProfile", "PurposeCode")
        )
    else:
        from .models import FunctionAspect, PurposeCode, RiskArea, SpecificProfile
    areas = {}
    for row in catalogue_data.RISK_AREAS:
        areas[row["number"]], _created = RiskArea.objects.update_or_create(
            number=row["number"], defaults={"name_nl": row["name_nl"], "name_en": row["name_en"]}
        )
    migrating = apps is not None
    aspects = [
        {
            "code": row["code"],
            "valid_from": row["valid_from"],
            "risk_area": areas[row["risk_area"]],
            "text_nl": row["text_nl"],
            "text_en": row["text_en"],
            "valid_to": row["valid_to"],
        }
        for row in catalogue_data.FUNCTION_ASPECTS
    ]
    load_missing(FunctionAspect, aspects, migrating=migrating)
    for model, rows, fields in (
        (SpecificProfile, catalogue_data.SPECIFIC_PROFILES, ("name_nl", "name_en", "valid_to")),
        (PurposeCode, catalogue_data.PURPOSE_CODES, ("text_nl", "text_en", "valid_to")),
    ):
        versions = [
            {"code": row["code"], "valid_from": row["valid_from"], **{f: row[f] for f in fields}} for row in rows
        ]
        load_missing(model, versions, migrating=migrating)
    return {
        "risk_areas": RiskArea.objects.count(),
        "function_aspects": FunctionAspect.objects.count(),
        "specific_profiles": SpecificProfile.objects.count(),
        "purpose_codes": PurposeCode.objects.count(),
    }
