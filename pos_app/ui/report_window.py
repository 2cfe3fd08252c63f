"""The day (Z) and shift report in a window: its text, the paid-by-hour chart painted by the
same function as the PDF (`reports.chart.paint_hour_chart`), Print and Save as PDF.

The report is built on a worker from the journal; printing and the PDF go through
`pos_app.ui.printing`, on a worker too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
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

from pos_app.reports.chart import paint_hour_chart
from pos_app.reports.zreport import HourBucket, ZReport, build_report, report_text
from pos_app.ui import wording
from pos_app.ui.printing import Output, failure_text, print_report_job, translate

if TYPE_CHECKING:
    from pos_app.journal import Journal
    from pos_app.settings import Settings
    from pos_app.till.ports import Runner


class HourChart(QWidget):
    """The paid-by-hour bars, as on the PDF."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hourChart")
        self.buckets: tuple[HourBucket, ...] | list[int] = [0] * 24
        self.setMinimumHeight(120)

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        return QSize(480, 160)

    def set_buckets(self, buckets: tuple[HourBucket, ...]) -> None:
        self.buckets = buckets
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(255, 255, 255))
            paint_hour_chart(painter, QRectF(self.rect().adjusted(8, 8, -8, -4)), self.buckets)
        finally:
            painter.end()


def build_day_report(journal: Journal, day: date, settings: Settings) -> ZReport:
    """Worker thread."""
    return build_report(journal.attempts(day, day), day=day, mode=journal.mode,
                        title=settings.shop_name, till_name=settings.till_name,
                        generated_at=datetime.now().astimezone())


def build_shift_report(journal: Journal, shift_id: str, settings: Settings) -> ZReport:
    """Worker thread."""
    return build_report(journal.in_shift(shift_id), shift=shift_id, mode=journal.mode,
                        title=settings.shop_name, till_name=settings.till_name,
                        generated_at=datetime.now().astimezone())


class ReportWindow(QDialog):
    shown_report = Signal(object)  # the ZReport on screen
    printed = Signal(str)  # where it went
    print_failed = Signal(str)  # the sentence shown

    def __init__(self, journal: Journal, runner: Runner, settings: Settings, *,
                 shift_id: str | None = None, day: date | None = None,
                 print_runner: Runner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportWindow")
        self.journal, self.runner, self.settings = journal, runner, settings
        self.print_runner = print_runner or runner
        self.shift_id = shift_id
        self.report: ZReport | None = None
        self.setWindowTitle(self.tr("Shift report") if shift_id else self.tr("Day report (Z)"))
        self.resize(560, 720)

        top = QHBoxLayout()
        self.day_edit = QDateEdit(self)
        self.day_edit.setObjectName("reportDateEdit")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        d = day or date.today()
        self.day_edit.setDate(QDate(d.year, d.month, d.day))
        day_label = QLabel(self.tr("&Date"), self)
        day_label.setBuddy(self.day_edit)
        if shift_id:
            top.addWidget(QLabel(self.tr("Shift {shift}").format(shift=shift_id), self))
            day_label.setVisible(False)
            self.day_edit.setVisible(False)
        top.addWidget(day_label)
        top.addWidget(self.day_edit)
        top.addStretch(1)

        self.text = QPlainTextEdit(self)
        self.text.setObjectName("reportText")
        self.text.setReadOnly(True)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        self.chart = HourChart(self)
        self.notice = QLabel(self)
        self.notice.setObjectName("reportNotice")
        self.notice.setWordWrap(True)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("&Print"), self)
        self.print_button.setObjectName("printReportButton")
        self.pdf_button = QPushButton(self.tr("&Save as PDF…"), self)
        self.pdf_button.setObjectName("pdfReportButton")
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addWidget(QLabel(self.tr("Paid by hour"), self))
        layout.addWidget(self.chart)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)

        self.day_edit.dateChanged.connect(lambda _d: self.refresh())
        self.print_button.clicked.connect(lambda: self.print_to(Output.from_settings(
            self.settings)))
        self.pdf_button.clicked.connect(self.choose_pdf_file)
        self._set_buttons(False)
        self.refresh()

    def _set_buttons(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)

    def refresh(self) -> None:
        journal, settings = self.journal, self.settings
        job: Callable[[], ZReport]
        if self.shift_id:
            shift = self.shift_id
            job = lambda: build_shift_report(journal, shift, settings)  # noqa: E731
        else:
            day: date = self.day_edit.date().toPython()  # type: ignore[assignment]
            job = lambda: build_day_report(journal, day, settings)  # noqa: E731
        self._set_buttons(False)
        self.runner.submit(job, self._show, lambda exc: self._say(wording.error_text(exc)))

    def _show(self, report: ZReport) -> None:
        self.report = report
        self.text.setPlainText(report_text(report, 48, translate=translate))
        self.chart.set_buckets(report.hours)
        self._set_buttons(True)
        self.shown_report.emit(report)

    def _say(self, text: str) -> None:
        self.notice.setText(text)

    def choose_pdf_file(self) -> None:
        if self.report is None:
            return
        name = (f"malipo-shift-{self.shift_id}.pdf" if self.shift_id else
                f"malipo-day-{self.report.day}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report as PDF"), name,
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.print_to(Output(pdf=Path(path), paper="A4"))

    def print_to(self, output: Output) -> None:
        report = self.report
        if report is None:
            return
        self._say(self.tr("Printing…"))
        self.print_runner.submit(lambda: print_report_job(report, output), self._printed,
                                 self._failed)

    def _printed(self, where: str) -> None:
        self._say(self.tr("Sent to {where}.").format(where=where))
        self.printed.emit(where)

    def _failed(self, exc: BaseException) -> None:
        text = failure_text(exc)
        self._say(text)
        self.print_failed.emit(text)
