"""Finding payments in the whole journal: the history window's filter, without Qt.

The history window shows every attempt (100,000 is a few years of a busy till) and must
filter as the cashier types. Qt's per-row callbacks into Python cost about a microsecond each
and sorting through `data()` takes seconds on that many rows (measured), so the rows are kept
as plain tuples and filtered and sorted here, over precomputed columns; the window's proxy
model only passes the result to the view. Pure Python, so the shop server can reuse it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pos_app.domain.attempt import AttemptState

# The columns of `Journal.history_rows()`.
(CREATED, REFERENCE, PHONE, AMOUNT, STATE, CHANNEL, SHIFT, CASHIER, TILL, CLICKPESA_ID,
 ROWID) = range(11)
Row = Sequence[object]

REPORT_STATUS = {s.value: s.report_status for s in AttemptState}
STATUSES = ("PAID", "FAILED", "UNRESOLVED", "NEEDS_ATTENTION")


class FilterError(ValueError):
    """The amount typed is not an amount or a range; `field` says which box."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(f"{field}: {text!r}")
        self.field, self.text = field, text


@dataclass(frozen=True)
class HistoryFilter:
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""  # one of STATUSES, "" for all
    phone: str = ""  # any part of the number, in any form ("0712 345", "+255712…")
    reference: str = ""  # any part, any case
    amount_min: int | None = None
    amount_max: int | None = None


def phone_digits(text: str) -> str:
    """What to look for in the journal's 255… numbers: '0712 345' -> '712345'."""
    d = "".join(ch for ch in text if ch.isdigit())
    if d.startswith("255") and len(d) > 3:
        return d[3:]
    return d[1:] if d.startswith("0") else d


_AMOUNT = re.compile(r"^\s*([\d,. _]+?)\s*(?:(?:-|–|to)\s*([\d,. _]+?)\s*)?$")


def parse_amounts(text: str) -> tuple[int | None, int | None]:
    """'5000' -> (5000, 5000); '1,000-5,000' -> (1000, 5000); '' -> (None, None)."""
    if not text.strip():
        return None, None
    m = _AMOUNT.match(text)
    if not m:
        raise FilterError("amount", text)

    def number(part: str) -> int:
        digits = part.replace(",", "").replace("_", "").replace(" ", "")
        if digits.endswith(".00"):
            digits = digits[:-3]
        if not digits.isdigit():
            raise FilterError("amount", text)
        return int(digits)

    low = number(m.group(1))
    high = number(m.group(2)) if m.group(2) else low
    return (low, high) if low <= high else (high, low)


def matching(rows: Sequence[Row], f: HistoryFilter,
             order: Sequence[int] | None = None) -> list[int]:
    """Indices of the rows the filter lets through, in `order` (default: as given), so a
    filter change never has to sort."""
    found: Sequence[int] = range(len(rows)) if order is None else order
    # Cheapest tests first; each pass is one list comprehension over what is left.
    if f.date_from is not None or f.date_to is not None:
        # ISO times start with their date: compare whole strings, no slicing per row.
        lo = f.date_from.isoformat() if f.date_from else ""
        hi = (f.date_to + timedelta(days=1)).isoformat() if f.date_to else "9999"
        found = [i for i in found if lo <= rows[i][CREATED] < hi]  # type: ignore[operator]
    if f.status:
        states = {s for s, status in REPORT_STATUS.items() if status == f.status}
        found = [i for i in found if rows[i][STATE] in states]
    if f.amount_min is not None or f.amount_max is not None:
        lo_a = f.amount_min if f.amount_min is not None else 0
        hi_a = f.amount_max if f.amount_max is not None else 1 << 62
        found = [i for i in found if lo_a <= rows[i][AMOUNT] <= hi_a]  # type: ignore[operator]
    if f.phone.strip():
        digits = phone_digits(f.phone)
        if digits:
            found = [i for i in found if digits in rows[i][PHONE]]  # type: ignore[operator]
    if f.reference.strip():
        needle = f.reference.strip().upper()
        found = [i for i in found if needle in rows[i][REFERENCE].upper()]  # type: ignore[union-attr]
    return list(found)


def sorted_order(rows: Sequence[Row], column: int, descending: bool) -> list[int]:
    """Every row's index, sorted by `column`. Rows come newest first (`history_rows`), so
    by time that is the order as it is, or reversed."""
    if column == CREATED:
        forward = list(range(len(rows)))
        return forward if descending else forward[::-1]
    key = sort_key(column)
    return sorted(range(len(rows)), key=lambda i: key(rows[i]), reverse=descending)


def sort_key(column: int):  # type: ignore[no-untyped-def]
    """The key the window sorts a column by (amounts as numbers, the rest as text)."""
    if column == AMOUNT:
        return lambda row: row[AMOUNT]
    if column == STATE:
        return lambda row: REPORT_STATUS.get(row[STATE], "")
    return lambda row: row[column] or ""


@dataclass(frozen=True)
class Totals:
    count: int
    amount_tzs: int
    paid_count: int
    paid_tzs: int


def totals(rows: Sequence[Row], shown: Sequence[int]) -> Totals:
    amount = paid = paid_tzs = 0
    for i in shown:
        row = rows[i]
        a = row[AMOUNT]
        amount += a  # type: ignore[operator]
        if row[STATE] == "PAID":
            paid += 1
            paid_tzs += a  # type: ignore[operator]
    return Totals(len(shown), amount, paid, paid_tzs)
