"""A payment confirmation as a PDF (58 mm, 80 mm or A4), with the QR code of its reference.

For shops without a thermal printer, or to send the customer the slip: the same lines the
thermal printer gets, then the QR painted as vector squares (sharp at any zoom). QtGui only;
works on a worker thread once a QGuiApplication exists. Returns the PDF as bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from pos_app.receipts.qr import qr_matrix
from pos_app.receipts.receipt import Receipt, Translate, identity, receipt_lines
from pos_app.reports.pdf import Graphic, paper, text_pdf

QUIET_ZONE = 4  # modules of white round a QR code, as the standard asks
QR_SIZE_MM = {"58mm": 30.0, "80mm": 36.0, "A4": 40.0}


def paint_qr(painter: QPainter, rect: QRectF, matrix: Sequence[Sequence[bool]]) -> None:
    """Paint a QR matrix as black squares, centred and square, with its quiet zone, in rect."""
    n = len(matrix)
    if n == 0:
        return
    side = min(rect.width(), rect.height())
    module = side / (n + 2 * QUIET_ZONE)
    x0 = rect.left() + (rect.width() - side) / 2 + module * QUIET_ZONE
    y0 = rect.top() + (rect.height() - side) / 2 + module * QUIET_ZONE
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        black = QColor(0, 0, 0)
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    # a hair wider than the module, so neighbours never leave a seam
                    painter.fillRect(QRectF(x0 + x * module, y0 + y * module,
                                            module * 1.02, module * 1.02), black)
    finally:
        painter.restore()


def receipt_document(receipt: Receipt, *, paper_name: str = "80mm",
                     translate: Translate = identity) -> tuple[list[str], Graphic, float]:
    """What the slip's page holds: its lines, the QR painter, and the QR's size in mm (for
    `reports.pdf.paint_document`, on a PDF or a system printer)."""
    p = paper(paper_name)
    lines = receipt_lines(receipt, p.columns, translate=translate)
    matrix = qr_matrix(receipt.order_reference)

    def qr(painter: QPainter, rect: QRectF) -> None:
        paint_qr(painter, rect, matrix)

    return lines, qr, QR_SIZE_MM[p.name]


def receipt_pdf(receipt: Receipt, *, paper_name: str = "80mm",
                translate: Translate = identity) -> bytes:
    """The confirmation as a PDF: `paper_name` is "58mm", "80mm" or "A4"."""
    lines, qr, size = receipt_document(receipt, paper_name=paper_name, translate=translate)
    return text_pdf(lines, paper_name=paper(paper_name).name, title=receipt.order_reference,
                    graphic=qr, graphic_height_mm=size, graphic_width_mm=size)
