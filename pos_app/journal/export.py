"""CSV export of the journal, in the exact columns the shop's bookkeeping expects.

An export never replaces a file the till owns (its journals with their -wal/-shm, settings,
logs, lock files), whatever it is told, and replaces any other existing file only with
`force=True` (`pos-app export --force`; the window's save dialog has already asked).
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pos_app.domain.attempt import AttemptRecord
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.logs import mask
from pos_app.settings import Problem

HEADER = ("created_at", "order_reference", "phone", "amount_tzs", "status", "channel",
          "clickpesa_id", "message", "mode")
# `pos-app export --columns full`: the bookkeeping columns, then who, where and the operator's
# transaction id. The plain HEADER never changes (the shop's spreadsheets read it by position).
FULL_EXTRA = ("shift", "cashier", "till", "payment_reference")
COLUMN_SETS = ("standard", "full")


class ExportRefused(Exception):
    """The export would write over a file it must not; nothing was written. The message
    (a settings.Problem: English, with `template`/`values` for translation) says why."""


def _cell(text: str) -> str:
    # A bare CR is not quoted by the writer (its line end is "\n") yet spreadsheets break
    # the row there, so a "=…" after it would start a cell of its own: make it a "\n".
    text = mask(text).replace("\r\n", "\n").replace("\r", "\n")
    # A spreadsheet would run "=…" from ClickPesa's free text as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def write_csv(records: Iterable[AttemptRecord], out: TextIO, *,
              columns: str = "standard") -> int:
    if columns not in COLUMN_SETS:
        raise ValueError(f"columns must be one of {', '.join(COLUMN_SETS)}")
    full = columns == "full"
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER + FULL_EXTRA if full else HEADER)
    n = 0
    for r in records:
        row: tuple[object, ...] = (
            r.created_at, r.order_reference, r.phone, r.amount_tzs, r.state.report_status,
            _cell(r.channel), _cell(r.clickpesa_id), _cell(r.message), r.mode)
        if full:
            row += (_cell(r.shift), _cell(r.cashier), _cell(r.till_name),
                    _cell(r.payment_reference))
        writer.writerow(row)
        n += 1
    return n


def _key(path: Path) -> str:
    try:
        resolved = path.resolve()  # follows symbolic links, also for a file not there yet
    except (OSError, RuntimeError):
        resolved = path.absolute()
    key = os.path.normcase(str(resolved))  # Windows: case and slashes
    return key.casefold() if sys.platform == "darwin" else key  # macOS: case-insensitive


def _same_file(a: Path, b: Path) -> bool:
    if _key(a) == _key(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links, case-insensitive or bind-mounted paths
    except (OSError, ValueError):
        return False


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def check_export_target(path: Path, *, force: bool = False,
                        protected: Iterable[Path] = ()) -> None:
    """Raise ExportRefused unless an export may be written to `path`."""
    from pos_app import paths  # here: platformdirs is not needed to write a CSV to a stream

    path = Path(path)
    for own in [*paths.till_files(), *map(Path, protected)]:
        if _same_file(path, own) or _same_file(_part(path), own):
            raise ExportRefused(Problem(QT_TRANSLATE_NOOP(
                "Messages", "{path} is one of the till's own files ({name}); the export was not "
                            "written and that file is untouched. Choose another file name."),
                path=path, name=own.name))
    if path.is_dir():
        raise ExportRefused(Problem(QT_TRANSLATE_NOOP(
            "Messages", "{path} is a folder; the export was not written. Choose a file name."),
            path=path))
    if not force and (path.exists() or path.is_symlink()):
        raise ExportRefused(Problem(QT_TRANSLATE_NOOP(
            "Messages", "{path} already exists; the export was not written. Choose another "
                        "file name, or replace it with --force."), path=path))


def export_csv(records: Iterable[AttemptRecord], path: Path, *, force: bool = False,
               protected: Iterable[Path] = (), columns: str = "standard") -> int:
    """Write `records` to `path` as CSV; return how many.

    Refuses (ExportRefused, nothing written) to replace one of the till's own files or
    `protected`, whatever `force` says, and any other existing file unless `force`. The file
    is written next to its final name first, so a failure never leaves half a file."""
    path = Path(path)
    check_export_target(path, force=force, protected=protected)
    tmp = _part(path)
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        n = write_csv(records, f, columns=columns)
    tmp.replace(path)
    return n
