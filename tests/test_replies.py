"""Reading ClickPesa's replies defensively: a verdict or a ReplyError, never junk."""

from __future__ import annotations

import json

import pytest

from pos_app.clickpesa.replies import (
    PaymentStatus,
    ReplyError,
    decode_json,
    error_message,
    payment_status_from,
    push_accepted_from,
    token_from,
    whole_number,
)
from pos_app.domain.attempt import Verdict

REF = "M2603140926ABCDEFG"


def row(status: str, *, updated: str = "2026-03-14T06:30:00.000Z", ref: str = REF,
        **extra) -> dict:
    """One row of the status reply, shaped like the API reference's example."""
    return {
        "id": extra.pop("id", "LV6Y2U5Z"), "status": status, "paymentReference": "PAYREF1",
        "paymentPhoneNumber": "255712345678", "orderReference": ref,
        "collectedAmount": extra.pop("collectedAmount", 5000), "collectedCurrency": "TZS",
        "message": extra.pop("message", ""), "updatedAt": updated,
        "createdAt": "2026-03-14T06:29:00.000Z",
        "customer": {"customerName": "JUMA HAMISI", "customerPhoneNumber": "255712345678",
                     "customerEmail": ""},
        "clientId": "ID123", **extra,
    }


def read(content: bytes | str, content_type: str = "application/json") -> object:
    raw = content.encode() if isinstance(content, str) else content
    return decode_json(raw, content_type)


# -- status replies ---------------------------------------------------------------------

def test_status_reply_as_documented_array():
    status = payment_status_from(read(json.dumps([row("SUCCESS", id="ABC1")])), REF)
    assert isinstance(status, PaymentStatus)
    assert status.verdict is Verdict.PAID
    assert status.status == "SUCCESS"
    assert status.row is not None
    assert status.row.clickpesa_id == "ABC1"
    assert status.row.collected_amount == 5000
    assert status.note == ""


@pytest.mark.parametrize("status, verdict", [("SETTLED", Verdict.PAID),
                                             ("PROCESSING", Verdict.WAITING),
                                             ("PENDING", Verdict.WAITING),
                                             ("FAILED", Verdict.FAILED),
                                             ("REVERSED", Verdict.ATTENTION),
                                             ("something-new", Verdict.ATTENTION)])
def test_single_row_verdicts(status, verdict):
    assert payment_status_from([row(status)], REF).verdict is verdict


def test_failed_row_keeps_clickpesas_reason():
    status = payment_status_from([row("FAILED", message="Insufficient balance")], REF)
    assert status.verdict is Verdict.FAILED
    assert status.row.message == "Insufficient balance"


def test_attention_status_explains_itself():
    status = payment_status_from([row("ON-HOLD")], REF)
    assert status.verdict is Verdict.ATTENTION
    assert "ON-HOLD" in status.note


def test_empty_array_means_still_waiting():
    status = payment_status_from([], REF)
    assert status.verdict is Verdict.WAITING
    assert status.row is None
    assert status.rows == ()
    assert status.status == ""


def test_several_rows_latest_updated_at_wins():
    rows = [
        row("PROCESSING", updated="2026-03-14T06:29:10Z", id="A"),
        row("FAILED", updated="2026-03-14T06:31:00Z", id="C", message="Insufficient balance"),
        row("PENDING", updated="2026-03-14T06:30:00Z", id="B"),
    ]
    status = payment_status_from(rows, REF)
    assert status.verdict is Verdict.FAILED
    assert status.row.clickpesa_id == "C"
    assert len(status.rows) == 3


def test_latest_is_decided_by_instant_not_by_text_or_list_order():
    rows = [
        row("SUCCESS", updated="2026-03-14T09:10:00+03:00", id="LATER"),  # 06:10Z
        row("PROCESSING", updated="2026-03-14T06:05:00Z", id="EARLIER"),
    ]
    status = payment_status_from(rows, REF)
    assert status.row.clickpesa_id == "LATER"
    assert status.verdict is Verdict.PAID


def test_rows_for_other_references_are_ignored():
    rows = [row("SUCCESS", ref="SOMEONEELSE1", updated="2026-03-14T07:00:00Z"),
            row("PROCESSING", updated="2026-03-14T06:00:00Z")]
    status = payment_status_from(rows, REF)
    assert status.verdict is Verdict.WAITING
    assert [r.status for r in status.rows] == ["PROCESSING"]


def test_only_other_references_is_not_a_verdict_for_ours():
    status = payment_status_from([row("SUCCESS", ref="SOMEONEELSE1")], REF)
    assert status.verdict is not Verdict.PAID
    assert status.row is None


def test_conflicting_rows_need_a_person():
    rows = [row("SUCCESS", updated="2026-03-14T06:30:00Z"),
            row("FAILED", updated="2026-03-14T06:31:00Z")]
    status = payment_status_from(rows, REF)
    assert status.verdict is Verdict.ATTENTION
    assert status.note


def test_paid_after_an_earlier_failure_is_paid():
    rows = [row("FAILED", updated="2026-03-14T06:30:00Z"),
            row("SUCCESS", updated="2026-03-14T06:31:00Z")]
    assert payment_status_from(rows, REF).verdict is Verdict.PAID


