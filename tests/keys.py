"""Driving the real window as a cashier does, on the manual clock (shared by window tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def type_sale(qtbot, w, phone: str, amount: str) -> None:
    """Type the number, Tab, the amount, Enter; wait for the jobs that started."""
    qtbot.keyClicks(w.phone_edit, phone)
    qtbot.keyClick(w.phone_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(w.amount_edit, amount)
    qtbot.keyClick(w.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.runner.pending == 0)


def advance(qtbot, w, scheduler, seconds: int) -> None:
    """Move the manual clock a second at a time, letting each second's jobs finish."""
    for _ in range(seconds):
        scheduler.advance(1)
        qtbot.waitUntil(lambda: w.runner.pending == 0)
