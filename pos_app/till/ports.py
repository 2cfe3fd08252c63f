"""The two things the till needs from its host: run a job off the GUI thread, and a timer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Runner(Protocol):
    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        """Run `job` off the caller's thread; call back on the caller's thread."""


class Scheduler(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> Cancellable: ...
