"""What the GUI benchmarks share: an event-loop heartbeat, a compressible scheduler, waits.

Imported only by the benchmark child processes (they run with QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer

from pos_app.ui.tasks import QtScheduler, _TimerHandle


class Heartbeat(QObject):
    """A 1 ms timer on the GUI thread; the longest gap between its ticks is the longest time
    the event loop could not run (a frozen window)."""

    def __init__(self, interval_ms: int = 1) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.ticks.append(time.perf_counter())

    def gaps_ms(self) -> list[float]:
        return [(b - a) * 1000.0 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]


class ScaledClock:
    """Virtual time running `speedup` times faster than time.monotonic()."""

    def __init__(self, speedup: float = 1.0) -> None:
        self.speedup = speedup
        self._origin = time.monotonic()

    def now(self) -> float:
        return self._origin + (time.monotonic() - self._origin) * self.speedup


class ScaledQtScheduler(QtScheduler):
    """The till's real GUI-thread timers, with its clock compressed by one factor."""

    def __init__(self, clock: ScaledClock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock

    def now(self) -> float:
        return self.clock.now()

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> _TimerHandle:
        return super().call_later(delay_s / self.clock.speedup, fn)


def spin(ms: int) -> None:
    """Run the real event loop for `ms` (QTest.qWait sleeps 10 ms between event batches, which
    would show up as gaps that are the benchmark's own)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def run_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until `condition()` holds (checked every 5 ms) or time runs out."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline
                         else None)
    poll.start()
    if not condition():
        loop.exec()
    poll.stop()
    QCoreApplication.processEvents()
    return condition()
