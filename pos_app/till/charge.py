"""The charge lifecycle of one till, from Enter to a final word from ClickPesa.

Rules this module exists to keep:
- one push per attempt, never resent automatically;
- the attempt is in the journal before its push leaves;
- a push whose fate is unknown is reconciled through the status endpoint (404 → it never
  arrived; a row → follow it);
- only ClickPesa's status makes an attempt paid or failed; running out of patience leaves it
  unresolved, and unresolved attempts are re-checked in the background until they are final.

Everything here runs on one thread (the GUI thread in the app); network and journal work is
handed to the `Runner` as jobs, whose results come back through callbacks.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from pos_app.clickpesa.errors import (
    AuthFailed,
    ClickPesaError,
    CredentialsMissing,
    NotConnected,
    Rejected,
    Unavailable,
    Unclear,
)
from pos_app.clickpesa.replies import PaymentStatus, PushAccepted
from pos_app.domain.attempt import (
    AttemptRecord,
    AttemptState,
    IllegalTransition,
    state_for_verdict,
    verdict_for,
)
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.domain.polling import PollPlan
from pos_app.domain.reference import new_reference
from pos_app.journal.store import Journal, JournalError, local_now
from pos_app.till.ports import Cancellable, PaymentGateway, Runner, Scheduler

log = logging.getLogger(__name__)

RECONCILE_FIRST_CHECK_S = 3.0  # give a slow ClickPesa a moment to create what it received
# A 404 only proves "never created" once this long has passed since the push call ended: a
# request that reached ClickPesa just before the connection broke may still be on its way in,
# and concluding "nothing was charged" too early invites a second, paid, attempt.
RECONCILE_CONFIRM_S = 8.0
BACKGROUND_SPACING_S = 3.0  # between background checks: well inside the rate limit
BACKGROUND_ROUND_S = 120.0  # between rounds over the unresolved attempts
# One attempt's background checks are spaced 2, 4, 8… minutes apart, at most this far: an
# attempt ClickPesa never makes final must not cost a call every round for the rest of the day.
BACKGROUND_MAX_GAP_S = 900.0
BACKGROUND_BUSY_RETRY_S = 15.0


class Phase(enum.Enum):
    IDLE = "idle"
    SENDING = "sending"
    CONFIRMING = "confirming"  # the push broke: asking ClickPesa whether it arrived
    WAITING = "waiting"  # the prompt is on the customer's phone
    NO_ANSWER = "no_answer"  # patience ran out; still unresolved
    PAID = "paid"
    FAILED = "failed"  # ClickPesa says the payment failed
    NOT_SENT = "not_sent"  # nothing was charged: refused, offline, or never arrived
    ATTENTION = "attention"  # a person must look (ON-HOLD, REVERSED, unknown status, 409)

    @property
    def is_outcome(self) -> bool:
        return self in (Phase.PAID, Phase.FAILED, Phase.NOT_SENT, Phase.ATTENTION)


class Problem(enum.Enum):
    """Why a charge went wrong, as the cashier must act on it (worded by the UI)."""

    CREDENTIALS = "credentials"  # nothing stored / no keyring
    AUTH = "auth"  # ClickPesa refused the credentials or token
    REJECTED = "rejected"  # ClickPesa refused the payment request
    DUPLICATE = "duplicate"  # 409 on a fresh reference
    OFFLINE = "offline"  # no connection: nothing left this computer
    UNAVAILABLE = "unavailable"  # ClickPesa could not serve it; nothing was created
    NEVER_ARRIVED = "never_arrived"  # the push broke and ClickPesa has no such payment
    UNCLEAR = "unclear"  # the push broke; whether it arrived is not known yet
    JOURNAL = "journal"  # the journal could not be written, so nothing was sent
    UNEXPECTED = "unexpected"


def problem_for(exc: BaseException) -> Problem:
    if isinstance(exc, CredentialsMissing):
        return Problem.CREDENTIALS
    if isinstance(exc, AuthFailed):
        return Problem.AUTH
    if isinstance(exc, Rejected):
        return Problem.DUPLICATE if exc.status_code == 409 else Problem.REJECTED
    if isinstance(exc, NotConnected):
        return Problem.OFFLINE
    if isinstance(exc, Unavailable):
        return Problem.UNAVAILABLE
    if isinstance(exc, Unclear):
        return Problem.UNCLEAR
    if isinstance(exc, JournalError):
        return Problem.JOURNAL
    return Problem.UNEXPECTED


def reason_for(exc: BaseException) -> str:
    if isinstance(exc, ClickPesaError):
        return exc.reason
    if isinstance(exc, JournalError):
        return str(exc)
    return f"{type(exc).__name__}"


@dataclass(frozen=True)
class ChargeView:
    """Everything the window shows about the current sale."""

    phase: Phase = Phase.IDLE
    reference: str = ""
    phone: Phone | None = None
    amount: Amount | None = None
    attempt_state: AttemptState | None = None
    channel: str = ""
    clickpesa_id: str = ""
    clickpesa_status: str = ""
    message: str = ""  # ClickPesa's own words: why it failed, what the status means
    problem: Problem | None = None
    reason: str = ""
    status_code: int | None = None
    remaining_s: int | None = None
    checking: bool = False
    trouble: Problem | None = None  # passing trouble while following (connection, 429…)
    trouble_reason: str = ""


@dataclass(frozen=True)
class SendOutcome:
    reference: str
    state: AttemptState | None  # None: no attempt was made (token step failed)
    accepted: PushAccepted | None = None
    error: BaseException | None = None


@dataclass(frozen=True)
class CheckOutcome:
    reference: str
    state: AttemptState
    status: PaymentStatus | None = None
    error: BaseException | None = None
    record: AttemptRecord | None = None  # the journal's row after this check


@dataclass
class _Active:
    reference: str
    phone: Phone
    amount: Amount
    state: AttemptState | None = None
    started_at: float = 0.0
    deadline: float = 0.0
    poll: Cancellable | None = None
    tick: Cancellable | None = None
    in_flight: bool = False
    failures: int = 0
    gave_up: bool = False
    view: ChargeView = field(default_factory=ChargeView)


class Till:
    """One till's charges. Call from one thread; observe through `on_view`."""

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
        on_background: Callable[[AttemptRecord | None, list[AttemptRecord] | None], None]
        = lambda changed, unresolved: None,
        wall_clock: Callable[[], datetime] = local_now,
    ) -> None:
        self.gateway = gateway
        self.journal = journal
        self.runner = runner
        self.scheduler = scheduler
        self.patience_s = patience_s
        self.plan = plan or PollPlan()
        self.till_name = till_name
        self._on_view = on_view
        self._on_background = on_background
        self._wall_clock = wall_clock
        self._active: _Active | None = None
        self._view = ChargeView()
        self._closed = False
        self._bg_queue: list[AttemptRecord] = []
        self._bg_timer: Cancellable | None = None
        self._bg_in_flight = False
        self._bg_ref: str | None = None  # the attempt the background check in flight is about
        self._bg_next: dict[str, tuple[int, float]] = {}  # ref -> (checks so far, next due)

    # -- what the cashier can do ---------------------------------------------------------

    @property
    def view(self) -> ChargeView:
        return self._view

    @property
    def busy(self) -> bool:
        """A charge is on its way: a new one cannot start."""
        return self._active is not None and not self._view.phase.is_outcome

    def charge(self, phone: Phone, amount: Amount) -> bool:
        """Start ONE attempt. Returns False (and does nothing) while another is under way."""
        if self._closed or self.busy:
            return False
        self._clear_active()
        ref = new_reference(self._wall_clock())
        active = _Active(ref, phone, amount, started_at=self.scheduler.now())
        self._active = active
        self._show(ChargeView(Phase.SENDING, ref, phone, amount))
        self.runner.submit(lambda: self._send_job(ref, phone, amount),
                           self._on_sent, lambda exc: self._on_sent(SendOutcome(
                               ref, AttemptState.UNCERTAIN, error=exc)))
        return True

    def check_again(self) -> bool:
        a = self._active
        if self._closed or a is None or self._view.phase is not Phase.NO_ANSWER or a.in_flight:
            return False
        self._check_active()
        return True

    def stop_waiting(self) -> bool:
        """The cashier moves on. The attempt stays unresolved and is re-checked later."""
        a = self._active
        if a is None or self._view.phase is not Phase.NO_ANSWER:
            return False
        ref = a.reference
        self.runner.submit(lambda: self.journal.note(
            ref, "cashier stopped waiting; left unresolved for later checks"),
            lambda _: None, lambda exc: log.warning("journal note for %s failed: %s", ref, exc))
        self._clear_active()
        self._show(ChargeView())
        self._schedule_background(BACKGROUND_ROUND_S / 2)
        return True

    def new_sale(self) -> bool:
        if self._active is not None and not self._view.phase.is_outcome:
            return False
        self._clear_active()
        self._show(ChargeView())
        return True

    def shutdown(self) -> None:
        """Stop every timer; results still arriving are journalled by their jobs."""
        self._closed = True
        self._clear_active()
        if self._bg_timer:
            self._bg_timer.cancel()

    # -- sending -------------------------------------------------------------------------

    def _send_job(self, ref: str, phone: Phone, amount: Amount) -> SendOutcome:
        """Worker thread: token, then journal, then exactly one push."""
        try:
            self.gateway.ensure_token()
        except Unclear as exc:
            # A token call that broke (or a 429) created nothing: nothing is "unclear" yet.
            return SendOutcome(ref, None, error=Unavailable(exc.reason,
                                                            status_code=exc.status_code))
        except ClickPesaError as exc:
            return SendOutcome(ref, None, error=exc)
        try:
            network = phone.network.value if phone.network else ""
            self.journal.record_new(ref, phone=phone.digits, amount_tzs=amount.tzs,
                                    network_hint=network, till_name=self.till_name)
        except Exception as exc:  # noqa: BLE001 — without a journal row, nothing is sent
            log.error("journal write failed before push %s: %s", ref, exc)
            return SendOutcome(ref, None, error=exc if isinstance(exc, JournalError)
                               else JournalError(str(exc)))
        accepted: PushAccepted | None = None
        error: BaseException | None = None
        try:
            accepted = self.gateway.initiate(ref, phone, amount)
        except Rejected as exc:
            state = AttemptState.ATTENTION if exc.status_code == 409 else AttemptState.NOT_SENT
            error = exc
        except (AuthFailed, CredentialsMissing, Unavailable) as exc:
            state, error = AttemptState.NOT_SENT, exc
        except Unclear as exc:
            state, error = AttemptState.UNCERTAIN, exc
        except Exception as exc:  # noqa: BLE001 — unknown: it may have left, so reconcile
            log.exception("unexpected error sending %s", ref)
            state, error = AttemptState.UNCERTAIN, exc
        else:
            state = (state_for_verdict(verdict_for(accepted.status)) if accepted.status
                     else AttemptState.PENDING)
        if accepted is not None:
            self._journal(ref, state, channel=accepted.channel, clickpesa_id=accepted.clickpesa_id,
                          detail=f"push accepted: {accepted.status or 'no status'}")
        else:
            assert error is not None
            self._journal(ref, state, message=f"Not sent: {reason_for(error)}"
                          if state is AttemptState.NOT_SENT else reason_for(error),
                          detail=f"push: {type(error).__name__}")
        return SendOutcome(ref, state, accepted, error)

    def _journal(self, ref: str, state: AttemptState, *, channel: str | None = None,
                 clickpesa_id: str | None = None, message: str | None = None,
                 detail: str = "") -> None:
        """Worker thread. A journal failure here is logged, not fatal: the row stays in an
        unresolved state and is re-checked on the next start."""
        try:
            self.journal.transition(ref, state, channel=channel, clickpesa_id=clickpesa_id,
                                    message=message, detail=detail)
        except (JournalError, IllegalTransition) as exc:
            log.error("journal transition %s -> %s failed: %s", ref, state.value, exc)

    def _on_sent(self, out: SendOutcome) -> None:
        a = self._active
        if self._closed or a is None or a.reference != out.reference:
            return
        a.state = out.state
        base = replace(self._view, attempt_state=out.state)
        if out.error is not None:
            base = replace(base, problem=problem_for(out.error), reason=reason_for(out.error),
                           status_code=getattr(out.error, "status_code", None))
        if out.accepted is not None:
            base = replace(base, channel=out.accepted.channel,
                           clickpesa_id=out.accepted.clickpesa_id,
                           clickpesa_status=out.accepted.status)
        now = self.scheduler.now()
        a.started_at, a.deadline = now, now + self.patience_s
        if out.state in (AttemptState.PENDING, AttemptState.UNCERTAIN):
            phase = Phase.WAITING if out.state is AttemptState.PENDING else Phase.CONFIRMING
            self._show(replace(base, phase=phase, remaining_s=math.ceil(self.patience_s)))
            first = (self.plan.next_delay(0.0) if out.state is AttemptState.PENDING
                     else RECONCILE_FIRST_CHECK_S)
            a.poll = self.scheduler.call_later(first, self._check_active)
            a.tick = self.scheduler.call_later(1.0, self._tick)
        else:
            self._finish(base, out.state)

    # -- following -----------------------------------------------------------------------

    def _tick(self) -> None:
        a = self._active
        if self._closed or a is None or self._view.phase not in (Phase.WAITING,
                                                                  Phase.CONFIRMING):
            return
        remaining = a.deadline - self.scheduler.now()
        if remaining <= 0:
            a.gave_up = True
            if a.poll:
                a.poll.cancel()
            self._show(replace(self._view, phase=Phase.NO_ANSWER, remaining_s=0))
            return
        self._show(replace(self._view, remaining_s=math.ceil(remaining)))
        a.tick = self.scheduler.call_later(min(1.0, remaining), self._tick)

    def _check_active(self) -> None:
        a = self._active
        if self._closed or a is None or a.in_flight or a.state is None:
            return
        a.in_flight = True
        self._show(replace(self._view, checking=True))
        ref, state = a.reference, a.state
        settled = self.scheduler.now() - a.started_at >= RECONCILE_CONFIRM_S
        self.runner.submit(lambda: self._check_job(ref, state, not_found_is_final=settled),
                           self._on_checked,
                           lambda exc: self._on_checked(CheckOutcome(ref, state, error=exc)))

    def _check_job(self, ref: str, current: AttemptState, *,
                   not_found_is_final: bool = True) -> CheckOutcome:
        """Worker thread: ask ClickPesa about `ref` and journal what changed."""
        try:
            status = self.gateway.status(ref)
        except ClickPesaError as exc:
            return CheckOutcome(ref, current, error=exc)
        if status is None:  # 404: ClickPesa has no payment with this reference
            if current in (AttemptState.NEW, AttemptState.UNCERTAIN) and not_found_is_final:
                self._journal(ref, AttemptState.NOT_SENT,
                              message="Not sent: ClickPesa never received the request",
                              detail="status 404")
                return CheckOutcome(ref, AttemptState.NOT_SENT, record=self._record(ref))
            # It accepted the push a moment ago; a 404 now is a lag, not an answer.
            return CheckOutcome(ref, current, record=self._record(ref))
        new = state_for_verdict(status.verdict)
        if current is AttemptState.ATTENTION and new is AttemptState.PENDING:
            new = current
        row = status.row
        # ClickPesa's own words replace whatever a broken push left in `message`.
        message = (row.message if row else "") or status.note
        self._journal(ref, new, channel=row.channel if row else None,
                      clickpesa_id=row.clickpesa_id if row else None,
                      message=message if row else None,
                      detail=f"status {status.status or '(no rows)'}")
        return CheckOutcome(ref, new, status, record=self._record(ref))

    def _record(self, ref: str) -> AttemptRecord | None:
        try:
            return self.journal.get(ref)
        except JournalError:
            return None

    def _on_checked(self, out: CheckOutcome) -> None:
        a = self._active
        if self._closed:
            return
        if a is None or a.reference != out.reference:
            if out.reference == self._bg_ref:
                self._on_background_checked(out)
            elif out.record is not None:
                # A check the cashier asked for before moving on: its journal row is updated;
                # just let the window know.
                self._on_background(out.record, None)
            return
        a.in_flight = False
        view = replace(self._view, checking=False)
        retry_after = None
        if out.error is not None:
            a.failures += 1
            retry_after = getattr(out.error, "retry_after_s", None)
            view = replace(view, trouble=problem_for(out.error),
                           trouble_reason=reason_for(out.error))
        else:
            a.failures = 0
            a.state = out.state
            view = replace(view, trouble=None, trouble_reason="", attempt_state=out.state)
            row = out.status.row if out.status else None
            if row is not None:
                view = replace(view, channel=row.channel or view.channel,
                               clickpesa_id=row.clickpesa_id or view.clickpesa_id,
                               clickpesa_status=row.status,
                               message=row.message or out.status.note)  # type: ignore[union-attr]
            if out.state is AttemptState.PENDING and view.phase is Phase.CONFIRMING:
                view = replace(view, phase=Phase.WAITING, problem=None, reason="")
        if a.state is not None and a.state.is_final:
            self._finish(view, a.state)
            return
        if a.gave_up:
            self._show(replace(view, phase=Phase.NO_ANSWER))
            return
        self._show(view)
        delay = self.plan.next_delay(self.scheduler.now() - a.started_at,
                                     failures_in_row=a.failures, retry_after_s=retry_after)
        a.poll = self.scheduler.call_later(delay, self._check_active)

    def _finish(self, view: ChargeView, state: AttemptState | None) -> None:
        a = self._active
        if a is not None:
            for handle in (a.poll, a.tick):
                if handle:
                    handle.cancel()
        phase = {
            AttemptState.PAID: Phase.PAID,
            AttemptState.FAILED: Phase.FAILED,
            AttemptState.ATTENTION: Phase.ATTENTION,
        }.get(state, Phase.NOT_SENT)  # type: ignore[arg-type]
        if phase is Phase.NOT_SENT and view.problem in (None, Problem.UNCLEAR,
                                                         Problem.UNEXPECTED):
            view = replace(view, problem=Problem.NEVER_ARRIVED)
        if phase is not Phase.NOT_SENT:
            view = replace(view, problem=view.problem if phase is Phase.ATTENTION else None)
        self._show(replace(view, phase=phase, attempt_state=state, remaining_s=None,
                           checking=False, trouble=None, trouble_reason=""))

    def _clear_active(self) -> None:
        a = self._active
        if a is not None:
            for handle in (a.poll, a.tick):
                if handle:
                    handle.cancel()
        self._active = None

    def _show(self, view: ChargeView) -> None:
        self._view = view
        if self._active is not None:
            self._active.view = view
        self._on_view(view)

    # -- unresolved attempts, in the background ------------------------------------------

    def start_background(self, delay_s: float = 1.0) -> None:
        """Re-check every unresolved attempt now (on start, or when the cashier asks), then
        each again at growing intervals."""
        self._bg_next.clear()
        self._schedule_background(delay_s)

    def _schedule_background(self, delay_s: float) -> None:
        if self._closed:
            return
        if self._bg_timer:
            self._bg_timer.cancel()
        self._bg_timer = self.scheduler.call_later(delay_s, self._background_step)

    def _background_step(self) -> None:
        self._bg_timer = None
        if self._closed or self._bg_in_flight:
            return
        if self.busy:  # leave the rate budget to the sale in front of the cashier
            self._schedule_background(BACKGROUND_BUSY_RETRY_S)
            return
        if not self._bg_queue:
            self._bg_in_flight = True
            self.runner.submit(self.journal.unresolved, self._got_unresolved,
                               self._background_failed)
            return
        record = self._bg_queue.pop(0)
        self._bg_in_flight = True
        ref, state = record.order_reference, record.state
        self._bg_ref = ref
        self.runner.submit(lambda: self._check_job(ref, state), self._on_checked,
                           lambda exc: self._on_checked(CheckOutcome(ref, state, error=exc)))

    def _got_unresolved(self, records: list[AttemptRecord]) -> None:
        self._bg_in_flight = False
        active = self._active.reference if self._active else None
        now = self.scheduler.now()
        live = {r.order_reference for r in records}
        self._bg_next = {ref: due for ref, due in self._bg_next.items() if ref in live}
        self._bg_queue = [r for r in records if r.order_reference != active
                          and self._bg_next.get(r.order_reference, (0, now))[1] <= now]
        self._on_background(None, records)
        if self._bg_queue:
            self._schedule_background(0.0)
        elif records:
            self._schedule_background(BACKGROUND_ROUND_S)

    def _background_failed(self, exc: BaseException) -> None:
        self._bg_in_flight = False
        log.error("background re-check failed: %s", exc)
        self._schedule_background(BACKGROUND_ROUND_S)

    def _on_background_checked(self, out: CheckOutcome) -> None:
        self._bg_in_flight = False
        self._bg_ref = None
        checks = self._bg_next.get(out.reference, (0, 0.0))[0]
        self._bg_next[out.reference] = (checks + 1, self.scheduler.now() + min(
            BACKGROUND_MAX_GAP_S, BACKGROUND_ROUND_S * 2.0 ** min(checks, 16)))
        if out.error is not None:
            log.info("background check of %s: %s", out.reference, reason_for(out.error))
        elif out.record is not None:
            self._on_background(out.record, None)
        if self._bg_queue:
            self._schedule_background(BACKGROUND_SPACING_S)
        else:
            self._bg_in_flight = True
            self.runner.submit(self.journal.unresolved, self._round_done,
                               self._background_failed)

    def _round_done(self, records: list[AttemptRecord]) -> None:
        self._bg_in_flight = False
        self._on_background(None, records)
        if records:
            self._schedule_background(BACKGROUND_ROUND_S)
