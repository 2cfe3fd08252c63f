"""Order references: what ClickPesa accepts (alphanumeric, 1-20 chars), and never twice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pos_app.domain.reference import MAX_LENGTH, is_valid_reference, new_reference

EAT = timezone(timedelta(hours=3))
NOW = datetime(2026, 3, 14, 9, 26, 53, tzinfo=EAT)


def test_reference_is_ascii_alphanumeric_and_at_most_20_chars():
    ref = new_reference(NOW)
    assert MAX_LENGTH == 20
    assert 1 <= len(ref) <= 20
    assert ref.isascii() and ref.isalnum()
    assert is_valid_reference(ref)


def test_reference_starts_with_sortable_timestamp():
    ref = new_reference(NOW)
    assert ref.startswith("M260314092653")
    later = new_reference(NOW + timedelta(seconds=1))
    assert later.startswith("M260314092654")
    assert later[:13] > ref[:13]


def test_random_tail_avoids_characters_misread_over_the_phone():
    for _ in range(300):
        tail = new_reference(NOW)[13:]
        assert tail, "there must be a random part"
        assert not set(tail) & set("0O1I")


def test_unique_over_many_calls_in_the_same_second():
    # 7 characters of 32 give 32**7 ≈ 3.4e10 per second; for 1,000 references in one second
    # a birthday collision has odds of about 1 in 70,000 (20,000 made it 1 in 170: flaky).
    refs = [new_reference(NOW) for _ in range(1_000)]
    assert len(set(refs)) == len(refs)
    assert all(is_valid_reference(r) for r in refs)


@pytest.mark.parametrize("ref", ["A", "ORD123", "abcXYZ0189", "A" * 20, "12345678901234567890"])
def test_valid_references(ref):
    assert is_valid_reference(ref)


@pytest.mark.parametrize("ref", [
    "", "A" * 21, "ORD-123", "ORD 123", "ORD_123", "ORD123\n", "ÄBC123", "１２３",
    "٣٤٥", "../etc", "ORD/1", None, 123, b"ORD123", ["ORD123"],
])
def test_invalid_references(ref):
    assert not is_valid_reference(ref)
