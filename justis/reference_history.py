"""The history of reference data (django-simple-history): the first version of rows loaded by migrations,
and the differences between two versions in words for the audit trail and the history page.

Rows saved in the admin get their version from the model's ``history`` (``HistoricalRecords``) with the
functional administrator and the reason they gave. Rows loaded by data migrations were written without
those signals, so ``record_loaded_versions`` gives each one its first version afterwards.
"""

from __future__ import annotations

from django.utils import timezone

LOADED_REASON = "Loaded from the published sources"


def record_loaded_versions(apps, app_label: str, model_names: tuple[str, ...]) -> int:
    """A first ("+") version for every row without one yet; for a data migration. Safe to run again."""
    now = timezone.now()
    created = 0
    for name in model_names:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        known = set(history.objects.values_list("id", flat=True).distinct())
        fields = [field.attname for field in model._meta.concrete_fields]
        rows = [
            history(
                **{field: getattr(row, field) for field in fields},
                history_date=now,
                history_type="+",
                history_change_reason=LOADED_REASON,
            )
            for row in model.objects.exclude(pk__in=known).iterator()
        ]
        history.objects.bulk_create(rows, batch_size=1000)
        created += len(rows)
    return created


def forget_loaded_versions(apps, app_label: str, model_names: tuple[str, ...]) -> None:
    for name in model_names:
        apps.get_model(app_label, f"Historical{name}").objects.filter(history_change_reason=LOADED_REASON).delete()


def changes_between(record, previous) -> dict[str, list[str]]:
    """``{field: [before, after]}`` from one historical record to the next, as text (for the audit trail)."""
    if previous is None:
        return {}
    delta = record.diff_against(previous)
    return {change.field: [_text(change.old), _text(change.new)] for change in delta.changes}


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)[:500]
