"""Fees by product, channel and date (reference data with history)."""

from datetime import date

from django.db.models import Q

from .models import FeeRate

# domain.md §4.5. Amounts in cents; valid_to inclusive. The VOG RP fee's starting year is not
# published (€207 on the current FAQ): it is dated from the 2016 fee change like the others.
FEES = (
    ("VOG_NP", "digital", 2455, date(2012, 1, 1), date(2016, 2, 29)),
    ("VOG_NP", "digital", 3385, date(2016, 3, 1), None),
    ("VOG_NP", "municipal", 3005, date(2012, 1, 1), date(2016, 2, 29)),
    ("VOG_NP", "municipal", 4135, date(2016, 3, 1), None),
    ("VOG_NP", "paper", 4135, date(2016, 3, 1), None),
    ("VOG_NP", "free", 0, date(2012, 1, 1), None),
    ("VOG_RP", "digital", 20700, date(2016, 3, 1), None),
    ("VOG_RP", "paper", 20700, date(2016, 3, 1), None),
    ("GVA", "digital", 7500, date(2013, 4, 1), None),
    ("GVA", "paper", 7500, date(2013, 4, 1), None),
)


def fees_load(apps=None) -> int:
    """Load the fee versions that are missing. Safe to run again; a version an administrator changed is left
    alone. ``apps`` from a data migration."""
    from justis.reference_history import load_missing

    model = apps.get_model("applications", "FeeRate") if apps is not None else FeeRate
    rows = [
        {"product": product, "channel_group": group, "amount_cents": amount, "valid_from": start, "valid_to": end}
        for product, group, amount, start, end in FEES
    ]
    load_missing(model, rows, key=("product", "channel_group", "valid_from"), migrating=apps is not None)
    return model.objects.count()


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


def decimal_euros(cents: int) -> str:
    """7.30: euros with a decimal point, as payment providers and data files want them."""
    return f"{cents // 100}.{cents % 100:02d}"
