"""Python's cyclic garbage collection, on the GUI thread only.

Python collects cycles in whichever thread happens to allocate when a threshold is crossed —
often a worker thread in the middle of an HTTP call. If the garbage holds a Qt widget or
another QObject of the GUI thread, Qt then destroys it from the worker, and the till crashes
(seen here in tests: a window dropped by one test, collected in a worker thread during the
next). So the automatic collector is switched off and the same generational thresholds are
checked from a GUI-thread timer instead — the approach of calibre, Anki and others.
Reference counting, which frees almost everything, is unaffected.

A full collection walks every object Python tracks — ~32,000 once the till is up, mostly
modules, classes and PySide types that live as long as the process — and took ~17 ms on the
GUI thread: a stall longer than a frame, now and then, in the middle of a sale. With
`settle=True` the first check (run it once start-up is over) collects the young generations
(~2 ms) and then freezes everything left (`gc.freeze()`), so later collections only look at
objects made since: ~0 ms.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS,
                 start: bool = True, settle: bool = False) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self._settle = settle
        self._froze = False
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        if start:
            self.timer.start(interval_ms)

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; how many objects."""
        if self._settle:
            self._settle = False
            collected = gc.collect(1)
            gc.freeze()  # what survived start-up stays for good: never walk it again
            self._froze = True
            return collected
        collected = 0
        count0, count1, count2 = gc.get_count()
        if count0 > self.threshold[0]:
            collected += gc.collect(0)
            if count1 > self.threshold[1]:
                collected += gc.collect(1)
                if count2 > self.threshold[2]:
                    collected += gc.collect(2)
        return collected

    def stop(self) -> None:
        """Stop checking; automatic collection comes back if it was on before."""
        self.timer.stop()
        if self._froze:
            gc.unfreeze()
            self._froze = False
        if self._was_enabled:
            gc.enable()
