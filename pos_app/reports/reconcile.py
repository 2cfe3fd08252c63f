"""Reconciliation: the journal's view of a day beside ClickPesa's list of payments.

The till decides "paid" from ClickPesa's status endpoint, one reference at a time; at closing
time the owner wants the other direction too: everything ClickPesa collected for the account
(`GET /third-parties/payments/all`), matched against the journal by order reference. The
dangerous case is money ClickPesa collected that the journal does not count as paid (the till
showed "failed", "not sent" or never heard back): the customer paid and may have paid twice.

Pure Python, no I/O: the caller fetches the pages (see `plan_pages`) with the gateway and hands
the decoded JSON to `parse_page`; `reconcile` does the matching. Every journal attempt lands in
exactly one category, and every ClickPesa payment is either matched to an attempt or listed as
coming from another system (another till, the web shop, a payment link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# The list's parser lives with the other reply parsers (the gateway uses it); its names are
# kept here too, so `from pos_app.reports.reconcile import parse_page` goes on working.
from pos_app.clickpesa.payment_list import (
    MAX_LIMIT,
    Page,
    PageError,
    RemotePayment,
    merge_pages,
    parse_page,
    plan_pages,
)
from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.domain.money import format_tzs
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.reports.text import centred, fill, wrap

__all__ = ["MAX_LIMIT", "Page", "PageError", "RemotePayment", "merge_pages", "parse_page",
           "plan_pages", "Mismatch", "Pair", "Reconciliation", "reconcile",
           "reconciliation_text"]

CURRENCY = "TZS"


def _digits(phone: str) -> str:
    d = "".join(ch for ch in phone if ch.isdigit())
    if len(d) == 10 and d.startswith("0"):
        return "255" + d[1:]
    if len(d) == 9:
        return "255" + d
    return d


@dataclass(frozen=True)
class Mismatch:
    field: str  # "amount", "currency", "phone", "duplicate"
    journal: str
    clickpesa: str


@dataclass(frozen=True)
class Pair:
    """A journal attempt and what ClickPesa lists for its reference."""

    record: AttemptRecord
    rows: tuple[RemotePayment, ...]  # ClickPesa's rows for this reference, maybe none
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def paid_row(self) -> RemotePayment | None:
        """The row the money is on (the latest paid one), if any."""
        paid = [r for r in self.rows if r.is_paid]
        return max(paid, key=_row_time) if paid else None

    @property
    def remote_status(self) -> str:
        """ClickPesa's status for the reference ("" when not listed)."""
        row = self.paid_row or (max(self.rows, key=_row_time) if self.rows else None)
        return row.status if row else ""


def _row_time(row: RemotePayment) -> float:
    return row.created_at.timestamp() if row.created_at else float("-inf")


@dataclass(frozen=True)
class Reconciliation:
    matched_paid: tuple[Pair, ...]  # paid on both sides, same amount, currency and number
    paid_at_clickpesa_only: tuple[Pair, ...]  # DANGER: money collected, journal not PAID
    paid_in_journal_only: tuple[Pair, ...]  # journal PAID, ClickPesa lists no paid row
    mismatched: tuple[Pair, ...]  # paid on both sides, but the figures differ
    agreed_not_paid: tuple[Pair, ...]  # neither side paid (failed, still open…)
    not_listed: tuple[Pair, ...]  # not paid in the journal, and ClickPesa lists nothing
    other_systems: tuple[RemotePayment, ...]  # ClickPesa payments no journal attempt has

    @property
    def is_clean(self) -> bool:
        """Nothing for a person to look at (payments of other systems are not a problem)."""
        return not (self.paid_at_clickpesa_only or self.paid_in_journal_only or self.mismatched)

    @property
    def paid_elsewhere_tzs(self) -> int:
        return sum(r.collected_amount or 0 for r in self.other_systems if r.is_paid)


def _mismatches(record: AttemptRecord, row: RemotePayment,
                paid_rows: int) -> tuple[Mismatch, ...]:
    out = []
    if row.collected_amount != record.amount_tzs:
        shown = "(unreadable)" if row.collected_amount is None else str(row.collected_amount)
        out.append(Mismatch("amount", str(record.amount_tzs), shown))
    if row.collected_currency and row.collected_currency != CURRENCY:
        out.append(Mismatch("currency", CURRENCY, row.collected_currency))
    if row.payment_phone and _digits(row.payment_phone) != _digits(record.phone):
        out.append(Mismatch("phone", record.phone, row.payment_phone))
    if paid_rows > 1:
        out.append(Mismatch("duplicate", "1", str(paid_rows)))
    return tuple(out)


