"""ClickPesa's list of payments (`GET /third-parties/payments/all`), read defensively.

Reconciliation at closing time pages through this list; the gateway fetches each page and
hands the decoded JSON to `parse_page`, and the reconciliation (pos_app.reports.reconcile)
matches the rows with the journal. Lives beside the other reply parsers so the gateway need not
import the reports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.clickpesa.replies import PaymentRow, ReplyError, text_field, timestamp, whole_number
from pos_app.domain.attempt import Verdict, verdict_for
from pos_app.i18n import QT_TRANSLATE_NOOP

MAX_LIMIT = 100  # what the till asks for per page; ClickPesa documents no maximum


class PageError(ReplyError):
    """A page of ClickPesa's payment list could not be understood."""


@dataclass(frozen=True)
class RemotePayment:
    """One payment as ClickPesa's list shows it. Text fields are "" when absent."""

    order_reference: str
    status: str  # upper case, as sent
    collected_amount: int | None  # None when absent or not a whole number
    collected_currency: str
    payment_phone: str
    channel: str
    clickpesa_id: str
    payment_reference: str  # the operator's transaction id
    created_at: datetime | None
    message: str = ""
    updated_at: datetime | None = None

    @property
    def verdict(self) -> Verdict:
        return verdict_for(self.status)

    @property
    def is_paid(self) -> bool:
        return self.verdict is Verdict.PAID

    def as_status_row(self) -> PaymentRow:
        """The row as the status endpoint's parser would give it, so the till's one rule
        for what a payment means (`pos_app.till.follow.assess`) decides here too."""
        return PaymentRow(status=self.status, clickpesa_id=self.clickpesa_id,
                          channel=self.channel, message=self.message,
                          collected_amount=self.collected_amount,
                          updated_at=self.updated_at or self.created_at,
                          order_reference=self.order_reference,
                          currency=self.collected_currency or None,
                          payer=self.payment_phone or None,
                          payment_reference=self.payment_reference)


@dataclass(frozen=True)
class Page:
    rows: tuple[RemotePayment, ...]
    total_count: int | None  # None when ClickPesa did not say


def _row(item: Any) -> RemotePayment:
    if not isinstance(item, dict):
        raise PageError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's payment list holds an entry that is not a payment."))
    return RemotePayment(
        order_reference=text_field(item.get("orderReference"), 40),
        status=text_field(item.get("status"), 40).upper(),
        collected_amount=whole_number(item.get("collectedAmount")),
        collected_currency=text_field(item.get("collectedCurrency"), 10).upper(),
        payment_phone=text_field(item.get("paymentPhoneNumber"), 40),
        channel=text_field(item.get("channel") or item.get("paymentChannel"), 40),
        clickpesa_id=text_field(item.get("id"), 100),
        payment_reference=text_field(item.get("paymentReference"), 100),
        created_at=timestamp(item.get("createdAt")),
        message=text_field(item.get("message")),
        updated_at=timestamp(item.get("updatedAt")),
    )


def parse_page(data: Any) -> Page:
    """Read one reply of `GET /third-parties/payments/all`: `{"data": [...], "totalCount": n}`.

    Numbers may arrive as strings; a missing `totalCount` gives None. A reply of another shape
    (no `data` array, an entry that is not an object, a negative or fractional count) raises
    `PageError` rather than being read as "no payments", which would hide money.
    """
    items: Any
    total: int | None
    if isinstance(data, list):  # a bare array: accept it, it carries its own count
        items, total = data, len(data)
    elif isinstance(data, dict):
        items = data.get("data")
        if not isinstance(items, list):
            raise PageError(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa's payment list reply has no list of payments."))
        raw_total = data.get("totalCount")
        if raw_total is None or raw_total == "":
            total = None
        else:
            total = whole_number(raw_total)
            if total is None or total < 0:
                raise PageError(QT_TRANSLATE_NOOP(
                    "Messages", "ClickPesa's payment list reply has an unreadable total."))
    else:
        raise PageError(QT_TRANSLATE_NOOP(
            "Messages", "ClickPesa's payment list reply has an unexpected shape."))
    return Page(tuple(_row(item) for item in items), total)


def plan_pages(total_count: int, limit: int = MAX_LIMIT) -> list[int]:
    """The `skip` values that fetch `total_count` payments `limit` at a time: [0, 100, 200…]."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    if total_count < 0:
        raise ValueError("total_count cannot be negative")
    return [i * limit for i in range(math.ceil(total_count / limit))]


def merge_pages(pages: Iterable[Page]) -> tuple[RemotePayment, ...]:
    """All rows of the pages, each payment once, in the order first seen.

    A payment made while paging shifts the list by one, so the same payment can end one page
    and start the next, perhaps with a newer status: the later copy wins. Rows without a
    ClickPesa id are only merged when they are identical.
    """
    merged: dict[object, RemotePayment] = {}
    for page in pages:
        for row in page.rows:
            merged[row.clickpesa_id or row] = row
    return tuple(merged.values())
