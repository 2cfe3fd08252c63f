"""Phone numbers as cashiers type them -> ClickPesa's 255XXXXXXXXX, or a precise refusal."""

from __future__ import annotations

import pytest

from pos_app.domain.phone import (
    Network,
    Phone,
    PhoneError,
    PhoneProblem,
    parse_phone,
)


@pytest.mark.parametrize("typed", [
    "0712 345 678",
    "0712345678",
    "712345678",
    "712 345 678",
    "+255 712 345 678",
    "+255712345678",
    "255712345678",
    "255 712 345 678",
    "00255712345678",
    "00255 712 345 678",
    "+255-712-345-678",
    "(0712) 345-678",
    "0712.345.678",
    "  0712 345 678  ",
    "0712\u00a0345\u00a0678",  # pasted with non-breaking spaces
])
def test_every_typed_form_normalises_to_api_form(typed):
    result = parse_phone(typed)
    assert result == Phone("255712345678")


@pytest.mark.parametrize("prefix, network", [
    ("74", Network.MPESA), ("75", Network.MPESA), ("76", Network.MPESA), ("79", Network.MPESA),
    ("65", Network.MIXX), ("67", Network.MIXX), ("71", Network.MIXX), ("77", Network.MIXX),
    ("68", Network.AIRTEL), ("69", Network.AIRTEL), ("78", Network.AIRTEL),
    ("61", Network.HALOPESA), ("62", Network.HALOPESA),
])
def test_network_hint_for_each_wallet_prefix(prefix, network):
    result = parse_phone(f"0{prefix}2 345 678")
    assert isinstance(result, Phone), result
    assert result.digits == f"255{prefix}2345678"
    assert result.network is network


@pytest.mark.parametrize("typed, operator", [
    ("0732 345 678", "TTCL"),
    ("+255 732 345 678", "TTCL"),
    ("0662 345 678", "Smile"),
    ("255662345678", "Smile"),
])
def test_operators_without_clickpesa_wallet_are_refused(typed, operator):
    assert parse_phone(typed) == PhoneError(PhoneProblem.NO_WALLET, operator)


@pytest.mark.parametrize("typed", [
    "+254 712 345 678",  # Kenya
    "00254712345678",
    "+256 712 345 678",  # Uganda
    "+1 202 555 0123",
    "+44 7911 123456",
])
def test_foreign_numbers_are_not_tanzanian(typed):
    assert parse_phone(typed) == PhoneError(PhoneProblem.NOT_TANZANIAN)


@pytest.mark.parametrize("typed", [
    "022 212 3456",  # Dar es Salaam landline
    "+255 22 212 3456",
    "0272 345 678",  # Arusha landline range
    "0812 345 678",  # not a mobile range
    "0702 345 678",  # unallocated mobile-looking prefix
])
def test_landlines_and_non_wallet_ranges_are_not_mobile(typed):
    assert parse_phone(typed) == PhoneError(PhoneProblem.NOT_MOBILE)


@pytest.mark.parametrize("typed", [
    "071234567",  # one digit short
    "12345",
    "07123456789",  # one digit long
    "2557123456789",
    "+2557123456789",
    "+25571234567",
    "7123456789",
    "0712 345 678 9",
    "07123abc78",
    "abc",
    "O712345678",  # letter O for zero
    "+",
    "0712345678x",
    "٠٧١٢٣٤٥٦٧٨",  # Arabic-Indic digits: not what ClickPesa takes
    "1" * 40,
])
def test_wrong_length_or_letters_are_not_a_number(typed):
    assert parse_phone(typed) == PhoneError(PhoneProblem.NOT_A_NUMBER)


@pytest.mark.parametrize("typed", ["", "   ", " - ", None])
def test_nothing_typed_is_empty(typed):
    assert parse_phone(typed) == PhoneError(PhoneProblem.EMPTY)


def test_display_groups_digits_for_people():
    assert Phone("255712345678").display() == "+255 712 345 678"


@pytest.mark.parametrize("digits", ["0712345678", "25571234567", "2557123456789", "254712345678",
                                    "255-12345678", ""])
def test_phone_refuses_anything_but_255_and_nine_digits(digits):
    with pytest.raises(ValueError):
        Phone(digits)


def test_unknown_prefix_has_no_network_hint():
    assert Phone("255732345678").network is None
