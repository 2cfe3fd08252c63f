"""Till → History (Ctrl+H): every attempt in the journal, findable, with its timeline.

A QAbstractTableModel over the journal's rows as plain tuples and a QSortFilterProxyModel in
front of the view. Filtering and sorting are done in Python over those tuples
(`pos_app.reports.history`) and handed to the model in one reset: per-row callbacks from Qt
into Python cost about a microsecond each, and sorting 100,000 rows through `data()` took
13 s where a Python sort takes 60 ms (benchmark 5). The proxy's `sort` is therefore the
model's, so a header click sorts and the view never asks Python row by row.

The journal is read on a worker (Runner); the window is on screen before the rows arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import format_tzs
from pos_app.reports import history as h
from pos_app.reports.channels import channel_name
from pos_app.ui import wording

if TYPE_CHECKING:
    from pos_app.journal import Journal
    from pos_app.till.ports import Runner

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

# (journal column, header) in the order shown.
FIRST_CHUNK = 1_000  # a screenful and more: on screen within milliseconds
CHUNK = 25_000  # then the rest of the journal, a chunk per worker job

SHOWN = (h.CREATED, h.PHONE, h.AMOUNT, h.STATE, h.CHANNEL, h.REFERENCE, h.SHIFT, h.CASHIER)


def _display_phone(digits: str) -> str:
    if len(digits) == 12 and digits.startswith("255"):
        return f"+255 {digits[3:6]} {digits[6:9]} {digits[9:]}"
    return digits


class AttemptTable(QAbstractTableModel):
    """The journal's attempts; `shown` are the indices the filter lets through, in order."""

    RecordRole = Qt.ItemDataRole.UserRole + 1  # the order reference

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: Sequence[h.Row] = []
        self.shown: list[int] = []
        self._filter = h.HistoryFilter()
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.DescendingOrder)
        self._order: list[int] = []
        self._headers = [self.tr("Time"), self.tr("Phone"), self.tr("Amount (TZS)"),
                         self.tr("Status"), self.tr("Network"), self.tr("Reference"),
                         self.tr("Shift"), self.tr("Cashier")]
        self._status_words = {s: wording.report_status(s) for s in h.STATUSES}

    # -- content -----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[h.Row]) -> None:
        """All rows, newest first (as `Journal.history_rows` gives them)."""
        self.beginResetModel()
        self.rows = rows
        self._order = self._sorted()
        self.shown = h.matching(rows, self._filter, self._order)
        self.endResetModel()

    def set_filter(self, f: h.HistoryFilter) -> None:
        self.beginResetModel()
        self._filter = f
        self.shown = h.matching(self.rows, f, self._order)
        self.endResetModel()

    def sort_shown(self, column: int, order: Qt.SortOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._order = self._sorted()
        self.shown = h.matching(self.rows, self._filter, self._order)
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        column, order = self._sort
        return h.sorted_order(self.rows, SHOWN[column], order == Qt.SortOrder.DescendingOrder)

    def reference_at(self, row: int) -> str:
        return str(self.rows[self.shown[row]][h.REFERENCE])

    def row_at(self, row: int) -> h.Row:
        return self.rows[self.shown[row]]

    def totals(self) -> h.Totals:
        return h.totals(self.rows, self.shown)

    # -- Qt ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(SHOWN)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[self.shown[index.row()]]
        column = SHOWN[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[column]
            if column == h.CREATED:
                return str(value)[:16].replace("T", " ")
            if column == h.PHONE:
                return _display_phone(str(value))
            if column == h.AMOUNT:
                return format_tzs(int(value))  # type: ignore[call-overload]
            if column == h.STATE:
                status = h.REPORT_STATUS.get(str(value), str(value))
                return self._status_words.get(status, status)
            if column == h.CHANNEL:
                return channel_name(str(value))
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column == h.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.RecordRole:
            return row[h.REFERENCE]
        return None


class HistoryProxy(QSortFilterProxyModel):
    """The view's model. Sorting is the source's (see the module's docstring); the
    filter is the source's too, so this proxy never calls back into Python per row."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, AttemptTable) and column >= 0:
            source.sort_shown(column, order)


class HistoryWindow(QDialog):
    """Not modal: the cashier can keep it open beside the till."""

    first_rows = Signal(int)  # the newest attempts are on screen (the rest follow)
    loaded = Signal(int)  # every row has been read from the journal
    timeline_shown = Signal(str)  # the reference whose timeline is on screen

    def __init__(self, journal: Journal, runner: Runner, *,
                 check: Callable[[str, Callable[[object], None]], None] | None = None,
                 reprint: Callable[[str], None] | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyWindow")
        self.setWindowTitle(self.tr("History"))
        self.resize(1080, 640)
        self.journal, self.runner = journal, runner
        self._check, self._reprint = check, reprint
        self._reads = 0
        self._still_loading = True
        self._today = today or date.today()

        self.model = AttemptTable(self)
        self.proxy = HistoryProxy(self)
        self.proxy.setSourceModel(self.model)

        filters = QGridLayout()
        self.all_dates = QCheckBox(self.tr("All &dates"), self)
        self.all_dates.setObjectName("allDatesCheck")
        self.all_dates.setChecked(True)
        self.date_from = QDateEdit(self)
        self.date_from.setObjectName("dateFromEdit")
        self.date_to = QDateEdit(self)
        self.date_to.setObjectName("dateToEdit")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(self._today.year, self._today.month, self._today.day))
            edit.setEnabled(False)
        self.status = QComboBox(self)
        self.status.setObjectName("statusCombo")
        self.status.addItem(self.tr("All"), "")
        for s in h.STATUSES:
            self.status.addItem(wording.report_status(s), s)
        self.phone = QLineEdit(self)
        self.phone.setObjectName("phoneFilter")
        self.phone.setPlaceholderText(self.tr("any part, e.g. 0712 345"))
        self.reference = QLineEdit(self)
        self.reference.setObjectName("referenceFilter")
        self.amount = QLineEdit(self)
        self.amount.setObjectName("amountFilter")
        self.amount.setPlaceholderText(self.tr("5,000 or 1,000-5,000"))
        self.filter_problem = QLabel(self)
        self.filter_problem.setObjectName("filterProblem")
        self.filter_problem.setStyleSheet("color:#c5221f;")

        def label(text: str, buddy: QWidget) -> QLabel:
            lab = QLabel(text, self)
            lab.setBuddy(buddy)
            return lab

        filters.addWidget(self.all_dates, 0, 0)
        filters.addWidget(label(self.tr("&From"), self.date_from), 0, 1)
        filters.addWidget(self.date_from, 0, 2)
        filters.addWidget(label(self.tr("T&o"), self.date_to), 0, 3)
        filters.addWidget(self.date_to, 0, 4)
        filters.addWidget(label(self.tr("&Status"), self.status), 0, 5)
        filters.addWidget(self.status, 0, 6)
        filters.addWidget(label(self.tr("&Phone"), self.phone), 1, 1)
        filters.addWidget(self.phone, 1, 2)
        filters.addWidget(label(self.tr("R&eference"), self.reference), 1, 3)
        filters.addWidget(self.reference, 1, 4)
        filters.addWidget(label(self.tr("&Amount"), self.amount), 1, 5)
        filters.addWidget(self.amount, 1, 6)

        self.table = QTableView(self)
        self.table.setObjectName("historyTableView")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights and no content-based column widths: nothing is measured row by row.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setStretchLastSection(True)
        digit = self.fontMetrics().horizontalAdvance("0")
        # In digits, from the longest usual value ("2026-12-01 21:49", "+255 754 000 111"):
        # fixed, never measured row by row.
        for column, width in enumerate((18, 18, 13, 16, 14, 24, 12, 10)):
            self.table.setColumnWidth(column, width * digit)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)

        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timelineList")
        self.timeline.setAccessibleName(self.tr("Timeline of the selected attempt"))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.totals_label = QLabel(self.tr("Reading the journal…"), self)
        self.totals_label.setObjectName("totalsLabel")
        self.notice = QLabel(self)
        self.notice.setObjectName("historyNotice")
        self.notice.setWordWrap(True)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(self.tr("Check &now"), self)
        self.check_button.setObjectName("checkNowButton")
        self.reprint_button = QPushButton(self.tr("&Reprint"), self)
        self.reprint_button.setObjectName("reprintButton")
        self.export_button = QPushButton(self.tr("E&xport shown rows to CSV…"), self)
        self.export_button.setObjectName("exportShownButton")
        for b in (self.check_button, self.reprint_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.filter_problem)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        self.filter_problem.setVisible(False)
        self.notice.setVisible(False)

        self.all_dates.toggled.connect(self._dates_toggled)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.apply_filter())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for line in (self.phone, self.reference, self.amount):
            line.textChanged.connect(lambda _t: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._selected(current))
        self.check_button.clicked.connect(self.check_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.export_button.clicked.connect(self.choose_export_file)
        self._update_buttons()
        self.reload()

    # -- reading -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the journal again: a screenful of the newest attempts first, so the window
        is useful at once, then the rest in chunks, each on a worker."""
        self._reads += 1
        self._loading: list[h.Row] = []
        self._chunk(self._reads, None, FIRST_CHUNK)

    def _chunk(self, read: int, before: int | None, limit: int) -> None:
        journal = self.journal
        self.runner.submit(lambda: journal.history_rows(before=before, limit=limit),
                           lambda rows: self._got_rows(read, rows, limit),
                           lambda exc: self._failed(read, exc))

    def _failed(self, read: int, exc: BaseException) -> None:
        if read == self._reads:
            self._say(wording.error_text(exc))

    def _got_rows(self, read: int, rows: list[h.Row], limit: int) -> None:
        if read != self._reads:
            return  # a newer read has started
        self._loading.extend(rows)
        done = len(rows) < limit
        selected = self.selected_reference()
        self.model.set_rows(self._loading if done else list(self._loading))
        self._show_totals(loading=not done)
        if selected:
            self.select_reference(selected)
        if len(self._loading) == len(rows):
            self.first_rows.emit(len(rows))
        if done:
            self.loaded.emit(len(self._loading))
        else:
            self._chunk(read, int(rows[-1][h.ROWID]), CHUNK)  # type: ignore[call-overload]

    # -- filtering ---------------------------------------------------------------------

    def current_filter(self) -> h.HistoryFilter | None:
        try:
            low, high = h.parse_amounts(self.amount.text())
        except h.FilterError:
            return None
        dates = not self.all_dates.isChecked()
        return h.HistoryFilter(
            date_from=self.date_from.date().toPython() if dates else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if dates else None,  # type: ignore[arg-type]
            status=self.status.currentData() or "", phone=self.phone.text(),
            reference=self.reference.text(), amount_min=low, amount_max=high)

    def apply_filter(self) -> None:
        f = self.current_filter()
        if f is None:
            self.filter_problem.setText(self.tr(
                "The amount must be a number such as 5,000, or a range such as 1,000-5,000."))
            self.filter_problem.setVisible(True)
            return
        self.filter_problem.setVisible(False)
        self.model.set_filter(f)
        self._show_totals()
        self._selected(self.table.currentIndex())

    def _dates_toggled(self, all_dates: bool) -> None:
        self.date_from.setEnabled(not all_dates)
        self.date_to.setEnabled(not all_dates)
        self.apply_filter()

    def _show_totals(self, *, loading: bool | None = None) -> None:
        if loading is not None:
            self._still_loading = loading
        t = self.model.totals()
        text = self.tr(
            "Shown: {n} of {all} attempts, TZS {amount}. Paid: {paid}, TZS {paid_tzs}.").format(
                n=f"{t.count:,}", all=f"{len(self.model.rows):,}",
                amount=format_tzs(t.amount_tzs), paid=f"{t.paid_count:,}",
                paid_tzs=format_tzs(t.paid_tzs))
        if self._still_loading:
            text += " " + self.tr("(still reading older attempts…)")
        self.totals_label.setText(text)

    # -- the selected attempt ----------------------------------------------------------

    def selected_reference(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return str(self.proxy.data(index, AttemptTable.RecordRole))

    def select_reference(self, reference: str) -> bool:
        rows = self.model.rows
        for pos, i in enumerate(self.model.shown):
            if rows[i][h.REFERENCE] == reference:
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(pos, 0)).row())
                return True
        return False

    def _selected(self, index: QModelIndex) -> None:
        self._update_buttons()
        ref = self.selected_reference() if index.isValid() else None
        if ref is None:
            self.timeline.clear()
            return
        journal = self.journal
        self.runner.submit(lambda: journal.timeline(ref), lambda steps: self._show_timeline(
            ref, steps), lambda exc: self._say(wording.error_text(exc)))

    def _show_timeline(self, ref: str, steps: list[Any]) -> None:
        if ref != self.selected_reference():
            return
        self.timeline.clear()
        for s in steps:
            source = s.source or self.tr("till")
            change = (f"{s.from_state} → {s.to_state}" if s.from_state and
                      s.from_state != s.to_state else s.to_state)
            self.timeline.addItem(self.tr("{time} · {change} · {source} · {detail}").format(
                time=s.at[:19].replace("T", " "), change=change, source=source,
                detail=s.detail))
        self.timeline_shown.emit(ref)

    def _update_buttons(self) -> None:
        index = self.table.currentIndex()
        row = self.proxy.mapToSource(index).row() if index.isValid() else -1
        state = str(self.model.row_at(row)[h.STATE]) if row >= 0 else ""
        self.check_button.setEnabled(row >= 0 and self._check is not None)
        self.reprint_button.setEnabled(state == "PAID" and self._reprint is not None)

    def check_selected(self) -> None:
        ref = self.selected_reference()
        if ref is None or self._check is None:
            return
        self._say(self.tr("Asking ClickPesa about {ref}…").format(ref=ref))
        self._check(ref, lambda _outcome: self._checked(ref))

    def _checked(self, ref: str) -> None:
        self._say(self.tr("{ref} checked.").format(ref=ref))
        self.reload()

    def reprint_selected(self) -> None:
        ref = self.selected_reference()
        if ref is not None and self._reprint is not None:
            self._reprint(ref)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- export ------------------------------------------------------------------------

    def shown_references(self) -> list[str]:
        return [self.model.reference_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def choose_export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export shown rows"),
                                              f"malipo-history-{self._today.isoformat()}.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_shown(Path(path))

    def export_shown(self, path: Path) -> None:
        """The rows as shown (filtered, in their order) in `pos-app export`'s columns."""
        from pos_app.journal.export import export_csv

        refs, journal = self.shown_references(), self.journal

        def job() -> int:
            by_ref = {r.order_reference: r for r in journal.attempts()}
            return export_csv([by_ref[ref] for ref in refs if ref in by_ref], path, force=True,
                              protected=[journal.path])

        self.runner.submit(job, lambda n: self._say(self.tr(
            "Exported {n} attempt(s) to {path}.").format(n=n, path=path)),
            lambda exc: self._say(self.tr("The export failed: {error}").format(
                error=wording.settings_problem(exc.args[0]) if exc.args else exc)))
