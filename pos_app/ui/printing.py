"""Printing payment confirmations and reports: the system printer (QPrinter), a network
ESC/POS thermal printer, or a PDF file — always on a worker, never in the way of a payment.

Every job here is blocking and runs through the window's Runner (QThreadPool); Qt allows
painting a QPrinter off the GUI thread, and python-escpos is plain sockets. Whatever goes
wrong comes back as one `PrintFailed` with a plain sentence for the cashier; the payment it
is about is already in the journal and is never touched by printing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from pos_app.domain.attempt import AttemptRecord
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.receipts.receipt import WIDTHS, Receipt, ShopSettings, build_receipt
from pos_app.reports.text import fill
from pos_app.reports.zreport import ZReport
from pos_app.settings import Settings, printer_address

log = logging.getLogger(__name__)

CONTEXT = "Printer"
NO_PRINTER = QT_TRANSLATE_NOOP(
    "Printer", "No printer is set up on this computer. Add one in the system's settings, or "
               "save the confirmation as PDF.")
NOT_AVAILABLE = QT_TRANSLATE_NOOP(
    "Printer", "The printer {name} is not available: check that it is switched on and "
               "connected, or choose another printer in Settings.")
PRINTER_TROUBLE = QT_TRANSLATE_NOOP(
    "Printer", "The printer {name} reports a problem (switched off, out of paper or jammed): "
               "check it, then print again.")
NOT_WRITTEN = QT_TRANSLATE_NOOP("Printer", "The PDF {path} could not be written: {error}")
PAYMENT_SAFE = QT_TRANSLATE_NOOP("Printer", "The payment itself is not affected.")


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class PrintFailed(Exception):
    """Printing failed; `str()` is the sentence for the cashier (translated)."""


def _say(template: str, **values: object) -> str:
    return fill(translate(CONTEXT, template), template, **values)


@dataclass(frozen=True)
class Output:
    """Where a slip goes: a PDF file, a network ESC/POS printer, or a system printer."""

    pdf: Path | None = None
    escpos: tuple[str, int] | None = None
    printer: str | None = None  # None with the others None: the settings decide
    paper: str = "80mm"

    @classmethod
    def from_settings(cls, settings: Settings) -> Output:
        address = printer_address(settings.escpos_address) if settings.escpos_address else None
        if address is not None:
            return cls(escpos=address, paper=settings.paper)
        return cls(printer=settings.printer, paper=settings.paper)

    @property
    def columns(self) -> int:
        return WIDTHS.get(self.paper, 48)


def shop_settings(settings: Settings, *, cashier: str = "") -> ShopSettings:
    return ShopSettings(settings.shop_name or "Malipo POS", settings.header_lines,
                        settings.till_name, cashier)


def receipt_for(record: AttemptRecord, settings: Settings) -> Receipt:
    """Raises receipts.NotPaid for an attempt that is not PAID."""
    return build_receipt(record, shop_settings(settings))


def system_printer(name: str | None, paper: str):  # -> QPrinter
    """A QPrinter for `name` ("" or None: the default), or PrintFailed when there is none or
    it is in an error state (switched off, out of paper — as far as the system knows)."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        if name:
            raise PrintFailed(_say(NOT_AVAILABLE, name=name))
        raise PrintFailed(_say(NO_PRINTER))
    if info.state() == QPrinter.PrinterState.Error:
        raise PrintFailed(_say(PRINTER_TROUBLE, name=info.printerName()))
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def _paint(device, lines, graphic, height, width, paper: str) -> None:  # type: ignore[no-untyped-def]
    from pos_app.reports.pdf import paint_document

    paint_document(device, lines, paper_name=paper, graphic=graphic,
                   graphic_height_mm=height, graphic_width_mm=width)


def print_receipt_job(receipt: Receipt, output: Output) -> str:
    """Worker thread. Returns where it went; raises PrintFailed."""
    if output.pdf is not None:
        from pos_app.receipts.pdf import receipt_pdf

        data = receipt_pdf(receipt, paper_name=output.paper, translate=translate)
        _write(output.pdf, data)
        return str(output.pdf)
    if output.escpos is not None:
        from pos_app.receipts.escpos import PrintError, print_receipt

        host, port = output.escpos
        try:
            print_receipt(host, port, receipt, columns=output.columns, translate=translate,
                          check_paper=True)
        except PrintError as exc:
            raise PrintFailed(exc.sentence(translate)) from None
        return f"{host}:{port}"
    from pos_app.receipts.pdf import receipt_document

    printer = system_printer(output.printer, output.paper)
    lines, qr, size = receipt_document(receipt, paper_name=output.paper, translate=translate)
    _send(printer, lambda: _paint(printer, lines, qr, size, size, output.paper))
    return printer.printerName()


def print_report_job(report: ZReport, output: Output) -> str:
    """Worker thread: a day or shift report. ESC/POS gets its text; the others the page."""
    from pos_app.reports.pdf import report_lines_and_chart, report_pdf
    from pos_app.reports.zreport import report_text

    if output.pdf is not None:
        _write(output.pdf, report_pdf(report, paper_name=output.paper, translate=translate))
        return str(output.pdf)
    if output.escpos is not None:
        from pos_app.receipts.escpos import PrintError, print_lines

        host, port = output.escpos
        try:
            print_lines(host, port, report_text(report, output.columns,
                                                translate=translate).splitlines(),
                        check_paper=True)
        except PrintError as exc:
            raise PrintFailed(exc.sentence(translate)) from None
        return f"{host}:{port}"
    printer = system_printer(output.printer, output.paper)
    lines, chart, height = report_lines_and_chart(report, paper_name=output.paper,
                                                  translate=translate)
    _send(printer, lambda: _paint(printer, lines, chart, height, None, output.paper))
    return printer.printerName()


def _send(printer, paint: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    try:
        paint()
    except RuntimeError:  # the painter could not begin: the printer would not take it
        raise PrintFailed(_say(PRINTER_TROUBLE, name=printer.printerName())) from None
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrintFailed(_say(PRINTER_TROUBLE, name=printer.printerName()))


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise PrintFailed(_say(NOT_WRITTEN, path=path, error=exc.strerror or exc)) from None


def failure_text(exc: BaseException) -> str:
    """The cashier's sentence for a failed print, with the reassurance that matters."""
    if isinstance(exc, PrintFailed):
        first = str(exc)
    else:
        log.error("printing failed unexpectedly: %r", exc)
        first = _say(QT_TRANSLATE_NOOP("Printer", "Printing failed ({error})."),
                     error=type(exc).__name__)
    return f"{first} {translate(CONTEXT, PAYMENT_SAFE)}"
