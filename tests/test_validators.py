from django.core.exceptions import ValidationError

import pytest

from applications.validators import bsn_is_valid, validate_bsn, validate_kvk_number, validate_municipality_code
from screening.demo import DEMO_PERSONS


@pytest.mark.parametrize("bsn", ["999990019", "111222333", "123456782", *[p["bsn"] for p in DEMO_PERSONS]])
def test_valid_bsns_pass_the_11_test(bsn):
    assert bsn_is_valid(bsn)
    validate_bsn(bsn)


@pytest.mark.parametrize("bsn", ["999990018", "123456789", "111222334", "000000000"])
def test_bsns_failing_the_11_test_are_refused_with_the_reason(bsn):
    assert not bsn_is_valid(bsn)
    with pytest.raises(ValidationError) as exc:
        validate_bsn(bsn)
    assert exc.value.code in {"bsn_checksum", "bsn_format"}


@pytest.mark.parametrize("bsn", ["12345678", "1234567890", "12345678a", "", " 99999001"])
def test_bsns_of_the_wrong_shape_say_nine_digits(bsn):
    with pytest.raises(ValidationError) as exc:
        validate_bsn(bsn)
    assert exc.value.code == "bsn_format"


def test_every_single_digit_change_of_a_valid_bsn_is_caught():
    # The 11-test detects any single wrong digit: that is why it is used.
    valid = "999990019"
    for position in range(9):
        for digit in "0123456789":
            if digit != valid[position]:
                changed = valid[:position] + digit + valid[position + 1 :]
                assert not bsn_is_valid(changed), changed


@pytest.mark.parametrize(
    ("value", "ok"), [("12345678", True), ("1234567", False), ("123456789", False), ("1234567a", False)]
)
def test_kvk_number_has_eight_digits(value, ok):
    if ok:
        validate_kvk_number(value)
    else:
        with pytest.raises(ValidationError):
            validate_kvk_number(value)


@pytest.mark.parametrize(("value", "ok"), [("0363", True), ("363", False), ("03630", False), ("abcd", False)])
def test_municipality_code_has_four_digits(value, ok):
    if ok:
        validate_municipality_code(value)
    else:
        with pytest.raises(ValidationError):
            validate_municipality_code(value)
