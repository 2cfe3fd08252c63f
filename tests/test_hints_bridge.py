"""The window's bridge from the hint stream's thread to the till (issue 12)."""

from __future__ import annotations

import threading

from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.hints.stream import Hint
from pos_app.till.charge import Phase, Till
from pos_app.ui.hints_bridge import HintBridge
from pos_app.ui.tasks import QtRunner


class ThreadStream:
    """Calls back from a thread of its own, as the real stream does."""

    def __init__(self, on_hint, on_live, on_refused) -> None:
        self.calls = (on_hint, on_live, on_refused)
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def stop(self, timeout_s: float = 2.0) -> None:
        self.stopped = True

    def fire(self, fn, *args) -> None:
        t = threading.Thread(target=fn, args=args)
        t.start()
        t.join()


def test_hints_from_another_thread_reach_the_till_on_the_gui_thread(qtbot, gateway, journal,
                                                                   scheduler, sim):
    runner = QtRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120,
                wall_clock=scheduler.wall_clock())
    made = []
    bridge = HintBridge(till, lambda *cbs: made.append(ThreadStream(*cbs)) or made[-1])
    bridge.start()
    stream = made[0]
    assert stream.started
    on_hint, on_live, _ = stream.calls
    stream.fire(on_live, True)
    qtbot.waitUntil(lambda: till.hints_live)
    till.charge(parse_phone("0712345671"), Amount(5000))  # pays after 12 s
    qtbot.waitUntil(lambda: runner.pending == 0 and till.view.phase is Phase.WAITING)
    ref = till.view.reference
    scheduler.advance(13)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert sim.count("status") == 0  # the fallback is 20 s away
    stream.fire(on_hint, Hint(ref, "SUCCESS", "1"))
    qtbot.waitUntil(lambda: till.view.phase is Phase.PAID)
    assert sim.count("status") == 1
    stream.fire(on_live, False)
    qtbot.waitUntil(lambda: not till.hints_live)
    bridge.stop()
    assert stream.stopped
    till.shutdown()
    runner.wait()
