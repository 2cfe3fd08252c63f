"""ClickPesa's webhooks (issue 12): signature before anything, both payload generations,
dedupe key, garbage refused in words."""

from __future__ import annotations

import json

import pytest

from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.webhooks import (
    WebhookError,
    load_body,
    parse_webhook,
    signature_ok,
    signed,
)

KEY = "secret-key"
NEW = {"event": "PAYMENT RECEIVED", "data": {
    "id": "CP123", "status": "SUCCESS", "orderReference": "MABC123", "collectedAmount": 5000,
    "collectedCurrency": "TZS", "paymentReference": "MPX99", "channel": "M-PESA",
    "paymentPhoneNumber": "2557****5678"}}
OLD = {"eventType": "PAYMENT FAILED", "paymentId": "CP9", "orderReference": "MABC124",
       "amount": "3000", "currency": "TZS", "customer": {"name": "Asha", "phone": "255712345678"}}


def test_the_api_notes_test_vector_canonical_and_legacy():
    payload = {"amount": "1000", "currency": "TZS", "orderReference": "ORD123",
               "phoneNumber": "255712345678"}
    assert signed(payload, KEY)["checksum"] == \
        "99fd7367f82d4af014dbd4371f5cb4957c17b737540aaab238ed1fe44caf1b6c"
    assert signed(payload, KEY, ChecksumMode.LEGACY)["checksum"] == \
        "dbc215a4fa80f33b50fe6535608eda289e68bcb7cb48bef0774fbd45ae54613d"


@pytest.mark.parametrize("mode", [ChecksumMode.CANONICAL, ChecksumMode.LEGACY])
def test_a_signed_webhook_verifies_and_any_change_breaks_it(mode):
    body = signed(NEW, KEY, mode)
    assert signature_ok(body, KEY, mode)
    assert not signature_ok(body, "other-key", mode)
    tampered = json.loads(json.dumps(body))
    tampered["data"]["collectedAmount"] = 50000
    assert not signature_ok(tampered, KEY, mode)
    assert not signature_ok({k: v for k, v in body.items() if k != "checksum"}, KEY, mode)
    assert not signature_ok(body, "", mode)


def test_the_other_method_does_not_verify():
    assert not signature_ok(signed(NEW, KEY, ChecksumMode.LEGACY), KEY, ChecksumMode.CANONICAL)


def test_a_header_signature_counts_only_when_configured():
    sig = signed(NEW, KEY)["checksum"]
    headers = {"X-ClickPesa-Checksum": sig}
    assert not signature_ok(NEW, KEY, headers=headers)
    assert signature_ok(NEW, KEY, headers=headers, header_name="x-clickpesa-checksum")


def test_both_payload_generations_parse():
    new = parse_webhook(NEW)
    assert (new.event, new.order_reference, new.status, new.amount, new.currency,
            new.payment_id, new.payment_reference, new.payer) == (
        "PAYMENT RECEIVED", "MABC123", "SUCCESS", "5000", "TZS", "CP123", "MPX99",
        "2557****5678")
    old = parse_webhook(OLD)
    assert (old.event, old.order_reference, old.status, old.amount, old.payment_id,
            old.payer) == ("PAYMENT FAILED", "MABC124", "FAILED", "3000", "CP9",
                           "255712345678")


def test_dedupe_is_on_event_reference_and_status():
    a = parse_webhook(NEW)
    b = parse_webhook(json.loads(json.dumps(NEW)))
    assert a.dedupe_key == b.dedupe_key == ("PAYMENT RECEIVED", "MABC123", "SUCCESS")
    failed = parse_webhook({**NEW, "event": "PAYMENT FAILED",
                            "data": {**NEW["data"], "status": "FAILED"}})
    assert failed.dedupe_key != a.dedupe_key


@pytest.mark.parametrize("payload", [
    {}, {"event": "PAYOUT SENT", "data": NEW["data"]},
    {"event": "PAYMENT RECEIVED", "data": {"status": "SUCCESS"}},
    {"event": "PAYMENT RECEIVED", "data": {"orderReference": "M; DROP"}},
    {"event": ["PAYMENT RECEIVED"], "data": NEW["data"]},
    {"event": "PAYMENT RECEIVED", "data": {"orderReference": 12345}},
])
def test_unusable_webhooks_are_refused_in_words(payload):
    with pytest.raises(WebhookError):
        parse_webhook(payload)


@pytest.mark.parametrize("raw", [b"not json", b"[1,2]", b"\xff\xfe", b"x" * 70000])
def test_bodies_that_are_not_json_objects_are_refused(raw):
    with pytest.raises(WebhookError):
        load_body(raw)
