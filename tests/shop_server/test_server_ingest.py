"""Ingest against a real PostgreSQL: exactly once, in order per attempt, only along the domain's
transition table, and a till writes only its own attempts."""

from __future__ import annotations

from typing import Any

import psycopg

from shop_server.support import add_till, enrolled, event, paid_attempt


def _attempt(conn: psycopg.Connection, ref: str) -> dict[str, Any] | None:
    return conn.execute("SELECT * FROM attempts WHERE order_reference=%s", (ref,)).fetchone()


def test_a_batch_is_applied_once_even_when_sent_twice(app_client, database_url, conn) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    batch = {"events": paid_attempt("MREF1")}
    first = app_client.post("/api/v1/events", json=batch, headers=auth)
    assert first.status_code == 200, first.text
    assert first.json()["applied"] == ["MREF1:0", "MREF1:1", "MREF1:2"]
    again = app_client.post("/api/v1/events", json=batch, headers=auth)
    assert again.status_code == 200
    assert again.json()["applied"] == []
    assert again.json()["duplicate"] == ["MREF1:0", "MREF1:1", "MREF1:2"]
    assert conn.execute("SELECT count(*) AS n FROM events").fetchone()["n"] == 3
    row = _attempt(conn, "MREF1")
    assert row["state"] == "PAID" and row["channel"] == "M-PESA" and row["last_seq"] == 2


def test_events_that_arrive_out_of_order_wait_for_their_predecessor(
        app_client, database_url, conn) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    e0, e1, e2 = paid_attempt("MREF2")
    r = app_client.post("/api/v1/events", json={"events": [e2]}, headers=auth)
    assert r.json()["waiting"] == ["MREF2:2"] and _attempt(conn, "MREF2") is None
    r = app_client.post("/api/v1/events", json={"events": [e0]}, headers=auth)
    assert r.json()["applied"] == ["MREF2:0"]
    assert _attempt(conn, "MREF2")["state"] == "NEW"
    r = app_client.post("/api/v1/events", json={"events": [e1]}, headers=auth)
    assert r.json()["applied"] == ["MREF2:1", "MREF2:2"]
    assert _attempt(conn, "MREF2")["state"] == "PAID"


def test_a_backward_move_is_stored_and_flagged_never_applied(
        app_client, database_url, conn) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    events = [*paid_attempt("MREF3"), event("MREF3", 3, "PAID", "PENDING"),
              event("MREF3", 4, "PAID", "PAID", message="still paid")]
    r = app_client.post("/api/v1/events", json={"events": events}, headers=auth)
    assert r.json()["flagged"] == ["MREF3:3"]
    assert r.json()["applied"] == ["MREF3:0", "MREF3:1", "MREF3:2", "MREF3:4"]
    row = _attempt(conn, "MREF3")
    assert row["state"] == "PAID" and row["flagged"] == 1 and row["last_seq"] == 4
    flagged = conn.execute("SELECT status, flag FROM events WHERE event_id='MREF3:3'").fetchone()
    assert flagged["status"] == "flagged" and "PAID -> PENDING" in flagged["flag"]


def test_failed_after_paid_is_flagged_but_attention_after_failed_applies(
        app_client, database_url, conn) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    events = [event("MREF4", 0, None, "NEW"), event("MREF4", 1, "NEW", "FAILED"),
              event("MREF4", 2, "FAILED", "ATTENTION"), event("MREF4", 3, "ATTENTION", "NEW")]
    r = app_client.post("/api/v1/events", json={"events": events}, headers=auth)
    assert r.json()["flagged"] == ["MREF4:3"]
    assert _attempt(conn, "MREF4")["state"] == "ATTENTION"


def test_a_till_cannot_write_another_tills_attempt(app_client, database_url, conn) -> None:
    one = enrolled(app_client, database_url, "Till 1")
    two = enrolled(app_client, database_url, "Till 2")
    assert app_client.post("/api/v1/events", json={"events": paid_attempt("MREF5")[:2]},
                           headers=one).status_code == 200
    forged = {"events": [event("MREF5", 2, "PENDING", "FAILED"),
                         *paid_attempt("MREF6")]}
    r = app_client.post("/api/v1/events", json=forged, headers=two)
    assert r.status_code == 403 and r.json()["code"] == "foreign_attempt"
    assert _attempt(conn, "MREF5")["state"] == "PENDING"
    assert _attempt(conn, "MREF6") is None  # the whole batch was refused
    # Nor by creating it first under its own name once the other till has events waiting.
    r = app_client.post("/api/v1/events", json={"events": [event("MREF7", 1, "NEW", "PAID")]},
                        headers=one)
    assert r.json()["waiting"] == ["MREF7:1"]
    r = app_client.post("/api/v1/events", json={"events": [event("MREF7", 0, None, "NEW")]},
                        headers=two)
    assert r.status_code == 403


