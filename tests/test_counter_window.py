"""Counter safety through the real window (issue 8): every screen can be left, the second
push is guarded, quitting mid-sale asks, live mode without credentials says so."""

from __future__ import annotations

import pytest
from keys import advance as _advance
from keys import type_sale as _type
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pos_app.clickpesa.simulator import CustomerOutcome, Fault
from pos_app.domain.attempt import AttemptState
from pos_app.domain.evidence import SECOND_LOOK_AFTER_S
from pos_app.till.charge import Phase


def test_needs_attention_can_be_left_with_enter_and_esc(qtbot, training_window, scheduler):
    w = training_window
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        w.sim.inject("initiate", Fault(status=409, body={"message": "Order reference used"}))
        # another customer each time: a number with a payment needing attention is guarded
        _type(qtbot, w, "0712 345 671" if key is Qt.Key.Key_Return else "0712 345 672", "5000")
        assert w.till.view.phase is Phase.ATTENTION
        assert "Enter or Esc" in w.guidance.text()
        qtbot.keyClick(w.focusWidget(), key)
        assert w.till.view.phase is Phase.IDLE
        assert w.phone_edit.hasFocus()


def test_no_answer_esc_stops_waiting_and_enter_checks_again(qtbot, training_window, scheduler):
    w = training_window
    _type(qtbot, w, "0712 345 678", "5000")  # 8: never answers
    _advance(qtbot, w, scheduler, 121)
    assert w.till.view.phase is Phase.NO_ANSWER
    calls = w.sim.count("status")
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.runner.pending == 0)
    assert w.sim.count("status") == calls + 1
    assert "Still no answer at" in w.detail.text()
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Escape)
    assert w.till.view.phase is Phase.IDLE
    assert w.unresolved_list.isVisible() and w.unresolved_list.count() == 1
    assert "255" in w.unresolved_list.item(0).text() or "+255" in w.unresolved_list.item(0).text()


def test_retyped_number_is_guarded_in_the_window(qtbot, training_window, scheduler):
    w = training_window
    _type(qtbot, w, "0712 345 678", "5000")
    _advance(qtbot, w, scheduler, 121)
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Escape)  # stop waiting
    _type(qtbot, w, "0712 345 678", "5000")
    assert w.till.view.phase is Phase.GUARD
    assert w.sim.count("initiate") == 1
    assert w.check_earlier_button.hasFocus()  # the default is to look, not to charge
    assert w.charge_anyway_button.isVisible()
    assert "Nothing was sent" in w.detail.text()
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Return)  # Check it now
    qtbot.waitUntil(lambda: w.runner.pending == 0)
    assert w.sim.count("initiate") == 1 and "Checked at" in w.detail.text()
    assert w.charge_anyway_button.text() == "Charge &anyway"  # Alt+A, never the default
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Tab)  # the cashier moves onto it on purpose
    assert w.charge_anyway_button.hasFocus()
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.runner.pending == 0)
    assert w.sim.count("initiate") == 2
    assert w.till.view.phase is Phase.WAITING


def test_quit_during_a_sale_asks_and_staying_is_the_default(qtbot, training_window, scheduler):
    w = training_window
    _type(qtbot, w, "0712 345 678", "5000")
    assert w.till.view.phase is Phase.WAITING
    seen = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        seen.append(box)
        assert isinstance(box, QMessageBox)
        assert "safe in the journal" in box.text()
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc = keep the till open

    QTimer.singleShot(0, answer)
    w.quit_action.trigger()
    assert seen and w.isVisible()
    assert w.till.view.phase is Phase.WAITING


def test_live_mode_without_credentials_says_so_at_once(qtbot, scheduler, journal):
    from pos_app.app import GatewayFactory
    from pos_app.settings import Settings
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import QtRunner

    runner = QtRunner()
    w = MainWindow(gateway=GatewayFactory(training=True)(Settings()), journal=journal,
                   settings=Settings(), training=False, runner=runner, scheduler=scheduler,
                   credentials_check=lambda: "No Client ID or API key is stored on this "
                                             "computer.")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.credentials_box.isVisible())
    assert "No Client ID" in w.credentials_notice.text()
    assert w.open_settings_button.isVisible()
    assert not w.charge_button.isEnabled()
    w.till.shutdown()
    runner.wait()


