"""The sale in front of the cashier: one attempt, from Enter to a final word — or to
"no answer yet".

A `Sale` owns its own timers and jobs; the `Till` makes one per attempt and drops it when the
cashier moves on. Results that arrive after that are still journalled by their jobs (and reach
the till's ledger), but no longer change the screen.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pos_app.clickpesa.errors import (
    AuthFailed,
    ClickPesaError,
    CredentialsMissing,
    Reason,
    Rejected,
    Unavailable,
    Unclear,
)
from pos_app.clickpesa.replies import PushAccepted
from pos_app.domain.attempt import (
    AttemptRecord,
    AttemptState,
    IllegalTransition,
    Verdict,
    state_for_verdict,
    verdict_for,
)
from pos_app.domain.evidence import COUNTER_MAX_RETRY_S, never_created_from
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.journal.store import Journal, JournalError
from pos_app.till.follow import Attention, CheckOutcome, check_job, second_look_time
from pos_app.till.view import ChargeView, Phase, Problem, code_for, problem_for, reason_for

if TYPE_CHECKING:
    from pos_app.till.charge import Till
    from pos_app.till.ports import Cancellable

log = logging.getLogger(__name__)

S = AttemptState

RECONCILE_FIRST_CHECK_S = 3.0  # give a slow ClickPesa a moment to create what it received
# A check still unanswered after this long is treated as stuck: the next poll (or Check
# again) asks once more rather than wait behind it. The gateway's deadline ends it anyway.
STUCK_CHECK_S = 6.0


@dataclass(frozen=True)
class SendOutcome:
    reference: str
    state: AttemptState | None  # None: no attempt was made (token or journal step failed)
    accepted: PushAccepted | None = None
    error: BaseException | None = None
    record: AttemptRecord | None = None


class Sale:
    """One attempt at the counter. Call from the till's thread only."""

    def __init__(self, till: Till, reference: str, phone: Phone, amount: Amount) -> None:
        self.till = till
        self.reference = reference
        self.phone = phone
        self.amount = amount
        self.state: AttemptState | None = None
        self.alive = True
        self.push_started = till.scheduler.now()
        self.push_ended: float | None = None
        self.deadline = self.push_started + till.patience_s
        self.gave_up = False
        self.failures = 0
        self._poll: Cancellable | None = None
        self._tick: Cancellable | None = None
        self._in_flight: dict[int, float] = {}  # check id -> when it was asked
        self._next_check_id = 0
        self._hint_waiting = False  # a hint came while a check was in flight
        self.view = ChargeView(Phase.SENDING, reference, phone, amount,
                               patience_s=till.patience_s)

    # -- starting --------------------------------------------------------------------------

    def send(self, detail: str = "journalled") -> None:
        """Journal the attempt, then push once (on a worker)."""
        self._show(self.view)
        till, ref, phone, amount = self.till, self.reference, self.phone, self.amount
        self.till.runner.submit(
            lambda: send_job(till, ref, phone, amount, detail),
            self._on_sent,
            lambda exc: self._on_sent(SendOutcome(ref, S.UNCERTAIN, error=exc)))

    @classmethod
    def resume(cls, till: Till, record: AttemptRecord, phone: Phone, age_s: float) -> Sale:
        """The sale that was under way when the till stopped, back on screen."""
        sale = cls(till, record.order_reference, phone, Amount(record.amount_tzs))
        now = till.scheduler.now()
        sale.push_started = now - max(0.0, age_s)
        sale.push_ended = None  # unknown: the till ended while it was in flight, or after
        sale.deadline = sale.push_started + till.patience_s
        sale.state = record.state
        waiting = record.state is S.PENDING
        sale.view = ChargeView(
            Phase.WAITING if waiting else Phase.CONFIRMING, record.order_reference, phone,
            sale.amount, attempt_state=record.state, channel=record.channel,
            clickpesa_id=record.clickpesa_id, resumed=True, patience_s=till.patience_s,
            remaining_s=math.ceil(max(0.0, sale.deadline - now)),
            problem=None if waiting else problem_for(Unclear("")),
            code=None if waiting else Reason.CONNECTION_BROKE)
        return sale

    def follow_now(self) -> None:
        """A resumed sale: on screen, and asked about at once with the normal plan after."""
        self._show(self.view)
        self._tick = self.till.scheduler.call_later(1.0, self._on_tick)
        self._check()

    # -- what the cashier can do -----------------------------------------------------------

    def check_again(self) -> bool:
        if not self.alive or self.view.phase is not Phase.NO_ANSWER:
            return False
        self._check(force=True)
        return True

    def hint(self) -> bool:
        """The shop server says ClickPesa has news about this payment: ask once, now (the
        answer, not the hint, decides). A check already on its way may have been asked
        before the news: then one more follows as soon as it is back."""
        if not self.alive or self.finished:
            return False
        if self.state is None:  # the webhook beat the push's own reply: ask once it is back
            self._hint_waiting = True
            return True
        if self.view.phase not in (Phase.WAITING, Phase.CONFIRMING, Phase.NO_ANSWER):
            return False
        if self._in_flight:
            self._hint_waiting = True
            return True
        self._check(force=True)
        return True

    def replan(self) -> None:
        """The hint stream came or went: plan the next check by the plan now in force (when
        it went, the next check comes as soon as the normal plan says)."""
        if self.alive and not self.finished and not self.gave_up and not self._in_flight \
                and self.state is not None and self._poll is not None:
            self._schedule_next(self.till.scheduler.now(), rate_limited=False)

    def stop(self) -> None:
        """The cashier moves on (or the till closes): no more timers or screen updates."""
        self.alive = False
        for handle in (self._poll, self._tick):
            if handle:
                handle.cancel()

    @property
    def finished(self) -> bool:
        return self.view.phase.is_outcome

    # -- sending ---------------------------------------------------------------------------

    def _on_sent(self, out: SendOutcome) -> None:
        self.till._remember(out.record)
        if not self.alive:
            return
        self.state = out.state
        self.push_ended = self.till.scheduler.now()
        base = replace(self.view, attempt_state=out.state)
        if out.error is not None:
            base = replace(base, problem=problem_for(out.error), reason=reason_for(out.error),
                           code=code_for(out.error),
                           status_code=getattr(out.error, "status_code", None))
        if out.accepted is not None:
            base = replace(base, channel=out.accepted.channel,
                           clickpesa_id=out.accepted.clickpesa_id,
                           clickpesa_status=out.accepted.status)
        if out.state in (S.PENDING, S.UNCERTAIN):
            phase = Phase.WAITING if out.state is S.PENDING else Phase.CONFIRMING
            now = self.till.scheduler.now()
            self._show(replace(base, phase=phase,
                               remaining_s=math.ceil(max(0.0, self.deadline - now))))
            first = (self.till.plan.next_delay(now - self.push_started,
                                               hinted=self.till.hints_live)
                     if out.state is S.PENDING else RECONCILE_FIRST_CHECK_S)
            if self._hint_waiting:  # ClickPesa's news came before its reply to the push
                self._hint_waiting = False
                first = 0.0
            self._poll = self.till.scheduler.call_later(first, self._check)
            self._tick = self.till.scheduler.call_later(1.0, self._on_tick)
        else:
            attention = Attention.DUPLICATE if out.state is S.ATTENTION else None
            self._finish(replace(base, attention=attention), out.state)

    # -- following -------------------------------------------------------------------------

    def _on_tick(self) -> None:
        if not self.alive or self.view.phase not in (Phase.WAITING, Phase.CONFIRMING):
            return
        remaining = self.deadline - self.till.scheduler.now()
        if remaining <= 0:
            self.gave_up = True
            if self._poll:
                self._poll.cancel()
            self._show(replace(self.view, phase=Phase.NO_ANSWER, remaining_s=0))
            return
        self._show(replace(self.view, remaining_s=math.ceil(remaining)))
        self._tick = self.till.scheduler.call_later(min(1.0, remaining), self._on_tick)

    def _check(self, *, force: bool = False) -> None:
        """Ask ClickPesa once. A check still in flight does not hold this one back for long:
        a status call that hangs must not delay Check again."""
        if not self.alive or self.state is None:
            return
        now = self.till.scheduler.now()
        if self._in_flight:
            newest = max(self._in_flight.values())
            if now - newest < (self.till.plan.min_interval_s if force else STUCK_CHECK_S):
                if not force:
                    self._schedule_next(now, rate_limited=False)
                return
        self._next_check_id += 1
        check_id = self._next_check_id
        self._in_flight[check_id] = now
        self._show(replace(self.view, checking=True))
        till, ref = self.till, self.reference
        proven = now >= never_created_from(self.push_started, self.push_ended)
        self.till.runner.submit(
            lambda: check_job(till.gateway, till.journal, ref,
                              never_created_proven=lambda _r: proven,
                              wall_now=till.wall_clock),
            lambda out: self._on_checked(check_id, out),
            lambda exc: self._on_checked(check_id, CheckOutcome(ref, self.state or S.UNCERTAIN,
                                                                error=exc)))

    def _on_checked(self, check_id: int, out: CheckOutcome) -> None:
        self._in_flight.pop(check_id, None)
        if not self.alive:
            # A check the cashier asked for before moving on: journalled by its job; the
            # window hears of it like any background result.
            self.till._background_checked(out)
            return
        self.till._remember(out.record)
        if self.finished:
            return
        view = replace(self.view, checking=bool(self._in_flight),
                       checked_at=self.till.wall_clock().strftime("%H:%M"))
        retry_after = None
        rate_limited = False
        if out.error is not None:
            self.failures += 1
            retry_after = getattr(out.error, "retry_after_s", None)
            rate_limited = code_for(out.error) is Reason.RATE_LIMITED
            view = replace(view, trouble=problem_for(out.error),
                           trouble_reason=reason_for(out.error),
                           trouble_code=code_for(out.error))
        else:
            self.failures = 0
            self.state = out.state
            view = replace(view, trouble=None, trouble_reason="", trouble_code=None,
                           attempt_state=out.state)
            row = out.status.row if out.status else None
            if row is not None:
                view = replace(view, channel=row.channel or view.channel,
                               clickpesa_id=row.clickpesa_id or view.clickpesa_id,
                               clickpesa_status=row.status,
                               payment_reference=row.payment_reference,
                               message=(out.record.message if out.record and out.state.is_final
                                        else row.message or (out.status.note
                                                             if out.status else "")))
            if out.assessment is not None:
                view = replace(view, attention=out.assessment.attention,
                               mismatch=out.assessment.mismatch)
            if out.state is S.PENDING and view.phase is Phase.CONFIRMING:
                view = replace(view, phase=Phase.WAITING, problem=None, reason="", code=None)
        if self.state is not None and self.state.is_final:
            self._finish(view, self.state)
            return
        if self.gave_up:
            self._show(replace(view, phase=Phase.NO_ANSWER))
            return
        self._show(view)
        if self._hint_waiting and out.error is None and not self._in_flight:
            # The news came while this check was on its way: ask once more, at once.
            self._hint_waiting = False
            if self._poll:
                self._poll.cancel()
            self._poll = self.till.scheduler.call_later(self.till.plan.min_interval_s,
                                                        self._check)
            return
        self._schedule_next(self.till.scheduler.now(), retry_after=retry_after,
                            rate_limited=rate_limited)

    def _schedule_next(self, now: float, *, rate_limited: bool,
                       retry_after: float | None = None) -> None:
        # `rate_limited` has no default: every caller says whether a 429 lifts the 8 s cap.
        if self.gave_up:
            return
        if self._poll:
            self._poll.cancel()
        # At the counter a transient error never pushes the next check past 8 s; only a 429
        # may (it says how long to wait).
        delay = self.till.plan.next_delay(
            now - self.push_started, failures_in_row=self.failures, retry_after_s=retry_after,
            failure_cap_s=None if rate_limited else COUNTER_MAX_RETRY_S,
            hinted=self.till.hints_live)
        self._poll = self.till.scheduler.call_later(delay, self._check)

    def _finish(self, view: ChargeView, state: AttemptState | None) -> None:
        for handle in (self._poll, self._tick):
            if handle:
                handle.cancel()
        phase = {S.PAID: Phase.PAID, S.FAILED: Phase.FAILED,
                 S.ATTENTION: Phase.ATTENTION}.get(state, Phase.NOT_SENT)  # type: ignore[arg-type]
        if phase is Phase.NOT_SENT and view.problem in (None, Problem.UNCLEAR,
                                                         Problem.UNEXPECTED):
            view = replace(view, problem=Problem.NEVER_ARRIVED, code=None)
        if phase is not Phase.NOT_SENT and phase is not Phase.ATTENTION:
            view = replace(view, problem=None)
        self._show(replace(view, phase=phase, attempt_state=state, remaining_s=None,
                           checking=False, trouble=None, trouble_reason="", trouble_code=None))
        if state in (S.FAILED, S.NOT_SENT):
            self.till._second_look_soon()

    def later_outcome(self, out: CheckOutcome) -> None:
        """A background look changed this attempt while its outcome is still on screen (a
        FAILED one paid after all: Needs attention)."""
        record = out.record
        if record is None or not self.alive:
            return
        state = record.state
        phase = {S.PAID: Phase.PAID, S.FAILED: Phase.FAILED,
                 S.ATTENTION: Phase.ATTENTION}.get(state, Phase.NOT_SENT)
        assessment = out.assessment
        self.state = state
        self._show(replace(self.view, phase=phase, attempt_state=state,
                           attention=assessment.attention if assessment else None,
                           mismatch=assessment.mismatch if assessment else None,
                           message=record.message or self.view.message, problem=None))

    def _show(self, view: ChargeView) -> None:
        self.view = view
        if self.alive:
            self.till._sale_view(self, view)


