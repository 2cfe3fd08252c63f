"""The only bridge between the till and Qt's threads and timers.

Jobs run on a QThreadPool; their results come back to the GUI thread through a queued
signal. A QRunnable cannot carry signals, so each runner has one small QObject, made on the
GUI thread and living as long as the runner: a worker emits its signal with the job's
callbacks and result, and because the receiver lives on the GUI thread, it is delivered there.
No QObject is made or dropped per job, so none can be deleted from a worker thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

_Callbacks = tuple[Callable[[Any], None], Callable[[BaseException], None]]


class _Bridge(QObject):
    finished = Signal(object, object, object)  # (job id, result, error)

    def __init__(self, deliver: Callable[[int, Any, Any], None]) -> None:
        super().__init__()
        self._deliver_to = deliver
        self.finished.connect(self._deliver)

    @Slot(object, object, object)
    def _deliver(self, job_id: int, result: Any, error: Any) -> None:
        self._deliver_to(job_id, result, error)


class _Job(QRunnable):
    def __init__(self, job: Callable[[], Any], job_id: int, bridge: _Bridge) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._id, self._bridge = job, job_id, bridge

    def run(self) -> None:
        try:
            result = self._job()
        except BaseException as exc:  # noqa: BLE001 — every failure goes back as a result
            self._send(None, exc)
        else:
            self._send(result, None)

    def _send(self, result: Any, error: BaseException | None) -> None:
        try:
            self._bridge.finished.emit(self._id, result, error)
        except RuntimeError:  # the runner was torn down first: the process is ending
            log.warning("a background result came after the window had gone; whatever it "
                        "was about stays in the journal for the next start to check")


class QtRunner:
    """Runs till jobs on a thread pool; callbacks run on the GUI thread.

    Make it on the GUI thread, and keep it until `wait()` has returned."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._bridge = _Bridge(self._deliver)
        self._pending: dict[int, _Callbacks] = {}
        self._next_id = 0

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        self._next_id += 1
        self._pending[self._next_id] = (on_done, on_error)
        self.pool.start(_Job(job, self._next_id, self._bridge))

    def _deliver(self, job_id: int, result: Any, error: Any) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is None:  # pragma: no cover — every job is delivered once
            log.error("a background result arrived for an unknown job")
            return
        on_done, on_error = callbacks
        try:
            if error is not None:
                on_error(error)
            else:
                on_done(result)
        except Exception:  # noqa: BLE001 — a bug in a callback must not kill the event loop
            log.exception("error while handling a background result")

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
