"""The paid-by-hour bar chart, painted with QPainter so the PDF report and the window share it.

One function paints into any QPainter (a QPdfWriter page, a QImage, a widget's paintEvent), so
the day report's PDF and the window's close-the-day view show the same picture. QtGui only;
painting on a QImage or QPdfWriter works on a worker thread once a QGuiApplication exists
(fonts need it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from pos_app.reports.zreport import HourBucket

BAR_COLOR = QColor(46, 125, 50)  # the till's "paid" green
AXIS_COLOR = QColor(90, 90, 90)
BAR_SHARE = 0.7  # of each hour's slot; the rest is the gap between bars

Measure = Literal["amount", "count"]


def hour_values(buckets: Sequence[HourBucket] | Sequence[int],
                measure: Measure = "amount") -> list[int]:
    """24 numbers from HourBuckets (shillings or sales) or from plain numbers."""
    values = [b if isinstance(b, int) else (b.amount_tzs if measure == "amount" else b.count)
              for b in buckets]
    if len(values) != 24:
        raise ValueError("An hour chart has 24 buckets.")
    if any(v < 0 for v in values):
        raise ValueError("Bars cannot be negative.")
    return values


def label_band_height(painter: QPainter) -> float:
    return QFontMetricsF(painter.font(), painter.device()).height() * 1.2


def plot_area(rect: QRectF, label_height: float) -> QRectF:
    """Where the bars stand: the rectangle less the band of hour labels under it."""
    return QRectF(rect.left(), rect.top(), rect.width(), max(0.0, rect.height() - label_height))


def bar_rects(plot: QRectF, values: Sequence[int]) -> list[QRectF]:
    """One rectangle per hour, standing on the plot's bottom; the tallest fills the height."""
    top = max(values, default=0)
    slot = plot.width() / len(values) if values else 0.0
    out = []
    for hour, value in enumerate(values):
        height = plot.height() * value / top if top else 0.0
        x = plot.left() + slot * hour + slot * (1 - BAR_SHARE) / 2
        out.append(QRectF(x, plot.bottom() - height, slot * BAR_SHARE, height))
    return out


def paint_hour_chart(painter: QPainter, rect: QRectF,
                     buckets: Sequence[HourBucket] | Sequence[int], *,
                     measure: Measure = "amount", labels: bool = True,
                     bar_color: QColor = BAR_COLOR, axis_color: QColor = AXIS_COLOR) -> None:
    """Paint 24 bars (00–23 h) in `rect`, with hour labels under them when `labels`.

    Bars are painted without antialiasing so they are crisp on thermal paper; the painter's
    state is restored afterwards.
    """
    values = hour_values(buckets, measure)
    painter.save()
    try:
        band = label_band_height(painter) if labels else 0.0
        plot = plot_area(rect, band)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for bar in bar_rects(plot, values):
            if bar.height() > 0:
                painter.fillRect(bar, bar_color)
        painter.setPen(QPen(axis_color, 0))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        if labels and band > 0:
            metrics = QFontMetricsF(painter.font(), painter.device())
            slot = plot.width() / 24
            step = 3 if slot * 3 >= metrics.horizontalAdvance("00 ") else 6
            for hour in range(0, 24, step):
                label = f"{hour:02d}"
                width = metrics.horizontalAdvance(label)
                left = plot.left() + slot * (hour + 0.5) - width / 2
                left = min(max(left, rect.left()), rect.right() - width)
                painter.drawText(QRectF(left, plot.bottom(), width, band),
                                 int(Qt.AlignmentFlag.AlignCenter), label)
    finally:
        painter.restore()