def send_job(till: Till, ref: str, phone: Phone, amount: Amount,
             detail: str = "journalled") -> SendOutcome:
    """Worker thread: token, then journal, then exactly one push."""
    gateway, journal = till.gateway, till.journal
    try:
        gateway.ensure_token()
    except Unclear as exc:
        # A token call that broke (or a 429) created nothing: nothing is "unclear" yet.
        return SendOutcome(ref, None, error=Unavailable(
            exc.reason, status_code=exc.status_code, code=exc.code,
            retry_after_s=exc.retry_after_s))
    except ClickPesaError as exc:
        return SendOutcome(ref, None, error=exc)
    try:
        network = phone.network.value if phone.network else ""
        journal.record_new(ref, phone=phone.digits, amount_tzs=amount.tzs,
                           network_hint=network, till_name=till.till_name, detail=detail,
                           shift=till.shift_id, cashier=till.cashier)
    except Exception as exc:  # noqa: BLE001 — without a journal row, nothing is sent
        log.error("journal write failed before push %s: %s", ref, exc)
        return SendOutcome(ref, None, error=exc if isinstance(exc, JournalError)
                           else JournalError(str(exc)))
    accepted: PushAccepted | None = None
    error: BaseException | None = None
    try:
        accepted = gateway.initiate(ref, phone, amount)
    except Rejected as exc:
        state = S.ATTENTION if exc.code is Reason.DUPLICATE_REFERENCE \
            or exc.status_code == 409 else S.NOT_SENT
        error = exc
    except (AuthFailed, CredentialsMissing, Unavailable) as exc:
        state, error = S.NOT_SENT, exc
    except Unclear as exc:
        state, error = S.UNCERTAIN, exc
    except Exception as exc:  # noqa: BLE001 — unknown: it may have left, so reconcile
        log.exception("unexpected error sending %s", ref)
        state, error = S.UNCERTAIN, exc
    else:
        verdict = state_for_verdict(_push_verdict(accepted.status))
        # Paid needs the status endpoint's row (amount, currency, payer); the push reply
        # alone never makes an attempt paid.
        state = S.PENDING if verdict is S.PAID else verdict
    if accepted is not None:
        record = _journal(journal, ref, state, channel=accepted.channel,
                          clickpesa_id=accepted.clickpesa_id,
                          detail=f"push accepted: {accepted.status or 'no status'}",
                          **({"second_look_at": second_look_time(till.wall_clock())}
                             if state is S.FAILED else {}))
    else:
        assert error is not None
        record = _journal(journal, ref, state,
                          message=f"Not sent: {reason_for(error)}" if state is S.NOT_SENT
                          else reason_for(error),
                          detail=f"push: {type(error).__name__}"
                                 f" ({code_for(error).value})")
    return SendOutcome(ref, state, accepted, error, record)


def _push_verdict(status: str) -> Verdict:
    return verdict_for(status) if status else Verdict.WAITING


def _journal(journal: Journal, ref: str, state: AttemptState, **fields: Any
             ) -> AttemptRecord | None:
    """Worker thread. A journal failure here is logged, not fatal: the row stays in an
    unresolved state and is re-checked on the next start."""
    try:
        return journal.transition(ref, state, **fields)
    except (JournalError, IllegalTransition) as exc:
        log.error("journal transition %s -> %s failed: %s", ref, state.value, exc)
        return None