def _row(ref: str, *, amount: object = 5000, currency: object = "TZS",
         payer: object = "255712345678", status: str = "SUCCESS") -> dict:
    return {"id": "CP1", "status": status, "orderReference": ref, "collectedAmount": amount,
            "collectedCurrency": currency, "paymentPhoneNumber": payer, "message": "",
            "paymentReference": "MPX1", "createdAt": "2026-12-01T10:00:00Z"}


@pytest.mark.parametrize(("row", "words"), [
    ({"amount": 100}, "TZS 100 arrived, not TZS 5,000"),
    ({"currency": "KES"}, "in KES"),
    ({"payer": "255754999999"}, "paid from 255754999999"),
])
def test_wrong_payment_is_never_shown_as_paid(qtbot, training_window, scheduler, journal,
                                              row, words):
    """Paid means this payment: a row for the reference with another amount, currency or payer
    is *Needs attention* on screen, in words, and in the journal — never Paid."""
    w = training_window
    _type(qtbot, w, "0712 345 678", "5000")
    ref = w.till.view.reference
    w.sim.inject("status", *[Fault(status=200, body=[_row(ref, **row)])] * 5)
    _advance(qtbot, w, scheduler, 10)
    assert w.till.view.phase is Phase.ATTENTION
    shown = " ".join(label.text() for label in (w.title, w.detail, w.guidance))
    assert words in shown
    assert "Paid" not in w.title.text() and w.state_word.text() == "Needs attention"
    assert journal.get(ref).state is AttemptState.ATTENTION


def test_failed_that_clickpesa_later_pays_comes_back_as_needs_attention(
        qtbot, training_window, scheduler, journal):
    """FAILED -> SUCCESS: the second look in the background finds the money; the window says so
    by number and amount while the cashier serves the next customer."""
    w = training_window
    _type(qtbot, w, "0712 345 676", "5000")  # 6: fails after 10 s
    _advance(qtbot, w, scheduler, 15)
    assert w.till.view.phase is Phase.FAILED
    ref = w.till.view.reference
    w.sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Escape)  # next sale
    assert w.till.view.phase is Phase.IDLE
    _advance(qtbot, w, scheduler, int(SECOND_LOOK_AFTER_S) + 40)
    qtbot.waitUntil(lambda: journal.get(ref).state is AttemptState.ATTENTION)
    qtbot.waitUntil(lambda: ref in w.notice.text())
    assert "Needs attention" in w.notice.text()
    assert "5,000" in w.notice.text()
    assert w.till.view.phase is Phase.IDLE  # the cashier's current screen is not taken over


def test_restart_during_the_pin_brings_the_sale_back_into_the_window(qtbot, scheduler, journal):
    """Killed while the customer enters the PIN: the next window shows that sale at once —
    number, amount, "enter their PIN", the countdown from the original push — and follows it
    to Paid without a second push."""
    from pos_app.app import GatewayFactory
    from pos_app.clickpesa.simulator import Simulator
    from pos_app.settings import Settings
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import QtRunner

    sim = Simulator(clock=scheduler.now)
    factory = GatewayFactory(training=True, simulator=sim)
    wall = scheduler.wall_clock()

    def window() -> MainWindow:
        runner = QtRunner()
        w = MainWindow(gateway=factory(Settings()), journal=journal, settings=Settings(),
                       training=True, gateway_factory=factory, runner=runner,
                       scheduler=scheduler, wall_clock=wall)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: not w.till.starting)
        return w

    first = window()
    _type(qtbot, first, "0712 345 674", "5000")  # 4: pays 24 s after the push
    ref = first.till.view.reference
    _advance(qtbot, first, scheduler, 10)
    assert first.till.view.phase is Phase.WAITING
    first.till.shutdown()  # the process dies: nothing more from this window
    first.runner.wait()
    first.hide()

    second = window()
    assert second.till.view.phase is Phase.WAITING
    assert second.till.view.reference == ref
    assert second.phone_edit.text() == "+255 712 345 674"
    assert second.amount_edit.text() == "5,000"
    assert "restarted" in second.detail.text()
    assert second.countdown.value() <= second.settings.patience_s - 9  # from the push
    _advance(qtbot, second, scheduler, 20)
    assert second.till.view.phase is Phase.PAID
    assert sim.count("initiate") == 1
    second.till.shutdown()
    second.runner.wait()
