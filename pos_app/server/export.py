"""A day of the shop's ledger as CSV: the till's export columns plus the till's name.

Cells go through the till's own sanitiser (secrets masked, spreadsheet formulas defused), so
the two exports never differ in what they let through. Live attempts only: training moves no
money and never enters the shop's books.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from pos_app.journal.export import HEADER as TILL_HEADER
from pos_app.journal.export import _cell
from pos_app.server.store import LedgerRow

HEADER = (*TILL_HEADER, "till")


def write_csv(rows: Iterable[LedgerRow], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    n = 0
    for row in rows:
        r = row.record
        writer.writerow((r.created_at, r.order_reference, r.phone, r.amount_tzs,
                         r.state.report_status, _cell(r.channel), _cell(r.clickpesa_id),
                         _cell(r.message), r.mode, _cell(row.till)))
        n += 1
    return n
