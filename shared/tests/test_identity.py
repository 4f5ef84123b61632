from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.identity import (
    InvalidIdNumber,
    id_check_char,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    mask_name,
    mask_phone,
    normalise_id_number,
    person_ref,
)

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))


def test_a_known_valid_number():
    # GB 11643 worked example: 11010519491231002X
    assert normalise_id_number("11010519491231002x") == "11010519491231002X"


@given(births, st.integers(0, 999))
def test_made_numbers_validate_and_any_single_digit_change_is_caught(born, seq):
    number = make_id_number("330109", born, seq)
    assert is_valid_id_number(number)
    for position in range(17):
        digit = int(number[position])
        altered = number[:position] + str((digit + 1) % 10) + number[position + 1:]
        # The check character catches every single-digit error (ISO 7064 MOD 11-2).
        assert id_check_char(altered[:17]) != altered[17] or not is_valid_id_number(altered)


@pytest.mark.parametrize("bad", ["", "123", "330109195104120289", "33010919510432028X", "000000195104120288",
                                 "3301091951041202881", "33010919510412028A"])
def test_invalid_numbers_are_refused(bad):
    with pytest.raises(InvalidIdNumber):
        normalise_id_number(bad)


def test_masks_keep_only_what_a_person_recognises():
    assert mask_id_number("330109195104120288") == "330***********0288"
    assert mask_phone("13805710001") == "138****0001"
    assert mask_name("王秀英") == "王**"


def test_person_ref_is_keyed_stable_and_reveals_nothing():
    number = make_id_number("330109", date(1951, 4, 12), 28)
    a = person_ref(number, "key-one")
    assert a == person_ref(number.lower(), "key-one")
    assert a != person_ref(number, "key-two")
    assert a.startswith("pr_") and number not in a and len(a) == 35
