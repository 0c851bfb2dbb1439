from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from justis.admin import ReferenceDataAdmin, reference_admin

from .fees import euros
from .models import DecisionPeriod, FeeRate


@admin.register(DecisionPeriod, site=reference_admin)
class DecisionPeriodAdmin(ReferenceDataAdmin):
    list_display = ("product", "procedure", "period", "extension", "unit", "valid_from", "valid_to")
    list_filter = ("product", "procedure")
    ordering = ("product", "procedure", "valid_from")
    fields = ("product", "procedure", "period", "extension", "unit", "valid_from", "valid_to", "note", "source")


@admin.register(FeeRate, site=reference_admin)
class FeeRateAdmin(ReferenceDataAdmin):
    list_display = ("product", "channel_group", "euro_amount", "valid_from", "valid_to")
    list_filter = ("product", "channel_group")
    ordering = ("product", "channel_group", "valid_from")
    fields = ("product", "channel_group", "amount_cents", "valid_from", "valid_to")

    @admin.display(description=_("amount"), ordering="amount_cents")
    def euro_amount(self, obj):
        return euros(obj.amount_cents)
