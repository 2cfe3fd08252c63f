"""Ingest: the events a till sends, applied to the shop's ledger exactly once and in order.

Each event is one row of the till's journal history: the attempt's creation (sequence 0, to
NEW) or one of its transitions (sequence 1, 2, …), with the attempt as it stood right after it
(`snapshot`). Its id is `reference:sequence`, so a batch sent twice — a retry after a lost
reply, or to another server process — changes nothing the second time.

Per attempt the server applies events strictly in sequence order (an event whose predecessor
has not arrived waits) and only along the domain's transition table, from the state the
ledger holds: an event that would move the state backwards (PAID → PENDING) is stored and
flagged, never applied. A till writes only its own attempts: an event for a reference another
till created is refused, and the whole batch with it.

Per attempt the work runs under a transaction-scoped advisory lock on the reference, taken in
sorted order, so two server processes given overlapping batches neither interleave nor
deadlock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg

from pos_app.domain.attempt import ALLOWED, AttemptState

MAX_BATCH = 500
_REF = re.compile(r"[A-Za-z0-9]{1,20}")
_PHONE = re.compile(r"\d{6,15}")
_SHORT = 200  # channel, ids, network hint
_LONG = 1000  # message, detail


class BadEvent(ValueError):
    """An event that cannot be read; the message says which field."""


class ForeignAttempt(Exception):
    """The batch touches an attempt another till created."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"Attempt {reference} belongs to another till.")
        self.reference = reference


@dataclass(frozen=True)
class Event:
    event_id: str
    order_reference: str
    seq: int
    from_state: str | None
    to_state: str
    at: datetime
    detail: str
    snapshot: dict[str, Any]


@dataclass
class IngestResult:
    applied: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "duplicate": self.duplicate, "flagged": self.flagged,
                "waiting": self.waiting,
                "received": len(self.applied) + len(self.duplicate) + len(self.flagged)
                + len(self.waiting)}


