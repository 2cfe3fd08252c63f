"""Deterministic stand-ins for the runner and scheduler: tests and benchmarks drive time."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any


class _Handle:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualScheduler:
    """A clock that moves only when told to; due callbacks run in order as it moves."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._queue: list[tuple[float, int, _Handle, Callable[[], None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> _Handle:
        handle = _Handle()
        heapq.heappush(self._queue, (self._now + max(0.0, delay_s), next(self._seq), handle, fn))
        return handle

    def wall_clock(self) -> Callable[[], datetime]:
        """A wall clock that moves with this one, so journal times and proofs agree with it."""
        start, t0 = datetime.now().astimezone(), self._now
        return lambda: start + timedelta(seconds=self._now - t0)

    def pending(self) -> int:
        return sum(1 for _, _, h, _ in self._queue if not h.cancelled)

    def next_due(self) -> float | None:
        live = [t for t, _, h, _ in self._queue if not h.cancelled]
        return min(live) if live else None

    def advance(self, seconds: float) -> None:
        end = self._now + seconds
        while self._queue and self._queue[0][0] <= end:
            due, _, handle, fn = heapq.heappop(self._queue)
            self._now = max(self._now, due)
            if not handle.cancelled:
                fn()
        self._now = end


class InlineRunner:
    """Runs jobs at once on the calling thread (unit tests of the till without threads)."""

    def __init__(self) -> None:
        self.jobs = 0

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        self.jobs += 1
        try:
            result = job()
        except BaseException as exc:  # noqa: BLE001 — delivered like a worker would
            on_error(exc)
        else:
            on_done(result)


class DeferredRunner:
    """Holds jobs until the test runs them: a test can look at the till while a job is in flight.

    `in_flight` is how many jobs were submitted and not yet run: a push the gateway has not
    answered, a status check still on its way. `run_next()` runs the oldest one; `run_all()` runs
    until none is left (including jobs submitted by the callbacks of the ones it ran).
    """

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Callable[[Any], None],
                              Callable[[BaseException], None]]] = []
        self.submitted = 0

    @property
    def in_flight(self) -> int:
        return len(self.jobs)

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        self.submitted += 1
        self.jobs.append((job, on_done, on_error))

    def run_next(self) -> bool:
        if not self.jobs:
            return False
        job, on_done, on_error = self.jobs.pop(0)
        try:
            result = job()
        except BaseException as exc:  # noqa: BLE001 — delivered like a worker would
            on_error(exc)
        else:
            on_done(result)
        return True

    def run_all(self) -> None:
        while self.run_next():
            pass
