"""CSV export of the journal, in the exact columns the shop's bookkeeping expects."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pos_app.domain.attempt import AttemptRecord

HEADER = ("created_at", "order_reference", "phone", "amount_tzs", "status", "channel",
          "clickpesa_id", "message", "mode")


def _cell(text: str) -> str:
    # A bare CR is not quoted by the writer (its line end is "\n") yet spreadsheets break
    # the row there, so a "=…" after it would start a cell of its own: make it a "\n".
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A spreadsheet would run "=…" from ClickPesa's free text as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def write_csv(records: Iterable[AttemptRecord], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    n = 0
    for r in records:
        writer.writerow((r.created_at, r.order_reference, r.phone, r.amount_tzs,
                         r.state.report_status, _cell(r.channel), _cell(r.clickpesa_id),
                         _cell(r.message), r.mode))
        n += 1
    return n


def export_csv(records: Iterable[AttemptRecord], path: Path) -> int:
    """Write the file next to its final name first, so a failure never leaves half a file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        n = write_csv(records, f)
    tmp.replace(path)
    return n
