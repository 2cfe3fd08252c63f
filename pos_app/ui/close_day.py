"""Closing the day in the till window: History, shifts, the day report, reconciliation and
payment confirmations (Print on the Paid screen, P; auto-print on Paid).

`install_close_day(window, menu)` is the one call the main window makes while it builds its
Till menu: it adds the actions and the Paid panel's print button and connects them, so the
window's own code stays about the sale in front of the cashier. This module is imported
before the window's first paint, so it imports nothing heavy at module level: the history,
report, reconciliation and printing modules are loaded when first used.

Every job here runs off the GUI thread: journal reads and writes on the window's Runner,
printing and reconciliation on a pool of their own (one thread), so a printer that hangs or
a 429 that is waited out never holds up the till's own payment checks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLayout, QMenu, QPushButton, QWidget

from pos_app.ui import wording

if TYPE_CHECKING:
    from pos_app.journal.store import ShiftRecord
    from pos_app.till.charge import ChargeView
    from pos_app.till.ports import Runner
    from pos_app.ui.history_window import HistoryWindow
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.reconcile_dialog import ReconcileDialog
    from pos_app.ui.report_window import ReportWindow

log = logging.getLogger(__name__)


def _layout_holding(root: QLayout | None, widget: QWidget) -> QLayout | None:
    stack = [root] if root is not None else []
    while stack:
        layout = stack.pop()
        if layout.indexOf(widget) >= 0:
            return layout
        for i in range(layout.count()):
            item = layout.itemAt(i)
            child = item.layout() if item is not None else None
            if child is not None:
                stack.append(child)
    return None


class CloseDay(QObject):
    """The close-the-day part of one till window (`window.close_day`)."""

    notice = Signal(str)  # every sentence it shows the cashier
    receipt_printed = Signal(str)  # reference
    receipt_failed = Signal(str)  # the sentence shown
    shift_changed = Signal(object)  # the open ShiftRecord, or None

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.shift: ShiftRecord | None = None
        self.history: HistoryWindow | None = None
        self.report: ReportWindow | None = None
        self.reconcile: ReconcileDialog | None = None
        self.open_shift_dialog: QWidget | None = None
        self._side: Runner | None = None
        self._auto_printed: set[str] = set()

        menu.addSeparator()
        self.history_action = QAction(window)
        self.history_action.setObjectName("historyAction")
        self.open_shift_action = QAction(window)
        self.open_shift_action.setObjectName("openShiftAction")
        self.close_shift_action = QAction(window)
        self.close_shift_action.setObjectName("closeShiftAction")
        self.report_action = QAction(window)
        self.report_action.setObjectName("dayReportAction")
        self.reconcile_action = QAction(window)
        self.reconcile_action.setObjectName("reconcileAction")
        for action in (self.history_action, self.open_shift_action, self.close_shift_action,
                       self.report_action, self.reconcile_action):
            action.setEnabled(False)  # until the till is attached
            menu.addAction(action)

        # On the Paid panel, beside "Next sale". The & is on "i": P is the Phone field's.
        self.print_button = QPushButton(window.panel)
        self.print_button.setObjectName("printConfirmationButton")
        self.print_button.setVisible(False)
        row = _layout_holding(window.panel.layout(), window.next_sale_button)
        if row is not None:
            row.addWidget(self.print_button)
        self.shift_label = QLabel(window)
        self.shift_label.setObjectName("shiftLabel")

        self.history_action.triggered.connect(self.open_history)
        self.open_shift_action.triggered.connect(self.ask_open_shift)
        self.close_shift_action.triggered.connect(self.close_shift)
        self.report_action.triggered.connect(self.open_day_report)
        self.reconcile_action.triggered.connect(lambda: self.open_reconcile())
        self.print_button.clicked.connect(self.print_current)
        window.ready.connect(self._attached)
        window.view_changed.connect(self._view_changed)
        window.installEventFilter(self)  # LanguageChange: retranslate with the window
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text, in the language now installed (again on a language switch)."""
        self.history_action.setText(self.tr("&History…"))
        self.open_shift_action.setText(self.tr("&Open shift…"))
        self.close_shift_action.setText(self.tr("&Close shift…"))
        self.report_action.setText(self.tr("&Day report (Z)…"))
        self.reconcile_action.setText(self.tr("Reco&ncile day…"))
        self.print_button.setText(self.tr("Pr&int confirmation (P)"))
        self._show_shift()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    # -- set-up --------------------------------------------------------------------------

    @property
    def side_runner(self) -> Runner:
        """Printing and reconciliation: a pool of one thread of their own (a test's runner
        is used as it is)."""
        if self._side is None:
            from PySide6.QtCore import QThreadPool

            from pos_app.ui.tasks import QtRunner

            if isinstance(self.window.runner, QtRunner):
                pool = QThreadPool(self)
                pool.setMaxThreadCount(1)
                self._side = QtRunner(pool)
            else:
                self._side = self.window.runner
        return self._side

    def _attached(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        w = self.window
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.p_shortcut = QShortcut(QKeySequence(Qt.Key.Key_P), w)
        self.p_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.p_shortcut.activated.connect(self._p_pressed)
        w.statusBar().addPermanentWidget(self.shift_label)
        for action in (self.history_action, self.report_action, self.reconcile_action):
            action.setEnabled(True)
        journal = w.journal
        w.runner.submit(journal.open_shift_now, self._set_shift,
                        lambda exc: self._say(wording.error_text(exc)))

    def _set_shift(self, shift: ShiftRecord | None) -> None:
        self.shift = shift
        till = self.window.till
        till.shift_id = shift.shift_id if shift else ""
        till.cashier = shift.cashier if shift else ""
        self.open_shift_action.setEnabled(shift is None)
        self.close_shift_action.setEnabled(shift is not None)
        self._show_shift()
        self.shift_changed.emit(shift)

    def _show_shift(self) -> None:
        shift = self.shift
        if not self.window.is_ready:
            self.shift_label.setText("")
            return
        self.shift_label.setText(self.tr("Shift {shift} · {cashier}").format(
            shift=shift.shift_id, cashier=shift.cashier) if shift else self.tr("No shift open"))

    def _say(self, text: str) -> None:
        setter = getattr(self.window, "_set_notice", None)
        if setter is not None:
            setter(text)
        self.notice.emit(text)

    # -- the Paid screen -------------------------------------------------------------------

    def _view_changed(self, view: ChargeView) -> None:
        paid = view.phase.name == "PAID"
        self.print_button.setFont(self.window.next_sale_button.font())  # the panel's size
        self.print_button.setVisible(paid)
        if paid and self.window.settings.auto_print and view.reference \
                and view.reference not in self._auto_printed:
            self._auto_printed.add(view.reference)
            self.print_receipt(view.reference)

    def _p_pressed(self) -> None:
        if self.window.is_ready and self.window.till.view.phase.name == "PAID":
            self.print_current()

    def print_current(self) -> None:
        ref = self.window.till.view.reference
        if ref:
            self.print_receipt(ref)

    def print_receipt(self, reference: str, output: Any = None) -> None:
        """Print (or save) the confirmation of a PAID attempt; never touches the payment."""
        from pos_app.ui.printing import Output, failure_text, print_receipt_job, receipt_for

        w = self.window
        settings, journal = w.settings, w.journal
        out = output or Output.from_settings(settings)

        def job() -> str:
            record = journal.get(reference)
            if record is None:
                raise LookupError(reference)
            return print_receipt_job(receipt_for(record, settings), out)

        def failed(exc: BaseException) -> None:
            from pos_app.receipts.receipt import NotPaid

            text = (self.tr("Only a paid payment has a confirmation to print.")
                    if isinstance(exc, NotPaid) else failure_text(exc))
            self._say(text)
            self.receipt_failed.emit(text)

        def done(where: str) -> None:
            self._say(self.tr("The confirmation of {ref} went to {where}.").format(
                ref=reference, where=where))
            self.receipt_printed.emit(reference)

        self._say(self.tr("Printing the confirmation of {ref}…").format(ref=reference))
        self.side_runner.submit(job, done, failed)

    # -- windows -----------------------------------------------------------------------------

    def open_history(self) -> None:
        from pos_app.ui.history_window import HistoryWindow

        w = self.window
        if not w.is_ready:
            return
        if self.history is None:
            self.history = HistoryWindow(
                w.journal, w.runner, check=lambda ref, done: w.till.check_attempt(ref, done),
                reprint=self.print_receipt, parent=w)
        else:
            self.history.reload()
        from PySide6.QtGui import QGuiApplication

        if self.history.isVisible() and QGuiApplication.platformName() != "offscreen":
            self.history.raise_()  # already open behind the till: bring it forward
            self.history.activateWindow()
        self.history.show()

    def open_day_report(self) -> None:
        from pos_app.ui.report_window import ReportWindow

        w = self.window
        if not w.is_ready:
            return
        self.report = ReportWindow(w.journal, w.runner, w.settings,
                                   print_runner=self.side_runner, parent=w)
        self.report.show()

    def open_reconcile(self, *, run_at_once: bool = False) -> ReconcileDialog | None:
        from pos_app.ui.reconcile_dialog import ReconcileDialog

        w = self.window
        if not w.is_ready:
            return None
        if self.reconcile is not None and self.reconcile.running:
            self.reconcile.show()
            return self.reconcile
        dialog = ReconcileDialog(w.journal, w.till.gateway, self.side_runner,  # type: ignore[arg-type]
                                 page_limit=w.settings.reconcile_page_limit, parent=w)
        if run_at_once:
            dialog.cost_known.connect(lambda _cost: dialog.run())
        self.reconcile = dialog
        dialog.show()
        return dialog

    # -- shifts ------------------------------------------------------------------------------

    def ask_open_shift(self) -> None:
        from pos_app.ui.shift_dialogs import OpenShiftDialog

        if not self.window.is_ready or self.shift is not None:
            return
        dialog = OpenShiftDialog(self.window)
        dialog.accepted.connect(lambda: self.open_shift(dialog.cashier))
        self.open_shift_dialog = dialog
        dialog.open()

    def open_shift(self, cashier: str) -> None:
        w = self.window
        journal, till_name = w.journal, w.settings.till_name
        w.runner.submit(lambda: journal.open_shift(cashier, till_name=till_name),
                        self._shift_opened, lambda exc: self._say(wording.error_text(exc)))

    def _shift_opened(self, shift: ShiftRecord) -> None:
        self._set_shift(shift)
        self._say(self.tr("Shift {shift} is open for {cashier}.").format(
            shift=shift.shift_id, cashier=shift.cashier))

    def close_shift(self) -> None:
        w = self.window
        if not w.is_ready or self.shift is None:
            return
        journal, shift_id = w.journal, self.shift.shift_id
        w.runner.submit(lambda: journal.close_shift(shift_id), self._shift_closed,
                        lambda exc: self._say(wording.error_text(exc)))

    def _shift_closed(self, shift: ShiftRecord) -> None:
        from pos_app.ui.report_window import ReportWindow

        w = self.window
        self._set_shift(None)
        self._say(self.tr("Shift {shift} is closed.").format(shift=shift.shift_id))
        report = ReportWindow(w.journal, w.runner, w.settings, shift_id=shift.shift_id,
                              print_runner=self.side_runner, parent=w)
        self.report = report
        if w.settings.auto_print:  # printed as soon as it is made, as slips are on Paid
            from PySide6.QtCore import Qt

            from pos_app.ui.printing import Output

            output = Output.from_settings(w.settings)
            report.shown_report.connect(lambda _r: report.print_to(output),
                                        Qt.ConnectionType.SingleShotConnection)
        report.show()
        if w.settings.reconcile_at_shift_close:
            self.open_reconcile(run_at_once=True)


def install_close_day(window: MainWindow, menu: QMenu) -> CloseDay:
    window.close_day = CloseDay(window, menu)  # type: ignore[attr-defined]
    return window.close_day  # type: ignore[attr-defined]
