"""The charge lifecycle of one till, from Enter to a final word from ClickPesa.

Rules this package exists to keep:
- one push per attempt, never resent automatically;
- the attempt is in the journal before its push leaves;
- a push whose fate is unknown is reconciled through the status endpoint, and a 404 proves
  "never created" only once the push cannot still be on its way (pos_app.domain.evidence);
- only ClickPesa's status makes an attempt paid or failed, and paid only when the row is this
  payment (reference, amount, currency, payer); running out of patience leaves it unresolved;
- FAILED and NOT_SENT are looked at once more; a later sign of money needs a person;
- a customer with an open (or just paid) attempt is not charged again without a deliberate
  "Charge anyway".

`Till` is the facade the window talks to. It holds the foreground `Sale` (pos_app.till.sale),
the background `Rechecker` (pos_app.till.recheck) and the `Ledger` of attempts that matter at
the counter (pos_app.till.ledger). Everything here runs on one thread (the GUI thread in the
app); network and journal work is handed to the `Runner` as jobs, whose results come back
through callbacks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from pos_app.domain.attempt import AttemptRecord, AttemptState, Verdict, verdict_for
from pos_app.domain.evidence import SECOND_LOOK_AFTER_S
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone, parse_phone
from pos_app.domain.polling import PollPlan
from pos_app.domain.reference import new_reference
from pos_app.journal.store import Journal, local_now
from pos_app.till.follow import CheckOutcome
from pos_app.till.ledger import Ledger, created
from pos_app.till.ports import PaymentGateway, Runner, Scheduler
from pos_app.till.recheck import (
    BACKGROUND_BUSY_RETRY_S,
    BACKGROUND_MAX_GAP_S,
    BACKGROUND_ROUND_S,
    BACKGROUND_SPACING_S,
    Rechecker,
    RoundReport,
    submit_check,
)
from pos_app.till.sale import RECONCILE_FIRST_CHECK_S, Sale
from pos_app.till.view import (
    ChargeView,
    Phase,
    Problem,
    code_for,
    problem_for,
    reason_for,
)

__all__ = [
    "BACKGROUND_BUSY_RETRY_S", "BACKGROUND_MAX_GAP_S", "BACKGROUND_ROUND_S",
    "BACKGROUND_SPACING_S", "RECONCILE_FIRST_CHECK_S", "ChargeView", "CheckOutcome", "Phase",
    "Problem", "Till", "code_for", "problem_for", "reason_for",
]

log = logging.getLogger(__name__)

OVERRIDE_DETAIL = "journalled; cashier chose Charge anyway despite earlier attempt {ref}"

OnBackground = Callable[[AttemptRecord | None, list[AttemptRecord] | None], None]


class Till:
    """One till's charges. Call from one thread; observe through `on_view` (the sale on
    screen) and `on_background` (an earlier attempt that changed; the list still open)."""

    def __init__(
        self,
        gateway: PaymentGateway,
        journal: Journal,
        runner: Runner,
        scheduler: Scheduler,
        *,
        patience_s: float = 120.0,
        plan: PollPlan | None = None,
        till_name: str = "",
        on_view: Callable[[ChargeView], None] = lambda v: None,
        on_background: OnBackground = lambda changed, unresolved: None,
        wall_clock: Callable[[], datetime] = local_now,
    ) -> None:
        self.gateway = gateway
        self.journal = journal
        self.runner = runner
        self.scheduler = scheduler
        self.patience_s = patience_s
        self.plan = plan or PollPlan()
        self.till_name = till_name
        # The open shift and its cashier, written on every attempt ("" when none is open).
        self.shift_id = ""
        self.cashier = ""
        self.wall_clock = wall_clock
        self._on_view = on_view
        self._on_background = on_background
        self._sale: Sale | None = None
        self._view = ChargeView()
        self._closed = False
        self._starting = False
        self.ledger = Ledger(wall_clock)
        self.rechecker = Rechecker(self)
        self._guard_inputs: tuple[Phone, Amount] | None = None
        self._pending_charge: tuple[Phone, Amount] | None = None
        self._guard_checks = 0
        self.hints_live = False  # the shop server's stream of ClickPesa webhooks is up
        self._hinted: set[str] = set()  # background checks a hint asked for, in flight

    # -- state -----------------------------------------------------------------------------

    @property
    def view(self) -> ChargeView:
        return self._view

    @property
    def busy(self) -> bool:
        """A charge is on its way (or the till is still reading its journal at start-up):
        a new one cannot start."""
        return self._starting or (self._sale is not None and not self._sale.finished)

    @property
    def closed(self) -> bool:
        """`shutdown()` was called: no timers, no new work."""
        return self._closed

    @property
    def starting(self) -> bool:
        """The journal is still being read after `start()` (a few ms)."""
        return self._starting

    @property
    def sale_under_way(self) -> bool:
        """An attempt is on screen and not final yet."""
        return self._sale is not None and not self._sale.finished

    @property
    def current_reference(self) -> str | None:
        return self._sale.reference if self._sale is not None else None

    def unresolved(self) -> list[AttemptRecord]:
        """Open attempts other than the one on screen, oldest first (from memory)."""
        return self.ledger.unresolved(exclude=self.current_reference)

    # -- start-up --------------------------------------------------------------------------

    def start(self, *, recheck: bool = True) -> None:
        """Read what the journal holds that matters at the counter (on a worker); bring the
        interrupted sale back on screen; then re-check the rest in the background."""
        if self._closed:
            return
        self._starting = True
        journal = self.journal
        today = self.wall_clock().date()

        def read() -> tuple[list[AttemptRecord], list[AttemptRecord], list[AttemptRecord]]:
            return journal.unresolved(), journal.attempts(date_from=today), journal.second_looks()

        self.runner.submit(read, lambda result: self._started(result, recheck),
                           lambda exc: self._start_failed(exc, recheck))

    def _started(self, result: tuple[list[AttemptRecord], ...], recheck: bool) -> None:
        self._starting = False
        if self._closed:
            return
        unresolved, today, looks = result
        self.ledger.load([*today, *unresolved, *looks])
        resumable = self._resumable(unresolved)
        if resumable is not None and self._sale is None:
            record, phone, age = resumable
            self._sale = Sale.resume(self, record, phone, age)
            self._sale.follow_now()
        self._announce()
        pending, self._pending_charge = self._pending_charge, None
        if pending is not None and self._sale is None:
            self.charge(*pending)
        if recheck:
            self.rechecker.start()

    def _start_failed(self, exc: BaseException, recheck: bool) -> None:
        self._starting = False
        log.error("reading the journal at start failed: %s", exc)
        pending, self._pending_charge = self._pending_charge, None
        if pending is not None and not self._closed:
            self.charge(*pending)
        if recheck and not self._closed:
            self.rechecker.start()

    def _resumable(self, unresolved: list[AttemptRecord]
                   ) -> tuple[AttemptRecord, Phone, float] | None:
        """The newest open attempt pushed within the till's patience: the customer may still
        be standing at the counter entering the PIN."""
        now = self.wall_clock()
        best: tuple[AttemptRecord, Phone, float] | None = None
        for r in unresolved:
            when = created(r)
            if when is None:
                continue
            age = (now - when).total_seconds()
            phone = parse_phone(r.phone)
            if not 0 <= age < self.patience_s or not isinstance(phone, Phone) \
                    or r.amount_tzs <= 0:
                continue
            if best is None or r.created_at > best[0].created_at:
                best = (r, phone, age)
        return best

    # -- what the cashier can do -----------------------------------------------------------

    def charge(self, phone: Phone, amount: Amount) -> bool:
        """Enter. Starts ONE attempt — unless this customer has an earlier attempt that must
        be seen first (then nothing is sent and the panel shows it). Returns False (and does
        nothing) while another charge is under way."""
        if self._closed or self._view.phase is Phase.GUARD:
            return False
        if self._starting and self._sale is None:
            # The journal is being read (a few ms at start-up): charge once it has been, so
            # the guard and an interrupted sale are seen first.
            self._pending_charge = (phone, amount)
            return True
        if self.busy:
            return False
        earlier = self.ledger.earlier_for(phone.digits, amount.tzs)
        if earlier is not None:
            self._drop_sale()
            self._guard_inputs = (phone, amount)
            self._show(ChargeView(Phase.GUARD, "", phone, amount, earlier=earlier))
            return True
        self._start_sale(phone, amount)
        return True

    def charge_anyway(self) -> bool:
        """The deliberate second push, after the earlier attempt was shown. Journalled as an
        override on the new attempt."""
        if self._closed or self._view.phase is not Phase.GUARD or self._guard_inputs is None:
            return False
        earlier = self._view.earlier
        phone, amount = self._guard_inputs
        self._guard_inputs = None
        self._start_sale(phone, amount, detail=OVERRIDE_DETAIL.format(
            ref=earlier.order_reference if earlier else "?"))
        return True

    def check_earlier(self) -> bool:
        """GUARD: one status call for the earlier attempt; its answer is shown."""
        view = self._view
        if self._closed or view.phase is not Phase.GUARD or view.earlier is None \
                or view.checking:
            return False
        ref = view.earlier.order_reference
        self._guard_checks += 1
        ticket = self._guard_checks
        self._show(replace(view, checking=True))
        self._check_on_demand(ref, lambda out: self._earlier_checked(ticket, out))
        return True

    def _earlier_checked(self, ticket: int, out: CheckOutcome) -> None:
        view = self._view
        if view.phase is not Phase.GUARD or ticket != self._guard_checks:
            return
        record = out.record or view.earlier
        self._show(replace(view, checking=False, earlier=record, earlier_checked=True,
                           checked_at=self.wall_clock().strftime("%H:%M"),
                           earlier_trouble=reason_for(out.error) if out.error else ""))

    def guard_enter(self) -> bool:
        """GUARD, Enter: once "Check it now" has shown the earlier attempt took no money,
        charge normally; until then, check it."""
        view = self._view
        if self._closed or view.phase is not Phase.GUARD or self._guard_inputs is None:
            return False
        phone, amount = self._guard_inputs
        if view.earlier_checked and self.ledger.earlier_for(phone.digits, amount.tzs) is None:
            self._guard_inputs = None
            self._start_sale(phone, amount)
            return True
        return self.check_earlier()

    def cancel_guard(self) -> bool:
        """GUARD: back to the fields (nothing was sent)."""
        if self._view.phase is not Phase.GUARD:
            return False
        self._guard_inputs = None
        self._show(ChargeView())
        return True

    def check_attempt(self, reference: str,
                      on_done: Callable[[CheckOutcome], None] = lambda out: None) -> bool:
        """One status call for any open attempt (the unresolved list's "Check now")."""
        if self._closed:
            return False
        if self._sale is not None and self._sale.reference == reference:
            return self.check_again()
        self._check_on_demand(reference, on_done)
        return True

    def check_again(self) -> bool:
        return not self._closed and self._sale is not None and self._sale.check_again()

    def stop_waiting(self) -> bool:
        """The cashier moves on. The attempt stays unresolved and is re-checked later."""
        sale = self._sale
        if sale is None or self._view.phase is not Phase.NO_ANSWER:
            return False
        ref = sale.reference
        self.runner.submit(lambda: self.journal.note(
            ref, "cashier stopped waiting; left unresolved for later checks"),
            lambda _: None, lambda exc: log.warning("journal note for %s failed: %s", ref, exc))
        self._drop_sale()
        self._show(ChargeView())
        self._announce()
        self.rechecker.schedule(BACKGROUND_ROUND_S / 2)
        return True

    def new_sale(self) -> bool:
        if self._sale is not None and not self._sale.finished:
            return False
        self._drop_sale()
        self._guard_inputs = None
        self._show(ChargeView())
        self._announce()
        return True

    # -- hints from the shop server (ClickPesa's webhooks, fanned out) ----------------------

    def set_hints_live(self, live: bool) -> None:
        """The stream of hints is up (polling stretches to a slow fallback) or down (the
        normal plan, at once)."""
        if live == self.hints_live:
            return
        self.hints_live = live
        if self._sale is not None:
            self._sale.replan()

    def hint(self, reference: str, status: str = "") -> bool:
        """ClickPesa told the shop server something about `reference`: one status query for
        it if it is the sale on screen or an attempt this till still follows — ClickPesa's
        answer, never the hint, decides. A paid attempt is asked about only when the hint
        says it is not paid any more (`status`, as the webhook gave it). False when the till
        has nothing to ask."""
        if self._closed:
            return False
        sale = self._sale
        if sale is not None and sale.reference == reference and sale.alive \
                and not sale.finished:
            return sale.hint()  # the sale being followed: its own next check, now
        known = self.ledger.get(reference)
        if known is None or reference in self._hinted:
            return False  # another till's payment, or already being asked about
        unpaid_after_paid = (known.state is AttemptState.PAID and bool(status.strip())
                             and verdict_for(status) is not Verdict.PAID)
        second_look_due = (known.state in (AttemptState.FAILED, AttemptState.NOT_SENT)
                           and bool(known.second_look_at))
        if known.state.is_final and not (unpaid_after_paid or second_look_due):
            return False  # final for good here (PAID, ATTENTION, a looked-at FAILED)
        self._hinted.add(reference)

        def done(out: CheckOutcome) -> None:
            self._hinted.discard(reference)
            self._background_checked(out)

        submit_check(self, reference, done)
        return True

    def start_background(self, delay_s: float = 1.0,
                         on_round: Callable[[RoundReport], None] | None = None) -> None:
        """Re-check every open attempt now (on start, or when the cashier asks), then each
        again at growing intervals; `on_round` hears what the first round found."""
        self.rechecker.start(delay_s, on_round)

    def shutdown(self) -> None:
        """Stop every timer; results still arriving are journalled by their jobs."""
        self._closed = True
        self._drop_sale()
        self.rechecker.close()

    # -- inside ----------------------------------------------------------------------------

    def _start_sale(self, phone: Phone, amount: Amount, *, detail: str = "journalled") -> None:
        self._drop_sale()
        sale = Sale(self, new_reference(self.wall_clock()), phone, amount)
        self._sale = sale
        sale.send(detail)

    def _drop_sale(self) -> None:
        if self._sale is not None:
            self._sale.stop()
        self._sale = None

    def _check_on_demand(self, ref: str, on_done: Callable[[CheckOutcome], None]) -> None:
        def done(out: CheckOutcome) -> None:
            self._background_checked(out)
            on_done(out)

        submit_check(self, ref, done)

    def _sale_view(self, sale: Sale, view: ChargeView) -> None:
        if sale is self._sale and not self._closed:
            self._show(view)

    def _show(self, view: ChargeView) -> None:
        self._view = view
        self._on_view(view)

    def _remember(self, record: AttemptRecord | None) -> None:
        if self.ledger.remember(record):
            self._announce()

    def _remember_all(self, records: list[AttemptRecord]) -> None:
        changed = False
        for r in records:
            changed = self.ledger.remember(r) or changed
        if changed:
            self._announce()

    def _announce(self) -> None:
        if not self._closed:
            self._on_background(None, self.unresolved())

    def _background_checked(self, out: CheckOutcome) -> None:
        before = self.ledger.get(out.reference)
        changed = self.ledger.remember(out.record)
        moved = (out.record is not None and changed and out.record.state.is_final
                 and (before is None or before.state != out.record.state))
        sale = self._sale
        if moved and sale is not None and sale.reference == out.reference and sale.alive \
                and sale.finished:
            # Its outcome is still on screen (Failed, say) and ClickPesa now says otherwise:
            # the screen changes with it — the customer may still be at the counter.
            sale.later_outcome(out)
        elif moved and out.reference != self.current_reference:
            self._on_background(out.record, None)
        if changed:
            self._announce()

    def _second_look_soon(self) -> None:
        self.rechecker.schedule(SECOND_LOOK_AFTER_S + 1.0, sooner_only=True)
