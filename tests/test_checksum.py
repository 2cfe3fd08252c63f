"""ClickPesa checksums against the documented test vector (API notes, section 6)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from pos_app.clickpesa.checksum import ChecksumMode, canonical_checksum, legacy_checksum, sign

KEY = "secret-key"
VECTOR = {"amount": "1000", "currency": "TZS", "orderReference": "ORD123",
          "phoneNumber": "255712345678"}
CANONICAL_HEX = "99fd7367f82d4af014dbd4371f5cb4957c17b737540aaab238ed1fe44caf1b6c"
LEGACY_HEX = "dbc215a4fa80f33b50fe6535608eda289e68bcb7cb48bef0774fbd45ae54613d"


def hmac_hex(message: str, key: str = KEY) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def test_canonical_matches_test_vector():
    assert canonical_checksum(VECTOR, KEY) == CANONICAL_HEX


def test_legacy_matches_test_vector():
    assert legacy_checksum(VECTOR, KEY) == LEGACY_HEX
    assert hmac_hex("1000TZSORD123255712345678") == LEGACY_HEX


def test_key_order_of_the_payload_does_not_matter():
    shuffled = dict(reversed(list(VECTOR.items())))
    assert canonical_checksum(shuffled, KEY) == CANONICAL_HEX
    assert legacy_checksum(shuffled, KEY) == LEGACY_HEX


def test_canonical_sorts_keys_at_every_depth_and_keeps_array_order():
    payload = {"z": {"b": 1, "a": {"y": True, "x": None}},
               "a": [{"d": "4", "c": 3}, 2, 1]}
    expected = '{"a":[{"c":3,"d":"4"},2,1],"z":{"a":{"x":null,"y":true},"b":1}}'
    assert canonical_checksum(payload, KEY) == hmac_hex(expected)


def test_canonical_keeps_non_ascii_text_as_utf8():
    payload = {"name": "Müller Ã", "amount": "1000"}
    assert canonical_checksum(payload, KEY) == hmac_hex('{"amount":"1000","name":"Müller Ã"}')


@pytest.mark.parametrize("fn, expected", [(canonical_checksum, CANONICAL_HEX),
                                          (legacy_checksum, LEGACY_HEX)])
def test_checksum_fields_are_excluded(fn, expected):
    signed = {**VECTOR, "checksum": "deadbeef", "checksumMethod": "canonical"}
    assert fn(signed, KEY) == expected


@pytest.mark.parametrize("fn", [canonical_checksum, legacy_checksum])
def test_any_change_or_other_key_changes_the_checksum(fn):
    base = fn(VECTOR, KEY)
    assert fn({**VECTOR, "amount": "1001"}, KEY) != base
    assert fn(VECTOR, "secret-key2") != base
    assert len(base) == 64 and base == base.lower()
    int(base, 16)


def test_sign_off_adds_nothing_and_needs_no_key():
    payload = dict(VECTOR)
    out = sign(payload, ChecksumMode.OFF, None)
    assert out == VECTOR
    assert "checksum" not in out
    assert out is not payload


@pytest.mark.parametrize("mode, expected", [(ChecksumMode.CANONICAL, CANONICAL_HEX),
                                            (ChecksumMode.LEGACY, LEGACY_HEX)])
def test_sign_adds_checksum_field_without_touching_the_input(mode, expected):
    payload = dict(VECTOR)
    out = sign(payload, mode, KEY)
    assert out == {**VECTOR, "checksum": expected}
    assert payload == VECTOR  # the caller's dict is not modified


def test_signing_a_signed_payload_again_gives_the_same_checksum():
    once = sign(VECTOR, ChecksumMode.CANONICAL, KEY)
    assert sign(once, ChecksumMode.CANONICAL, KEY)["checksum"] == CANONICAL_HEX


@pytest.mark.parametrize("mode", [ChecksumMode.CANONICAL, ChecksumMode.LEGACY])
@pytest.mark.parametrize("key", [None, ""])
def test_sign_without_key_refuses(mode, key):
    with pytest.raises(ValueError):
        sign(VECTOR, mode, key)