@pytest.mark.parametrize("collected, expected", [
    ("5000", 5000), (5000, 5000), (5000.0, 5000), ("5,000.00", 5000), (" 5000 ", 5000),
    ("5000.5", None), ("abc", None), (None, None), (True, None), ([5000], None),
])
def test_collected_amount_as_string_or_number(collected, expected):
    status = payment_status_from([row("SUCCESS", collectedAmount=collected)], REF)
    assert status.row.collected_amount == expected
    assert whole_number(collected) == expected


def test_object_instead_of_array_is_read_as_one_row():
    status = payment_status_from(read(json.dumps(row("SETTLED"))), REF)
    assert status.verdict is Verdict.PAID
    assert len(status.rows) == 1


def test_object_wrapping_a_data_array_is_read():
    status = payment_status_from({"data": [row("FAILED")], "totalCount": 1}, REF)
    assert status.verdict is Verdict.FAILED


@pytest.mark.parametrize("data", ["SUCCESS", 42, None, True])
def test_status_reply_of_the_wrong_type_is_a_reply_error(data):
    with pytest.raises(ReplyError):
        payment_status_from(data, REF)


def test_junk_items_in_the_array_are_skipped():
    status = payment_status_from([None, "x", 3, row("SUCCESS")], REF)
    assert status.verdict is Verdict.PAID
    assert len(status.rows) == 1


def test_null_and_wrongly_typed_fields_do_not_crash():
    messy = {"status": None, "orderReference": REF, "id": {"x": 1}, "message": ["a"],
             "updatedAt": "yesterday", "collectedAmount": {"v": 1}}
    status = payment_status_from([messy], REF)
    assert status.verdict is Verdict.ATTENTION
    assert status.row.clickpesa_id == ""
    assert status.row.updated_at is None


# -- decoding ---------------------------------------------------------------------------

@pytest.mark.parametrize("body, content_type", [
    ("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "text/html"),
    ("<html>captive portal</html>", "application/json"),
    ('{"looks": "like json"}', "text/html; charset=utf-8"),
    ("", "application/json"),
    ("   ", "application/json"),
    ("{not json", "application/json"),
    ("[" * 100_000, "application/json"),
])
def test_html_empty_or_broken_body_is_a_reply_error(body, content_type):
    with pytest.raises(ReplyError):
        read(body, content_type)


def test_invalid_utf8_does_not_escape_as_unicode_error():
    with pytest.raises(ReplyError):
        read(b"\xff\xfe{", "application/json")


# -- token ------------------------------------------------------------------------------

def test_token_with_bearer_is_unchanged():
    assert token_from({"success": True, "token": "Bearer eyJabc.def"}) == "Bearer eyJabc.def"


def test_token_without_bearer_gets_exactly_one():
    assert token_from({"success": True, "token": "eyJabc.def"}) == "Bearer eyJabc.def"


@pytest.mark.parametrize("token", ["bearer eyJabc", "BEARER eyJabc"])
def test_bearer_word_in_any_case_is_not_doubled(token):
    result = token_from({"token": token})
    assert result == token
    assert result.lower().count("bearer") == 1


@pytest.mark.parametrize("data", [
    {}, {"token": ""}, {"token": "   "}, {"token": None}, {"token": 123},
    {"token": "Bearer"}, {"token": "Bearer   "},
    [], "Bearer eyJ", None,
])
def test_token_reply_without_a_token_is_a_reply_error(data):
    with pytest.raises(ReplyError):
        token_from(data)


# -- initiate reply and error bodies ----------------------------------------------------

def test_push_accepted_reads_initiate_reply():
    data = {"id": "LV6Y2U5Z", "status": "PROCESSING", "channel": "M-PESA",
            "orderReference": REF, "collectedAmount": "5000", "collectedCurrency": "TZS",
            "createdAt": "2026-03-14T06:29:00.000Z", "clientId": "ID123"}
    accepted = push_accepted_from(data, REF)
    assert (accepted.clickpesa_id, accepted.status, accepted.channel,
            accepted.order_reference) == ("LV6Y2U5Z", "PROCESSING", "M-PESA", REF)


def test_push_accepted_for_another_reference_is_a_reply_error():
    with pytest.raises(ReplyError):
        push_accepted_from({"id": "X", "status": "PROCESSING", "orderReference": "OTHER1"}, REF)


@pytest.mark.parametrize("data", ["ok", None, [1, 2], 5])
def test_push_accepted_of_wrong_shape_is_a_reply_error(data):
    with pytest.raises(ReplyError):
        push_accepted_from(data, REF)


@pytest.mark.parametrize("data, message", [
    ({"message": "Invalid / unsupported phone number"}, "Invalid / unsupported phone number"),
    ({"message": ["amount must be a string", "currency required"]},
     "amount must be a string; currency required"),
    ({"error": "Bad Request"}, "Bad Request"),
    ("Too many requests", "Too many requests"),
    ([{"message": "first"}], "first"),
    ({}, ""), (None, ""), (42, ""),
])
def test_error_message(data, message):
    assert error_message(data) == message
