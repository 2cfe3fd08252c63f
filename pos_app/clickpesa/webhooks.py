"""ClickPesa's webhooks (PAYMENT RECEIVED / PAYMENT FAILED): signature first, then a defensive
parse of both payload generations seen in ClickPesa's docs. No I/O here: the shop server's
receiver (`POST /clickpesa/webhook`) and the simulator's sender both use it.

- The signature travels in the body (`checksum`, computed as in API notes §6, canonical by
  default, legacy selectable). Some third-party code reads a header instead; a header is
  accepted only when the operator names it (`header_name`).
- There is no event id: `WebhookEvent.dedupe_key` is (event, orderReference, status).
- A webhook is a hint. The till still asks ClickPesa's status endpoint before anything changes.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from pos_app.clickpesa.checksum import ChecksumMode, canonical_checksum, legacy_checksum

MAX_BODY_BYTES = 64 * 1024
EVENTS = {"PAYMENT RECEIVED": "PAYMENT RECEIVED", "PAYMENT_RECEIVED": "PAYMENT RECEIVED",
          "PAYMENT FAILED": "PAYMENT FAILED", "PAYMENT_FAILED": "PAYMENT FAILED"}


class WebhookError(ValueError):
    """The body is not a webhook this server can use (said without its contents)."""


@dataclass(frozen=True)
class WebhookEvent:
    event: str  # "PAYMENT RECEIVED" | "PAYMENT FAILED"
    order_reference: str
    status: str  # ClickPesa's payment status, upper case ("" when the payload has none)
    amount: str = ""
    currency: str = ""
    payment_id: str = ""
    payment_reference: str = ""
    channel: str = ""
    payer: str = ""  # the paying number as ClickPesa gives it (often masked)

    @property
    def dedupe_key(self) -> tuple[str, str, str]:
        return (self.event, self.order_reference, self.status)


def load_body(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY_BYTES:
        raise WebhookError("the body is too large")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookError("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise WebhookError("the body is not a JSON object")
    return data


def expected_checksum(payload: dict[str, Any], key: str, mode: ChecksumMode) -> str:
    if mode is ChecksumMode.LEGACY:
        return legacy_checksum(payload, key)
    return canonical_checksum(payload, key)


def signature_ok(payload: dict[str, Any], key: str, mode: ChecksumMode = ChecksumMode.CANONICAL,
                 *, headers: dict[str, str] | None = None, header_name: str | None = None
                 ) -> bool:
    """Whether the webhook was signed with the account's checksum key. Constant-time."""
    if not key:
        return False
    given = payload.get("checksum")
    if not isinstance(given, str) and header_name and headers:
        lowered = {k.lower(): v for k, v in headers.items()}
        given = lowered.get(header_name.lower())
    if not isinstance(given, str) or not given or len(given) > 256:
        return False
    want = expected_checksum(payload, key,
                             ChecksumMode.CANONICAL if mode is ChecksumMode.OFF else mode)
    return hmac.compare_digest(want.lower(), given.strip().lower())


def _text(value: Any, limit: int = 120) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip()[:limit]
    return ""


def parse_webhook(payload: dict[str, Any]) -> WebhookEvent:
    """Both generations: `{"event": …, "data": {orderReference, status, collectedAmount…}}`
    and the older `{"eventType": …, "orderReference", "paymentId", "amount", "customer"…}`."""
    name = payload.get("event", payload.get("eventType"))
    event = EVENTS.get(_text(name).upper()) if isinstance(name, str) else None
    if event is None:
        raise WebhookError("not a PAYMENT RECEIVED or PAYMENT FAILED event")
    data = payload.get("data")
    body = data if isinstance(data, dict) else payload
    raw_ref = body.get("orderReference", payload.get("orderReference"))
    ref = raw_ref.strip() if isinstance(raw_ref, str) else ""  # a number could lose zeros
    if not ref or len(ref) > 64 or not ref.isalnum() or not ref.isascii():
        raise WebhookError("no usable orderReference")
    status = _text(body.get("status")).upper()
    if not status:
        status = "SUCCESS" if event == "PAYMENT RECEIVED" else "FAILED"
    customer = body.get("customer") if isinstance(body.get("customer"), dict) else {}
    return WebhookEvent(
        event=event, order_reference=ref, status=status,
        amount=_text(body.get("collectedAmount", body.get("amount"))),
        currency=_text(body.get("collectedCurrency", body.get("currency"))),
        payment_id=_text(body.get("id", body.get("paymentId"))),
        payment_reference=_text(body.get("paymentReference")),
        channel=_text(body.get("channel", body.get("paymentMethod"))),
        payer=_text(body.get("paymentPhoneNumber",
                             customer.get("customerPhoneNumber", customer.get("phone")))))


def signed(payload: dict[str, Any], key: str,
           mode: ChecksumMode = ChecksumMode.CANONICAL) -> dict[str, Any]:
    """The payload with its `checksum` (what ClickPesa, or the simulator, sends)."""
    body = {k: v for k, v in payload.items() if k not in ("checksum", "checksumMethod")}
    return {**body, "checksum": expected_checksum(body, key, mode)}
