"""Carries the hint stream's calls (made on its own thread) to the GUI thread, by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from pos_app.hints.stream import Hint
    from pos_app.till.charge import Till


class Stream(Protocol):
    def start(self) -> None: ...
    def stop(self, timeout_s: float = 2.0) -> None: ...


# Builds the stream with its three callbacks (hint, live, refused); the app passes a factory
# for the real HintStream when the till has joined a shop server.
StreamFactory = Callable[[Callable[["Hint"], None], Callable[[bool], None],
                          Callable[[int], None]], Stream]


class HintBridge(QObject):
    hinted = Signal(str, str)  # an order reference ClickPesa has news about, and its status
    live_changed = Signal(bool)
    refused = Signal(int)  # the server refused the till's secret (HTTP status)

    def __init__(self, till: Till, factory: StreamFactory,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self.live = False
        # Emitted from the stream's thread; the connections below are queued onto ours.
        self.hinted.connect(self._hinted)
        self.live_changed.connect(self._live)
        self.stream = factory(lambda hint: self.hinted.emit(hint.order_reference, hint.status),
                              self.live_changed.emit, self.refused.emit)

    def start(self) -> None:
        self.stream.start()

    def stop(self) -> None:
        self.stream.stop(0.0)  # never wait on the GUI thread: the stream thread is a daemon
        self.till.set_hints_live(False)

    def _hinted(self, reference: str, status: str) -> None:
        self.till.hint(reference, status)

    def _live(self, live: bool) -> None:
        self.live = live
        self.till.set_hints_live(live)
