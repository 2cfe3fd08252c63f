"""The real window, driven from the keyboard, against the simulator (training mode)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.polling import PollPlan
from pos_app.till.charge import Phase


@pytest.fixture
def window(training_window):
    return training_window


def test_training_sale_paid(qtbot, window, scheduler):
    assert window.banner.isVisible()
    qtbot.keyClicks(window.phone_edit, "0712 345 671")
    assert "255712345671" in window.phone_hint.text()
    qtbot.keyClick(window.phone_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(window.amount_edit, "5000")
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.till.view.phase is Phase.WAITING)
    assert "PIN" in window.title.text()
    scheduler.advance(PollPlan().first_check_s)
    qtbot.waitUntil(lambda: not window.till.view.checking)
    assert window.till.view.phase is Phase.WAITING
    for _ in range(5):
        scheduler.advance(3)
        qtbot.waitUntil(lambda: not window.till.view.checking)
    qtbot.waitUntil(lambda: window.till.view.phase is Phase.PAID)
    assert window.title.text() == "Paid"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.till.view.phase is Phase.IDLE
    assert window.phone_edit.text() == ""
