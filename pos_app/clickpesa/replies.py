"""Defensive reading of ClickPesa replies.

ClickPesa (or a proxy in front of it) may send strings where numbers are expected, an object
where an array is documented, nulls, or an HTML error page. Every function here either returns
a well-typed value or raises `ReplyError` with a sentence a person can read; nothing else.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.domain.attempt import Verdict, verdict_for
from pos_app.domain.evidence import Observed
from pos_app.i18n import QT_TRANSLATE_NOOP


class ReplyError(ValueError):
    """The reply could not be understood."""


def decode_json(content: bytes, content_type: str = "") -> Any:
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        raise ReplyError(QT_TRANSLATE_NOOP("Messages", "ClickPesa sent an empty reply."))
    if text.startswith("<") or "html" in content_type.lower():
        raise ReplyError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's address answered with a web page instead of data "
                        "(a proxy or captive portal may be in the way)."))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ReplyError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa sent a reply that is not valid JSON.")) from None


def text_field(value: Any, limit: int = 500) -> str:
    """A field meant to be text, whatever type it arrived as."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return str(value).strip()[:limit]


def whole_number(value: Any) -> int | None:
    """5000, 5000.0, "5000", "5,000.00" -> 5000; anything else -> None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        s = value.strip().replace(",", "")
        try:
            f = float(s)
        except ValueError:
            return None
        return int(f) if math.isfinite(f) and f.is_integer() and abs(f) < 1e15 else None
    return None


def timestamp(value: Any) -> datetime | None:
    s = text_field(value)
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else None


def error_message(data: Any) -> str:
    """ClickPesa's error body is {"message": "…"}; accept a bare string or a list too."""
    if isinstance(data, dict):
        for key in ("message", "error", "detail"):
            msg = data.get(key)
            if isinstance(msg, list):
                msg = "; ".join(text_field(m) for m in msg if text_field(m))
            if text_field(msg):
                return text_field(msg)
    if isinstance(data, str):
        return text_field(data)
    if isinstance(data, list) and data:
        return error_message(data[0])
    return ""


def token_from(data: Any) -> str:
    if not isinstance(data, dict):
        raise ReplyError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's token reply has an unexpected shape."))
    token = data.get("token")
    if not isinstance(token, str) or not token.strip():
        raise ReplyError(QT_TRANSLATE_NOOP("Messages", "ClickPesa's token reply carries no token."))
    token = token.strip()
    if token.lower() == "bearer":
        raise ReplyError(QT_TRANSLATE_NOOP("Messages", "ClickPesa's token reply carries no token."))
    # The token arrives as "Bearer …"; add the word only if a stand-in left it out.
    return token if token.lower().startswith("bearer ") else f"Bearer {token}"


@dataclass(frozen=True)
class PushAccepted:
    clickpesa_id: str
    status: str
    channel: str
    order_reference: str


def push_accepted_from(data: Any, order_reference: str) -> PushAccepted:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise ReplyError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's reply to the payment request has an unexpected shape."))
    ref = text_field(data.get("orderReference"))
    if ref and ref != order_reference:
        raise ReplyError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's reply names a different order reference."))
    return PushAccepted(
        clickpesa_id=text_field(data.get("id"), 100),
        status=text_field(data.get("status"), 40).upper(),
        channel=text_field(data.get("channel"), 40),
        order_reference=order_reference,
    )


@dataclass(frozen=True)
class PaymentRow:
    status: str
    clickpesa_id: str = ""
    channel: str = ""
    message: str = ""
    collected_amount: int | None = None
    updated_at: datetime | None = None
    order_reference: str = ""  # "" when the row names none
    currency: str | None = None  # collectedCurrency; None when absent
    payer: str | None = None  # paymentPhoneNumber (or the customer's number); None when absent
    payment_reference: str = ""  # the mobile operator's transaction id

    @property
    def verdict(self) -> Verdict:
        return verdict_for(self.status)

    def observed(self) -> Observed:
        """What matching needs to know whether this row is the attempt's payment."""
        return Observed(self.order_reference or None, self.collected_amount, self.currency,
                        self.payer)


@dataclass(frozen=True)
class PaymentStatus:
    """What the status endpoint says about one order reference."""

    rows: tuple[PaymentRow, ...]
    verdict: Verdict
    row: PaymentRow | None  # the row the verdict comes from (latest updatedAt)
    note: str = ""  # why the verdict needs a person, when it does

    @property
    def status(self) -> str:
        return self.row.status if self.row else ""


def _optional_text(value: Any, limit: int = 40) -> str | None:
    text = text_field(value, limit)
    return text or None


def _payer(item: dict[str, Any]) -> str | None:
    payer = _optional_text(item.get("paymentPhoneNumber"))
    if payer is None:
        customer = item.get("customer")
        if isinstance(customer, dict):
            payer = _optional_text(customer.get("customerPhoneNumber"))
    return payer


def _row_from(item: Any) -> PaymentRow | None:
    if not isinstance(item, dict):
        return None
    return PaymentRow(
        order_reference=text_field(item.get("orderReference"), 40),
        currency=_optional_text(item.get("collectedCurrency") or item.get("currency"), 10),
        payer=_payer(item),
        payment_reference=text_field(item.get("paymentReference"), 100),
        status=text_field(item.get("status"), 40).upper(),
        clickpesa_id=text_field(item.get("id"), 100),
        channel=text_field(item.get("channel") or item.get("paymentChannel"), 40),
        message=text_field(item.get("message")),
        collected_amount=whole_number(item.get("collectedAmount")),
        updated_at=timestamp(item.get("updatedAt")) or timestamp(item.get("createdAt")),
    )


def payment_status_from(data: Any, order_reference: str) -> PaymentStatus:
    """Read the status reply: documented as an array, possibly empty or with several rows."""
    if isinstance(data, dict):
        inner = data.get("data")
        items = inner if isinstance(inner, list) else [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ReplyError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's status reply has an unexpected shape."))
    rows: list[PaymentRow] = []
    for item in items:
        if isinstance(item, dict):
            ref = text_field(item.get("orderReference"))
            if ref and ref != order_reference:
                continue  # not ours: never let another payment decide this one
        row = _row_from(item)
        if row is not None:
            rows.append(row)
    return status_from_rows(rows)


def status_from_rows(rows: list[PaymentRow]) -> PaymentStatus:
    """The verdict for one reference's rows (from the status endpoint or the payment list)."""
    if not rows:
        # Nothing usable yet (an empty array): ClickPesa may still be creating it.
        return PaymentStatus((), Verdict.WAITING, None)

    def key(pair: tuple[int, PaymentRow]) -> tuple[float, int]:
        i, r = pair  # undated rows count as oldest; ties go to the later row in the list
        return (r.updated_at.timestamp() if r.updated_at else float("-inf"), i)

    latest = max(enumerate(rows), key=key)[1]
    from pos_app.settings import Problem  # here: pos_app.settings loads pos_app.clickpesa
    verdict = latest.verdict
    note = ""
    if verdict is Verdict.ATTENTION:
        note = Problem(QT_TRANSLATE_NOOP("Messages", "ClickPesa reports status {status}."),
                       status=latest.status or "(none)")
    elif verdict is not Verdict.PAID and any(r.verdict is Verdict.PAID for r in rows):
        verdict = Verdict.ATTENTION
        note = QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa lists several payments for this reference that disagree.")
    return PaymentStatus(tuple(rows), verdict, latest, note)
