"""Checking files that citizens upload, at the edge.

The type is recognised from the file's first bytes (its magic number), never from its name or the
content type the browser sends: a PNG called ``scan.pdf`` is a PNG, a program renamed to ``.pdf`` is
refused. Only PDF, JPEG and PNG are taken, up to ``ZIENSWIJZE_MAX_UPLOAD_MB`` (or the limit the caller
gives, e.g. ``PAPER_MAX_UPLOAD_MB`` for scans of paper forms); an empty file is refused.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from screening.zienswijzen import ZienswijzeAttachment

# (first bytes, content type, extension of the stored file)
ALLOWED_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
ACCEPT = ".pdf,.jpg,.jpeg,.png"
_LONGEST_SIGNATURE = max(len(signature) for signature, _type, _ext in ALLOWED_SIGNATURES)


def max_upload_bytes(max_mb: int | None = None) -> int:
    return (max_mb or settings.ZIENSWIJZE_MAX_UPLOAD_MB) * 1024 * 1024


def sniff_type(head: bytes) -> tuple[str, str] | None:
    """``(content type, extension)`` recognised from the first bytes, or None when not allowed."""
    for signature, content_type, extension in ALLOWED_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def _original_name(name: str) -> str:
    """The file name the applicant's computer gave, without any folder, as data only."""
    return PurePath(name.replace("\\", "/")).name[:255] or "bestand"


def checked_upload(upload, *, max_mb: int | None = None) -> ZienswijzeAttachment:
    """Check an uploaded file; raises ``forms.ValidationError`` saying which types and size are allowed.

    ``max_mb`` is the size limit in megabytes (``ZIENSWIJZE_MAX_UPLOAD_MB`` when not given).
    """
    max_mb = max_mb or settings.ZIENSWIJZE_MAX_UPLOAD_MB
    limit = {"max": max_mb}
    size = upload.size or 0
    if size == 0:
        raise forms.ValidationError(
            _("The file is empty. Send a PDF, JPEG or PNG file of at most %(max)s MB.") % limit, code="empty"
        )
    if size > max_upload_bytes(max_mb):
        raise forms.ValidationError(
            _("The file is larger than %(max)s MB. Send a PDF, JPEG or PNG file of at most %(max)s MB.") % limit,
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(_LONGEST_SIGNATURE)
    upload.seek(0)
    recognised = sniff_type(head)
    if recognised is None:
        raise forms.ValidationError(
            _("This type of file cannot be sent. Send a PDF, JPEG or PNG file of at most %(max)s MB.") % limit,
            code="type",
        )
    content_type, extension = recognised
    return ZienswijzeAttachment(
        file=upload,
        original_name=_original_name(upload.name or ""),
        content_type=content_type,
        extension=extension,
        size=size,
    )
