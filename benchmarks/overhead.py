"""Benchmark 4 — overhead: from the cashier's Enter to the push request on the wire.

Child process (offscreen Qt). The simulator runs in its own process on loopback HTTP
(`benchmarks.sim_server`, built on `pos_app.clickpesa.simulator_http`) and prints the
`time.monotonic()` at which each request arrives — one clock for all processes on Linux. The
till is the real `MainWindow` in live mode pointed at that URL (real `Gateway` over TCP, real
journal on disk with its fsync, QtRunner). The token is fetched once beforehand, so every
measured charge uses the cached token. Each measured charge: type the sale, note the time,
press Enter on the amount field; the server's arrival time of the initiate request ends it.
The till's clock is compressed (`--speedup`) only so that the status checks that follow each
push come sooner; the measured path contains no timer.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.qt_support import ScaledClock, ScaledQtScheduler, run_until, spin  # noqa: E402
from benchmarks.stats import median, percentile  # noqa: E402
from pos_app.clickpesa import api  # noqa: E402
from pos_app.clickpesa.gateway import Credentials, Gateway  # noqa: E402
from pos_app.journal import Journal  # noqa: E402
from pos_app.settings import Settings  # noqa: E402
from pos_app.till.charge import Phase  # noqa: E402
from pos_app.ui.collector import MainThreadCollector  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402
from pos_app.ui.tasks import QtRunner  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--charges", type=int, default=30)
    parser.add_argument("--speedup", type=float, default=20.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    server = subprocess.Popen([sys.executable, "-m", "benchmarks.sim_server"],
                              stdout=subprocess.PIPE, text=True, bufsize=1)
    assert server.stdout is not None
    ready = server.stdout.readline().split()
    if not ready or ready[0] != "READY":
        raise SystemExit(f"simulator did not start: {ready}")
    url = ready[1]
    arrivals: list[float] = []

    def collect() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            parts = line.split()
            if len(parts) == 4 and parts[2].endswith(api.INITIATE_PATH):
                arrivals.append(float(parts[3]))

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()

    app = QApplication.instance() or QApplication([])
    entered: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="pos-bench-overhead-", ignore_cleanup_errors=True,
                                         dir=os.environ.get("XDG_DATA_HOME")) as d:
            journal = Journal(Path(d) / "journal.sqlite3", mode="live")  # on disk, fsync'd
            gateway = Gateway(url, lambda: Credentials("BENCHCLIENT", "BENCH-API-KEY"))
            gateway.ensure_token()  # the cached token every measured charge uses
            runner = QtRunner()
            window = MainWindow(gateway=gateway, journal=journal,
                                settings=Settings(base_url=url), training=False,
                                runner=runner, scheduler=ScaledQtScheduler(
                                    ScaledClock(args.speedup)))
            window.show()
            collector = MainThreadCollector(window, settle=True)  # as run_gui does
            collector.check()
            run_until(window.isVisible, 5)
            spin(300)
            for i in range(args.charges + 1):  # the first one warms up and is not counted
                window.phone_edit.setText(f"0712{i:06d}")
                window.amount_edit.setText(str(1000 + i))
                spin(20)
                t0 = time.monotonic()
                QTest.keyClick(window.amount_edit, Qt.Key.Key_Return)
                entered.append(t0)
                if not run_until(lambda: window.till.view.phase is Phase.PAID, 30):
                    raise SystemExit(f"charge {i} did not finish: {window.till.view}")
                QTest.keyClick(window, Qt.Key.Key_Return)  # next sale
                spin(20)
            window.till.shutdown()
            runner.wait(30_000)
            window.close()
            gateway.close()
            journal.close()
    finally:
        server.terminate()
        server.wait(10)
        reader.join(5)
    if len(arrivals) != len(entered):
        raise SystemExit(f"{len(entered)} Enters but {len(arrivals)} pushes arrived")
    ms = [(a - e) * 1000.0 for e, a in zip(entered, arrivals, strict=True)][1:]
    args.out.write_text(json.dumps({"enter_to_wire_ms_median": median(ms),
                                    "enter_to_wire_ms_p95": percentile(ms, 95),
                                    "enter_to_wire_ms_min": min(ms), "charges": len(ms)}))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
