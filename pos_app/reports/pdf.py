"""PDFs of slips and reports, painted with QPdfWriter, for paper widths 58 mm, 80 mm and A4.

A shop without a thermal printer, or an owner who wants the day's figures by e-mail, needs the
same slip as a file. The text is the fixed-width text the thermal printer gets (so both always
agree), set in a monospace font sized to the paper; a graphic (the receipt's QR code, the
report's hour chart) follows it. Thermal widths make one long page; A4 is paged.

QtGui only (no widgets). QPdfWriter and QPainter work on a worker thread once a
QGuiApplication exists (fonts need it); the functions return the PDF as bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from pos_app.reports.chart import paint_hour_chart
from pos_app.reports.zreport import Translate, ZReport, identity, report_text

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float
    columns: int  # characters per line
    text_width_mm: float  # the width the text is fitted to
    margin_mm: float
    paged: bool  # A4 breaks into pages; a roll is one long page
    max_point_size: float


PAPERS: dict[str, Paper] = {
    "58mm": Paper("58mm", 58, 32, 48, 4, False, 9),
    "80mm": Paper("80mm", 80, 48, 72, 4, False, 9),
    "A4": Paper("A4", 210, 48, 120, 15, True, 11),
}
A4_HEIGHT_MM = 297.0

# Paints a graphic in the rectangle it is given (device units) after the text.
Graphic = Callable[[QPainter, QRectF], None]


def paper(name: str) -> Paper:
    try:
        return PAPERS[name]
    except KeyError:
        raise ValueError(f"Unknown paper {name!r}; use one of {', '.join(PAPERS)}.") from None


def _mm(mm: float) -> float:
    return mm * RESOLUTION / MM_PER_INCH


def mono_font() -> QFont:
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    # Ligatures ("fi") and kerning would break the columns and the text a PDF reader extracts.
    font.setKerning(False)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def text_pdf(lines: Sequence[str], *, paper_name: str, title: str = "",
             graphic: Graphic | None = None, graphic_height_mm: float = 0.0,
             graphic_width_mm: float | None = None) -> bytes:
    """Lines in a monospace font fitted to the paper, then `graphic` centred under them."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setCreator("Malipo POS")
    if title:
        writer.setTitle(title)
    paint_document(writer, lines, paper_name=paper_name, graphic=graphic,
                   graphic_height_mm=graphic_height_mm, graphic_width_mm=graphic_width_mm)
    buffer.close()
    data: QByteArray = buffer.data()
    return bytes(data.data())


def paint_document(device: QPagedPaintDevice, lines: Sequence[str], *, paper_name: str,
                   graphic: Graphic | None = None, graphic_height_mm: float = 0.0,
                   graphic_width_mm: float | None = None) -> None:
    """The engine under the PDFs, for any paged device: a QPdfWriter, or a QPrinter (the
    system printer path; Qt allows painting a QPrinter off the GUI thread)."""
    p = paper(paper_name)
    resolution = device.logicalDpiY() if not isinstance(device, QPdfWriter) \
        else device.resolution()

    def mm(value: float) -> float:
        return value * resolution / MM_PER_INCH

    font = mono_font()
    font.setPointSizeF(10)
    advance = QFontMetricsF(font, device).horizontalAdvance("M" * p.columns)
    size = min(p.max_point_size, 10 * mm(p.text_width_mm) / advance) if advance else 8
    font.setPointSizeF(size)
    metrics = QFontMetricsF(font, device)
    line_height = metrics.lineSpacing()
    text_width = metrics.horizontalAdvance("M" * p.columns)

    gap = mm(4) if graphic else 0.0
    graphic_h = mm(graphic_height_mm) if graphic else 0.0
    height_mm: float
    if p.paged:
        height_mm = A4_HEIGHT_MM
    else:
        content = line_height * max(1, len(lines)) + gap + graphic_h
        height_mm = content * MM_PER_INCH / resolution + 2 * p.margin_mm
    device.setPageSize(QPageSize(QSizeF(p.width_mm, height_mm), QPageSize.Unit.Millimeter,
                                 p.name))
    device.setPageMargins(QMarginsF(p.margin_mm, p.margin_mm, p.margin_mm, p.margin_mm),
                          QPageLayout.Unit.Millimeter)

    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("The page could not be started.")
    try:
        area = device.pageLayout().paintRectPixels(resolution)
        page_width, page_height = float(area.width()), float(area.height())
        left = max(0.0, (page_width - text_width) / 2)
        painter.setFont(font)
        y = 0.0
        for line in lines:
            if p.paged and y + line_height > page_height:
                device.newPage()
                y = 0.0
            painter.drawText(QRectF(left, y, page_width - left, line_height), 0, line)
            y += line_height
        if graphic is not None:
            if p.paged and y + gap + graphic_h > page_height:
                device.newPage()
                y = 0.0
            else:
                y += gap
            width = mm(graphic_width_mm) if graphic_width_mm else text_width
            width = min(width, page_width)
            graphic(painter, QRectF((page_width - width) / 2, y, width, graphic_h))
    finally:
        painter.end()


def report_lines_and_chart(report: ZReport, *, paper_name: str, translate: Translate = identity
                           ) -> tuple[list[str], Graphic, float]:
    """What a report page holds: its text lines, the hour chart, the chart's height (mm)."""
    p = paper(paper_name)
    lines = report_text(report, p.columns, translate=translate).splitlines()

    def chart(painter: QPainter, rect: QRectF) -> None:
        paint_hour_chart(painter, rect, report.hours)

    return lines, chart, min(40.0, p.text_width_mm / 2)


def report_pdf(report: ZReport, *, paper_name: str = "A4",
               translate: Translate = identity) -> bytes:
    """The day or shift report as a PDF: its text, then the paid-by-hour chart."""
    lines, chart, height = report_lines_and_chart(report, paper_name=paper_name,
                                                  translate=translate)
    title = lines[0].strip() if lines else ""
    return text_pdf(lines, paper_name=paper_name, title=title, graphic=chart,
                    graphic_height_mm=height)
