"""Closing the day: the reconciliation run against ClickPesa's payment list, and its cost.

Plain Python on a worker (the CLI's main thread, or the window's QThreadPool through the
Runner): page through `GET /third-parties/payments/all` for the day and a day either side
(ClickPesa does not say whether its dates are EAT or UTC, and a sale just before midnight
must not look like "another system"), then

1. let the till's one rule for a ClickPesa answer (`follow.assess`) finalise every attempt the
   journal still holds as unresolved and ClickPesa has made final — a transition with source
   `reconcile`, decided inside one journal transaction against the state the journal holds
   then, so a second run (or one resumed after a 429) never writes a transition twice;
2. reconcile the day's live attempts with the rows (`pos_app.reports.reconcile`) and list
   every mismatch, never "fixing" one: paid at ClickPesa but not in the till, paid in the
   till but not at ClickPesa, amount / currency / number different, two paid rows for a
   reference, and two paid sales to one number for one amount within ten minutes (a likely
   double charge to refund).

A 429 halfway waits as ClickPesa asks (Retry-After, injected `sleep`) and resumes at the page
it stopped at; pages already fetched are kept. Nothing is written to the journal until every
page has arrived, so a run that gives up changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from pos_app.clickpesa.errors import ClickPesaError, RateLimited
from pos_app.clickpesa.payment_list import Page, RemotePayment, merge_pages, plan_pages
from pos_app.clickpesa.replies import status_from_rows
from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.domain.money import format_tzs
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.journal.store import Change, Journal
from pos_app.reports.reconcile import Pair, Reconciliation, reconcile, reconciliation_text
from pos_app.reports.text import fill
from pos_app.settings import Problem

SOURCE = "reconcile"
DOUBLE_CHARGE_WINDOW_S = 600  # two paid sales, same number and amount, within 10 minutes
MAX_RATE_LIMIT_WAITS = 3  # 429s in a row on one page before the run gives up
DEFAULT_WAIT_S = 30.0  # after a 429 without Retry-After

# Mismatch kinds, as `pos-app reconcile --json` writes them.
PAID_AT_CLICKPESA_ONLY = "paid_at_clickpesa_only"
PAID_IN_TILL_ONLY = "paid_in_till_only"
AMOUNT = "amount"
CURRENCY = "currency"
PHONE = "phone"
TWO_PAID_ROWS = "two_paid_rows"
DOUBLE_CHARGE = "likely_double_charge"
KINDS = (PAID_AT_CLICKPESA_ONLY, PAID_IN_TILL_ONLY, AMOUNT, CURRENCY, PHONE, TWO_PAID_ROWS,
         DOUBLE_CHARGE)
_FIELD_KIND = {"amount": AMOUNT, "currency": CURRENCY, "phone": PHONE,
               "duplicate": TWO_PAID_ROWS}


_T_TOO_MANY = QT_TRANSLATE_NOOP(
    "Messages", "ClickPesa kept saying too many requests; nothing was changed. Try again in a "
                "few minutes.")
_T_UNREADABLE = QT_TRANSLATE_NOOP(
    "Messages", "ClickPesa's payment list could not be read: {reason} Nothing was changed.")
_T_TOO_LONG = QT_TRANSLATE_NOOP(
    "Messages", "ClickPesa lists {count} payments: more pages than the till fetches in one "
                "run; nothing was changed.")


class PaymentLister(Protocol):
    def list_payments(self, start_date: date, end_date: date, *, skip: int = 0,
                      limit: int = 50) -> Page: ...


class ReconcileFailed(Exception):
    """The day could not be reconciled; the message says why. Nothing was written."""

    def __init__(self, message: str, *, cause: BaseException | None = None,
                 calls: int = 0) -> None:
        super().__init__(message)
        self.cause = cause
        self.calls = calls


@dataclass(frozen=True)
class Cost:
    """What a run will cost in API calls, said before it runs (pre-KYC: 100 calls a day)."""

    pages: int  # pages expected from the journal's own attempts
    token: int  # 1 when the gateway may have to fetch a token first
    limit: int

    @property
    def calls(self) -> int:
        return self.pages + self.token


def estimate_cost(journal_attempts: int, limit: int, *, token_cached: bool = False) -> Cost:
    """Pages for at least this till's attempts over the three days asked for (other tills
    and payment links on the same account add pages; the first page tells the real count)."""
    return Cost(max(1, math.ceil(journal_attempts / limit)), 0 if token_cached else 1, limit)


def margin_dates(day: date) -> tuple[date, date]:
    return day - timedelta(days=1), day + timedelta(days=1)


@dataclass(frozen=True)
class Finding:
    """One mismatch for a person to look at."""

    order_reference: str
    kind: str  # one of KINDS
    till_status: str  # the journal's report status (PAID, FAILED, UNRESOLVED, NEEDS_ATTENTION)
    clickpesa_status: str  # "" when ClickPesa does not list it
    amount_tzs: int
    phone: str
    till_value: str = ""
    clickpesa_value: str = ""
    other_reference: str = ""  # the double charge's first sale

    def as_json(self) -> dict[str, Any]:
        return {"order_reference": self.order_reference, "kind": self.kind,
                "till_status": self.till_status, "clickpesa_status": self.clickpesa_status,
                "amount_tzs": self.amount_tzs, "till_value": self.till_value,
                "clickpesa_value": self.clickpesa_value,
                "other_reference": self.other_reference}


@dataclass(frozen=True)
class DayReconciliation:
    day: date
    mode: str
    clickpesa_rows: int  # rows ClickPesa listed for the three days asked for (merged)
    result: Reconciliation  # the day's attempts only
    resolved: tuple[str, ...]  # references this run made final
    findings: tuple[Finding, ...]
    not_in_journal: int  # the day's ClickPesa rows of other tills or systems
    calls: int  # API calls the run made (pages; tokens are counted by the gateway)
    rate_limit_waits: tuple[float, ...] = field(default=())

    @property
    def matched(self) -> int:
        """Attempts on which the till and ClickPesa agree, with nothing to look at."""
        flagged = {f.order_reference for f in self.findings}
        return sum(1 for p in (*self.result.matched_paid, *self.result.agreed_not_paid)
                   if p.record.order_reference not in flagged)

    @property
    def is_clean(self) -> bool:
        return not self.findings

    def as_json(self) -> dict[str, Any]:
        """`pos-app reconcile --json`: exactly the keys the operator interface names."""
        return {"date": self.day.isoformat(), "clickpesa_rows": self.clickpesa_rows,
                "matched": self.matched, "resolved": list(self.resolved),
                "mismatches": [f.as_json() for f in self.findings],
                "not_in_journal": self.not_in_journal}


def fetch_rows(lister: PaymentLister, start: date, end: date, *, limit: int,
               sleep: Callable[[float], None],
               on_page: Callable[[int, int | None], None] | None = None,
               max_pages: int = 1000) -> tuple[tuple[RemotePayment, ...], int, list[float]]:
    """Every row between the dates, each payment once; (rows, calls made, 429 waits)."""
    calls = 0
    waits: list[float] = []

    def page(skip: int) -> Page:
        nonlocal calls
        in_a_row = 0
        while True:
            calls += 1
            try:
                return lister.list_payments(start, end, skip=skip, limit=limit)
            except RateLimited as exc:
                in_a_row += 1
                if in_a_row > MAX_RATE_LIMIT_WAITS:
                    raise ReconcileFailed(_T_TOO_MANY, cause=exc, calls=calls) from None
                wait = exc.retry_after_s if exc.retry_after_s is not None else DEFAULT_WAIT_S
                waits.append(wait)
                sleep(wait)
            except ClickPesaError as exc:
                raise ReconcileFailed(Problem(_T_UNREADABLE, reason=exc.reason), cause=exc,
                                      calls=calls) from None

    first = page(0)
    pages = [first]
    if on_page:
        on_page(1, first.total_count)
    if first.total_count is not None:
        skips = plan_pages(first.total_count, limit)[1:]
        if len(skips) + 1 > max_pages:
            raise ReconcileFailed(Problem(_T_TOO_LONG, count=first.total_count), calls=calls)
        for n, skip in enumerate(skips, start=2):
            p = page(skip)
            pages.append(p)
            if on_page:
                on_page(n, first.total_count)
            if not p.rows:
                break  # fewer than announced: the list shrank while paging
    else:
        # No count given: read on until a short page.
        last = first
        while len(last.rows) == limit:
            if len(pages) >= max_pages:
                raise ReconcileFailed(QT_TRANSLATE_NOOP(
                    "Messages", "ClickPesa's payment list does not end; nothing was changed."),
                    calls=calls)
            last = page(len(pages) * limit)
            pages.append(last)
            if on_page:
                on_page(len(pages), None)
    return merge_pages(pages), calls, waits


def _on_day(record: AttemptRecord, day: date) -> bool:
    return record.created_at[:10] == day.isoformat()


def _row_on_day(row: RemotePayment, day: date) -> bool:
    if row.created_at is None:
        return True  # undated: count it, rather than hide it
    at = row.created_at if row.created_at.tzinfo else row.created_at.astimezone()
    return at.astimezone().date() == day


def resolve_unresolved(journal: Journal, records: Sequence[AttemptRecord],
                       rows: Sequence[RemotePayment]) -> list[str]:
    """Make final what ClickPesa has made final; return those references."""
    from pos_app.till.follow import assess  # the till's one rule for a ClickPesa answer

    by_ref: dict[str, list[RemotePayment]] = {}
    for row in rows:
        by_ref.setdefault(row.order_reference, []).append(row)
    resolved: list[str] = []
    for record in records:
        listed = by_ref.get(record.order_reference)
        if not record.state.is_unresolved or not listed:
            continue
        status = status_from_rows([r.as_status_row() for r in listed])

        def choose(current: AttemptRecord, status: Any = status) -> Change | None:
            if not current.state.is_unresolved:
                return None  # the till (or an earlier run) decided it meanwhile
            verdict = assess(current, status, never_created_proven=False)
            if not verdict.state.is_final:
                return None  # still waiting at ClickPesa
            row = status.row
            detail = f"payment list: {status.status or '(no status)'}"
            if verdict.attention is not None:
                detail += f"; needs attention: {verdict.attention.value}"
            return Change(verdict.state, channel=row.channel if row else None,
                          clickpesa_id=row.clickpesa_id if row else None,
                          message=verdict.message,
                          payment_reference=(row.payment_reference
                                             if row and verdict.state is AttemptState.PAID
                                             else None),
                          detail=detail, source=SOURCE)

        after = journal.decide(record.order_reference, choose)
        if after.state is not record.state and after.state.is_final:
            resolved.append(record.order_reference)
    return resolved


def _findings(result: Reconciliation) -> list[Finding]:
    out: list[Finding] = []

    def finding(pair: Pair, kind: str, till: str = "", cp: str = "") -> Finding:
        r = pair.record
        return Finding(r.order_reference, kind, r.state.report_status, pair.remote_status,
                       r.amount_tzs, r.phone, till, cp)

    for pair in result.paid_at_clickpesa_only:
        out.append(finding(pair, PAID_AT_CLICKPESA_ONLY))
    for pair in result.paid_in_journal_only:
        out.append(finding(pair, PAID_IN_TILL_ONLY))
    for pair in result.mismatched:
        for m in pair.mismatches:
            out.append(finding(pair, _FIELD_KIND.get(m.field, m.field), m.journal, m.clickpesa))
    # A likely double charge: money collected twice from one number for one amount.
    paid = [p for p in (*result.matched_paid, *result.mismatched, *result.paid_at_clickpesa_only,
                        *result.paid_in_journal_only)]
    by_payer: dict[tuple[str, int], list[tuple[datetime, Pair]]] = {}
    for p in paid:
        try:
            at = datetime.fromisoformat(p.record.created_at)
        except ValueError:
            continue
        by_payer.setdefault((p.record.phone, p.record.amount_tzs), []).append((at, p))
    for sales in by_payer.values():
        sales.sort(key=lambda s: s[0].timestamp())
        for (t0, first), (t1, second) in zip(sales, sales[1:], strict=False):
            if (t1 - t0).total_seconds() <= DOUBLE_CHARGE_WINDOW_S:
                f = finding(second, DOUBLE_CHARGE)
                out.append(Finding(f.order_reference, f.kind, f.till_status,
                                   f.clickpesa_status, f.amount_tzs, f.phone,
                                   other_reference=first.record.order_reference))
    return out


def reconcile_day(lister: PaymentLister, journal: Journal, day: date, *, limit: int,
                  sleep: Callable[[float], None],
                  on_page: Callable[[int, int | None], None] | None = None
                  ) -> DayReconciliation:
    """The whole run (see the module's docstring). Raises ReconcileFailed."""
    start, end = margin_dates(day)
    rows, calls, waits = fetch_rows(lister, start, end, limit=limit, sleep=sleep,
                                    on_page=on_page)
    records = journal.attempts(start, end)
    resolved = resolve_unresolved(journal, records, rows)
    records = [r for r in journal.attempts(start, end)]
    known = {r.order_reference for r in records}
    todays = [r for r in records if _on_day(r, day)]
    todays_refs = {r.order_reference for r in todays}
    day_rows = [row for row in rows
                if row.order_reference in todays_refs
                or (row.order_reference not in known and _row_on_day(row, day))]
    # Training attempts reach only the simulator, but they are reconciled the same way
    # against it; `reconcile` itself is strict about live, so hand it live-shaped records.
    from dataclasses import replace

    shaped = [replace(r, mode="live") for r in todays] if journal.mode == "training" \
        else todays
    result = reconcile(shaped, day_rows)
    return DayReconciliation(
        day=day, mode=journal.mode, clickpesa_rows=len(rows), result=result,
        resolved=tuple(resolved),
        findings=tuple(_findings(result)), not_in_journal=len(result.other_systems),
        calls=calls, rate_limit_waits=tuple(waits))


_T_DOUBLES = QT_TRANSLATE_NOOP("Reconcile", "Likely double charges (refund one): {count}")
_T_DOUBLE = QT_TRANSLATE_NOOP("Reconcile", "  {first} and {second}: TZS {amount} from {phone}")
_T_RESOLVED = QT_TRANSLATE_NOOP("Reconcile", "Made final from ClickPesa's list: {refs}")
_T_CALLS = QT_TRANSLATE_NOOP("Reconcile", "ClickPesa rows read: {rows}; API calls: {calls}.")


def result_text(run: DayReconciliation, width: int = 64, *,
                translate: Callable[[str, str], str] | None = None) -> str:
    """The run as the owner reads it: the dangerous first (`reconciliation_text`), then the
    likely double charges, what was made final, and what it cost."""
    def tr(text: str, **values: object) -> str:
        return fill(translate("Reconcile", text) if translate else text, text, **values)

    lines = [reconciliation_text(run.result, width, translate=translate).rstrip("\n")]
    doubles = [f for f in run.findings if f.kind == DOUBLE_CHARGE]
    if doubles:
        lines.append(tr(_T_DOUBLES, count=len(doubles)))
        for f in doubles:
            lines.append(tr(_T_DOUBLE, first=f.other_reference, second=f.order_reference,
                            amount=format_tzs(f.amount_tzs), phone=f.phone))
    if run.resolved:
        lines.append(tr(_T_RESOLVED, refs=", ".join(run.resolved)))
    lines.append(tr(_T_CALLS, rows=run.clickpesa_rows, calls=run.calls))
    return "\n".join(lines) + "\n"
