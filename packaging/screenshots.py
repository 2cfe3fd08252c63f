"""Render the README's screenshots from the real window, offscreen, against the simulator.

    python packaging/screenshots.py [--out resources/screenshots] [--size 1366x768]
                                    [--language en sw] [--scale 1.0]

Every picture is the real MainWindow driven the way a cashier drives it (typing, Enter),
with the simulator standing in for ClickPesa and a manual clock so it takes a second: every
state of the panel, in English and in Kiswahili (`{language}-{state}.png`), at the size of a
1366×768 shop screen with the window maximised (the taskbar left out).
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
    parser.add_argument("--size", default="1366x728",
                        help="window size in pixels (default: 1366×768 less a 40 px taskbar)")
    parser.add_argument("--language", nargs="+", default=["en", "sw"])
    parser.add_argument("--scale", default="1",
                        help="QT_SCALE_FACTOR, e.g. 1.5 (the size is then in screen pixels)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["QT_SCALE_FACTOR"] = args.scale
    width, height = (int(v) for v in args.size.lower().split("x"))
    scale = float(args.scale)
    width, height = round(width / scale), round(height / scale)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from pos_app.app import install_translator

    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in args.language:
            install_translator(app, language)
            for training in (False, True):
                shots += _one_window(app, Path(tmp), args.out, language, training,
                                     (width, height))
    for path in shots:
        print(path)
    return 0


def _one_window(app: object, tmp: Path, out: Path, language: str, training: bool,
                size: tuple[int, int]) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pos_app.app import GatewayFactory
    from pos_app.clickpesa.simulator import Fault, Simulator
    from pos_app.journal import Journal
    from pos_app.settings import Settings
    from pos_app.till.charge import Phase
    from pos_app.till.fakes import ManualScheduler
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import QtRunner

    shots: list[Path] = []
    scheduler = ManualScheduler()
    sim = Simulator(clock=scheduler.now)
    factory = GatewayFactory(training=True, simulator=sim)  # the simulator, always
    journal = Journal(tmp / f"journal-{language}-{training}.sqlite3",
                      mode="training" if training else "live")
    runner = QtRunner()
    settings = Settings(language=language)
    w = MainWindow(gateway=factory(settings), journal=journal, settings=settings,
                   training=training, runner=runner, scheduler=scheduler,
                   wall_clock=scheduler.wall_clock())
    w.resize(*size)
    w.show()

    def settle() -> None:
        while runner.pending:
            app.processEvents()  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]

    def shot(name: str) -> None:
        settle()
        path = out / f"{language}-{name}.png"
        w.grab().save(str(path))
        shots.append(path)

    def sale(phone: str, amount: str) -> None:
        w.phone_edit.clear()
        w.amount_edit.clear()
        QTest.keyClicks(w.phone_edit, phone)
        QTest.keyClick(w.phone_edit, Qt.Key.Key_Tab)
        QTest.keyClicks(w.amount_edit, amount)
        QTest.keyClick(w.amount_edit, Qt.Key.Key_Return)
        settle()

    def wait_for(phase: Phase) -> None:
        for _ in range(300):
            if w.till.view.phase is phase:
                return
            scheduler.advance(1)
            settle()
        raise RuntimeError(f"never reached {phase}")

    while w.till.starting:
        settle()
    if training:
        shot("training")
    else:
        QTest.keyClicks(w.phone_edit, "0754 123 450")
        QTest.keyClick(w.phone_edit, Qt.Key.Key_Tab)
        QTest.keyClicks(w.amount_edit, "12,500")
        shot("idle")
        QTest.keyClick(w.amount_edit, Qt.Key.Key_Return)
        settle()
        scheduler.advance(3)
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
        w._stop_waiting()
        sale("0715 555 558", "3000")
        wait_for(Phase.GUARD)
        shot("guard")
        w._guard_back()
        sim.inject("initiate", Fault(status=409, body={"message": "Order reference used"}))
        sale("0762 222 221", "8000")
        wait_for(Phase.ATTENTION)
        shot("attention")
        w.next_sale()
        sim.inject("initiate", Fault(status=400, body={"message": "Invalid phone number"}))
        sale("0713 333 331", "2000")
        wait_for(Phase.NOT_SENT)
        shot("not-sent")
    w.till.shutdown()
    runner.wait()
    w.close()
    journal.close()
    return shots


if __name__ == "__main__":
    raise SystemExit(main())
