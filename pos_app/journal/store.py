"""SQLite journal of attempts. Written before every push; survives the app being killed.

WAL with synchronous=FULL: each commit is on disk before the push it guards is sent, so a
crash (or power cut) at any moment leaves at least the attempt's NEW row behind, and the
till re-checks it on the next start. Never holds a secret: only phone, amount, reference,
ClickPesa's id/channel/message and timestamps — and as a second line of defence every
message and detail is passed through `pos_app.logs.mask` before it is written.

A read-only data folder or a full disk is said in those words (`pos_app.paths`), never as
sqlite's "attempt to write a readonly database".
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pos_app import paths
from pos_app.domain.attempt import AttemptRecord, AttemptState, check_transition
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.logs import mask
from pos_app.settings import Problem

SCHEMA_VERSION = 4
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    order_reference TEXT PRIMARY KEY,
    mode            TEXT NOT NULL CHECK (mode IN ('live', 'training')),
    phone           TEXT NOT NULL,
    amount_tzs      INTEGER NOT NULL CHECK (amount_tzs > 0),
    network_hint    TEXT NOT NULL DEFAULT '',
    till_name       TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT '',
    clickpesa_id    TEXT NOT NULL DEFAULT '',
    message         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_state ON attempts (state);
CREATE INDEX IF NOT EXISTS attempts_created ON attempts (created_at);
CREATE TABLE IF NOT EXISTS transitions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_reference TEXT NOT NULL REFERENCES attempts (order_reference),
    at              TEXT NOT NULL,
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS transitions_ref ON transitions (order_reference);
"""
# Version 2: the operator's transaction id, and when a FAILED / NOT_SENT attempt is due its
# one more look at ClickPesa (NULL: none due). Added to a version-1 journal in place.
_V2_COLUMNS = (
    ("payment_reference", "TEXT NOT NULL DEFAULT ''"),
    ("second_look_at", "TEXT"),
)
# Version 3 (close the day): which shift and cashier each attempt belongs to, and the
# shifts themselves. A step of its own, by column and table presence, so it runs the same on
# a version-1 or version-2 journal and next to other steps added on other branches.
_V3_COLUMNS = (
    ("shift", "TEXT NOT NULL DEFAULT ''"),
    ("cashier", "TEXT NOT NULL DEFAULT ''"),
)
_V3_SCHEMA = """
CREATE TABLE IF NOT EXISTS shifts (
    shift_id   TEXT PRIMARY KEY,
    mode       TEXT NOT NULL CHECK (mode IN ('live', 'training')),
    cashier    TEXT NOT NULL,
    till_name  TEXT NOT NULL DEFAULT '',
    opened_at  TEXT NOT NULL,
    closed_at  TEXT
);
CREATE INDEX IF NOT EXISTS attempts_shift ON attempts (shift);
"""
# Who wrote a transition: "" for the till's own follow-up, "reconcile" for the day's
# reconciliation with ClickPesa's payment list.
_V3_TRANSITION_COLUMNS = (("source", "TEXT NOT NULL DEFAULT ''"),)
# Version 4: the transactional outbox of the shop server (pos_app.shop). Every attempt and
# every transition of a live attempt is also written here, in the same transaction, as one
# event with a stable id `reference:sequence` (sequence 0 = the attempt's creation); the
# shop sender sends the unsent ones in order and marks them sent. A journal from before
# version 4 gets its whole history queued, so a till that joins a shop later sends it all.
_V3_OUTBOX = """
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL UNIQUE,
    order_reference TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
"""
_KEEP: object = object()  # transition(): leave this field as it is
KEEP = _KEEP


@dataclass(frozen=True)
class Change:
    """What `Journal.decide` writes (None / empty / _KEEP: as in `transition`)."""

    state: AttemptState
    channel: str | None = None
    clickpesa_id: str | None = None
    message: str | None = None
    detail: str = ""
    payment_reference: str | None = None
    second_look_at: object = _KEEP
    source: str = ""


