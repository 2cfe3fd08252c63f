"""ClickPesa's webhooks: verified with the account's checksum key before anything else, read
defensively, stored once, and queued for the tills in the same transaction.

- Signature: the body's `checksum` field, canonical by default (sorted keys at every depth,
  compact JSON, HMAC-SHA256) or legacy (sorted top-level values concatenated), as in
  docs/clickpesa-api §6. Headers seen in third-party code (e.g. `X-ClickPesa-Signature`) are
  read only when the operator names them (`serve --checksum-header NAME`).
- Payloads: both generations in ClickPesa's docs — `event` or `eventType`; the fields under
  `data` or the older flat `paymentId` / `amount` / `customer.name`.
- There is no event id: a delivery is (event, orderReference, status). A second delivery of
  the same one only counts it (`deliveries`); it is not fanned out again.
- The event is a hint: the ledger is never changed from it. A till that knows the reference
  asks ClickPesa once, and the answer reaches the ledger through its journal as always.
- The checksum key comes from a file readable only by the server's user, or an environment
  variable; it is never written to the database or a log (it is registered with
  pos_app.logs.mask as a second line of defence).
"""

from __future__ import annotations

import hmac
import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg

from pos_app.clickpesa.checksum import ChecksumMode, canonical_checksum, legacy_checksum
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


def expected_checksum(body: dict[str, Any], config: WebhookConfig) -> str:
    fn = legacy_checksum if config.mode is ChecksumMode.LEGACY else canonical_checksum
    return fn(body, config.key)


def signature_ok(body: dict[str, Any], headers: dict[str, str], config: WebhookConfig) -> bool:
    sent = body.get("checksum")
    if not isinstance(sent, str) or not sent:
        sent = next((headers[h.lower()] for h in config.headers if headers.get(h.lower())), "")
    if not isinstance(sent, str) or not sent.strip():
        return False
    expected = expected_checksum(body, config)
    return hmac.compare_digest(expected.encode(), sent.strip().lower().encode())


@dataclass(frozen=True)
class Parsed:
    event: str  # "PAYMENT RECEIVED", "PAYMENT FAILED", or what was sent
    order_reference: str
    status: str  # ClickPesa's status word (SUCCESS, FAILED, …); from the event if absent
    payment_id: str = ""
    amount: str = ""
    currency: str = ""
    channel: str = ""
    customer_name: str = ""
    generation: str = "data"  # "data" (fields under data) or "flat" (older samples)

    @property
    def dedup_key(self) -> str:
        return f"{self.event}|{self.order_reference}|{self.status}"


def _text(value: object, limit: int = 200) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()[:limit]


def _event_name(value: object) -> str:
    text = _text(value, 60).upper().replace("_", " ").replace(".", " ").replace("-", " ")
    return " ".join(text.split())


_STATUS_OF_EVENT = {"PAYMENT RECEIVED": "SUCCESS", "PAYMENT FAILED": "FAILED"}


def parse(body: dict[str, Any]) -> Parsed:
    """What the webhook says, from either generation of payload; blanks where it is silent."""
    data = body.get("data")
    generation = "data" if isinstance(data, dict) else "flat"
    d: dict[str, Any] = data if isinstance(data, dict) else body
    event = _event_name(body.get("event") or body.get("eventType") or d.get("event")
                        or d.get("eventType"))
    ref = _text(d.get("orderReference") or body.get("orderReference"), 40)
    status = _text(d.get("status") or body.get("status"), 30).upper()
    if not status:
        status = _STATUS_OF_EVENT.get(event, "")
    customer = d.get("customer") if isinstance(d.get("customer"), dict) else {}
    return Parsed(
        event=event or "(none)", order_reference=ref, status=status or "(none)",
        payment_id=_text(d.get("id") or d.get("paymentId") or body.get("paymentId")),
        amount=_text(d.get("collectedAmount") or d.get("amount") or body.get("amount"), 30),
        currency=_text(d.get("collectedCurrency") or d.get("currency"), 10),
        channel=_text(d.get("channel") or body.get("channel"), 40),
        customer_name=_text(customer.get("customerName") or customer.get("name"), 80),
        generation=generation)


def store(conn: psycopg.Connection, raw: str, parsed: Parsed) -> tuple[bool, int | None]:
    """Store the delivery and its notice in the caller's transaction; NOTIFY on commit.
    (True, seq) the first time, (False, None) for a repeat."""
    row = conn.execute(
        "INSERT INTO webhooks (dedup_key, event, order_reference, status, payment_id, amount,"
        " channel, raw_body, parsed) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        " ON CONFLICT (dedup_key) DO UPDATE SET deliveries = webhooks.deliveries + 1"
        " RETURNING id, (xmax = 0) AS inserted",
        (parsed.dedup_key, parsed.event, parsed.order_reference, parsed.status,
         parsed.payment_id, parsed.amount, parsed.channel, raw,
         json.dumps(asdict(parsed)))).fetchone()
    if not row["inserted"] or not parsed.order_reference:
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
