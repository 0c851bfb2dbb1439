"""Bulk preparation: one purpose and screening, many applicants from a CSV file.

The file is checked as a whole when it is uploaded (readable, the needed columns, not too many rows);
each row is then checked and prepared by a task, one transaction per row that also records the row's
outcome, so the report says per row what was prepared and what was refused and why.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justis.queue import publish_on_commit

from .invitations import InvitationError, application_prepare
from .models import BulkUpload, BulkUploadStatus

# Accepted column names (Dutch first, as in the example file), lower-cased, per field.
COLUMNS = {
    "given_names": ("voornamen", "voornaam", "given_names", "given names", "first names"),
    "surname": ("achternaam", "geslachtsnaam", "surname", "last name"),
    "birth_date": ("geboortedatum", "birth_date", "date of birth"),
    "email": ("e-mailadres", "emailadres", "e-mail", "email"),
}
EXAMPLE_CSV = "voornamen;achternaam;geboortedatum;e-mailadres\nJan;Jansen;17-05-1990;jan.jansen@example.org\n"


# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Text written to a CSV must not become a formula when the file is opened in a spreadsheet."""
    return "'" + value if value[:1] in FORMULA_START else value


class BulkFileError(ValueError):
    """The file cannot be used at all; the message says why and what to do."""


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkFileError(_("The file cannot be read as text. Save it as CSV (UTF-8) and upload it again."))


def bulk_parse(content: bytes) -> list[dict]:
    """The rows of the CSV as dicts with the keys of COLUMNS plus ``line`` (the line number in the file)."""
    if b"\x00" in content[:4096]:
        raise BulkFileError(_("This is not a CSV file. Save the spreadsheet as CSV and upload it again."))
    text = _decode(content)
    if not text.strip():
        raise BulkFileError(_("The file is empty."))
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    positions = {}
    for field, names in COLUMNS.items():
        found = [index for index, name in enumerate(header) if name in names]
        if not found:
            positions[field] = None
        else:
            positions[field] = found[0]
    missing = [COLUMNS[field][0] for field, position in positions.items() if position is None]
    if missing:
        raise BulkFileError(
            _("The first line must name the columns. Missing: %(missing)s. Use the example file.")
            % {"missing": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {
            field: (cells[position].strip() if position < len(cells) else "") for field, position in positions.items()
        }
        rows.append({"line": line, **row})
        if len(rows) > settings.BULK_MAX_ROWS:
            raise BulkFileError(
                _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": settings.BULK_MAX_ROWS}
            )
    if not rows:
        raise BulkFileError(_("The file has column names but no applicants."))
    return rows


def bulk_upload_start(*, organisation, user, file_name: str, content: bytes, purpose: dict) -> BulkUpload:
    """Check the file and queue its rows. Raises BulkFileError when the file cannot be used."""
    from .tasks import bulk_upload_run_task

    rows = bulk_parse(content)
    with transaction.atomic():
        upload = BulkUpload.objects.create(
            organisation=organisation, uploaded_by=user, file_name=file_name[:255], purpose=purpose, rows=rows
        )
        publish_on_commit(bulk_upload_run_task, upload.pk)
    return upload


def _row_outcome(upload: BulkUpload, row: dict, seen: dict) -> dict:
    from .portals.forms import ApplicantForm

    name = f"{row['given_names']} {row['surname']}".strip()
    outcome = {"line": row["line"], "name": name, "email": row["email"]}
    form = ApplicantForm(data=row)
    if not form.is_valid():
        reasons = [f"{form.fields[field].label}: {' '.join(errors)}" for field, errors in form.errors.items()]
        return {**outcome, "prepared": False, "reason": "; ".join(reasons)}
    key = f"{name.lower()}|{form.cleaned_data['birth_date'].isoformat()}|{form.cleaned_data['email'].lower()}"
    if key in seen:
        return {**outcome, "prepared": False, "reason": _("The same person as on line %(line)d.") % {"line": seen[key]}}
    try:
        application = application_prepare(
            organisation=upload.organisation,
            prepared_by=upload.uploaded_by,
            **upload.purpose,
            given_names=form.cleaned_data["given_names"],
            surname=form.cleaned_data["surname"],
            birth_date=form.cleaned_data["birth_date"],
            email=form.cleaned_data["email"],
        )
    except InvitationError as exc:
        return {**outcome, "prepared": False, "reason": str(exc)}
    seen[key] = row["line"]
    return {**outcome, "prepared": True, "reference": application.reference, "key": key}


def bulk_upload_run(*, upload_id: int) -> str:
    """Prepare the remaining rows of an upload, one transaction per row. Safe to run twice at once."""
    seen: dict = {}
    while True:
        with transaction.atomic():
            upload = (
                BulkUpload.objects.select_for_update(skip_locked=True)
                .select_related("organisation", "uploaded_by")
                .filter(pk=upload_id)
                .exclude(status=BulkUploadStatus.DONE)
                .first()
            )
            if upload is None:
                return "nothing to do"  # done, or another worker holds it right now
            if not seen:  # resuming: the rows prepared before count as seen
                seen = {r["key"]: r["line"] for r in upload.report if r["prepared"]}
            if upload.processed >= upload.total:
                upload.status = BulkUploadStatus.DONE
                upload.save(update_fields=["status", "updated_at"])
                return "done"
            row = upload.rows[upload.processed]
            outcome = _row_outcome(upload, row, seen)
            upload.report = [*upload.report, outcome]
            upload.processed += 1
            upload.prepared_count += int(outcome["prepared"])
            upload.refused_count += int(not outcome["prepared"])
            upload.status = BulkUploadStatus.RUNNING
            upload.save()


def bulk_uploads_resume() -> int:
    """Re-queue uploads that no task has moved on for a while (a lost message, a killed worker)."""
    from .tasks import bulk_upload_run_task

    stale = timezone.now() - timedelta(seconds=settings.BULK_STALE_AFTER_SECONDS)
    ids = list(
        BulkUpload.objects.exclude(status=BulkUploadStatus.DONE)
        .filter(updated_at__lt=stale)
        .values_list("pk", flat=True)
    )
    for upload_id in ids:
        publish_on_commit(bulk_upload_run_task, upload_id)
    return len(ids)