def _text(d: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = d.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadEvent(f"'{key}' must be text")
    if required and not value:
        raise BadEvent(f"'{key}' is missing")
    return value[:limit]


def parse_time(value: object, key: str) -> datetime:
    if not isinstance(value, str):
        raise BadEvent(f"'{key}' must be an ISO 8601 time with its offset")
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadEvent(f"'{key}' = {value[:40]!r} is not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise BadEvent(f"'{key}' = {value[:40]!r} has no offset (the till sends local time "
                       "with its offset)")
    return at


def _state(value: object, key: str) -> str:
    try:
        return AttemptState(value).value
    except ValueError:
        raise BadEvent(f"'{key}' = {str(value)[:20]!r} is not a state") from None


def parse_event(raw: object) -> Event:
    if not isinstance(raw, dict):
        raise BadEvent("an event must be an object")
    ref = raw.get("order_reference")
    if not isinstance(ref, str) or not _REF.fullmatch(ref):
        raise BadEvent("'order_reference' must be 1-20 letters and digits")
    seq = raw.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 1_000_000:
        raise BadEvent("'seq' must be a whole number from 0")
    event_id = raw.get("event_id")
    if event_id != f"{ref}:{seq}":
        raise BadEvent("'event_id' must be order_reference:seq")
    from_raw = raw.get("from_state")
    from_state = None if from_raw is None else _state(from_raw, "from_state")
    to_state = _state(raw.get("to_state"), "to_state")
    if (seq == 0) != (from_state is None) or (seq == 0 and to_state != AttemptState.NEW.value):
        raise BadEvent("sequence 0, and only it, is the attempt's creation (None -> NEW)")
    at = parse_time(raw.get("at"), "at")
    snap = raw.get("attempt")
    if not isinstance(snap, dict):
        raise BadEvent("'attempt' (the attempt after this event) is missing")
    mode = snap.get("mode")
    if mode not in ("live", "training"):
        raise BadEvent("'attempt.mode' must be live or training")
    amount = snap.get("amount_tzs")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount < 10**12:
        raise BadEvent("'attempt.amount_tzs' must be a positive whole number")
    phone = snap.get("phone")
    if not isinstance(phone, str) or not _PHONE.fullmatch(phone):
        raise BadEvent("'attempt.phone' must be digits")
    created = snap.get("created_at")
    parse_time(created, "attempt.created_at")
    updated = snap.get("updated_at", created)
    parse_time(updated, "attempt.updated_at")
    snapshot = {
        "mode": mode, "amount_tzs": amount, "phone": phone, "created_at": created,
        "updated_at": updated,
        "state": _state(snap.get("state", to_state), "attempt.state"),
        "network_hint": _text(snap, "network_hint", _SHORT),
        "channel": _text(snap, "channel", _SHORT),
        "clickpesa_id": _text(snap, "clickpesa_id", _SHORT),
        "message": _text(snap, "message", _LONG),
        "payment_reference": _text(snap, "payment_reference", _SHORT),
        "shift": _text(snap, "shift", _SHORT),
        "cashier": _text(snap, "cashier", _SHORT),
    }
    return Event(event_id, ref, seq, from_state, to_state, at,
                 _text(raw, "detail", _LONG), snapshot)


def parse_batch(body: object) -> tuple[list[Event], dict[str, int]]:
    """(events, {day: calls}) from a request body; BadEvent names the first bad field."""
    if not isinstance(body, dict):
        raise BadEvent("the body must be a JSON object")
    raw_events = body.get("events", [])
    if not isinstance(raw_events, list):
        raise BadEvent("'events' must be a list")
    if len(raw_events) > MAX_BATCH:
        raise BadEvent(f"at most {MAX_BATCH} events per request")
    events = []
    for i, raw in enumerate(raw_events):
        try:
            events.append(parse_event(raw))
        except BadEvent as exc:
            raise BadEvent(f"event {i}: {exc}") from None
    usage: dict[str, int] = {}
    raw_usage = body.get("api_calls", {})
    if not isinstance(raw_usage, dict):
        raise BadEvent("'api_calls' must map YYYY-MM-DD to a count")
    for day, calls in raw_usage.items():
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            raise BadEvent(f"'api_calls': {str(day)[:12]!r} is not a date") from None
        if not isinstance(calls, int) or isinstance(calls, bool) or not 0 <= calls < 10**7:
            raise BadEvent("'api_calls' counts must be whole numbers")
        usage[day] = calls
    return events, usage


def _lock(conn: psycopg.Connection, reference: str) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (reference,))


def ingest(conn: psycopg.Connection, till_id: int, events: list[Event],
           usage: dict[str, int] | None = None) -> IngestResult:
    """Store and apply `events` of till `till_id`, inside the caller's transaction."""
    result = IngestResult()
    by_ref: dict[str, list[Event]] = {}
    for e in events:
        by_ref.setdefault(e.order_reference, []).append(e)
    for ref in sorted(by_ref):
        _lock(conn, ref)
        owner = conn.execute("SELECT till_id FROM attempts WHERE order_reference=%s",
                             (ref,)).fetchone()
        if owner is None:
            owner = conn.execute("SELECT till_id FROM events WHERE order_reference=%s LIMIT 1",
                                 (ref,)).fetchone()
        if owner is not None and owner["till_id"] != till_id:
            raise ForeignAttempt(ref)
        for e in sorted(by_ref[ref], key=lambda ev: ev.seq):
            inserted = conn.execute(
                "INSERT INTO events (event_id, till_id, order_reference, seq, from_state,"
                " to_state, at, detail, snapshot) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT DO NOTHING",
                (e.event_id, till_id, ref, e.seq, e.from_state, e.to_state, e.at, e.detail,
                 json.dumps(e.snapshot))).rowcount
            if not inserted:
                result.duplicate.append(e.event_id)
        _drain(conn, till_id, ref, result)
    for day, calls in (usage or {}).items():
        # A till reports its running count for the day: keep the highest seen, so a resent
        # or reordered report never lowers it.
        conn.execute("INSERT INTO api_usage (till_id, day, calls) VALUES (%s,%s,%s)"
                     " ON CONFLICT (till_id, day) DO UPDATE"
                     " SET calls = greatest(api_usage.calls, EXCLUDED.calls)",
                     (till_id, day, calls))
    return result


def _drain(conn: psycopg.Connection, till_id: int, ref: str, result: IngestResult) -> None:
    """Apply this attempt's waiting events for as long as the next one in sequence is there."""
    attempt = conn.execute("SELECT state, last_seq FROM attempts WHERE order_reference=%s",
                           (ref,)).fetchone()
    waiting = conn.execute(
        "SELECT event_id, seq, to_state, snapshot FROM events"
        " WHERE order_reference=%s AND status='waiting' ORDER BY seq", (ref,)).fetchall()
    next_seq = 0 if attempt is None else attempt["last_seq"] + 1
    state = None if attempt is None else attempt["state"]
    for ev in waiting:
        if ev["seq"] != next_seq:
            break
        snap = ev["snapshot"]
        if attempt is None:
            conn.execute(
                "INSERT INTO attempts (order_reference, till_id, mode, phone, amount_tzs,"
                " network_hint, state, channel, clickpesa_id, message, payment_reference,"
                " created_at, created_at_text, updated_at, updated_at_text, last_seq,"
                " shift, cashier)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,0,%s,%s)",
                (ref, till_id, snap["mode"], snap["phone"], snap["amount_tzs"],
                 snap["network_hint"], AttemptState.NEW.value, snap["channel"],
                 snap["clickpesa_id"], snap["message"], snap["payment_reference"],
                 snap["created_at"], snap["created_at"], snap["updated_at"],
                 snap["updated_at"], snap.get("shift", ""), snap.get("cashier", "")))
            attempt = {"state": AttemptState.NEW.value, "last_seq": 0}
            state = AttemptState.NEW.value
            status = "applied"
        else:
            old, new = AttemptState(state), AttemptState(ev["to_state"])
            if new is old or new in ALLOWED[old]:
                conn.execute(
                    "UPDATE attempts SET state=%s, channel=%s, clickpesa_id=%s, message=%s,"
                    " payment_reference=%s, updated_at=%s, updated_at_text=%s, last_seq=%s"
                    " WHERE order_reference=%s",
                    (new.value, snap["channel"], snap["clickpesa_id"], snap["message"],
                     snap["payment_reference"], snap["updated_at"], snap["updated_at"],
                     ev["seq"], ref))
                state = new.value
                status = "applied"
            else:
                conn.execute("UPDATE attempts SET last_seq=%s, flagged=flagged+1"
                             " WHERE order_reference=%s", (ev["seq"], ref))
                status = "flagged"
        flag = "" if status == "applied" else f"{state} -> {ev['to_state']} is not allowed"
        conn.execute("UPDATE events SET status=%s, flag=%s WHERE event_id=%s",
                     (status, flag, ev["event_id"]))
        (result.applied if status == "applied" else result.flagged).append(ev["event_id"])
        next_seq += 1
    else:
        return
    # Events left behind wait for an earlier one.
    done = set(result.applied) | set(result.flagged)
    result.waiting.extend(ev["event_id"] for ev in waiting
                          if ev["event_id"] not in done and ev["seq"] >= next_seq)