def reconcile(records: Sequence[AttemptRecord],
              remote_rows: Iterable[RemotePayment]) -> Reconciliation:
    """Match live journal attempts with ClickPesa's rows by order reference.

    Training attempts never reach ClickPesa, so they are refused (ValueError) rather than being
    reported as "not listed". Rows whose reference no attempt has go to `other_systems`.
    """
    if any(r.mode != "live" for r in records):
        raise ValueError("Only live attempts can be reconciled with ClickPesa; "
                         "training attempts never reach it.")
    by_ref: dict[str, list[RemotePayment]] = {}
    for row in remote_rows:
        by_ref.setdefault(row.order_reference, []).append(row)
    known = {r.order_reference for r in records}

    buckets: dict[str, list[Pair]] = {k: [] for k in (
        "matched", "clickpesa_only", "journal_only", "mismatched", "agreed", "not_listed")}
    for record in records:
        rows = tuple(by_ref.get(record.order_reference, ()))
        paid_rows = [r for r in rows if r.is_paid]
        journal_paid = record.state is AttemptState.PAID
        if paid_rows:
            pair = Pair(record, rows)
            mismatches = _mismatches(record, pair.paid_row or paid_rows[0], len(paid_rows))
            pair = Pair(record, rows, mismatches)
            if not journal_paid:
                buckets["clickpesa_only"].append(pair)
            elif mismatches:
                buckets["mismatched"].append(pair)
            else:
                buckets["matched"].append(pair)
        elif journal_paid:
            buckets["journal_only"].append(Pair(record, rows))
        elif rows:
            buckets["agreed"].append(Pair(record, rows))
        else:
            buckets["not_listed"].append(Pair(record, rows))
    others = tuple(row for ref, rows in by_ref.items() if ref not in known for row in rows)
    return Reconciliation(
        matched_paid=tuple(buckets["matched"]),
        paid_at_clickpesa_only=tuple(buckets["clickpesa_only"]),
        paid_in_journal_only=tuple(buckets["journal_only"]),
        mismatched=tuple(buckets["mismatched"]),
        agreed_not_paid=tuple(buckets["agreed"]),
        not_listed=tuple(buckets["not_listed"]),
        other_systems=others,
    )


# -- plain text --------------------------------------------------------------------------------

_T_TITLE = QT_TRANSLATE_NOOP("Reconcile", "Reconciliation with ClickPesa")
_T_DANGER = QT_TRANSLATE_NOOP("Reconcile", "PAID AT CLICKPESA BUT NOT IN THE TILL: {count}")
_T_JOURNAL_ONLY = QT_TRANSLATE_NOOP("Reconcile", "Paid in the till but not at ClickPesa: {count}")
_T_MISMATCHED = QT_TRANSLATE_NOOP("Reconcile", "Paid, but the figures differ: {count}")
_T_STATES = QT_TRANSLATE_NOOP("Reconcile", "till {till}, ClickPesa {clickpesa}")
_T_NOT_LISTED_STATUS = QT_TRANSLATE_NOOP("Reconcile", "not listed")
_T_DIFF = QT_TRANSLATE_NOOP("Reconcile", "{field}: till {till}, ClickPesa {clickpesa}")
_T_MATCHED = QT_TRANSLATE_NOOP("Reconcile", "Paid on both sides: {count}, TZS {amount}")
_T_AGREED = QT_TRANSLATE_NOOP("Reconcile", "Not paid on either side: {count}")
_T_NOT_LISTED = QT_TRANSLATE_NOOP("Reconcile", "Not listed by ClickPesa (not paid): {count}")
_T_OTHERS = QT_TRANSLATE_NOOP("Reconcile", "Other systems: {count}, TZS {amount} paid")
_T_CLEAN = QT_TRANSLATE_NOOP("Reconcile", "The till and ClickPesa agree.")
_T_FIELDS = {
    "amount": QT_TRANSLATE_NOOP("Reconcile", "amount"),
    "currency": QT_TRANSLATE_NOOP("Reconcile", "currency"),
    "phone": QT_TRANSLATE_NOOP("Reconcile", "number"),
    "duplicate": QT_TRANSLATE_NOOP("Reconcile", "paid rows"),
}


def reconciliation_text(result: Reconciliation, width: int = 48, *,
                        translate: Callable[[str, str], str] | None = None) -> str:
    """The reconciliation as fixed-width lines, the dangerous category first."""
    def tr(text: str, **values: object) -> str:
        return fill(translate("Reconcile", text) if translate else text, text, **values)

    rule = "-" * width
    out = [*centred(tr(_T_TITLE), width), rule]
    for heading, pairs in ((_T_DANGER, result.paid_at_clickpesa_only),
                           (_T_JOURNAL_ONLY, result.paid_in_journal_only),
                           (_T_MISMATCHED, result.mismatched)):
        if not pairs:
            continue
        out += wrap(tr(heading, count=len(pairs)), width)
        for pair in pairs:
            out += wrap(pair.record.order_reference, width)
            out += ["  " + line for line in wrap(
                tr(_T_STATES, till=pair.record.state.report_status,
                   clickpesa=pair.remote_status or tr(_T_NOT_LISTED_STATUS))
                + f" TZS {format_tzs(pair.record.amount_tzs)}", width - 2)]
            for m in pair.mismatches:
                out += ["  " + line for line in wrap(
                    tr(_T_DIFF, field=tr(_T_FIELDS.get(m.field, m.field)), till=m.journal,
                       clickpesa=m.clickpesa), width - 2)]
        out.append(rule)
    if result.is_clean:
        out += wrap(tr(_T_CLEAN), width)
    matched_tzs = sum(p.record.amount_tzs for p in result.matched_paid)
    out += wrap(tr(_T_MATCHED, count=len(result.matched_paid), amount=format_tzs(matched_tzs)),
                width)
    out += wrap(tr(_T_AGREED, count=len(result.agreed_not_paid)), width)
    out += wrap(tr(_T_NOT_LISTED, count=len(result.not_listed)), width)
    out += wrap(tr(_T_OTHERS, count=len(result.other_systems),
                   amount=format_tzs(result.paid_elsewhere_tzs)), width)
    return "\n".join(out) + "\n"
