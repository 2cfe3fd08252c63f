"""Benchmark 2 — responsiveness: the real window while every ClickPesa call takes 2 s.

Child process (offscreen Qt). `--mode till`: type a sale into the real `MainWindow` (QtRunner
on the thread pool, GUI-thread timers), start a 1 ms heartbeat, press Enter and run the event
loop until the window shows "Paid"; the longest gap between heartbeats is the longest freeze.
`--mode gui-thread` is the baseline: the same window and gateway, and the same initiate and
status calls made directly on the GUI thread while the heartbeat runs.

`--speedup N` compresses the till's clock and the simulated customer by N (the 2 s per call
stays real): the quick mode uses it to finish sooner; stalls do not depend on it.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.qt_support import (  # noqa: E402
    Heartbeat,
    ScaledClock,
    ScaledQtScheduler,
    run_until,
    spin,
)
from benchmarks.stats import percentile  # noqa: E402
from pos_app.app import GatewayFactory  # noqa: E402
from pos_app.clickpesa.simulator import CustomerOutcome, Simulator  # noqa: E402
from pos_app.domain.money import Amount  # noqa: E402
from pos_app.domain.phone import Phone  # noqa: E402
from pos_app.journal import Journal  # noqa: E402
from pos_app.settings import Settings  # noqa: E402
from pos_app.till.charge import Phase  # noqa: E402
from pos_app.ui.collector import MainThreadCollector  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402
from pos_app.ui.tasks import QtRunner  # noqa: E402

PAYS_AFTER_S = 10.0  # the customer answers 10 s after the push: one or two checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("till", "gui-thread"), required=True)
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--speedup", type=float, default=1.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    clock = ScaledClock(args.speedup)
    sim = Simulator(clock=clock.now, latency_s=args.latency,
                    customer=lambda phone, amount: CustomerOutcome(
                        "SUCCESS", PAYS_AFTER_S, "Payment received"))
    factory = GatewayFactory(training=True, simulator=sim)
    with tempfile.TemporaryDirectory(prefix="pos-bench-stall-", ignore_cleanup_errors=True) as d:
        journal = Journal(Path(d) / "journal.sqlite3", mode="training")
        runner = QtRunner()
        window = MainWindow(gateway=factory(Settings()), journal=journal, settings=Settings(),
                            training=True, gateway_factory=factory, runner=runner,
                            scheduler=ScaledQtScheduler(clock))
        window.show()
        # Garbage collection as the till runs it (pos_app.app.run_gui): on the GUI thread,
        # settled once start-up is over.
        collector = MainThreadCollector(window, settle=True)
        collector.check()
        run_until(lambda: window.isVisible(), 5)
        spin(300)  # let the start-up work (first paint, background re-check) finish
        heartbeat = Heartbeat()
        shown: list[tuple[float, str]] = []  # when the window rendered which phase
        window.view_changed.connect(
            lambda view: shown.append((time.perf_counter(), view.phase.value)))
        t0 = time.perf_counter()
        if args.mode == "till":
            QTest.keyClicks(window.phone_edit, "0712 345 671")
            QTest.keyClicks(window.amount_edit, "5000")
            heartbeat.start()
            QTimer.singleShot(20, lambda: QTest.keyClick(window.amount_edit,
                                                         Qt.Key.Key_Return))
            ok = run_until(lambda: window.till.view.phase is Phase.PAID, 120)
            spin(200)
            heartbeat.stop()
            result_ok = ok and window.title.text() == "Paid"
        else:
            gateway = window.till.gateway
            gateway.ensure_token()  # cached, like the till's: the measured calls are 2 s each
            phone, amount = Phone("255712345671"), Amount(5000)
            done: list[str] = []

            def initiate_on_gui_thread() -> None:
                gateway.initiate("BENCHGUI1", phone, amount)
                done.append("initiate")
                QTimer.singleShot(20, status_on_gui_thread)

            def status_on_gui_thread() -> None:
                gateway.status("BENCHGUI1")
                done.append("status")

            heartbeat.start()
            QTimer.singleShot(20, initiate_on_gui_thread)
            result_ok = run_until(lambda: len(done) == 2, 60)
            spin(200)
            heartbeat.stop()
        elapsed = time.perf_counter() - t0
        gaps = heartbeat.gaps_ms()
        worst = max(range(len(gaps)), key=gaps.__getitem__)
        worst_at = heartbeat.ticks[worst]  # the tick before the longest gap
        phase = next((p for t, p in reversed(shown) if t <= worst_at + gaps[worst] / 1000),
                     "before Enter")
        window.till.shutdown()
        runner.wait(30_000)
        window.close()
        journal.close()
    result = {
        "mode": args.mode,
        "ok": bool(result_ok),
        "max_gap_ms": max(gaps),
        "p99_gap_ms": percentile(gaps, 99),
        "gaps_over_16ms": sum(1 for g in gaps if g > 16.0),
        "ticks": len(gaps),
        "worst_gap_at_s": worst_at - heartbeat.ticks[0],
        "phase_during_worst_gap": phase,
        "seconds": elapsed,
        "api_calls": {e: sim.count(e) for e in ("token", "initiate", "status")},
    }
    args.out.write_text(json.dumps(result))
    del app
    return 0 if result_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
