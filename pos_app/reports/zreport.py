"""Shift and day (Z) reports: what the till took, by status, network and hour, and what is open.

At closing time the shop owner counts the day: how much arrived (only PAID counts as money),
what failed, and which payments are still unresolved or need a person before the till is
closed. This module turns journal records into a `ZReport` value and a plain-text rendering for
32/48-column thermal printers and the terminal. It is pure Python (no Qt, no I/O) so the window,
the CLI and a future shop server print the same figures.

A report covers one mode: training attempts move no money and must never be added to live
totals. Records of another mode are left out and counted (`excluded_other_mode`) when the
mode is named, and refused (`MixedModes`) when it is not.

Fields that `AttemptRecord` is still to gain (`cashier`, `shift`, `payment_reference`) are read
with `getattr(…, "")`, so this works before and after they arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from pos_app.domain.attempt import AttemptRecord
from pos_app.domain.money import format_tzs
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.reports.channels import channel_name
from pos_app.reports.text import centred, fill, pair, wrap

PAID = "PAID"
FAILED = "FAILED"
UNRESOLVED = "UNRESOLVED"
NEEDS_ATTENTION = "NEEDS_ATTENTION"
STATUSES: tuple[str, ...] = (PAID, FAILED, UNRESOLVED, NEEDS_ATTENTION)

Translate = Callable[[str, str], str]
CONTEXT = "Report"


def identity(context: str, text: str) -> str:
    return text


# Every sentence the text rendering shows, in one place, for pyside6-lupdate.
_T_DAY = QT_TRANSLATE_NOOP("Report", "Day report (Z)")
_T_SHIFT = QT_TRANSLATE_NOOP("Report", "Shift report")
_T_TILL = QT_TRANSLATE_NOOP("Report", "Till: {name}")
_T_SHIFT_NAME = QT_TRANSLATE_NOOP("Report", "Shift: {name}")
_T_PRINTED = QT_TRANSLATE_NOOP("Report", "Printed: {time}")
_T_TRAINING = QT_TRANSLATE_NOOP("Report", "TRAINING - no money moved")
_T_STATUS = {
    PAID: QT_TRANSLATE_NOOP("Report", "Paid"),
    FAILED: QT_TRANSLATE_NOOP("Report", "Failed"),
    UNRESOLVED: QT_TRANSLATE_NOOP("Report", "Unresolved"),
    NEEDS_ATTENTION: QT_TRANSLATE_NOOP("Report", "Needs attention"),
}
_T_ATTEMPTS = QT_TRANSLATE_NOOP("Report", "Attempts: {count}")
_T_BY_NETWORK = QT_TRANSLATE_NOOP("Report", "Paid by network")
_T_BY_CASHIER = QT_TRANSLATE_NOOP("Report", "Paid by cashier")
_T_BY_HOUR = QT_TRANSLATE_NOOP("Report", "Paid by hour")
_T_NOT_GIVEN = QT_TRANSLATE_NOOP("Report", "(not given)")
_T_FIRST = QT_TRANSLATE_NOOP("Report", "First sale: {time}")
_T_LAST = QT_TRANSLATE_NOOP("Report", "Last sale: {time}")
_T_NO_SALES = QT_TRANSLATE_NOOP("Report", "No paid sales.")
_T_OPEN_UNRESOLVED = QT_TRANSLATE_NOOP("Report", "Unresolved - check again before closing:")
_T_OPEN_ATTENTION = QT_TRANSLATE_NOOP("Report", "Needs attention - look at ClickPesa:")
_T_EXCLUDED_MODE = QT_TRANSLATE_NOOP("Report", "Not included, another mode: {count}")
_T_EXCLUDED_PERIOD = QT_TRANSLATE_NOOP("Report", "Not included, outside this period: {count}")
_T_TOTAL_PAID = QT_TRANSLATE_NOOP("Report", "TOTAL PAID TZS {amount}")


class ReportError(ValueError):
    """The records cannot make one report (mixed modes, an unreadable time, bad arguments)."""


class MixedModes(ReportError):
    """Live and training records were given together without saying which the report is for."""


@dataclass(frozen=True)
class StatusTotal:
    status: str  # one of STATUSES
    count: int
    amount_tzs: int


@dataclass(frozen=True)
class LineTotal:
    """Paid count and shillings for one network or one cashier."""

    label: str  # "" when ClickPesa (or the journal) did not say
    count: int
    amount_tzs: int


@dataclass(frozen=True)
class HourBucket:
    hour: int  # 0..23, local time of the sale
    count: int
    amount_tzs: int


@dataclass(frozen=True)
class OpenItem:
    """An attempt the owner must follow up: unresolved or needing attention."""

    order_reference: str
    at: datetime
    phone: str
    amount_tzs: int
    status: str
    message: str = ""
    cashier: str = ""


@dataclass(frozen=True)
class ZReport:
    kind: str  # "day" or "shift"
    mode: str  # "live" or "training"
    day: date | None
    shift: str
    title: str
    till_name: str
    generated_at: datetime | None
    attempts: int
    statuses: tuple[StatusTotal, ...]  # always all four, in STATUSES order
    channels: tuple[LineTotal, ...]  # paid only, largest amount first
    cashiers: tuple[LineTotal, ...]  # paid only; empty when no record names a cashier
    hours: tuple[HourBucket, ...]  # 24 buckets, paid only
    unresolved: tuple[OpenItem, ...]
    needs_attention: tuple[OpenItem, ...]
    first_sale: datetime | None  # paid sales only
    last_sale: datetime | None
    excluded_other_mode: int = 0
    excluded_out_of_period: int = 0

    def status(self, name: str) -> StatusTotal:
        for s in self.statuses:
            if s.status == name:
                return s
        raise KeyError(name)

    @property
    def paid(self) -> StatusTotal:
        return self.status(PAID)

    @property
    def is_training(self) -> bool:
        return self.mode == "training"


def sale_time(record: AttemptRecord, tz: tzinfo | None = None) -> datetime:
    """When the attempt was made, in the till's local time (or `tz`)."""
    try:
        at = datetime.fromisoformat(record.created_at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise ReportError(f"Attempt {record.order_reference} has an unreadable time "
                          f"{record.created_at!r}.") from None
    if tz is not None and at.tzinfo is not None:
        at = at.astimezone(tz)
    return at


def split_by_mode(records: Iterable[AttemptRecord]) -> dict[str, list[AttemptRecord]]:
    """{"live": […], "training": […]} for the modes present, order kept."""
    out: dict[str, list[AttemptRecord]] = {}
    for r in records:
        out.setdefault(r.mode, []).append(r)
    return out


def build_report(
    records: Iterable[AttemptRecord],
    *,
    day: date | None = None,
    shift: str | None = None,
    mode: str | None = None,
    title: str = "",
    till_name: str = "",
    generated_at: datetime | None = None,
    tz: tzinfo | None = None,
) -> ZReport:
    """A day report (`day=`) or a shift report (`shift=`), exactly one of them.

    A day report keeps the attempts created on that local date; a shift report those whose
    `shift` field is that shift. `mode` None means "the one mode the records have" (mixed →
    `MixedModes`); a named mode keeps only its records and counts the others. `tz` converts
    times first; by default each time keeps the offset the till wrote it with.
    """
    if (day is None) == (shift is None):
        raise ReportError("A report is for one day or for one shift: give exactly one.")
    records = list(records)
    if mode is None:
        modes = {r.mode for r in records}
        if len(modes) > 1:
            raise MixedModes("Live and training attempts cannot be added up together; "
                             "make one report per mode.")
        mode = modes.pop() if modes else "live"
    elif mode not in ("live", "training"):
        raise ReportError(f"Unknown mode {mode!r}.")

    kept: list[tuple[AttemptRecord, datetime]] = []
    other_mode = out_of_period = 0
    for r in records:
        if r.mode != mode:
            other_mode += 1
            continue
        at = sale_time(r, tz)
        in_period = (at.date() == day) if day is not None else (
            getattr(r, "shift", "") == shift)
        if not in_period:
            out_of_period += 1
            continue
        kept.append((r, at))
    kept.sort(key=lambda pair: pair[1].timestamp())

    counts = dict.fromkeys(STATUSES, 0)
    sums = dict.fromkeys(STATUSES, 0)
    by_channel: dict[str, list[int]] = {}
    by_cashier: dict[str, list[int]] = {}
    hour_count = [0] * 24
    hour_sum = [0] * 24
    unresolved: list[OpenItem] = []
    attention: list[OpenItem] = []
    paid_times: list[datetime] = []
    any_cashier = False
    for r, at in kept:
        status = r.state.report_status
        counts[status] += 1
        sums[status] += r.amount_tzs
        cashier = str(getattr(r, "cashier", "") or "")
        any_cashier = any_cashier or bool(cashier)
        if status == PAID:
            for table, key in ((by_channel, channel_name(r.channel)), (by_cashier, cashier)):
                slot = table.setdefault(key, [0, 0])
                slot[0] += 1
                slot[1] += r.amount_tzs
            hour_count[at.hour] += 1
            hour_sum[at.hour] += r.amount_tzs
            paid_times.append(at)
        elif status in (UNRESOLVED, NEEDS_ATTENTION):
            item = OpenItem(r.order_reference, at, r.phone, r.amount_tzs, status,
                            r.message, cashier)
            (unresolved if status == UNRESOLVED else attention).append(item)

    def lines(table: dict[str, list[int]]) -> tuple[LineTotal, ...]:
        return tuple(sorted((LineTotal(k, c, s) for k, (c, s) in table.items()),
                            key=lambda t: (-t.amount_tzs, -t.count, t.label)))

    return ZReport(
        kind="day" if day is not None else "shift",
        mode=mode,
        day=day,
        shift=shift or "",
        title=title,
        till_name=till_name,
        generated_at=generated_at,
        attempts=len(kept),
        statuses=tuple(StatusTotal(s, counts[s], sums[s]) for s in STATUSES),
        channels=lines(by_channel),
        cashiers=lines(by_cashier) if any_cashier else (),
        hours=tuple(HourBucket(h, hour_count[h], hour_sum[h]) for h in range(24)),
        unresolved=tuple(unresolved),
        needs_attention=tuple(attention),
        first_sale=paid_times[0] if paid_times else None,
        last_sale=paid_times[-1] if paid_times else None,
        excluded_other_mode=other_mode,
        excluded_out_of_period=out_of_period,
    )


# -- plain text --------------------------------------------------------------------------------

def _figures(label: str, count: int, amount: int, width: int) -> list[str]:
    """'Paid        12    145,000', with the label on its own line when it does not fit."""
    count_w, amount_w = (4, 12) if width < 48 else (8, 16)
    right = f"{count:>{count_w}}{format_tzs(amount):>{amount_w}}"
    if len(right) > width:  # absurdly narrow: one figure a line
        return [*wrap(label, width), *wrap(str(count), width), *wrap(format_tzs(amount), width)]
    room = width - len(right)
    if len(label) <= room - 1:
        return [label.ljust(room) + right]
    return [*wrap(label, width), right.rjust(width)]


def _display_phone(digits: str) -> str:
    d = "".join(ch for ch in digits if ch.isdigit())
    if len(d) == 12 and d.startswith("255"):
        return f"+255 {d[3:6]} {d[6:9]} {d[9:]}"
    return digits


def _hour_lines(report: ZReport, width: int) -> list[str]:
    active = [b for b in report.hours if b.count]
    if not active:
        return []
    top = max(b.amount_tzs for b in active) or 1
    out = []
    for b in active:
        head = f"{b.hour:02d}:00{b.count:>4}{format_tzs(b.amount_tzs):>12} "
        if len(head) > width:
            out.extend(wrap(head.strip(), width))
            continue
        room = width - len(head)
        bar = "#" * max(1, round(room * b.amount_tzs / top)) if b.amount_tzs else ""
        out.append((head + bar[:room]).rstrip())
    return out


def report_text(report: ZReport, width: int = 32, *, translate: Translate = identity) -> str:
    """The report as lines of at most `width` characters (32 for 58 mm, 48 for 80 mm paper),
    plain ASCII apart from what the data or the translation bring."""
    if width < 16:
        raise ReportError("A report needs at least 16 columns.")

    def tr(text: str, **values: object) -> str:
        return fill(translate(CONTEXT, text), text, **values)

    rule = "-" * width
    out: list[str] = []
    if report.title:
        out += centred(report.title, width)
    heading = tr(_T_DAY) if report.kind == "day" else tr(_T_SHIFT)
    if report.day is not None:
        heading += " " + report.day.isoformat()
    out += centred(heading, width)
    if report.till_name:
        out += wrap(tr(_T_TILL, name=report.till_name), width)
    if report.shift:
        out += wrap(tr(_T_SHIFT_NAME, name=report.shift), width)
    if report.generated_at is not None:
        out += wrap(tr(_T_PRINTED, time=report.generated_at.strftime("%Y-%m-%d %H:%M")), width)
    if report.is_training:
        out += wrap(tr(_T_TRAINING), width)
    out.append(rule)
    for s in report.statuses:
        out += _figures(tr(_T_STATUS[s.status]), s.count, s.amount_tzs, width)
    out += wrap(tr(_T_ATTEMPTS, count=report.attempts), width)
    out.append(rule)
    out += wrap(tr(_T_TOTAL_PAID, amount=format_tzs(report.paid.amount_tzs)), width)
    if report.first_sale is None:
        out += wrap(tr(_T_NO_SALES), width)
    else:
        out += wrap(tr(_T_FIRST, time=report.first_sale.strftime("%H:%M")), width)
        assert report.last_sale is not None
        out += wrap(tr(_T_LAST, time=report.last_sale.strftime("%H:%M")), width)
    for heading_text, table in ((_T_BY_NETWORK, report.channels),
                                (_T_BY_CASHIER, report.cashiers)):
        if table:
            out.append(rule)
            out += wrap(tr(heading_text), width)
            for t in table:
                out += _figures(t.label or tr(_T_NOT_GIVEN), t.count, t.amount_tzs, width)
    hours = _hour_lines(report, width)
    if hours:
        out.append(rule)
        out += wrap(tr(_T_BY_HOUR), width)
        out += hours
    for heading_text, items in ((_T_OPEN_UNRESOLVED, report.unresolved),
                                (_T_OPEN_ATTENTION, report.needs_attention)):
        if items:
            out.append(rule)
            out += wrap(tr(heading_text), width)
            for item in items:
                out += wrap(item.order_reference, width)
                out += pair(f"{item.at.strftime('%H:%M')} {_display_phone(item.phone)}",
                             format_tzs(item.amount_tzs), width)
    notes = []
    if report.excluded_other_mode:
        notes += wrap(tr(_T_EXCLUDED_MODE, count=report.excluded_other_mode), width)
    if report.excluded_out_of_period:
        notes += wrap(tr(_T_EXCLUDED_PERIOD, count=report.excluded_out_of_period), width)
    if notes:
        out.append(rule)
        out += notes
    return "\n".join(out) + "\n"


def paid_amounts_by_hour(report: ZReport) -> Sequence[int]:
    """The 24 shillings figures the hour chart draws."""
    return tuple(b.amount_tzs for b in report.hours)
