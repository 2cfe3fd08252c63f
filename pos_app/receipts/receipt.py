"""The customer's payment confirmation: its content, built from a PAID attempt, and its text lines.

A customer who paid by USSD push walks away with nothing in hand but an SMS from the network;
the shop wants to give them a slip showing what was paid, to whom and with which references, so
a dispute can be settled by looking the payment up at ClickPesa. The slip is explicitly *not*
a TRA fiscal receipt (the shop's EFD machine issues those): it says so on its face.

Pure Python, no Qt. Every visible sentence is an English template below, marked with
`QT_TRANSLATE_NOOP("Receipt", …)` for pyside6-lupdate; the renderers take a `translate`
callable (the window passes `QCoreApplication.translate`), identity by default. Fields that
`AttemptRecord` is still to gain (`cashier`, `payment_reference`) are read with `getattr`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.domain.money import format_tzs
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.reports.channels import channel_name
from pos_app.reports.text import centred, fill, pair

CONTEXT = "Receipt"
MAX_HEADER_LINES = 3
MASK = "\u2022"  # •
WIDTHS = {"58mm": 32, "80mm": 48}  # characters per line of the usual thermal papers

Translate = Callable[[str, str], str]


def identity(context: str, text: str) -> str:
    return text


# Every sentence on the slip, in one place.
TITLE = QT_TRANSLATE_NOOP("Receipt", "Payment confirmation")
NOT_FISCAL = QT_TRANSLATE_NOOP("Receipt", "Not a TRA fiscal receipt")
TRAINING = QT_TRANSLATE_NOOP("Receipt", "TRAINING - no money moved")
DATE = QT_TRANSLATE_NOOP("Receipt", "Date")
AMOUNT = QT_TRANSLATE_NOOP("Receipt", "Amount")
AMOUNT_VALUE = QT_TRANSLATE_NOOP("Receipt", "TZS {amount}")
NETWORK = QT_TRANSLATE_NOOP("Receipt", "Network")
CUSTOMER = QT_TRANSLATE_NOOP("Receipt", "Paid from")
CLICKPESA_ID = QT_TRANSLATE_NOOP("Receipt", "ClickPesa payment id")
OPERATOR_ID = QT_TRANSLATE_NOOP("Receipt", "Operator transaction id")
ORDER_REFERENCE = QT_TRANSLATE_NOOP("Receipt", "Order reference")
TILL = QT_TRANSLATE_NOOP("Receipt", "Till")
CASHIER = QT_TRANSLATE_NOOP("Receipt", "Cashier")
THANKS = QT_TRANSLATE_NOOP("Receipt", "Thank you for your payment!")
NOT_PAID = QT_TRANSLATE_NOOP("Receipt", "Only a paid attempt gets a payment confirmation.")


class NotPaid(ValueError):
    """A confirmation was asked for an attempt ClickPesa has not reported paid."""


@dataclass(frozen=True)
class ShopSettings:
    """What the shop prints at the top of every slip (from the settings file)."""

    shop_name: str
    header_lines: tuple[str, ...] = ()  # address, phone, TIN…: at most three
    till_name: str = ""
    cashier: str = ""

    def __post_init__(self) -> None:
        if len(self.header_lines) > MAX_HEADER_LINES:
            raise ValueError(f"A receipt has at most {MAX_HEADER_LINES} header lines.")


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    header_lines: tuple[str, ...]
    paid_at: datetime | None  # None when the journal's time is unreadable
    amount_tzs: int
    network: str  # display name ("M-Pesa"), "" when ClickPesa gave no channel
    phone_masked: str
    clickpesa_id: str
    payment_reference: str  # the operator's transaction id; "" when not known
    order_reference: str
    till_name: str = ""
    cashier: str = ""
    training: bool = False
    extra: tuple[str, ...] = field(default=())  # lines the shop adds under the thank-you


def mask_phone(digits: str) -> str:
    """Show a customer's number on paper without giving it away.

    '255712345678', '+255 712 345 678', '0712345678', '712345678' -> '+255 7•• ••• 678'
    (the first digit says the kind of number, the last three let the customer recognise it).
    Any other shape keeps only its last three digits ('447700900123' -> '•••••••••123');
    four digits or fewer are masked entirely; no digits gives ''.
    """
    d = "".join(ch for ch in digits or "" if ch.isdigit())
    national = None
    if len(d) == 12 and d.startswith("255"):
        national = d[3:]
    elif len(d) == 10 and d.startswith("0"):
        national = d[1:]
    elif len(d) == 9 and not d.startswith("0"):
        national = d
    if national is not None:
        return f"+255 {national[0]}{MASK * 2} {MASK * 3} {national[6:]}"
    if len(d) <= 4:
        return MASK * len(d)
    return MASK * (len(d) - 3) + d[-3:]


def _time(record: AttemptRecord) -> datetime | None:
    try:
        return datetime.fromisoformat(record.created_at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None


def build_receipt(record: AttemptRecord, shop: ShopSettings, *,
                  extra: Sequence[str] = ()) -> Receipt:
    """The confirmation for one PAID attempt; anything else raises `NotPaid`.

    The time shown is when the sale was made (the attempt's creation), so a reprint shows the
    same time. The till's and cashier's names come from the attempt when it has them.
    """
    if record.state is not AttemptState.PAID:
        raise NotPaid(NOT_PAID)
    return Receipt(
        shop_name=shop.shop_name.strip(),
        header_lines=tuple(line.strip() for line in shop.header_lines if line.strip()),
        paid_at=_time(record),
        amount_tzs=record.amount_tzs,
        network=channel_name(record.channel),
        phone_masked=mask_phone(record.phone),
        clickpesa_id=record.clickpesa_id,
        payment_reference=str(getattr(record, "payment_reference", "") or ""),
        order_reference=record.order_reference,
        till_name=(record.till_name or shop.till_name).strip(),
        cashier=str(getattr(record, "cashier", "") or shop.cashier).strip(),
        training=record.mode == "training",
        extra=tuple(extra),
    )


def receipt_fields(receipt: Receipt, translate: Translate = identity) -> list[tuple[str, str]]:
    """(label, value) pairs in print order; empty values are left out."""

    def tr(text: str, **values: object) -> str:
        return fill(translate(CONTEXT, text), text, **values)

    when = receipt.paid_at.strftime("%Y-%m-%d %H:%M") if receipt.paid_at else ""
    pairs = [
        (tr(DATE), when),
        (tr(AMOUNT), tr(AMOUNT_VALUE, amount=format_tzs(receipt.amount_tzs))),
        (tr(NETWORK), receipt.network),
        (tr(CUSTOMER), receipt.phone_masked),
        (tr(CLICKPESA_ID), receipt.clickpesa_id),
        (tr(OPERATOR_ID), receipt.payment_reference),
        (tr(ORDER_REFERENCE), receipt.order_reference),
        (tr(TILL), receipt.till_name),
        (tr(CASHIER), receipt.cashier),
    ]
    return [(label, value) for label, value in pairs if value]


def receipt_lines(receipt: Receipt, width: int = 32, *,
                  translate: Translate = identity) -> list[str]:
    """The slip as lines of at most `width` characters: 32 for 58 mm paper, 48 for 80 mm."""
    if width < 16:
        raise ValueError("A receipt needs at least 16 columns.")

    def tr(text: str, **values: object) -> str:
        return fill(translate(CONTEXT, text), text, **values)

    rule = "-" * width
    out: list[str] = []
    if receipt.shop_name:
        out += centred(receipt.shop_name.upper(), width)
    for line in receipt.header_lines:
        out += centred(line, width)
    out.append(rule)
    out += centred(tr(TITLE), width)
    out += centred(tr(NOT_FISCAL), width)
    if receipt.training:
        out += centred(tr(TRAINING), width)
    out.append(rule)
    for label, value in receipt_fields(receipt, translate):
        out += pair(label, value, width)
    out.append(rule)
    out += centred(tr(THANKS), width)
    for line in receipt.extra:
        out += centred(line, width)
    return out
