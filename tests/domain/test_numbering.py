"""SPEC 3: order numbers (案件公文号) are the year and a 7-digit yearly sequence."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.errors import DomainError
from hotline.domain.numbering import (
    SEQUENCE_DIGITS,
    InvalidOrderNumber,
    SequenceExhausted,
    format_number,
    parse_number,
)


def test_year_2020_sequence_805_is_20200000805():
    assert format_number(2020, 805) == "20200000805"


def test_20200000805_parses_to_year_2020_sequence_805():
    assert parse_number("20200000805") == (2020, 805)


def test_a_number_is_eleven_digits_with_a_seven_digit_sequence():
    assert SEQUENCE_DIGITS == 7
    assert format_number(2026, 1) == "20260000001"
    assert format_number(2026, 9_999_999) == "20269999999"


@given(st.integers(2000, 2099), st.integers(1, 10**7 - 1))
def test_format_then_parse_gives_back_year_and_sequence(year, sequence):
    number = format_number(year, sequence)
    assert len(number) == 11
    assert number.isdigit()
    assert parse_number(number) == (year, sequence)


@given(st.integers(2000, 2099), st.integers(1, 10**7 - 2))
def test_numbers_sort_by_sequence_within_a_year(year, sequence):
    assert format_number(year, sequence) < format_number(year, sequence + 1)


@pytest.mark.parametrize(
    "number",
    [
        "2020000080",  # ten digits
        "202000008051",  # twelve digits
        "2020805",
        "",
        "2020000080A",  # a letter in the sequence
        "ABCD0000805",  # letters for the year
        "2020-000805",
        " 20200000805",
        "20200000000",  # sequence 0
    ],
)
def test_malformed_numbers_are_refused(number):
    with pytest.raises(InvalidOrderNumber) as error:
        parse_number(number)
    assert "工单编号" in error.value.message


def test_missing_number_is_refused():
    with pytest.raises(InvalidOrderNumber):
        parse_number(None)


def test_sequence_ten_million_is_exhausted():
    with pytest.raises(SequenceExhausted) as error:
        format_number(2020, 10**7)
    assert "2020" in error.value.message


def test_refusals_are_domain_errors_with_stable_codes():
    assert issubclass(InvalidOrderNumber, DomainError)
    assert issubclass(SequenceExhausted, DomainError)
    assert InvalidOrderNumber.code == "invalid_order_number"
    assert SequenceExhausted.code == "sequence_exhausted"
