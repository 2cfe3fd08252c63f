"""Tills, owners, sessions and shop settings in the ledger database (plain SQL, no ORM)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg

from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.server import security

CODE_LIFETIME = timedelta(hours=24)
SESSION_LIFETIME = timedelta(hours=12)
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}")
DEFAULT_TIMEZONE = "Africa/Dar_es_Salaam"
LIVE = "live"


class StoreProblem(ValueError):
    """An operator's request that cannot be done; the message says why."""


def utcnow() -> datetime:
    return datetime.now(UTC)


# -- shop settings ----------------------------------------------------------------------------


def get_setting(conn: psycopg.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM shop_settings WHERE key=%s", (key,)).fetchone()
    return default if row is None else row["value"]


def set_setting(conn: psycopg.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO shop_settings (key, value) VALUES (%s,%s)"
                 " ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value", (key, value))


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise StoreProblem(f"'{name}' is not a time zone name (e.g. Africa/Dar_es_Salaam)."
                           ) from None


def shop_timezone(conn: psycopg.Connection) -> ZoneInfo:
    name = get_setting(conn, "timezone", DEFAULT_TIMEZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def shop_today(conn: psycopg.Connection, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(shop_timezone(conn)).date()


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the shop's local day `day`, whatever the server's own zone."""
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return start, end


# -- tills ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Till:
    id: int
    name: str
    state: str  # "waiting to join", "joined", "revoked"
    created_at: datetime
    joined_at: datetime | None
    revoked_at: datetime | None
    last_seen_at: datetime | None


def _till(row: dict[str, Any]) -> Till:
    state = ("revoked" if row["revoked_at"] else "joined" if row["secret_hash"]
             else "waiting to join")
    return Till(row["id"], row["name"], state, row["created_at"], row["joined_at"],
                row["revoked_at"], row["last_seen_at"])


def clean_till_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not 1 <= len(text) <= 40 or any(not ch.isprintable() for ch in text):
        raise StoreProblem("A till name is 1 to 40 printable characters.")
    return text


def add_till(conn: psycopg.Connection, name: str, now: datetime | None = None) -> str:
    """Add a till (or give a not-yet-joined one a new code); return its one-time code."""
    name = clean_till_name(name)
    now = now or utcnow()
    code = security.new_enrolment_code()
    row = conn.execute("SELECT * FROM tills WHERE name=%s FOR UPDATE", (name,)).fetchone()
    if row is not None and (row["secret_hash"] or row["revoked_at"]):
        raise StoreProblem(f"A till named '{name}' already exists "
                           f"({_till(row).state}); choose another name.")
    if row is None:
        conn.execute("INSERT INTO tills (name, code_hash, code_expires_at, created_at)"
                     " VALUES (%s,%s,%s,%s)",
                     (name, security.hash_code(code), now + CODE_LIFETIME, now))
    else:
        conn.execute("UPDATE tills SET code_hash=%s, code_expires_at=%s WHERE id=%s",
                     (security.hash_code(code), now + CODE_LIFETIME, row["id"]))
    return code


def list_tills(conn: psycopg.Connection) -> list[Till]:
    return [_till(r) for r in conn.execute("SELECT * FROM tills ORDER BY name").fetchall()]


def revoke_till(conn: psycopg.Connection, name: str, now: datetime | None = None) -> Till:
    row = conn.execute("UPDATE tills SET revoked_at=coalesce(revoked_at, %s), code_hash=NULL"
                       " WHERE name=%s RETURNING *", (now or utcnow(), name)).fetchone()
    if row is None:
        raise StoreProblem(f"No till named '{name}'.")
    return _till(row)


class JoinRefused(Exception):
    """The code is wrong, used or expired; one sentence for the till's operator."""


def join_till(conn: psycopg.Connection, code: str, now: datetime | None = None
              ) -> tuple[Till, str]:
    """Exchange a one-time code for the till's secret (returned once, stored hashed)."""
    now = now or utcnow()
    rows = conn.execute("SELECT * FROM tills WHERE code_hash IS NOT NULL AND revoked_at IS NULL"
                        " AND code_expires_at > %s FOR UPDATE", (now,)).fetchall()
    for row in rows:
        if security.verify_code(row["code_hash"], code):
            secret = security.new_till_secret()
            joined = conn.execute(
                "UPDATE tills SET code_hash=NULL, code_expires_at=NULL, secret_hash=%s,"
                " joined_at=%s, last_seen_at=%s WHERE id=%s RETURNING *",
                (security.token_hash(secret), now, now, row["id"])).fetchone()
            return _till(joined), secret
    raise JoinRefused("This code is not valid: it is wrong, already used or more than 24 hours "
                      "old. Ask the owner for a new one (pos-app-server till add NAME).")


class TillRefused(Exception):
    def __init__(self, message: str, *, revoked: bool = False) -> None:
        super().__init__(message)
        self.revoked = revoked


def till_for_secret(conn: psycopg.Connection, secret: str, now: datetime | None = None) -> Till:
    row = conn.execute("SELECT * FROM tills WHERE secret_hash=%s",
                       (security.token_hash(secret),)).fetchone()
    if row is None:
        raise TillRefused("Unknown till secret.")
    if row["revoked_at"] is not None:
        raise TillRefused("This till was revoked by the owner.", revoked=True)
    conn.execute("UPDATE tills SET last_seen_at=%s WHERE id=%s", (now or utcnow(), row["id"]))
    return _till(row)


# -- owners and sessions ----------------------------------------------------------------------


def clean_email(email: str) -> str:
    text = (email or "").strip().lower()
    if not _EMAIL.fullmatch(text):
        raise StoreProblem(f"'{email}' is not an e-mail address.")
    return text


MIN_PASSWORD = 10


def add_owner(conn: psycopg.Connection, email: str, password: str) -> bool:
    """Add the owner, or set a new password if the e-mail exists; True when added."""
    email = clean_email(email)
    if len(password) < MIN_PASSWORD:
        raise StoreProblem(f"The password must be at least {MIN_PASSWORD} characters.")
    hashed = security.hash_password(password)
    row = conn.execute("INSERT INTO owners (email, password_hash) VALUES (%s,%s)"
                       " ON CONFLICT (email) DO UPDATE SET password_hash=EXCLUDED.password_hash"
                       " RETURNING (xmax = 0) AS added", (email, hashed)).fetchone()
    if not row["added"]:
        conn.execute("DELETE FROM sessions WHERE owner_id=(SELECT id FROM owners WHERE email=%s)",
                     (email,))
    return bool(row["added"])


LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 20


def login_blocked(conn: psycopg.Connection, email: str, ip: str, now: datetime) -> bool:
    since = now - LOGIN_WINDOW
    row = conn.execute(
        "SELECT count(*) FILTER (WHERE email=%s) AS by_email,"
        " count(*) FILTER (WHERE ip=%s) AS by_ip FROM login_failures WHERE at > %s",
        (email, ip, since)).fetchone()
    return row["by_email"] >= MAX_FAILURES_PER_EMAIL or row["by_ip"] >= MAX_FAILURES_PER_IP


def owner_hash(conn: psycopg.Connection, email: str) -> tuple[int | None, str | None]:
    row = conn.execute("SELECT id, password_hash FROM owners WHERE email=%s",
                       (email,)).fetchone()
    return (None, None) if row is None else (row["id"], row["password_hash"])


def record_failure(conn: psycopg.Connection, email: str, ip: str, now: datetime) -> None:
    conn.execute("INSERT INTO login_failures (email, ip, at) VALUES (%s,%s,%s)",
                 (email[:254], ip[:64], now))
    conn.execute("DELETE FROM login_failures WHERE at < %s", (now - 4 * LOGIN_WINDOW,))


def start_session(conn: psycopg.Connection, owner_id: int, now: datetime) -> tuple[str, str]:
    """(cookie value, CSRF token) of a new session."""
    token, csrf = security.new_token(), security.new_token()
    conn.execute("DELETE FROM sessions WHERE expires_at < %s", (now,))
    conn.execute("INSERT INTO sessions (token_hash, owner_id, csrf_token, created_at, expires_at)"
                 " VALUES (%s,%s,%s,%s,%s)",
                 (security.token_hash(token), owner_id, csrf, now, now + SESSION_LIFETIME))
    return token, csrf


@dataclass(frozen=True)
class Session:
    owner_id: int
    email: str
    csrf_token: str
    token_hash: str


def session_for(conn: psycopg.Connection, token: str, now: datetime) -> Session | None:
    row = conn.execute(
        "SELECT s.owner_id, s.csrf_token, s.token_hash, o.email FROM sessions s"
        " JOIN owners o ON o.id = s.owner_id WHERE s.token_hash=%s AND s.expires_at > %s",
        (security.token_hash(token), now)).fetchone()
    if row is None:
        return None
    return Session(row["owner_id"], row["email"], row["csrf_token"], row["token_hash"])


def end_session(conn: psycopg.Connection, token_hash: str) -> None:
    conn.execute("DELETE FROM sessions WHERE token_hash=%s", (token_hash,))


# -- reading the ledger -----------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    record: AttemptRecord
    till: str
    flagged: int


def _record(row: dict[str, Any]) -> AttemptRecord:
    return AttemptRecord(
        order_reference=row["order_reference"], mode=row["mode"], phone=row["phone"],
        amount_tzs=int(row["amount_tzs"]), network_hint=row["network_hint"],
        state=AttemptState(row["state"]), created_at=row["created_at_text"],
        updated_at=row["updated_at_text"], channel=row["channel"],
        clickpesa_id=row["clickpesa_id"], message=row["message"], till_name=row["till"],
        payment_reference=row["payment_reference"], shift=row.get("shift", ""),
        cashier=row.get("cashier", ""))


_SELECT = ("SELECT a.*, t.name AS till FROM attempts a JOIN tills t ON t.id = a.till_id")


def day_rows(conn: psycopg.Connection, day: date, *, mode: str = LIVE,
             till: str | None = None) -> list[LedgerRow]:
    start, end = day_bounds(day, shop_timezone(conn))
    sql = _SELECT + " WHERE a.mode=%s AND a.created_at >= %s AND a.created_at < %s"
    args: list[Any] = [mode, start, end]
    if till is not None:
        sql += " AND t.name=%s"
        args.append(till)
    rows = conn.execute(sql + " ORDER BY a.created_at, a.order_reference", args).fetchall()
    return [LedgerRow(_record(r), r["till"], r["flagged"]) for r in rows]


def open_rows(conn: psycopg.Connection, *, mode: str = LIVE, limit: int = 200) -> list[LedgerRow]:
    """Unresolved and needs-attention attempts of every till, any day, oldest first."""
    states = [s.value for s in AttemptState if s.is_unresolved] + [AttemptState.ATTENTION.value]
    rows = conn.execute(_SELECT + " WHERE a.mode=%s AND (a.state = ANY(%s) OR a.flagged > 0)"
                        " ORDER BY a.created_at LIMIT %s", (mode, states, limit)).fetchall()
    return [LedgerRow(_record(r), r["till"], r["flagged"]) for r in rows]


def latest_paid(conn: psycopg.Connection, *, limit: int = 10, mode: str = LIVE
                ) -> list[LedgerRow]:
    rows = conn.execute(_SELECT + " WHERE a.mode=%s AND a.state=%s"
                        " ORDER BY a.updated_at DESC, a.order_reference DESC LIMIT %s",
                        (mode, AttemptState.PAID.value, limit)).fetchall()
    return [LedgerRow(_record(r), r["till"], r["flagged"]) for r in rows]


def api_calls_on(conn: psycopg.Connection, day: date) -> list[tuple[str, int]]:
    rows = conn.execute("SELECT t.name, u.calls FROM api_usage u JOIN tills t ON t.id=u.till_id"
                        " WHERE u.day=%s ORDER BY t.name", (day,)).fetchall()
    return [(r["name"], int(r["calls"])) for r in rows]
