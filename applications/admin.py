from django.contrib import admin

from justis.admin import ReferenceDataAdmin, reference_admin

from .models import DecisionPeriod


@admin.register(DecisionPeriod, site=reference_admin)
class DecisionPeriodAdmin(ReferenceDataAdmin):
    list_display = ("product", "procedure", "period", "extension", "unit", "valid_from", "valid_to")
    list_filter = ("product", "procedure")
    ordering = ("product", "procedure", "valid_from")
    fields = ("product", "procedure", "period", "extension", "unit", "valid_from", "valid_to", "note", "source")