@dataclass(frozen=True)
class Step:
    """One line of an attempt's timeline."""

    at: str
    from_state: str | None
    to_state: str
    detail: str
    source: str


@dataclass(frozen=True)
class ShiftRecord:
    """One cashier's stretch at the till, from Till → Open shift to Close shift."""

    shift_id: str
    mode: str
    cashier: str
    till_name: str
    opened_at: str  # ISO 8601 with offset
    closed_at: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ShiftError(Exception):
    """A shift cannot be opened or closed as asked (one is open already, none is open…)."""


_UNRESOLVED = tuple(s.value for s in AttemptState if s.is_unresolved)


class JournalError(Exception):
    """The journal could not be opened or written; the message says where and why.

    For a read-only folder or a full disk the message is a settings.Problem (English, with
    `template` and `values` for translation, see pos_app.ui.wording.settings_problem);
    `trouble` is then paths.READ_ONLY or paths.FULL."""

    def __init__(self, message: str, *, trouble: str | None = None) -> None:
        super().__init__(message)
        self.trouble = trouble


_NO_ATTEMPT = QT_TRANSLATE_NOOP("Messages", "No attempt {reference} in the journal.")
_CANNOT_BE = {  # one whole sentence each, for translation
    "opened": QT_TRANSLATE_NOOP("Messages", "The journal {path} cannot be opened: {error}"),
    "written": QT_TRANSLATE_NOOP("Messages", "The journal {path} cannot be written: {error}"),
    "read": QT_TRANSLATE_NOOP("Messages", "The journal {path} cannot be read: {error}"),
}


def _journal_error(path: Path, doing: str, exc: BaseException) -> JournalError:
    """`doing` is "opened", "written" or "read"."""
    trouble = paths.storage_trouble(exc)
    if trouble is None and doing != "read" and not isinstance(exc, sqlite3.IntegrityError):
        # "unable to open database file", "disk I/O error": the folder may be the cause.
        try:
            paths.write_probe(path.parent)
        except OSError as probe:
            trouble = paths.storage_trouble(probe)
    if trouble is not None:
        return JournalError(Problem(paths.STORAGE_MESSAGES[("journal", trouble)],
                                    path=path, folder=path.parent), trouble=trouble)
    return JournalError(Problem(_CANNOT_BE[doing], path=path, error=exc))


_SNAPSHOT = ("mode", "phone", "amount_tzs", "network_hint", "state", "channel", "clickpesa_id",
             "message", "payment_reference", "created_at", "updated_at", "shift", "cashier")


def _queue_event(db: sqlite3.Connection, ref: str, from_state: str | None, to_state: str,
                 at: str, detail: str) -> None:
    """The outbox event of the transition just written (same transaction); live only:
    training attempts never leave the till."""
    row = db.execute(f"SELECT {', '.join(_SNAPSHOT)} FROM attempts WHERE order_reference=?",
                     (ref,)).fetchone()
    if row is None or row["mode"] != "live":
        return
    seq = db.execute("SELECT count(*) FROM transitions WHERE order_reference=?",
                     (ref,)).fetchone()[0] - 1
    _insert_event(db, ref, seq, from_state, to_state, at, detail, dict(zip(_SNAPSHOT, row,
                                                                           strict=True)))


def _insert_event(db: sqlite3.Connection, ref: str, seq: int, from_state: str | None,
                  to_state: str, at: str, detail: str, snapshot: dict[str, object]) -> None:
    event = {"event_id": f"{ref}:{seq}", "order_reference": ref, "seq": seq,
             "from_state": from_state, "to_state": to_state, "at": at, "detail": detail,
             "attempt": snapshot}
    db.execute("INSERT OR IGNORE INTO outbox (event_id, order_reference, seq, payload)"
               " VALUES (?,?,?,?)", (event["event_id"], ref, seq,
                                     json.dumps(event, separators=(",", ":"))))


