"""ClickPesa's webhooks on the shop server (issue 12, server side): the signature first, both
payload generations, stored once, fanned out over SSE to the tills — across server processes
through LISTEN/NOTIFY, resumed from the table with Last-Event-ID."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from pos_app.clickpesa.checksum import ChecksumMode, canonical_checksum, legacy_checksum
from pos_app.server import webhooks
from pos_app.server.webhooks import WebhookConfig
from shop_server.support import (
    ProcessServer,
    ThreadServer,
    add_till,
    csrf_of,
    enrolled,
    paid_attempt,
    sign_in,
)

KEY = "CKwebhook-checksum-key-never-in-clear-01"


def signed(body: dict[str, Any], mode: str = "canonical", key: str = KEY) -> dict[str, Any]:
    fn = canonical_checksum if mode == "canonical" else legacy_checksum
    return {**body, "checksum": fn(body, key), "checksumMethod": mode}


def received(ref: str, status: str = "SUCCESS", event: str = "PAYMENT RECEIVED"
             ) -> dict[str, Any]:
    """The newer generation: `event` and the payment under `data`."""
    return {"event": event, "data": {
        "id": "LEAP" + ref, "status": status, "orderReference": ref, "collectedAmount": "5000",
        "collectedCurrency": "TZS", "channel": "M-PESA", "message": "", "updatedAt":
        "2026-12-02T00:31:00.000Z", "customer": {"customerName": "JUMA HAMISI",
                                                 "customerPhoneNumber": "255712345678"}}}


def older(ref: str) -> dict[str, Any]:
    """The older samples: `eventType`, flat paymentId/amount/customer.name."""
    return {"eventType": "PAYMENT_RECEIVED", "paymentId": "P" + ref, "orderReference": ref,
            "amount": 5000, "status": "SUCCESS", "customer": {"name": "JUMA HAMISI"}}


@pytest.fixture
def hook_client(database_url: str, clock):
    from starlette.testclient import TestClient

    from pos_app.server.app import ServerConfig, create_app

    config = ServerConfig(database_url=database_url, now=clock,
                          webhook=WebhookConfig(KEY, ChecksumMode.CANONICAL))
    with TestClient(create_app(config), base_url="https://testserver") as client:
        yield client


def _count(conn: psycopg.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]


def test_a_signed_webhook_is_stored_with_its_notice(hook_client, conn) -> None:
    r = hook_client.post("/clickpesa/webhook", json=signed(received("MWH1")))
    assert r.status_code == 200 and r.json()["stored"] is True
    row = conn.execute("SELECT * FROM webhooks").fetchone()
    assert (row["event"], row["order_reference"], row["status"]) == (
        "PAYMENT RECEIVED", "MWH1", "SUCCESS")
    assert json.loads(row["raw_body"])["data"]["orderReference"] == "MWH1"
    notice = conn.execute("SELECT * FROM notices").fetchone()
    assert notice["order_reference"] == "MWH1" and notice["webhook_id"] == row["id"]


@pytest.mark.parametrize("body", [
    received("MWH2"),  # no signature at all
    {**received("MWH2"), "checksum": "0" * 64},  # a wrong one
    signed(received("MWH2"), key="another-key"),  # signed with another key
    {**signed(received("MWH2")), "data": {**received("MWH2")["data"], "status": "FAILED"}},
])
def test_a_forged_or_unsigned_webhook_is_401_and_changes_nothing(hook_client, conn, caplog,
                                                                 body) -> None:
    caplog.set_level(logging.DEBUG)
    r = hook_client.post("/clickpesa/webhook", json=body)
    assert r.status_code == 401
    assert _count(conn, "webhooks") == 0 and _count(conn, "notices") == 0
    assert "JUMA HAMISI" not in caplog.text and "255712345678" not in caplog.text
    assert "signature" in caplog.text


def test_not_json_is_401_too(hook_client, conn) -> None:
    r = hook_client.post("/clickpesa/webhook", content=b"event=PAYMENT RECEIVED",
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 401 and _count(conn, "webhooks") == 0


def test_the_same_delivery_twice_is_stored_once(hook_client, conn) -> None:
    body = signed(received("MWH3"))
    assert hook_client.post("/clickpesa/webhook", json=body).json()["stored"] is True
    again = hook_client.post("/clickpesa/webhook", json=body)
    assert again.status_code == 200 and again.json()["stored"] is False
    assert _count(conn, "webhooks") == 1 and _count(conn, "notices") == 1
    assert conn.execute("SELECT deliveries FROM webhooks").fetchone()["deliveries"] == 2


def test_failed_after_success_for_one_reference_is_two_notices(hook_client, conn) -> None:
    """Both go to the tills; the till's status query decides (needs attention, never
    'failed' after it was paid)."""
    hook_client.post("/clickpesa/webhook", json=signed(received("MWH4")))
    r = hook_client.post("/clickpesa/webhook", json=signed(
        received("MWH4", "FAILED", "PAYMENT FAILED")))
    assert r.json()["stored"] is True
    assert [n["status"] for n in conn.execute("SELECT status FROM notices ORDER BY seq")] == [
        "SUCCESS", "FAILED"]
    assert _count(conn, "attempts") == 0  # a hint only: the ledger is not changed by it


def test_the_older_payload_generation_is_read_too(hook_client, conn) -> None:
    r = hook_client.post("/clickpesa/webhook", json=signed(older("MWH5")))
    assert r.status_code == 200
    row = conn.execute("SELECT * FROM webhooks").fetchone()
    assert (row["event"], row["order_reference"], row["status"], row["payment_id"],
            row["amount"]) == ("PAYMENT RECEIVED", "MWH5", "SUCCESS", "PMWH5", "5000")
    assert row["parsed"]["order_reference"] == "MWH5"


def test_a_signed_body_that_is_no_payment_event_is_acknowledged_not_fanned_out(
        hook_client, conn) -> None:
    r = hook_client.post("/clickpesa/webhook", json=signed({"event": "PAYOUT SENT",
                                                            "data": {"orderReference": "MP1"}}))
    assert r.status_code == 200 and r.json()["stored"] is False
    assert _count(conn, "webhooks") == 0 and _count(conn, "notices") == 0


def test_legacy_mode_and_a_configured_header(database_url, clock, conn) -> None:
    from starlette.testclient import TestClient

    from pos_app.server.app import ServerConfig, create_app

    config = ServerConfig(database_url=database_url, now=clock, webhook=WebhookConfig(
        KEY, ChecksumMode.LEGACY, headers=("X-ClickPesa-Signature",)))
    with TestClient(create_app(config), base_url="https://testserver") as client:
        body = older("MWH6")
        assert client.post("/clickpesa/webhook", json=signed(body)).status_code == 401
        assert client.post("/clickpesa/webhook",
                           json=signed(body, "legacy")).status_code == 200
        other = older("MWH7")
        r = client.post("/clickpesa/webhook", json=other, headers={
            "X-ClickPesa-Signature": legacy_checksum(other, KEY)})
        assert r.status_code == 200
    assert _count(conn, "webhooks") == 2


def test_a_header_signature_is_not_read_unless_configured(hook_client, conn) -> None:
    body = received("MWH8")
    r = hook_client.post("/clickpesa/webhook", json=body, headers={
        "X-ClickPesa-Signature": canonical_checksum(body, KEY)})
    assert r.status_code == 401 and _count(conn, "webhooks") == 0


def test_without_a_checksum_key_webhooks_are_refused(app_client, conn) -> None:
    r = app_client.post("/clickpesa/webhook", json=signed(received("MWH9")))
    assert r.status_code == 503 and _count(conn, "webhooks") == 0


def test_the_key_file_must_be_private_and_the_key_is_nowhere_in_clear(
        tmp_path: Path, hook_client, conn, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    key_file = tmp_path / "checksum.key"
    key_file.write_text(KEY + "\n")
    os.chmod(key_file, 0o644)
    with pytest.raises(webhooks.KeyProblem, match="chmod 600"):
        webhooks.load_key(str(key_file))
    os.chmod(key_file, 0o600)
    assert webhooks.load_key(str(key_file)) == KEY
    assert webhooks.load_key(None, env={webhooks.ENV_KEY_FILE: str(key_file)}) == KEY
    assert webhooks.load_key(None, env={}) is None
    with pytest.raises(webhooks.KeyProblem, match="cannot be read"):
        webhooks.load_key(str(tmp_path / "missing.key"))
    hook_client.post("/clickpesa/webhook", json=signed(received("MWHK")))
    hook_client.post("/clickpesa/webhook", json={**received("MWHX"), "checksum": "f" * 64})
    dump = "\n".join(repr(r) for t in ("webhooks", "notices", "shop_settings")
                     for r in conn.execute(f"SELECT * FROM {t}"))
    assert "MWHK" in dump and KEY not in dump and KEY not in caplog.text
    assert KEY not in repr(WebhookConfig(KEY))


def test_a_webhook_no_till_knows_is_shown_as_other_systems(hook_client, database_url,
                                                           conn, owner) -> None:
    auth = enrolled(hook_client, database_url, "Counter A")
    hook_client.post("/api/v1/events", json={"events": paid_attempt("MKNOWN1")}, headers=auth)
    hook_client.post("/clickpesa/webhook", json=signed(received("MKNOWN1")))
    hook_client.post("/clickpesa/webhook", json=signed(received("MOTHER1")))
    sign_in(hook_client)
    page = hook_client.get("/").text
    other = page.split('id="other-systems"')[1].split("</section>")[0]
    assert "MOTHER1" in other and "MKNOWN1" not in other
    assert csrf_of(page)


# -- the stream to the tills ----------------------------------------------------------------


class StreamReader:
    """Reads one till's SSE stream on a thread; events land in `events`."""

    def __init__(self, base: str, secret: str, last_event_id: str | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.status: int | None = None
        self._stop = threading.Event()
        headers = {"authorization": f"Bearer {secret}", "accept": "text/event-stream"}
        if last_event_id is not None:
            headers["last-event-id"] = last_event_id
        self._client = httpx.Client(base_url=base, timeout=httpx.Timeout(5, read=None))
        self._headers = headers
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            with self._client.stream("GET", "/api/v1/tills/stream",
                                     headers=self._headers) as r:
                self.status = r.status_code
                current: dict[str, str] = {}
                for line in r.iter_lines():
                    if self._stop.is_set():
                        return
                    if not line:
                        if "data" in current:
                            self.events.append({"id": current.get("id"),
                                                **json.loads(current["data"])})
                        current = {}
                        continue
                    field, _, value = line.partition(":")
                    current[field] = value.lstrip(" ")
        except httpx.HTTPError:
            pass

    def wait_for(self, n: int, deadline_s: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + deadline_s
        while len(self.events) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.events

    def close(self) -> None:
        self._stop.set()
        self._client.close()


def _join(base: str, database_url: str, name: str) -> str:
    r = httpx.post(f"{base}/api/v1/join", json={"code": add_till(database_url, name)})
    return r.json()["secret"]


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "checksum.key"
    path.write_text(KEY)
    os.chmod(path, 0o600)
    return path


def test_a_webhook_to_one_server_process_reaches_a_till_streaming_from_another(
        database_url, key_file, tmp_path) -> None:
    other = ProcessServer(database_url, log=tmp_path / "a.log",
                          extra=["--checksum-key-file", str(key_file)]).start()
    # The safety tick far away: only NOTIFY can wake this process's stream in time.
    here = ThreadServer(database_url, hub_tick_s=60.0).start()
    try:
        secret = _join(here.url, database_url, "Counter A")
        stream = StreamReader(here.url, secret)
        deadline = time.monotonic() + 10
        while stream.status is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert stream.status == 200
        t0 = time.monotonic()
        r = httpx.post(f"{other.url}/clickpesa/webhook", json=signed(received("MSSE1")))
        assert r.status_code == 200
        events = stream.wait_for(1)
        lag = time.monotonic() - t0
        assert [(e["order_reference"], e["status"]) for e in events] == [("MSSE1", "SUCCESS")]
        assert events[0]["id"] == str(events[0]["seq"])
        assert lag < 3.0  # woken by NOTIFY from the other process (loopback)
        stream.close()

        # Offline for a while: two more arrive; resuming from the last id gets exactly those.
        for ref in ("MSSE2", "MSSE3"):
            httpx.post(f"{other.url}/clickpesa/webhook", json=signed(received(ref)))
        resumed = StreamReader(here.url, secret, last_event_id=events[0]["id"])
        got = resumed.wait_for(2)
        assert [e["order_reference"] for e in got] == ["MSSE2", "MSSE3"]
        resumed.close()
    finally:
        here.stop()
        other.stop()


def test_the_stream_needs_a_till_secret_and_refuses_a_revoked_till(
        live_server, database_url, conn) -> None:
    from pos_app.server import store

    r = httpx.get(f"{live_server.url}/api/v1/tills/stream", timeout=5)
    assert r.status_code == 401
    secret = _join(live_server.url, database_url, "Counter A")
    with conn.transaction():
        store.revoke_till(conn, "Counter A")
    r = httpx.get(f"{live_server.url}/api/v1/tills/stream", timeout=5,
                  headers={"authorization": f"Bearer {secret}"})
    assert r.status_code == 403


# -- the till's end of the stream (pos_app.hints.stream, issue 12's till side) --------------


def _hint_stream(base: str, secret: str, got: list, live: list, refused: list):
    from pos_app.hints.stream import HintStream

    return HintStream(base, lambda: {"authorization": f"Bearer {secret}"},
                      on_hint=got.append, on_live=live.append, on_refused=refused.append,
                      wait=lambda s: threading.Event().wait(min(s, 0.3)))


def _until(condition, deadline_s: float = 15.0) -> bool:
    deadline = time.monotonic() + deadline_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_the_tills_hint_stream_resumes_after_its_server_was_down(database_url) -> None:
    """Against this server, the till's HintStream misses nothing and gets nothing twice:
    notices stored while its server was down come, from the table, by Last-Event-ID."""
    hook = WebhookConfig(KEY)
    first = ThreadServer(database_url, webhook=hook).start()
    other = ThreadServer(database_url, webhook=hook).start()
    secret = _join(first.url, database_url, "Counter A")
    got: list = []
    live: list = []
    refused: list = []
    stream = _hint_stream(first.url, secret, got, live, refused)
    stream.start()
    restarted = None
    try:
        assert _until(lambda: live == [True])
        httpx.post(f"{first.url}/clickpesa/webhook", json=signed(received("MRES1")))
        assert _until(lambda: len(got) == 1)
        assert (got[0].order_reference, got[0].status) == ("MRES1", "SUCCESS")
        first.stop()
        assert _until(lambda: live[-1] is False)  # the poll plan goes back to normal
        for ref in ("MRES2", "MRES3"):
            assert httpx.post(f"{other.url}/clickpesa/webhook",
                              json=signed(received(ref))).status_code == 200
        restarted = ThreadServer(database_url, webhook=hook)
        restarted.port, restarted.url = first.port, first.url
        restarted.server.config.port = first.port
        restarted.start()
        assert _until(lambda: len(got) >= 3)
        assert [h.order_reference for h in got] == ["MRES1", "MRES2", "MRES3"]
        assert live[-1] is True and refused == []
        assert stream.last_event_id == got[-1].event_id
    finally:
        stream.stop()
        if restarted is not None:
            restarted.stop()
        other.stop()


def test_the_tills_hint_stream_is_told_when_its_till_is_revoked(live_server, database_url,
                                                                conn) -> None:
    from pos_app.server import store

    secret = _join(live_server.url, database_url, "Counter A")
    with conn.transaction():
        store.revoke_till(conn, "Counter A")
    got: list = []
    live: list = []
    refused: list = []
    stream = _hint_stream(live_server.url, secret, got, live, refused)
    stream.start()
    try:
        assert _until(lambda: refused == [403])
        assert live == [] and got == []
    finally:
        stream.stop()


def test_the_whole_loop_simulator_to_server_to_the_tills_stream(database_url) -> None:
    """The simulator's signed webhooks (pos_app.clickpesa.webhook_sender) through a real
    server on loopback to a till's HintStream: a paid and a failed payment, each once."""
    from pos_app.clickpesa.gateway import Credentials, Gateway
    from pos_app.clickpesa.simulator import Simulator
    from pos_app.clickpesa.webhook_sender import WebhookSender
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import parse_phone
    from pos_app.till.fakes import ManualScheduler

    server = ThreadServer(database_url, webhook=WebhookConfig(KEY), hub_tick_s=60.0).start()
    got: list = []
    live: list = []
    stream = _hint_stream(server.url, _join(server.url, database_url, "Counter A"), got, live,
                          [])
    stream.start()
    scheduler = ManualScheduler()
    sim = Simulator(clock=scheduler.now)
    gateway = Gateway("https://api.clickpesa.com", lambda: Credentials("ID", "KEY"),
                      transport=sim.transport(), clock=scheduler.now)
    sender = WebhookSender(sim, f"{server.url}/clickpesa/webhook", KEY)
    try:
        assert _until(lambda: live == [True])
        gateway.initiate("MLOOP1", parse_phone("0712345671"), Amount(5000))  # pays after 12 s
        gateway.initiate("MLOOP2", parse_phone("0712345676"), Amount(3000))  # fails after 10 s
        scheduler.advance(13)
        assert sorted(sender.tick()) == ["MLOOP1", "MLOOP2"]
        assert sender.tick() == []
        assert _until(lambda: len(got) == 2, 10.0)
        assert sorted((h.order_reference, h.status) for h in got) == [
            ("MLOOP1", "SUCCESS"), ("MLOOP2", "FAILED")]
    finally:
        sender.stop()
        gateway.close()
        stream.stop()
        server.stop()
