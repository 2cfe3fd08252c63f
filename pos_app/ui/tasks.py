"""The only bridge between the till and Qt's threads and timers.

Jobs run on a QThreadPool; their results come back to the GUI thread through a queued
signal. A QRunnable cannot carry signals, so each job gets a small QObject created here on the
GUI thread (and kept alive until its result is delivered): the signal is emitted from the
worker and, because the receiver lives on the GUI thread, delivered there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)


class _Delivery(QObject):
    finished = Signal(object, object)  # (result, error)

    def __init__(self, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None],
                 forget: Callable[[_Delivery], None]) -> None:
        super().__init__()
        self._on_done, self._on_error, self._forget = on_done, on_error, forget
        self.finished.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: Any, error: Any) -> None:
        self._forget(self)
        try:
            if error is not None:
                self._on_error(error)
            else:
                self._on_done(result)
        except Exception:  # noqa: BLE001 — a bug in a callback must not kill the event loop
            log.exception("error while handling a background result")


class _Job(QRunnable):
    def __init__(self, job: Callable[[], Any], delivery: _Delivery) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._delivery = job, delivery

    def run(self) -> None:
        try:
            result = self._job()
        except BaseException as exc:  # noqa: BLE001 — every failure goes back as a result
            self._delivery.finished.emit(None, exc)
        else:
            self._delivery.finished.emit(result, None)


class QtRunner:
    """Runs till jobs on a thread pool; callbacks run on the GUI thread."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._pending: set[_Delivery] = set()

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        delivery = _Delivery(on_done, on_error, self._pending.discard)
        self._pending.add(delivery)
        self.pool.start(_Job(job, delivery))

    @property
    def pending(self) -> int:
        return len(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)


class _TimerHandle:
    def __init__(self, timer: QTimer) -> None:
        self._timer = timer

    def cancel(self) -> None:
        try:
            self._timer.stop()
            self._timer.deleteLater()
        except RuntimeError:  # it already fired and was deleted
            pass


class QtScheduler:
    """GUI-thread timers on the monotonic clock."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._parent = parent

    def now(self) -> float:
        return time.monotonic()

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> _TimerHandle:
        timer = QTimer(self._parent)
        timer.setSingleShot(True)

        def fire() -> None:
            timer.deleteLater()
            fn()

        timer.timeout.connect(fire)
        timer.start(max(0, int(delay_s * 1000)))
        return _TimerHandle(timer)
