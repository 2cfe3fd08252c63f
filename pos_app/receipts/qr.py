"""A QR code of the order reference, so a slip can be looked up by scanning instead of typing.

The reference is the one key ClickPesa and the journal share; twenty characters typed from a
crumpled slip go wrong. `segno` (pure Python, no Pillow needed) makes the symbol; the same
matrix feeds the PDF painter, the PNG for the thermal printer and the SVG for a screen.
"""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "M"  # ~15 % of the symbol may be smudged; segno raises it when that costs nothing


class QRError(ValueError):
    """The text cannot be put in a QR code (empty or too long)."""


def make_qr(data: str) -> segno.QRCode:
    if not data:
        raise QRError("A QR code needs some text.")
    try:
        return segno.make(data, error=ERROR_LEVEL, micro=False)
    except segno.DataOverflowError as exc:
        raise QRError(f"The text does not fit in a QR code: {exc}") from None


def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Rows of modules, True = dark, without the quiet zone (add 4 modules round it)."""
    return tuple(tuple(bool(m) for m in row) for row in make_qr(data).matrix)


def qr_png(data: str, *, scale: int = 4, border: int = 4) -> bytes:
    """PNG bytes, `scale` pixels per module, `border` modules of quiet zone."""
    buf = io.BytesIO()
    make_qr(data).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()


def qr_svg(data: str, *, scale: int = 4, border: int = 4) -> str:
    """An inline SVG document (no XML declaration), black on transparent."""
    return make_qr(data).svg_inline(scale=scale, border=border)
