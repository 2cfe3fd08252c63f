"""The background re-checker: every attempt not yet final, and every FAILED / NOT_SENT one due
its one more look, asked about again — quietly, spaced out, and never while the cashier's own
sale needs the rate budget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.domain.evidence import never_created_from
from pos_app.till.follow import CheckOutcome, check_job
from pos_app.till.ledger import created
from pos_app.till.view import reason_for

if TYPE_CHECKING:
    from pos_app.till.charge import Till
    from pos_app.till.ports import Cancellable

log = logging.getLogger(__name__)

BACKGROUND_SPACING_S = 3.0  # between background checks: well inside the rate limit
BACKGROUND_ROUND_S = 120.0  # between rounds over the unresolved attempts
# One attempt's background checks are spaced 2, 4, 8… minutes apart, at most this far: an
# attempt ClickPesa never makes final must not cost a call every round for the rest of the day.
BACKGROUND_MAX_GAP_S = 900.0
BACKGROUND_BUSY_RETRY_S = 15.0


def proven_by_age(record: AttemptRecord, now: datetime) -> bool:
    """A background 404 proves "never created" once the push journalled at `created_at`
    can no longer be on its way (the push's end is unknown here: only its deadline counts)."""
    when = created(record)
    if when is None:
        return False
    return (now - when).total_seconds() >= never_created_from(0.0, None)


def second_look_at(record: AttemptRecord, now: datetime) -> datetime | None:
    """When the attempt's one more look is due (None: none is); unreadable means now."""
    if not record.second_look_at:
        return None
    try:
        due = datetime.fromisoformat(record.second_look_at)
    except ValueError:
        return now  # look now rather than never
    return due if due.tzinfo else due.astimezone()


def second_look_due(record: AttemptRecord, now: datetime) -> bool:
    due = second_look_at(record, now)
    return due is not None and due <= now


def submit_check(till: Till, reference: str, on_done: Callable[[CheckOutcome], None]) -> None:
    """One status call for an attempt that is not the sale on screen (background rounds, the
    unresolved list, the guard's "Check it now"): a 404 proves "never created" by its age."""
    wall = till.wall_clock
    known = till.ledger.get(reference)
    state = known.state if known else AttemptState.UNCERTAIN
    till.runner.submit(
        lambda: check_job(till.gateway, till.journal, reference,
                          never_created_proven=lambda r: proven_by_age(r, wall()),
                          wall_now=wall),
        on_done, lambda exc: on_done(CheckOutcome(reference, state, error=exc)))


@dataclass
class RoundReport:
    """What a round the cashier asked for found (Till → Re-check unresolved payments)."""

    checked: int = 0
    now_final: dict[AttemptState, int] = field(default_factory=dict)  # became final, by state
    unreachable: int = 0  # the status call itself failed
    still_open: int = 0  # asked about, and still not final

    def add(self, out: CheckOutcome, before: AttemptState | None) -> None:
        self.checked += 1
        if out.error is not None:
            self.unreachable += 1
        elif out.state.is_final and out.state is not before:
            self.now_final[out.state] = self.now_final.get(out.state, 0) + 1
        elif not out.state.is_final:
            self.still_open += 1


class Rechecker:
    def __init__(self, till: Till) -> None:
        self.till = till
        self._queue: list[AttemptRecord] = []
        self._timer: Cancellable | None = None
        self._in_flight = False
        self._next: dict[str, tuple[int, float]] = {}  # ref -> (checks so far, next due)
        self._due: float | None = None  # when the timer fires
        self._closed = False
        self._report: RoundReport | None = None
        self._on_round: Callable[[RoundReport], None] | None = None

    def start(self, delay_s: float = 1.0,
              on_round: Callable[[RoundReport], None] | None = None) -> None:
        """Re-check every open attempt now (on start, or when asked), then again at growing
        intervals. `on_round` hears what this first round found, once it is over."""
        self._next.clear()
        if on_round is not None:
            self._report, self._on_round = RoundReport(), on_round
        self.schedule(delay_s)

    def _round_over(self) -> None:
        report, callback = self._report, self._on_round
        self._report = self._on_round = None
        if report is not None and callback is not None:
            callback(report)

    def schedule(self, delay_s: float, *, sooner_only: bool = False) -> None:
        if self._closed:
            return
        now = self.till.scheduler.now()
        if sooner_only and self._timer is not None and self._due is not None \
                and self._due <= now + delay_s:
            return
        if self._timer:
            self._timer.cancel()
        self._due = now + delay_s
        self._timer = self.till.scheduler.call_later(delay_s, self._step)

    def close(self) -> None:
        self._closed = True
        if self._timer:
            self._timer.cancel()

    def _step(self) -> None:
        self._timer = self._due = None
        if self._closed or self._in_flight:
            return
        if self.till.busy:  # leave the rate budget to the sale in front of the cashier
            self.schedule(BACKGROUND_BUSY_RETRY_S)
            return
        if not self._queue:
            self._read(self._got_round)
            return
        self._in_flight = True
        submit_check(self.till, self._queue.pop(0).order_reference, self._checked)

    def _read(self, then: Callable[[list[AttemptRecord], list[AttemptRecord]], None]) -> None:
        """Read what is open and what is due a second look (on a worker), then `then`."""
        self._in_flight = True
        journal = self.till.journal

        def done(result: tuple[list[AttemptRecord], list[AttemptRecord]]) -> None:
            self._in_flight = False
            unresolved, looks = result
            self.till._remember_all([*unresolved, *looks])
            then(unresolved, looks)

        self.till.runner.submit(lambda: (journal.unresolved(), journal.second_looks()),
                                done, self._round_failed)

    def _got_round(self, unresolved: list[AttemptRecord], looks: list[AttemptRecord]) -> None:
        now, wall = self.till.scheduler.now(), self.till.wall_clock()
        # The sale being followed at the counter is the sale's to ask about; one whose
        # outcome is only left on screen (Failed, say) is due its second look like any other.
        current = self.till.current_reference if self.till.sale_under_way else None
        live = {r.order_reference for r in unresolved} | {r.order_reference for r in looks}
        self._next = {ref: due for ref, due in self._next.items() if ref in live}
        due_looks = [r for r in looks if second_look_due(r, wall)]
        self._queue = [r for r in [*unresolved, *due_looks] if r.order_reference != current
                       and self._next.get(r.order_reference, (0, now))[1] <= now]
        if self._queue:
            self.schedule(0.0)
            return
        self._round_over()  # nothing to ask about
        self._plan_next(unresolved, looks)

    def _plan_next(self, unresolved: list[AttemptRecord], looks: list[AttemptRecord]) -> None:
        wall = self.till.wall_clock()
        delays = [BACKGROUND_ROUND_S] if unresolved else []
        now = self.till.scheduler.now()
        for r in looks:
            due = second_look_at(r, wall) or wall
            delay = (due - wall).total_seconds() + 1.0
            backed_off = self._next.get(r.order_reference)
            if backed_off is not None:  # its look failed: not before its back-off is over
                delay = max(delay, backed_off[1] - now)
            delays.append(max(1.0, delay))
        if delays:
            self.schedule(min(delays))

    def _round_failed(self, exc: BaseException) -> None:
        self._in_flight = False
        log.error("background re-check failed: %s", exc)
        self.schedule(BACKGROUND_ROUND_S)

    def _checked(self, out: CheckOutcome) -> None:
        self._in_flight = False
        checks = self._next.get(out.reference, (0, 0.0))[0]
        self._next[out.reference] = (checks + 1, self.till.scheduler.now() + min(
            BACKGROUND_MAX_GAP_S, BACKGROUND_ROUND_S * 2.0 ** min(checks, 16)))
        if out.error is not None:
            log.info("background check of %s: %s", out.reference, reason_for(out.error))
        if self._report is not None:
            known = self.till.ledger.get(out.reference)
            self._report.add(out, known.state if known else None)
        self.till._background_checked(out)
        if self._queue:
            self.schedule(BACKGROUND_SPACING_S)
        else:
            self._round_over()
            self._read(self._plan_next)  # the round is over: plan the next one
