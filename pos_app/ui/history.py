"""The window's list of recent attempts: a plain grid of labels under a header row.

Eight read-only rows do not need an item view: a QTableWidget (view, model, two headers,
scroll bars, selection) cost ~2 MB of memory and ~1.5 ms before the first paint (benchmark 3).
Row labels are made when the first rows arrive, which is after the first paint.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

COLUMNS = 5  # time, phone, amount, status, reference
REFERENCE_COLUMN = 4


class RecentAttempts(QFrame):
    def __init__(self, headers: Sequence[str], rows: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        if len(headers) != COLUMNS:
            raise ValueError(f"{COLUMNS} column headers expected, got {len(headers)}")
        self.max_rows = rows
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(4, 2, 4, 2)
        self._grid.setVerticalSpacing(2)
        bold = QFont(self.font())
        bold.setBold(True)
        self._headers: list[QLabel] = []
        for col, text in enumerate(headers):
            header = QLabel(text, self)
            header.setFont(bold)
            self._grid.addWidget(header, 0, col)
            self._grid.setColumnStretch(col, 1)
            self._headers.append(header)
        self._grid.setRowStretch(rows + 1, 1)  # rows stay together under the header
        self._rows: list[list[QLabel]] = []
        self._shown = 0
        # Room for every row from the start, so the window does not jump when they arrive.
        line = self.fontMetrics().lineSpacing() + self._grid.verticalSpacing()
        self.setMinimumHeight((rows + 1) * line + 8)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_headers(self, headers: Sequence[str]) -> None:
        """New header texts (the language changed)."""
        if len(headers) != COLUMNS:
            raise ValueError(f"{COLUMNS} column headers expected, got {len(headers)}")
        for label, text in zip(self._headers, headers, strict=True):
            label.setText(text)

    def header_texts(self) -> tuple[str, ...]:
        return tuple(label.text() for label in self._headers)

    def show_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Show up to `max_rows` rows of COLUMNS texts each; the rest of the grid is emptied."""
        from PySide6.QtCore import Qt  # the Qt namespace is only created after the first paint

        rows = list(rows)[: self.max_rows]
        while len(self._rows) < len(rows):
            labels = [QLabel(self) for _ in range(COLUMNS)]
            # The reference can be selected and copied, e.g. to look it up in the dashboard.
            labels[REFERENCE_COLUMN].setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse)
            for col, label in enumerate(labels):
                self._grid.addWidget(label, len(self._rows) + 1, col)
            self._rows.append(labels)
        for i, labels in enumerate(self._rows):
            texts = rows[i] if i < len(rows) else ("",) * COLUMNS
            if len(texts) != COLUMNS:
                raise ValueError(f"a row needs {COLUMNS} texts, got {len(texts)}")
            for label, text in zip(labels, texts, strict=True):
                label.setText(text)
                label.setVisible(i < len(rows))
        self._shown = len(rows)

    def row_count(self) -> int:
        return self._shown

    def row_texts(self, row: int) -> tuple[str, ...]:
        if not 0 <= row < self._shown:
            raise IndexError(row)
        return tuple(label.text() for label in self._rows[row])
