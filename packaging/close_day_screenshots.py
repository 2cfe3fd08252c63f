"""Render the README's close-the-day pictures from the real windows, offscreen.

    python packaging/close_day_screenshots.py [--out resources/screenshots]

A training day is sold through the real MainWindow against the simulator (a manual clock, so
it takes seconds), then Till → History and Till → Day report are opened from the menu and
grabbed (`widget.grab().save()`), and a payment confirmation is saved as PDF by the till's own
printing code and turned into a picture with poppler's `pdftoppm` (a slip is paper, not a
window).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
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
    from pos_app.ui.printing import Output
    from pos_app.ui.tasks import QtRunner

    def settle(runner: QtRunner, until=lambda: True) -> None:  # type: ignore[no-untyped-def]
        while runner.pending or not until():
            app.processEvents()

    settings = Settings(shop_name="Duka la Mama Neema", header_line_1="Kariakoo, Mtaa wa Congo 12",
                        header_line_2="Simu 0754 000 111", header_line_3="TIN 123-456-789",
                        till_name="Till 1", paper="80mm")
    with tempfile.TemporaryDirectory() as tmp:
        scheduler = ManualScheduler()
        sim = Simulator(clock=scheduler.now)
        factory = GatewayFactory(training=True, simulator=sim)
        journal = Journal(Path(tmp) / "journal.sqlite3", mode="training")
        runner = QtRunner()
        w = MainWindow(gateway=factory(settings), journal=journal, settings=settings,
                       training=True, runner=runner, scheduler=scheduler)
        w.resize(760, 720)
        w.show()
        settle(runner, lambda: not w.till.starting)
        cd = w.close_day  # type: ignore[attr-defined]
        cd.open_shift("Neema")
        settle(runner, lambda: cd.shift is not None)
        refs = []
        for phone, amount in (("0754 000 111", "5000"), ("0712 345 672", "12500"),
                              ("0687 000 333", "3000"), ("0754 000 116", "8000"),
                              ("0754 000 221", "45000"), ("0712 000 440", "1500"),
                              ("0754 000 118", "2000")):
            QTest.keyClicks(w.phone_edit, phone)
            QTest.keyClicks(w.amount_edit, amount)
            QTest.keyClick(w.amount_edit, Qt.Key.Key_Return)
            settle(runner, lambda: w.till.view.phase is not Phase.SENDING)
            for _ in range(25):
                if w.till.view.phase.is_outcome or w.till.view.phase is Phase.NO_ANSWER:
                    break
                scheduler.advance(4)
                settle(runner, lambda: not w.till.view.checking)
            if w.till.view.phase is Phase.NO_ANSWER:
                QTest.keyClick(w, Qt.Key.Key_Escape)
            else:
                refs.append((w.till.view.reference, w.till.view.phase))
                QTest.keyClick(w, Qt.Key.Key_Return)
            settle(runner)
        paid = next(ref for ref, phase in refs if phase is Phase.PAID)

        cd.open_history()
        h = cd.history
        settle(runner, lambda: h.model.rowCount() > 0 and not h._still_loading)
        h.resize(1080, 520)
        h.select_reference(paid)
        settle(runner, lambda: h.timeline.count() > 0)
        h.grab().save(str(args.out / "history.png"))

        w.settings = replace(settings)
        cd.open_day_report()
        report = cd.report
        settle(runner, lambda: report.report is not None)
        report.resize(560, 760)
        report.grab().save(str(args.out / "day-report.png"))

        pdf = Path(tmp) / "receipt.pdf"
        cd.print_receipt(paid, Output(pdf=pdf, paper="80mm"))
        settle(cd.side_runner, lambda: pdf.exists())  # type: ignore[arg-type]
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf),
                            str(args.out / "receipt")], check=True)
        else:
            print("pdftoppm (poppler-utils) is not installed: no receipt.png", file=sys.stderr)
        w.till.shutdown()
        runner.wait()
        w.close()
        journal.close()
    for name in ("history.png", "day-report.png", "receipt.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
