"""Benchmark 5 — History on a large journal: opening it and changing a filter.

Child process (offscreen Qt). A journal of `--attempts` attempts (100,000 in the full run:
years of a busy till) is written straight into SQLite in one transaction, with the schema the
till makes. Then, in the same process and on the same journal:

- the till: `pos_app.ui.history_window.HistoryWindow` with a real QtRunner. *Open* is from
  constructing the window to the end of the first paint showing the newest attempts (the
  window reads a screenful first, on a worker, then the rest in chunks); *all rows* is to
  the paint after the last chunk, reported beside it. *Filter* is from a change in a filter
  box (phone, status, amount, reference, dates — a fixed list, each applied and then
  cleared) to the end of the repaint that shows it.
- the baseline: the stock Qt way — the same rows read on the GUI thread into a
  QStandardItemModel behind a QSortFilterProxyModel filtering with a fixed string on one
  column, in a QTableView of the same size. Open and filter are timed the same way.

Each figure is a median over `--repeats` opens and over every filter change.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSortFilterProxyModel  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from benchmarks.stats import median  # noqa: E402
from pos_app.journal import Journal  # noqa: E402
from pos_app.ui.tasks import QtRunner  # noqa: E402

EAT = timezone(timedelta(hours=3))
STATES = ["PAID"] * 7 + ["FAILED", "NOT_SENT", "PENDING", "ATTENTION"]
CHANNELS = ["M-PESA", "TIGO-PESA", "AIRTEL-MONEY", "HALOPESA"]


def make_journal(path: Path, n: int, seed: int = 5) -> None:
    Journal(path, mode="live").close()  # the schema, as the till makes it
    rnd = random.Random(seed)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=EAT)
    rows = []
    for i in range(n):
        at = (start + timedelta(minutes=9 * i)).isoformat(timespec="seconds")
        state = rnd.choice(STATES)
        rows.append((f"B{i:09d}", "live", f"2557{rnd.randint(10_000_000, 99_999_999)}",
                     rnd.choice([500, 1000, 2500, 5000, 12000, 40000, 150000]), "",
                     "Till 1", state, rnd.choice(CHANNELS), f"CP{i:09d}", "", at, at,
                     f"{at[:10].replace('-', '')}-1", rnd.choice(["Neema", "Juma", "Asha"])))
    db = sqlite3.connect(path)
    with db:
        db.executemany("INSERT INTO attempts (order_reference, mode, phone, amount_tzs,"
                       " network_hint, till_name, state, channel, clickpesa_id, message,"
                       " created_at, updated_at, shift, cashier)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.close()


def _painted(app: QApplication, widget) -> None:  # type: ignore[no-untyped-def]
    widget.repaint()  # a synchronous paint of everything visible
    app.processEvents()


# (what the cashier changes, how it is set, how it is cleared)
def _changes(h) -> list[tuple[str, object, object]]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate

    def status_paid() -> None:
        h.status.setCurrentIndex(h.status.findData("PAID"))

    def dates_on() -> None:
        h.date_from.setDate(QDate(2024, 6, 1))
        h.date_to.setDate(QDate(2024, 6, 30))
        h.all_dates.setChecked(False)

    return [
        ("phone", lambda: h.phone.setText("0754 12"), lambda: h.phone.clear()),
        ("status", status_paid, lambda: h.status.setCurrentIndex(0)),
        ("amount", lambda: h.amount.setText("1,000-5,000"), lambda: h.amount.clear()),
        ("reference", lambda: h.reference.setText("B0000123"), lambda: h.reference.clear()),
        ("dates", dates_on, lambda: h.all_dates.setChecked(True)),
    ]


def till(app: QApplication, path: Path, repeats: int) -> dict[str, object]:
    from pos_app.ui.history_window import HistoryWindow

    journal = Journal(path, mode="live")
    runner = QtRunner()
    opens: list[float] = []
    filters: list[float] = []
    rows = 0
    full: list[float] = []
    for _ in range(repeats):
        first: list[int] = []
        loaded: list[int] = []
        t0 = time.perf_counter()
        h = HistoryWindow(journal, runner)
        h.first_rows.connect(first.append)
        h.loaded.connect(loaded.append)
        h.resize(980, 640)
        h.show()
        while not first:
            app.processEvents()
        _painted(app, h)
        opens.append((time.perf_counter() - t0) * 1000)
        while not loaded:
            app.processEvents()
        _painted(app, h)
        full.append((time.perf_counter() - t0) * 1000)
        rows = loaded[0]
        for _name, change, clear in _changes(h):
            for step in (change, clear):
                t = time.perf_counter()
                step()  # type: ignore[operator]
                _painted(app, h)
                filters.append((time.perf_counter() - t) * 1000)
        h.close()
        h.deleteLater()
        app.processEvents()
    runner.wait()
    journal.close()
    return {"open_ms": median(opens), "open_ms_all": [round(x, 1) for x in opens],
            "all_rows_ms": median(full), "all_rows_ms_all": [round(x, 1) for x in full],
            "filter_ms": median(filters), "filter_ms_max": max(filters),
            "filter_ms_all": [round(x, 1) for x in filters], "rows": rows}


def baseline(app: QApplication, path: Path, repeats: int) -> dict[str, object]:
    journal = Journal(path, mode="live")
    opens: list[float] = []
    filters: list[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        rows = journal.history_rows()
        model = QStandardItemModel(len(rows), 8)
        for r, row in enumerate(rows):
            for c, value in enumerate((row[0][:16], row[2], f"{row[3]:,}", row[4], row[5],
                                       row[1], row[6], row[7])):
                model.setItem(r, c, QStandardItem(value))
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        view = QTableView()
        view.setModel(proxy)
        view.resize(980, 640)
        view.show()
        _painted(app, view)
        opens.append((time.perf_counter() - t0) * 1000)
        for column, text in ((1, "75412"), (3, "PAID"), (2, "5,000"), (5, "B0000123"),
                             (0, "2024-06")):
            for value in (text, ""):
                t = time.perf_counter()
                proxy.setFilterKeyColumn(column)
                proxy.setFilterFixedString(value)
                _painted(app, view)
                filters.append((time.perf_counter() - t) * 1000)
        view.close()
        view.deleteLater()
        app.processEvents()
    journal.close()
    return {"open_ms": median(opens), "open_ms_all": [round(x, 1) for x in opens],
            "filter_ms": median(filters), "filter_ms_max": max(filters)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="pos-bench-history-") as d:
        path = Path(d) / "journal.sqlite3"
        t = time.perf_counter()
        make_journal(path, args.attempts)
        made_s = time.perf_counter() - t
        # interleaved runs would share Qt's caches unevenly; the till goes first, cold
        result = {"till": till(app, path, args.repeats),
                  "baseline": baseline(app, path, args.repeats),
                  "attempts": args.attempts, "repeats": args.repeats,
                  "journal_made_s": made_s}
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
