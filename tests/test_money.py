"""Amounts typed by the cashier: whole shillings within the shop's limits, or a precise refusal."""

from __future__ import annotations

import pytest

from pos_app.domain.money import (
    DEFAULT_MAX_TZS,
    DEFAULT_MIN_TZS,
    Amount,
    AmountError,
    AmountProblem,
    format_tzs,
    parse_amount,
)


@pytest.mark.parametrize("typed", [
    "5000",
    "5,000",
    "5 000",
    "TZS 5,000",
    "TZS 5000",
    "tzs5000",
    "5000 TZS",
    "TSh 5,000",
    "5,000/=",
    "TZS 5,000/=",
    "  5000  ",
    "+5000",
    "5\u00a0000",  # non-breaking space, as pasted from a formatted receipt
    "5\u202f000",  # narrow no-break space
])
def test_accepted_forms_of_five_thousand(typed):
    assert parse_amount(typed) == Amount(5000)


def test_large_grouped_amount():
    assert parse_amount("1,000,000") == Amount(1_000_000)
    assert parse_amount("1 000 000") == Amount(1_000_000)


def test_api_string_is_plain_digits():
    amount = parse_amount("TZS 12,500")
    assert isinstance(amount, Amount)
    assert amount.as_api_string() == "12500"


@pytest.mark.parametrize("typed", ["0", "000", "0,000", "TZS 0", "-0"])
def test_zero_is_not_positive(typed):
    assert parse_amount(typed) == AmountError(AmountProblem.NOT_POSITIVE)


@pytest.mark.parametrize("typed", ["-5000", "-5,000", "\u22125000", "TZS -5,000"])
def test_negative_is_not_positive(typed):
    assert parse_amount(typed) == AmountError(AmountProblem.NOT_POSITIVE)


@pytest.mark.parametrize("typed", ["5000.50", "5000.5", "5,000.50", "12,345.67", "100.01"])
def test_cents_are_refused_as_fractional(typed):
    assert parse_amount(typed) == AmountError(AmountProblem.FRACTIONAL)


@pytest.mark.parametrize("typed", ["5000.00", "5,000.00", "5000.0", "TZS 5,000.00", "5 000.00"])
def test_a_fraction_of_zeros_is_the_whole_amount(typed):
    assert parse_amount(typed) == Amount(5000)


@pytest.mark.parametrize(("typed", "problem"), [
    ("0.00", AmountProblem.NOT_POSITIVE), ("1,00.00", AmountProblem.NOT_A_NUMBER),
    (".00", AmountProblem.NOT_A_NUMBER), ("5000.0０", AmountProblem.NOT_A_NUMBER),
    ("5000.001", AmountProblem.FRACTIONAL), ("5,000,000.00", None),
])
def test_zero_fractions_are_checked_like_whole_amounts(typed, problem):
    result = parse_amount(typed)
    if problem is None:
        assert result == Amount(5_000_000)
    else:
        assert result == AmountError(problem)


@pytest.mark.parametrize("typed", [
    "abc", "5k", "five thousand", "1e3", "5_000", "5000.", ".5", "--5000",
    "1,00", "50,00", "5,0000", "5 00", "５０００", "5000 5000", "0x1388",
])
def test_non_numeric_is_not_a_number(typed):
    assert parse_amount(typed) == AmountError(AmountProblem.NOT_A_NUMBER)


@pytest.mark.parametrize("typed", ["", "   ", "TZS", None])
def test_nothing_typed_is_empty(typed):
    assert parse_amount(typed) == AmountError(AmountProblem.EMPTY)


def test_default_limits_and_their_edges():
    assert parse_amount(str(DEFAULT_MIN_TZS)) == Amount(DEFAULT_MIN_TZS)
    assert parse_amount(str(DEFAULT_MIN_TZS - 1)) == AmountError(AmountProblem.BELOW_MIN,
                                                                  DEFAULT_MIN_TZS)
    assert parse_amount(str(DEFAULT_MAX_TZS)) == Amount(DEFAULT_MAX_TZS)
    assert parse_amount(str(DEFAULT_MAX_TZS + 1)) == AmountError(AmountProblem.ABOVE_MAX,
                                                                  DEFAULT_MAX_TZS)


def test_configured_limits_are_reported_back():
    assert parse_amount("999", minimum=1000, maximum=20_000) == AmountError(
        AmountProblem.BELOW_MIN, 1000)
    assert parse_amount("20,001", minimum=1000, maximum=20_000) == AmountError(
        AmountProblem.ABOVE_MAX, 20_000)
    assert parse_amount("20,000", minimum=1000, maximum=20_000) == Amount(20_000)


def test_absurdly_long_number_is_above_max_not_a_crash():
    assert parse_amount("9" * 400) == AmountError(AmountProblem.ABOVE_MAX, DEFAULT_MAX_TZS)


@pytest.mark.parametrize("value", [0, -1, 1.5, 5000.0, True, "5000"])
def test_amount_holds_only_positive_whole_shillings(value):
    with pytest.raises(ValueError):
        Amount(value)


@pytest.mark.parametrize("tzs, shown", [
    (100, "100"), (5000, "5,000"), (12_500, "12,500"), (1_000_000, "1,000,000"),
    (5_000_000, "5,000,000"),
])
def test_format_tzs(tzs, shown):
    assert format_tzs(tzs) == shown
    assert Amount(tzs).formatted() == shown


def test_formatted_amount_parses_back_to_itself():
    for tzs in (100, 999, 1000, 43_210, 4_999_999):
        assert parse_amount(format_tzs(tzs)) == Amount(tzs)
