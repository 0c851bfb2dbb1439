"""The history of reference data (django-simple-history): the first version of rows loaded by migrations,
and the differences between two versions in words for the audit trail and the history page.

Rows saved in the admin get their version from the model's ``history`` (``HistoricalRecords``) with the
functional administrator and the reason they gave. Rows loaded by data migrations were written without
those signals, so ``record_loaded_versions`` gives each one its first version afterwards.
"""

from __future__ import annotations

from django.utils import timezone

LOADED_REASON = "Loaded from the published sources"


def load_missing(model, rows, *, key: tuple[str, ...] = ("code", "valid_from"), migrating: bool = False) -> int:
    """Insert the ``rows`` (dicts of field values) whose ``key`` is not in the table yet; an existing
    version, possibly changed by an administrator, is left alone. A few queries whatever the count: the
    loaders run at every ``seed_demo`` and after every flush of the tests.

    Outside migrations the new rows get their first version at once; in a migration (``migrating``) the
    history tables may not exist yet and ``record_loaded_versions`` gives them one later.
    """
    existing = set(model._default_manager.values_list(*key))
    new = [model(**row) for row in rows if tuple(row[name] for name in key) not in existing]
    if not new:
        return 0
    if migrating:
        model._default_manager.bulk_create(new)
    else:
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(new, model, default_change_reason=LOADED_REASON)
    return len(new)


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
