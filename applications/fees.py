"""Fees by product, channel and date (reference data with history)."""

from datetime import date

from django.db.models import Q

from .models import FeeRate


class FeeUnknown(LookupError):
    pass


def fee_cents(*, product: str, channel_group: str, day: date) -> int:
    rate = (
        FeeRate.objects.filter(product=product, channel_group=channel_group, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if rate is None:
        raise FeeUnknown(f"no fee for {product} via {channel_group} on {day}")
    return rate.amount_cents


def euros(cents: int) -> str:
    """€ 33,85 — Dutch notation, as on the fee table."""
    return f"€ {cents // 100},{cents % 100:02d}"
