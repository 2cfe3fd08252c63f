"""ClickPesa's webhooks on the shop server: verified with the account's checksum key before
anything else, stored once, and queued for the tills in the same transaction.

- Signature and parsing are pos_app.clickpesa.webhooks (shared with the simulator's sender):
  the body's `checksum`, canonical by default or legacy; a header only when the operator
  names it (`serve --checksum-header NAME`); both payload generations.
- There is no event id: a delivery is (event, orderReference, status). A second delivery of
  the same one only counts it (`deliveries`); it is not fanned out again.
- The event is a hint: the ledger is never changed from it. A till that knows the reference
  asks ClickPesa once, and the answer reaches the ledger through its journal as always.
- The checksum key comes from a file readable only by the server's user, or an environment
  variable; it is never written to the database or a log (it is registered with
  pos_app.logs.mask as a second line of defence).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg

from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.webhooks import WebhookEvent, signature_ok
from pos_app.logs import register_secret

ENV_KEY_FILE = "POS_APP_SERVER_CHECKSUM_KEY_FILE"
ENV_KEY = "POS_APP_SERVER_CHECKSUM_KEY"
CHANNEL = "malipo_notices"
MAX_BODY = 64_000


class KeyProblem(Exception):
    """The checksum key cannot be used; the message says why (never the key)."""


@dataclass(frozen=True)
class WebhookConfig:
    key: str
    mode: ChecksumMode = ChecksumMode.CANONICAL
    headers: tuple[str, ...] = ()  # header names also accepted for the signature

    def __repr__(self) -> str:  # never the key, even in a traceback
        return f"WebhookConfig(mode={self.mode.value}, headers={self.headers})"


def load_key(path: str | None = None, *, env: dict[str, str] | None = None) -> str | None:
    """The checksum key from `path` (or $POS_APP_SERVER_CHECKSUM_KEY_FILE, or the value in
    $POS_APP_SERVER_CHECKSUM_KEY); None when none is configured."""
    env = os.environ if env is None else env
    path = path or env.get(ENV_KEY_FILE) or None
    if path is None:
        value = env.get(ENV_KEY, "").strip()
        if value:
            register_secret(value)
            return value
        return None
    file = Path(path)
    try:
        info = file.stat()
    except OSError as exc:
        raise KeyProblem(f"The checksum key file {file} cannot be read: "
                         f"{exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise KeyProblem(f"The checksum key file {file} is not a file.")
    if os.name == "posix" and info.st_mode & 0o077:
        raise KeyProblem(f"The checksum key file {file} can be read by other users (mode "
                         f"{stat.S_IMODE(info.st_mode):o}); make it readable by the server's "
                         f"user only: chmod 600 {file}")
    try:
        value = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyProblem(f"The checksum key file {file} cannot be read "
                         f"({type(exc).__name__}).") from None
    if not value or "\n" in value:
        raise KeyProblem(f"The checksum key file {file} must hold the key on one line.")
    register_secret(value)
    return value


def verified(body: dict[str, Any], headers: dict[str, str], config: WebhookConfig) -> bool:
    """The body's `checksum`, or one of the configured headers when the body has none."""
    if signature_ok(body, config.key, config.mode):
        return True
    return any(signature_ok(body, config.key, config.mode, headers=headers, header_name=name)
               for name in config.headers)


def dedupe_key(event: WebhookEvent) -> str:
    return "|".join(event.dedupe_key)


def store(conn: psycopg.Connection, raw: str, parsed: WebhookEvent) -> tuple[bool, int | None]:
    """Store the delivery and its notice in the caller's transaction; NOTIFY on commit.
    (True, seq) the first time, (False, None) for a repeat."""
    row = conn.execute(
        "INSERT INTO webhooks (dedup_key, event, order_reference, status, payment_id, amount,"
        " channel, raw_body, parsed) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        " ON CONFLICT (dedup_key) DO UPDATE SET deliveries = webhooks.deliveries + 1"
        " RETURNING id, (xmax = 0) AS inserted",
        (dedupe_key(parsed), parsed.event, parsed.order_reference, parsed.status,
         parsed.payment_id, parsed.amount, parsed.channel, raw,
         json.dumps(asdict(parsed)))).fetchone()
    if not row["inserted"]:
        return False, None
    seq = conn.execute("INSERT INTO notices (webhook_id, order_reference, event, status)"
                       " VALUES (%s,%s,%s,%s) RETURNING seq",
                       (row["id"], parsed.order_reference, parsed.event, parsed.status)
                       ).fetchone()["seq"]
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(seq)))
    return True, seq


def notices_after(conn: psycopg.Connection, after: int, limit: int = 500
                  ) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT seq, order_reference, event, status, created_at FROM notices"
                        " WHERE seq > %s ORDER BY seq LIMIT %s", (after, limit)).fetchall()
    return [{"seq": r["seq"], "order_reference": r["order_reference"], "event": r["event"],
             "status": r["status"], "at": r["created_at"].isoformat()} for r in rows]


def start_seq(conn: psycopg.Connection, window_s: int = 900) -> int:
    """Where a till connecting without Last-Event-ID starts: the notices of the last
    `window_s` seconds are sent (a webhook may beat the till's own start)."""
    row = conn.execute("SELECT coalesce(min(seq) - 1, (SELECT coalesce(max(seq), 0) FROM notices))"
                       " AS s FROM notices WHERE created_at > now() - make_interval(secs => %s)",
                       (window_s,)).fetchone()
    return int(row["s"])


def other_systems(conn: psycopg.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """Webhooks for references no till of this shop knows (another system on the account)."""
    rows = conn.execute(
        "SELECT w.received_at, w.event, w.order_reference, w.status, w.amount, w.channel"
        " FROM webhooks w WHERE NOT EXISTS (SELECT 1 FROM attempts a"
        " WHERE a.order_reference = w.order_reference)"
        " ORDER BY w.received_at DESC LIMIT %s", (limit,)).fetchall()
    return [dict(r) for r in rows]
