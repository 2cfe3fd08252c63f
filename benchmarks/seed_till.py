"""The baseline: how the seed charged — a fresh token for every charge, a status check every 2 s.

It speaks to the same simulator through the same `Gateway` class (a new one per charge, so no
token is ever reused) and shows the same `ChargeView`s as the real `Till`, so one cashier
driver serves both. There is no journal and no background re-check: only what costs API calls
and what the cashier sees matter here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pos_app.clickpesa.errors import ClickPesaError
from pos_app.clickpesa.gateway import Gateway
from pos_app.clickpesa.replies import PaymentStatus, PushAccepted
from pos_app.domain.attempt import Verdict
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.domain.reference import new_reference
from pos_app.journal.store import local_now
from pos_app.till.charge import ChargeView, Phase
from pos_app.till.ports import Cancellable, Runner, Scheduler

SEED_POLL_INTERVAL_S = 2.0


class SeedTill:
    def __init__(self, make_gateway: Callable[[], Gateway], runner: Runner,
                 scheduler: Scheduler, *, patience_s: float = 120.0,
                 interval_s: float = SEED_POLL_INTERVAL_S,
                 on_view: Callable[[ChargeView], None] = lambda v: None) -> None:
        self._make_gateway = make_gateway
        self.runner = runner
        self.scheduler = scheduler
        self.patience_s = patience_s
        self.interval_s = interval_s
        self._on_view = on_view
        self.view = ChargeView()
        self._gateway: Gateway | None = None
        self._timer: Cancellable | None = None
        self._started = 0.0
        self._in_flight = False

    def start_background(self, delay_s: float = 1.0) -> None:
        """The seed had no background re-checks."""

    def charge(self, phone: Phone, amount: Amount) -> bool:
        ref = new_reference(local_now())
        self._close_gateway()
        gateway = self._gateway = self._make_gateway()  # no cached token: one token call
        self._show(ChargeView(Phase.SENDING, ref, phone, amount))
        self.runner.submit(lambda: gateway.initiate(ref, phone, amount), self._on_sent,
                           self._on_send_error)
        return True

    def new_sale(self) -> bool:
        self._stop()
        self._show(ChargeView())
        return True

    def stop_waiting(self) -> bool:
        return self.new_sale()

    def shutdown(self) -> None:
        self._stop()

    def _on_sent(self, accepted: PushAccepted) -> None:
        self._started = self.scheduler.now()
        self._show(replace(self.view, phase=Phase.WAITING, clickpesa_id=accepted.clickpesa_id))
        self._timer = self.scheduler.call_later(self.interval_s, self._tick)

    def _on_send_error(self, exc: BaseException) -> None:
        self._show(replace(self.view, phase=Phase.NOT_SENT, reason=str(exc)))
        self._close_gateway()

    def _tick(self) -> None:
        """A repeating 2-second timer; a tick while a check is out is skipped."""
        if self.view.phase is not Phase.WAITING:
            return
        if self.scheduler.now() - self._started >= self.patience_s:
            self._show(replace(self.view, phase=Phase.NO_ANSWER))
            self._close_gateway()
            return
        self._timer = self.scheduler.call_later(self.interval_s, self._tick)
        if self._in_flight or self._gateway is None:
            return
        self._in_flight = True
        gateway, ref = self._gateway, self.view.reference
        self.runner.submit(lambda: gateway.status(ref), self._on_checked, self._on_check_error)

    def _on_checked(self, status: PaymentStatus | None) -> None:
        self._in_flight = False
        if self.view.phase is not Phase.WAITING or status is None:
            return
        if status.verdict is Verdict.PAID:
            self._finish(Phase.PAID)
        elif status.verdict is Verdict.FAILED:
            self._finish(Phase.FAILED)

    def _on_check_error(self, exc: BaseException) -> None:
        self._in_flight = False
        if not isinstance(exc, ClickPesaError):
            raise exc

    def _finish(self, phase: Phase) -> None:
        self._stop()
        self._show(replace(self.view, phase=phase))
        self._close_gateway()

    def _stop(self) -> None:
        if self._timer:
            self._timer.cancel()
            self._timer = None

    def _close_gateway(self) -> None:
        if self._gateway is not None:
            self._gateway.close()
            self._gateway = None

    def _show(self, view: ChargeView) -> None:
        self.view = view
        self._on_view(view)