def _add_outbox(db: sqlite3.Connection) -> None:
    """Version 4: the outbox table, filled with the history already journalled."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name='outbox'").fetchone():
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _V3_OUTBOX.split(";"):
            if statement.strip():
                db.execute(statement)
        attempts = {r["order_reference"]: r for r in db.execute(
            f"SELECT order_reference, {', '.join(_SNAPSHOT)} FROM attempts WHERE mode='live'")}
        seqs: dict[str, int] = {}
        for t in db.execute("SELECT order_reference, at, from_state, to_state, detail"
                            " FROM transitions ORDER BY id").fetchall():
            ref = t["order_reference"]
            if ref not in attempts:
                continue
            seq = seqs.get(ref, -1) + 1
            seqs[ref] = seq
            snapshot = {k: attempts[ref][k] for k in _SNAPSHOT}
            _insert_event(db, ref, seq, t["from_state"], t["to_state"], t["at"], t["detail"],
                          snapshot)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def local_now() -> datetime:
    return datetime.now().astimezone()


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


class Journal:
    """Thread-safe: one connection behind a lock, used from worker threads."""

    def __init__(self, path: Path, *, mode: str,
                 now: Callable[[], datetime] = local_now) -> None:
        if mode not in ("live", "training"):
            raise ValueError(mode)
        self.path = Path(path)
        self.mode = mode
        self._now = now
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=10,
                                       isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalError(Problem(QT_TRANSLATE_NOOP(
                    "Messages", "The journal {path} was written by a newer version of the "
                                "till; update the till."), path=self.path))
            self._db.executescript(_SCHEMA)
            have = {r[1] for r in self._db.execute("PRAGMA table_info(attempts)")}
            for name, decl in _V2_COLUMNS:
                if name not in have:
                    self._db.execute(f"ALTER TABLE attempts ADD COLUMN {name} {decl}")
            self._migrate_v3(have)
            _add_outbox(self._db)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as exc:  # OSError: e.g. its folder cannot be made
            raise _journal_error(self.path, "opened", exc) from None

    def _migrate_v3(self, have: set[str]) -> None:
        for name, decl in _V3_COLUMNS:
            if name not in have:
                self._db.execute(f"ALTER TABLE attempts ADD COLUMN {name} {decl}")
        self._db.executescript(_V3_SCHEMA)
        have_t = {r[1] for r in self._db.execute("PRAGMA table_info(transitions)")}
        for name, decl in _V3_TRANSITION_COLUMNS:
            if name not in have_t:
                self._db.execute(f"ALTER TABLE transitions ADD COLUMN {name} {decl}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    # SQLite rolls back by itself on some errors (a full disk, SQLITE_FULL):
                    # a second ROLLBACK would then hide the real cause behind "no transaction".
                    if self._db.in_transaction:
                        try:
                            self._db.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise _journal_error(self.path, "written", exc) from None

    # -- writing -----------------------------------------------------------------------

    def record_new(self, order_reference: str, *, phone: str, amount_tzs: int,
                   network_hint: str = "", till_name: str = "",
                   detail: str = "journalled", shift: str = "",
                   cashier: str = "") -> AttemptRecord:
        """Write the attempt BEFORE its push is sent. Fails if the reference exists.
        `detail` is the first line of its history (e.g. why the cashier charged anyway).
        `shift` and `cashier` are "" when no shift is open."""
        at = _iso(self._now())
        with self._tx() as db:
            db.execute(
                "INSERT INTO attempts (order_reference, mode, phone, amount_tzs, network_hint,"
                " till_name, state, created_at, updated_at, shift, cashier)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (order_reference, self.mode, phone, amount_tzs, mask(network_hint),
                 mask(till_name), AttemptState.NEW.value, at, at, shift, mask(cashier)))
            db.execute("INSERT INTO transitions (order_reference, at, from_state, to_state,"
                       " detail) VALUES (?,?,?,?,?)",
                       (order_reference, at, None, AttemptState.NEW.value, mask(detail)))
            _queue_event(db, order_reference, None, AttemptState.NEW.value, at, mask(detail))
        record = self.get(order_reference)
        assert record is not None
        return record

    def transition(self, order_reference: str, new: AttemptState, *,
                   channel: str | None = None, clickpesa_id: str | None = None,
                   message: str | None = None, detail: str = "",
                   payment_reference: str | None = None,
                   second_look_at: object = _KEEP, source: str = "") -> AttemptRecord:
        """Move an attempt to `new`. A field given as None (or, for channel, id and payment
        reference, empty) keeps what the journal has; `message=""` clears it.
        `second_look_at`: an ISO time (one more look is due then), None (none due), or left
        out (unchanged)."""
        change = Change(new, channel=channel, clickpesa_id=clickpesa_id, message=message,
                        detail=detail, payment_reference=payment_reference,
                        second_look_at=second_look_at, source=source)
        return self.decide(order_reference, lambda _record: change)

    def decide(self, order_reference: str,
               choose: Callable[[AttemptRecord], Change | None]) -> AttemptRecord:
        """Read the attempt, let `choose` decide what changes, and write it — all in one
        transaction, so two checks of one attempt on two workers never act on a stale state.
        `choose` returning None changes nothing. Raises IllegalTransition (and writes
        nothing) when the change is not allowed from the state the journal holds."""
        at = _iso(self._now())
        with self._tx() as db:
            row = db.execute("SELECT * FROM attempts WHERE order_reference=?",
                             (order_reference,)).fetchone()
            if row is None:
                raise JournalError(Problem(_NO_ATTEMPT, reference=order_reference))
            change = choose(self._record(row))
            if change is not None:
                self._apply(db, row, change, at)
        record = self.get(order_reference)
        assert record is not None
        return record

    @staticmethod
    def _apply(db: sqlite3.Connection, row: sqlite3.Row, change: Change, at: str) -> None:
        old, new = AttemptState(row["state"]), change.state
        # Second line of defence: no registered secret (token, keys) is ever written.
        fields = {"channel": mask(change.channel or row["channel"]),
                  "clickpesa_id": mask(change.clickpesa_id or row["clickpesa_id"]),
                  "message": row["message"] if change.message is None else mask(change.message),
                  "payment_reference": change.payment_reference or row["payment_reference"],
                  "second_look_at": row["second_look_at"] if change.second_look_at is _KEEP
                  else change.second_look_at}
        if old is new and all(fields[k] == row[k] for k in fields):
            return  # nothing to write (e.g. NEW stays NEW after a 404 that proves nothing yet)
        check_transition(old, new)
        ref = row["order_reference"]
        db.execute("UPDATE attempts SET state=?, channel=?, clickpesa_id=?, message=?,"
                   " payment_reference=?, second_look_at=?, updated_at=?"
                   " WHERE order_reference=?",
                   (new.value, fields["channel"], fields["clickpesa_id"], fields["message"],
                    fields["payment_reference"], fields["second_look_at"], at, ref))
        db.execute("INSERT INTO transitions (order_reference, at, from_state, to_state,"
                   " detail, source) VALUES (?,?,?,?,?,?)",
                   (ref, at, old.value, new.value, mask(change.detail), change.source))
        _queue_event(db, ref, old.value, new.value, at, mask(change.detail))

    def note(self, order_reference: str, detail: str) -> None:
        """Record an event that does not change the state (e.g. the cashier stopped waiting)."""
        at = _iso(self._now())
        detail = mask(detail)
        with self._tx() as db:
            row = db.execute("SELECT state FROM attempts WHERE order_reference=?",
                             (order_reference,)).fetchone()
            if row is None:
                raise JournalError(Problem(_NO_ATTEMPT, reference=order_reference))
            db.execute("INSERT INTO transitions (order_reference, at, from_state, to_state,"
                       " detail) VALUES (?,?,?,?,?)",
                       (order_reference, at, row["state"], row["state"], detail))
            _queue_event(db, order_reference, row["state"], row["state"], at, detail)

    # -- reading -----------------------------------------------------------------------

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise _journal_error(self.path, "read", exc) from None

    @staticmethod
    def _record(row: sqlite3.Row) -> AttemptRecord:
        return AttemptRecord(
            order_reference=row["order_reference"], mode=row["mode"], phone=row["phone"],
            amount_tzs=row["amount_tzs"], network_hint=row["network_hint"],
            state=AttemptState(row["state"]), created_at=row["created_at"],
            updated_at=row["updated_at"], channel=row["channel"],
            clickpesa_id=row["clickpesa_id"], message=row["message"], till_name=row["till_name"],
            payment_reference=row["payment_reference"], second_look_at=row["second_look_at"],
            shift=row["shift"], cashier=row["cashier"])

    def get(self, order_reference: str) -> AttemptRecord | None:
        rows = self._query("SELECT * FROM attempts WHERE order_reference=?", (order_reference,))
        return self._record(rows[0]) if rows else None

    def unresolved(self) -> list[AttemptRecord]:
        marks = ",".join("?" * len(_UNRESOLVED))
        rows = self._query(f"SELECT * FROM attempts WHERE state IN ({marks})"
                           " ORDER BY created_at, rowid", _UNRESOLVED)
        return [self._record(r) for r in rows]

    def second_looks(self) -> list[AttemptRecord]:
        """FAILED / NOT_SENT attempts still due their one more look at ClickPesa."""
        rows = self._query("SELECT * FROM attempts WHERE second_look_at IS NOT NULL"
                           " ORDER BY second_look_at, rowid")
        return [self._record(r) for r in rows]

    def attempts(self, date_from: date | None = None,
                 date_to: date | None = None) -> list[AttemptRecord]:
        """Attempts by the local date they were created on, oldest first, both ends included."""
        sql, args = "SELECT * FROM attempts WHERE 1=1", []
        if date_from:
            sql += " AND substr(created_at, 1, 10) >= ?"
            args.append(date_from.isoformat())
        if date_to:
            sql += " AND substr(created_at, 1, 10) <= ?"
            args.append(date_to.isoformat())
        return [self._record(r) for r in self._query(sql + " ORDER BY created_at, rowid",
                                                      tuple(args))]

    def recent(self, limit: int = 50) -> list[AttemptRecord]:
        rows = self._query("SELECT * FROM attempts ORDER BY created_at DESC, rowid DESC LIMIT ?",
                           (limit,))
        return [self._record(r) for r in rows]

    def transitions(self, order_reference: str) -> list[tuple[str, str | None, str, str]]:
        rows = self._query("SELECT at, from_state, to_state, detail FROM transitions"
                           " WHERE order_reference=? ORDER BY id", (order_reference,))
        return [(r["at"], r["from_state"], r["to_state"], r["detail"]) for r in rows]

    def paid_total(self, day: date) -> tuple[int, int]:
        """(number of paid attempts, shillings) created on `day`."""
        rows = self._query("SELECT count(*), coalesce(sum(amount_tzs), 0) FROM attempts"
                           " WHERE state=? AND substr(created_at, 1, 10)=?",
                           (AttemptState.PAID.value, day.isoformat()))
        return (rows[0][0], rows[0][1])

    def timeline(self, order_reference: str) -> list[Step]:
        rows = self._query("SELECT at, from_state, to_state, detail, source FROM transitions"
                           " WHERE order_reference=? ORDER BY id", (order_reference,))
        return [Step(r["at"], r["from_state"], r["to_state"], r["detail"], r["source"])
                for r in rows]

    def in_shift(self, shift_id: str) -> list[AttemptRecord]:
        """The attempts made during one shift, oldest first."""
        rows = self._query("SELECT * FROM attempts WHERE shift=? ORDER BY created_at, rowid",
                           (shift_id,))
        return [self._record(r) for r in rows]

    def attempt_count(self) -> int:
        return int(self._query("SELECT count(*) FROM attempts")[0][0])

    # -- shifts ------------------------------------------------------------------------

    @staticmethod
    def _shift(row: sqlite3.Row) -> ShiftRecord:
        return ShiftRecord(row["shift_id"], row["mode"], row["cashier"], row["till_name"],
                           row["opened_at"], row["closed_at"])

    def open_shift(self, cashier: str, *, till_name: str = "") -> ShiftRecord:
        """Start a shift for `cashier`. Only one shift is open at a time (ShiftError)."""
        name = " ".join(cashier.split())[:40]
        if not name:
            raise ShiftError(QT_TRANSLATE_NOOP("Messages", "A shift needs the cashier's name."))
        now = self._now()
        at = _iso(now)
        with self._tx() as db:
            if db.execute("SELECT 1 FROM shifts WHERE closed_at IS NULL").fetchone():
                raise ShiftError(QT_TRANSLATE_NOOP(
                    "Messages", "A shift is open already; close it first."))
            day = now.strftime("%Y%m%d")
            n = db.execute("SELECT count(*) FROM shifts WHERE shift_id LIKE ?",
                           (day + "-%",)).fetchone()[0]
            shift_id = f"{day}-{n + 1}"
            db.execute("INSERT INTO shifts (shift_id, mode, cashier, till_name, opened_at)"
                       " VALUES (?,?,?,?,?)", (shift_id, self.mode, mask(name),
                                                mask(till_name), at))
        found = self.shift(shift_id)
        assert found is not None
        return found

    def close_shift(self, shift_id: str) -> ShiftRecord:
        at = _iso(self._now())
        with self._tx() as db:
            row = db.execute("SELECT * FROM shifts WHERE shift_id=?", (shift_id,)).fetchone()
            if row is None:
                raise ShiftError(Problem(QT_TRANSLATE_NOOP(
                    "Messages", "There is no shift {shift}."), shift=shift_id))
            if row["closed_at"] is not None:
                raise ShiftError(Problem(QT_TRANSLATE_NOOP(
                    "Messages", "Shift {shift} was closed already."), shift=shift_id))
            db.execute("UPDATE shifts SET closed_at=? WHERE shift_id=?", (at, shift_id))
        found = self.shift(shift_id)
        assert found is not None
        return found

    def shift(self, shift_id: str) -> ShiftRecord | None:
        rows = self._query("SELECT * FROM shifts WHERE shift_id=?", (shift_id,))
        return self._shift(rows[0]) if rows else None

    def open_shift_now(self) -> ShiftRecord | None:
        """The shift open at this till, if any."""
        rows = self._query("SELECT * FROM shifts WHERE closed_at IS NULL"
                           " ORDER BY opened_at DESC LIMIT 1")
        return self._shift(rows[0]) if rows else None

    # -- the history window ---------------------------------------------------------------

    HISTORY_COLUMNS = ("created_at", "order_reference", "phone", "amount_tzs", "state",
                       "channel", "shift", "cashier", "till_name", "clickpesa_id", "rowid")

    def history_rows(self, *, before: int | None = None, limit: int = -1
                     ) -> list[tuple[str, str, str, int, str, str, str, str, str, str, int]]:
        """Attempts as plain tuples (HISTORY_COLUMNS, the last is the rowid), newest first:
        `limit` of them (-1: all) older than rowid `before`. The history window reads a
        screenful first and the rest in chunks; plain tuples are several times faster to
        make than AttemptRecords. Newest first is the order they were written in."""
        cols = ", ".join(self.HISTORY_COLUMNS)
        sql = f"SELECT {cols} FROM attempts"
        args: tuple[object, ...] = ()
        if before is not None:
            sql += " WHERE rowid < ?"
            args = (before,)
        with self._lock:
            try:
                cursor = self._db.cursor()
                cursor.row_factory = None  # plain tuples
                return cursor.execute(sql + " ORDER BY rowid DESC LIMIT ?",
                                      (*args, limit)).fetchall()
            except sqlite3.Error as exc:
                raise _journal_error(self.path, "read", exc) from None
