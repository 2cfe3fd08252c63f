"""Small widgets the window shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent


class ElidedLabel(QLabel):
    """One line that never asks for more room than it has: a text too long for it ends in
    "…", and the whole text is its tooltip (and its accessible description)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text if text else "")
        self.setAccessibleDescription(text)
        self._elide()

    def text(self) -> str:  # type: ignore[override] — what the label says, in full
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        if not self._full:  # nothing to say (the usual first frame): no Qt namespace needed
            super().setText("")
            return
        from PySide6.QtCore import Qt  # ~15 ms the first time: never before the first paint

        width = self.width()
        shown = (self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
                 if width > 20 else self._full)
        super().setText(shown)

    def shown_text(self) -> str:
        return super().text()
