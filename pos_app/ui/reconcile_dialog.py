"""Till → Reconcile day…: says what it will cost in API calls, then runs on a worker.

Pre-KYC ClickPesa accounts have 100 API calls a day, so the cost is said before anything is
asked of ClickPesa; the run (`pos_app.till.closing.reconcile_day`) pages through the payment
list on its own thread pool, where waiting out a 429 never holds up the till's own checks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.till import closing
from pos_app.ui import wording
from pos_app.ui.printing import translate

if TYPE_CHECKING:
    from pos_app.journal import Journal
    from pos_app.till.ports import Runner


def result_text(run: closing.DayReconciliation, width: int = 64) -> str:
    return closing.result_text(run, width, translate=translate)


class ReconcileDialog(QDialog):
    cost_known = Signal(object)  # closing.Cost
    finished_run = Signal(object)  # closing.DayReconciliation
    failed_run = Signal(str)

    def __init__(self, journal: Journal, gateway: closing.PaymentLister, runner: Runner, *,
                 page_limit: int, day: date | None = None,
                 sleep: Callable[[float], None] | None = None,
                 token_cached: Callable[[], bool] = lambda: False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import time

        self.setObjectName("reconcileDialog")
        self.setWindowTitle(self.tr("Reconcile day with ClickPesa"))
        self.resize(620, 560)
        self.journal, self.gateway, self.runner = journal, gateway, runner
        self.page_limit = page_limit
        self._sleep = sleep or time.sleep
        self._token_cached = token_cached
        self.cost: closing.Cost | None = None
        self.result: closing.DayReconciliation | None = None
        self.running = False

        top = QHBoxLayout()
        self.day_edit = QDateEdit(self)
        self.day_edit.setObjectName("reconcileDateEdit")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        d = day or date.today()
        self.day_edit.setDate(QDate(d.year, d.month, d.day))
        day_label = QLabel(self.tr("&Date"), self)
        day_label.setBuddy(self.day_edit)
        top.addWidget(day_label)
        top.addWidget(self.day_edit)
        top.addStretch(1)
        self.cost_label = QLabel(self.tr("Counting what this will cost…"), self)
        self.cost_label.setObjectName("costLabel")
        self.cost_label.setWordWrap(True)
        self.run_button = QPushButton(self.tr("&Reconcile"), self)
        self.run_button.setObjectName("runReconcileButton")
        self.run_button.setEnabled(False)
        self.save_button = QPushButton(self.tr("&Save as text…"), self)
        self.save_button.setObjectName("saveReconcileButton")
        self.save_button.setEnabled(False)
        self.output = QPlainTextEdit(self)
        self.output.setObjectName("reconcileText")
        self.output.setReadOnly(True)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.output.setFont(mono)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.cost_label)
        layout.addLayout(buttons)
        layout.addWidget(self.output, 1)

        self.day_edit.dateChanged.connect(lambda _d: self.count_cost())
        self.run_button.clicked.connect(self.run)
        self.save_button.clicked.connect(self.choose_text_file)
        self.count_cost()

    @property
    def day(self) -> date:
        return self.day_edit.date().toPython()  # type: ignore[return-value]

    def count_cost(self) -> None:
        journal, day, limit = self.journal, self.day, self.page_limit
        cached = self._token_cached()

        def job() -> closing.Cost:
            start, end = closing.margin_dates(day)
            return closing.estimate_cost(len(journal.attempts(start, end)), limit,
                                         token_cached=cached)

        self.run_button.setEnabled(False)
        self.runner.submit(job, lambda cost: self._got_cost(day, cost),
                           lambda exc: self.cost_label.setText(wording.error_text(exc)))

    def _got_cost(self, day: date, cost: closing.Cost) -> None:
        if day != self.day:
            return
        self.cost = cost
        self.cost_label.setText(self.tr(
            "This will use about {calls} ClickPesa API call(s): {pages} page(s) of up to "
            "{limit} payments{token}, more if other tills or payment links share the account. "
            "Accounts before KYC may make 100 calls a day.").format(
                calls=cost.calls, pages=cost.pages, limit=cost.limit,
                token=self.tr(" and one token") if cost.token else ""))
        self.run_button.setEnabled(not self.running)
        self.cost_known.emit(cost)

    def run(self) -> None:
        if self.running or self.cost is None:
            return
        self.running = True
        self.run_button.setEnabled(False)
        self.output.setPlainText(self.tr("Asking ClickPesa for the payments of {day}…").format(
            day=self.day.isoformat()))
        gateway, journal, day = self.gateway, self.journal, self.day
        limit, sleep = self.page_limit, self._sleep
        self.runner.submit(lambda: closing.reconcile_day(gateway, journal, day, limit=limit,
                                                         sleep=sleep),
                           self._done, self._failed)

    def _done(self, result: closing.DayReconciliation) -> None:
        self.running = False
        self.result = result
        self.output.setPlainText(result_text(result))
        self.run_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.finished_run.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        text = wording.error_text(exc) if isinstance(exc, closing.ReconcileFailed) else self.tr(
            "The reconciliation failed ({error}); nothing was changed.").format(
                error=type(exc).__name__)
        self.output.setPlainText(text)
        self.run_button.setEnabled(True)
        self.failed_run.emit(text)

    def choose_text_file(self) -> None:
        if self.result is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the reconciliation"),
            f"malipo-reconcile-{self.result.day.isoformat()}.txt",
            self.tr("Text files (*.txt)"))
        if path:
            text, target = self.output.toPlainText(), Path(path)
            self.runner.submit(lambda: target.write_text(text, encoding="utf-8"),
                               lambda _n: None,
                               lambda exc: self.output.appendPlainText(self.tr(
                                   "Could not save {path}: {error}").format(
                                       path=target, error=exc)))
