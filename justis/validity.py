"""Validity dates of versioned reference data: a version runs from ``valid_from`` up to and including
``valid_to`` (open-ended when empty), and the versions of one key may not overlap, so exactly one applies
on any day. Used by the ``clean()`` of every versioned table (catalogue, rules, fees, decision periods,
message templates); the admin forms call it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def check_validity(obj, **key) -> None:
    """Raise a ``ValidationError`` on the date fields when ``obj``'s dates are reversed or overlap another
    version with the same ``key`` values (skipped while the key or the start date is still missing)."""
    if obj.valid_to and obj.valid_from and obj.valid_to < obj.valid_from:
        raise ValidationError({"valid_to": _("The end of the validity cannot be before its start.")})
    if not obj.valid_from or any(value in (None, "") for value in key.values()):
        return
    others = type(obj)._default_manager.filter(**key).exclude(pk=obj.pk)
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=obj.valid_from))
    if obj.valid_to:
        others = others.filter(valid_from__lte=obj.valid_to)
    other = others.order_by("valid_from").first()
    if other is not None:
        raise ValidationError(
            {
                "valid_from": _("This validity overlaps the version valid from %(date)s: end that version first.")
                % {"date": other.valid_from.strftime("%d-%m-%Y")}
            }
        )
