"""Render the README's screenshots from the real window, offscreen, against the simulator.

    python packaging/screenshots.py [--out resources/screenshots]

Every picture is the real MainWindow driven the way a cashier drives it (typing, Enter),
with the simulator standing in for ClickPesa and a manual clock so it takes a second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "resources"
                        / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from pos_app.app import GatewayFactory
    from pos_app.clickpesa.simulator import Simulator
    from pos_app.journal import Journal
    from pos_app.settings import Settings
    from pos_app.till.charge import Phase
    from pos_app.till.fakes import ManualScheduler
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import QtRunner

    def settle(runner: QtRunner) -> None:
        while runner.pending:
            app.processEvents()

    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for training in (False, True):
            scheduler = ManualScheduler()
            sim = Simulator(clock=scheduler.now)
            factory = GatewayFactory(training=True, simulator=sim)  # the simulator, always
            journal = Journal(Path(tmp) / f"journal-{training}.sqlite3",
                              mode="training" if training else "live")
            runner = QtRunner()
            w = MainWindow(gateway=factory(Settings()), journal=journal, settings=Settings(),
                           training=training, runner=runner, scheduler=scheduler)
            w.resize(760, 720)
            w.show()

            def shot(name: str, w: MainWindow = w) -> None:
                app.processEvents()
                path = args.out / f"{name}.png"
                w.grab().save(str(path))
                shots.append(path)

            def sale(phone: str, amount: str, w: MainWindow = w,
                     runner: QtRunner = runner) -> None:
                QTest.keyClicks(w.phone_edit, phone)
                QTest.keyClick(w.phone_edit, Qt.Key.Key_Tab)
                QTest.keyClicks(w.amount_edit, amount)
                QTest.keyClick(w.amount_edit, Qt.Key.Key_Return)
                settle(runner)

            def wait_for(phase: Phase, w: MainWindow = w, runner: QtRunner = runner,
                         scheduler: ManualScheduler = scheduler) -> None:
                for _ in range(200):
                    if w.till.view.phase is phase:
                        return
                    scheduler.advance(1)
                    settle(runner)
                raise RuntimeError(f"never reached {phase}")

            if training:
                shot("training")
            else:
                QTest.keyClicks(w.phone_edit, "0754 123 450")
                QTest.keyClick(w.phone_edit, Qt.Key.Key_Tab)
                QTest.keyClicks(w.amount_edit, "12,500")
                shot("idle")
                QTest.keyClick(w.amount_edit, Qt.Key.Key_Return)
                settle(runner)
                scheduler.advance(3)
                settle(runner)
                shot("waiting")
                wait_for(Phase.PAID)
                shot("paid")
                w.next_sale()
                sale("0678 901 236", "45000")
                wait_for(Phase.FAILED)
                shot("failed")
                w.next_sale()
                sale("0715 555 558", "3000")
                wait_for(Phase.NO_ANSWER)
                shot("no-answer")
            w.till.shutdown()
            runner.wait()
            w.close()
            journal.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
