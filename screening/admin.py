"""The screening rules and the catalogue as reference data for functional administrators (/beheer/).

Every table is versioned by its validity dates: a change is a new version from a date, after the old
one is ended, so an application is judged by the rules valid on its application date. Versions are
never deleted; each addition and change is written to the audit trail (``justis.admin``).
"""

from django.contrib import admin

from justis.admin import ReferenceDataAdmin, reference_admin

from .models import (
    ExclusionGround,
    FunctionAspect,
    LookBackRule,
    OffenceArticle,
    OffenceCategory,
    OffenceRelevance,
    PurposeCode,
    SpecificProfile,
)

VALIDITY = ("valid_from", "valid_to")


@admin.register(LookBackRule, site=reference_admin)
class LookBackRuleAdmin(ReferenceDataAdmin):
    list_display = ("code", "kind", "years", "age_below", "categories", "profile_codes", *VALIDITY)
    list_filter = ("kind",)
    search_fields = ("code",)


@admin.register(OffenceRelevance, site=reference_admin)
class OffenceRelevanceAdmin(ReferenceDataAdmin):
    list_display = ("code", "basis", "basis_code", "categories", *VALIDITY)
    list_filter = ("basis",)
    search_fields = ("code", "basis_code")


@admin.register(OffenceCategory, site=reference_admin)
class OffenceCategoryAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_nl", "rank", *VALIDITY)
    search_fields = ("code", "name_nl", "name_en")


@admin.register(OffenceArticle, site=reference_admin)
class OffenceArticleAdmin(ReferenceDataAdmin):
    list_display = ("code", "category", *VALIDITY)
    list_filter = ("category",)
    search_fields = ("code",)


@admin.register(ExclusionGround, site=reference_admin)
class ExclusionGroundAdmin(ReferenceDataAdmin):
    list_display = ("code", "kind", "name_nl", "years", *VALIDITY)
    list_filter = ("kind",)
    search_fields = ("code", "name_nl")


@admin.register(FunctionAspect, site=reference_admin)
class FunctionAspectAdmin(ReferenceDataAdmin):
    list_display = ("code", "text_nl", *VALIDITY)
    search_fields = ("code", "text_nl")


@admin.register(SpecificProfile, site=reference_admin)
class SpecificProfileAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_nl", *VALIDITY)
    search_fields = ("code", "name_nl")


@admin.register(PurposeCode, site=reference_admin)
class PurposeCodeAdmin(ReferenceDataAdmin):
    list_display = ("code", "text_nl", *VALIDITY)
    search_fields = ("code", "text_nl")