def test_a_revoked_till_is_refused_and_an_unknown_secret_too(app_client, database_url,
                                                              conn) -> None:
    from pos_app.server import store

    auth = enrolled(app_client, database_url, "Till 1")
    with conn.transaction():
        store.revoke_till(conn, "Till 1")
    r = app_client.post("/api/v1/events", json={"events": paid_attempt("MREF8")}, headers=auth)
    assert r.status_code == 403 and r.json()["code"] == "revoked"
    assert _attempt(conn, "MREF8") is None
    assert app_client.get("/api/v1/tills/me", headers=auth).status_code == 403
    r = app_client.post("/api/v1/events", json={"events": []},
                        headers={"authorization": "Bearer mpt_not-a-real-secret"})
    assert r.status_code == 401
    assert app_client.post("/api/v1/events", json={"events": []}).status_code == 401


def test_bad_events_are_refused_with_the_field_named(app_client, database_url, conn) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    bad = event("MREF9", 0, None, "NEW")
    bad["attempt"]["created_at"] = "2026-12-02T00:30:00"  # no offset
    r = app_client.post("/api/v1/events", json={"events": [bad]}, headers=auth)
    assert r.status_code == 422 and "offset" in r.json()["error"]
    wrong_id = event("MREF9", 1, "NEW", "PAID")
    wrong_id["event_id"] = "MREF9:7"
    r = app_client.post("/api/v1/events", json={"events": [wrong_id]}, headers=auth)
    assert r.status_code == 422 and "event_id" in r.json()["error"]
    r = app_client.post("/api/v1/events", content=b"{not json", headers=auth)
    assert r.status_code == 400
    state = event("MREF9", 1, "NEW", "MAYBE")
    r = app_client.post("/api/v1/events", json={"events": [state]}, headers=auth)
    assert r.status_code == 422 and "to_state" in r.json()["error"]
    assert conn.execute("SELECT count(*) AS n FROM events").fetchone()["n"] == 0


def test_a_code_joins_once_and_wrong_codes_are_rate_limited(app_client, database_url,
                                                            conn) -> None:
    code = add_till(database_url, "Till 1")
    typed = code.lower().replace("-", " ")  # as a cashier may type it
    r = app_client.post("/api/v1/join", json={"code": typed})
    assert r.status_code == 200 and r.json()["till"] == "Till 1"
    assert r.json()["secret"].startswith("mpt_")
    again = app_client.post("/api/v1/join", json={"code": code})
    assert again.status_code == 403 and again.json()["code"] == "bad_code"
    # Five wrong codes in 15 minutes (the one above included), whoever sends them: then no
    # more tries, not even the right code, until the window has passed.
    for _ in range(4):
        assert app_client.post("/api/v1/join", json={"code": "AAAA-AAAA"}).status_code == 403
    fresh = add_till(database_url, "Till 2")
    assert app_client.post("/api/v1/join", json={"code": fresh}).status_code == 429


def test_api_call_counts_keep_the_highest_report(app_client, database_url, conn) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    for calls in (12, 30, 25):
        r = app_client.post("/api/v1/events", headers=auth,
                            json={"events": [], "api_calls": {"2026-12-02": calls}})
        assert r.status_code == 200
    assert conn.execute("SELECT calls FROM api_usage").fetchone()["calls"] == 30


def test_two_connections_ingesting_one_batch_at_once_store_it_once(database_url) -> None:
    """Two server processes given the same retry: the advisory lock serialises them."""
    import threading

    from pos_app.server import db, ledger

    till_id = None
    with db.connect(database_url, autocommit=True) as c:
        till_id = c.execute("INSERT INTO tills (name) VALUES ('T') RETURNING id"
                            ).fetchone()["id"]
    events = [ledger.parse_event(e) for ref in ("MA1", "MA2", "MA3")
              for e in paid_attempt(ref)]
    results: list[ledger.IngestResult] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        with db.connect(database_url) as c:
            barrier.wait()
            with c.transaction():
                results.append(ledger.ingest(c, till_id, events))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2
    assert sorted(len(r.applied) for r in results) == [0, 9]
    with db.connect(database_url) as c:
        assert c.execute("SELECT count(*) AS n FROM events").fetchone()["n"] == 9
        assert {r["state"] for r in c.execute("SELECT state FROM attempts")} == {"PAID"}
