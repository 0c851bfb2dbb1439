"""Validators for identifiers, with messages that say what is wrong and how it should look."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def bsn_is_valid(value: str) -> bool:
    """The 11-test (elfproef) of a burgerservicenummer: nine digits, weighted sum divisible by 11."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(digit) * weight for digit, weight in zip(value, weights, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(_("A BSN has exactly 9 digits."), code="bsn_format")
    if not bsn_is_valid(value):
        raise ValidationError(
            _("This is not a valid BSN: it fails the 11-test. Check the number on the identity document."),
            code="bsn_checksum",
        )


def validate_kvk_number(value: str) -> None:
    if len(value) != 8 or not value.isdigit():
        raise ValidationError(_("A KvK number has exactly 8 digits."), code="kvk_format")


def validate_municipality_code(value: str) -> None:
    if len(value) != 4 or not value.isdigit():
        raise ValidationError(_("A municipality code has exactly 4 digits (e.g. 0363)."), code="municipality_code")
