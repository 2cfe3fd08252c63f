"""The recent-attempts grid under the panel, alone and in the real window."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from pos_app.till.charge import Phase
from pos_app.ui.history import RecentAttempts
from pos_app.ui.main_window import HISTORY_ROWS

HEADERS = ["Time", "Phone", "Amount (TZS)", "Status", "Reference"]


def test_rows_are_shown_capped_and_emptied(qtbot) -> None:
    grid = RecentAttempts(HEADERS, 3)
    qtbot.addWidget(grid)
    grid.show()
    assert grid.row_count() == 0
    rows = [(f"10:0{i}", "255712345671", "5,000", "Paid", f"REF{i}") for i in range(5)]
    grid.show_rows(rows)
    assert grid.row_count() == 3
    assert [grid.row_texts(i)[4] for i in range(3)] == ["REF0", "REF1", "REF2"]
    grid.show_rows(rows[:1])
    assert grid.row_count() == 1 and grid.row_texts(0) == rows[0]
    with pytest.raises(IndexError):
        grid.row_texts(1)
    with pytest.raises(ValueError, match="a row needs 5 texts"):
        grid.show_rows([("10:00", "255712345671")])


def test_a_grid_needs_five_headers() -> None:
    with pytest.raises(ValueError, match="5 column headers"):
        RecentAttempts(HEADERS[:4], 3)


@pytest.fixture
def window(training_window):
    return training_window


def _sell(qtbot, window, scheduler, phone: str, amount: str) -> None:
    qtbot.keyClicks(window.phone_edit, phone)
    qtbot.keyClick(window.phone_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(window.amount_edit, amount)
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.till.view.phase is not Phase.SENDING)
    for _ in range(40):
        if window.till.view.phase.is_outcome:
            break
        scheduler.advance(3)
        qtbot.waitUntil(lambda: not window.till.view.checking)
    qtbot.waitUntil(lambda: window.till.view.phase.is_outcome)
    qtbot.waitUntil(lambda: window.runner.pending == 0)  # the history is read on a worker


def test_each_sale_appears_newest_first_with_its_outcome(qtbot, window, scheduler) -> None:
    qtbot.waitUntil(lambda: window.day_total.text() ==
                    "Training today: 0 paid, TZS 0 (not real money)")
    assert window.history.row_count() == 0
    _sell(qtbot, window, scheduler, "0712 345 671", "5000")
    paid_ref = window.till.view.reference
    qtbot.keyClick(window, Qt.Key.Key_Return)
    _sell(qtbot, window, scheduler, "0712 345 676", "2500")  # 6: too little balance
    failed_ref = window.till.view.reference
    assert window.history.row_count() == 2
    newest, older = window.history.row_texts(0), window.history.row_texts(1)
    assert newest[1:] == ("255712345676", "2,500", "Failed / not sent", failed_ref)
    assert older[1:] == ("255712345671", "5,000", "Paid", paid_ref)
    assert window.day_total.text() == \
        "Training today: 1 paid, TZS 5,000 (not real money)"


def test_the_grid_keeps_to_its_rows(qtbot, window, scheduler) -> None:
    for i in range(HISTORY_ROWS + 2):
        # a new amount each time: the same amount again within minutes would be guarded
        _sell(qtbot, window, scheduler, "0712 345 671", str(1000 + i))
        qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.history.row_count() == HISTORY_ROWS


def test_the_history_is_read_off_the_gui_thread(qtbot, window, monkeypatch) -> None:
    # A worker syncing a write to a slow disk holds the journal: reading the history must not
    # make the window wait for it.
    qtbot.waitUntil(lambda: window.runner.pending == 0)
    disk = threading.Event()
    recent = window.journal.recent
    monkeypatch.setattr(window.journal, "recent", lambda n: (disk.wait(10), recent(n))[1])
    try:
        window._refresh_history()
        assert window.runner.pending == 1  # asked for, not read here
    finally:
        disk.set()
    qtbot.waitUntil(lambda: window.runner.pending == 0)
    assert window.day_total.text().startswith("Training today: 0 paid")


def test_a_history_that_cannot_be_read_is_said_in_the_window(qtbot, window, monkeypatch) -> None:
    from pos_app.journal import JournalError

    qtbot.waitUntil(lambda: window.runner.pending == 0)

    def broken(n: int) -> list[object]:
        raise JournalError("The journal /x/journal.sqlite3 cannot be read: disk I/O error")

    monkeypatch.setattr(window.journal, "recent", broken)
    window._refresh_history()
    qtbot.waitUntil(lambda: "cannot be read: disk I/O error" in window.notice.text())
