"""Reading the journal's outbox (written by pos_app.journal.store in the same transaction as
each attempt and transition) and marking what the server acknowledged.

Its own SQLite connection: the sender may run in the till's window process or on its own
(`pos-app shop sync`); WAL lets it read while the till writes, and marking a batch sent is a
short write that waits its turn (busy timeout).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Pending:
    id: int
    event_id: str
    event: dict[str, Any]


class Outbox:
    def __init__(self, journal_path: Path) -> None:
        self.path = Path(journal_path)
        self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout=10000")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _has_table(self) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE name='outbox'"
                                ).fetchone() is not None

    def pending(self, limit: int = 200) -> list[Pending]:
        """The oldest unsent events, in the order they were journalled."""
        if not self._has_table():
            return []
        rows = self._db.execute("SELECT id, event_id, payload FROM outbox WHERE sent_at IS NULL"
                                " ORDER BY id LIMIT ?", (limit,)).fetchall()
        return [Pending(r["id"], r["event_id"], json.loads(r["payload"])) for r in rows]

    def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        if not ids:
            return
        stamp = at.isoformat(timespec="seconds")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany("UPDATE outbox SET sent_at=? WHERE id=?",
                                 [(stamp, i) for i in ids])
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def backlog(self) -> int:
        if not self._has_table():
            return 0
        return self._db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL"
                                ).fetchone()[0]

    def prune(self, now: datetime, keep: timedelta = timedelta(days=30)) -> int:
        """Forget events the server acknowledged more than `keep` ago."""
        if not self._has_table():
            return 0
        cutoff = (now - keep).isoformat(timespec="seconds")
        return self._db.execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?",
                                (cutoff,)).rowcount
