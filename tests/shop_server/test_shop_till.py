"""The till's side: joining with the owner's code, the secret in the keyring, the journal's
outbox sent in order with backoff, status, check and leaving — against a real server."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from pos_app import paths
from pos_app.cli import main
from pos_app.credentials import SERVICE
from pos_app.domain.attempt import AttemptState, IllegalTransition
from pos_app.journal import Journal, JournalError
from pos_app.shop import config
from pos_app.shop.client import ShopClient
from pos_app.shop.outbox import Outbox
from pos_app.shop.secret import TILL_SECRET
from pos_app.shop.sender import Sender
from shop_server.support import ThreadServer, add_till, free_port

EAT = timezone(timedelta(hours=3))


class Tick:
    def __init__(self) -> None:
        self.t = datetime(2026, 12, 2, 9, 0, tzinfo=EAT)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


def live_journal(training: bool = False) -> Journal:
    return Journal(paths.journal_file(training), mode="training" if training else "live",
                   now=Tick())


def sell(journal: Journal, ref: str, amount: int = 5000, final: AttemptState = AttemptState.PAID
         ) -> None:
    journal.record_new(ref, phone="255712345678", amount_tzs=amount, till_name="Till 1")
    journal.transition(ref, AttemptState.PENDING, channel="M-PESA", clickpesa_id="CP" + ref)
    journal.note(ref, "cashier stopped waiting")
    journal.transition(ref, final, payment_reference="OP" + ref)


def ledger(conn, ref: str):
    return conn.execute("SELECT a.*, t.name AS till FROM attempts a JOIN tills t"
                        " ON t.id=a.till_id WHERE order_reference=%s", (ref,)).fetchone()


# -- the outbox in the journal --------------------------------------------------------------


def test_every_journalled_change_is_in_the_outbox_in_the_same_transaction() -> None:
    journal = live_journal()
    sell(journal, "MOUT1")
    with pytest.raises(IllegalTransition):
        journal.transition("MOUT1", AttemptState.PENDING)  # PAID -> PENDING: refused
    with pytest.raises(JournalError):
        journal.record_new("MOUT1", phone="255712345678", amount_tzs=1)  # exists already
    journal.close()
    with Outbox(paths.journal_file(False)) as outbox:
        pending = outbox.pending()
    assert [p.event_id for p in pending] == ["MOUT1:0", "MOUT1:1", "MOUT1:2", "MOUT1:3"]
    assert [(p.event["from_state"], p.event["to_state"]) for p in pending] == [
        (None, "NEW"), ("NEW", "PENDING"), ("PENDING", "PENDING"), ("PENDING", "PAID")]
    last = pending[-1].event["attempt"]
    assert last["state"] == "PAID" and last["payment_reference"] == "OPMOUT1"
    assert last["created_at"].endswith("+03:00")


def test_training_attempts_never_enter_the_outbox() -> None:
    journal = live_journal(training=True)
    sell(journal, "MTRAIN1")
    journal.close()
    with Outbox(paths.journal_file(True)) as outbox:
        assert outbox.backlog() == 0


def test_a_journal_from_before_the_outbox_queues_its_whole_history() -> None:
    journal = live_journal()
    sell(journal, "MOLD1", final=AttemptState.FAILED)
    journal.close()
    db = sqlite3.connect(paths.journal_file(False))
    db.execute("DROP TABLE outbox")
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()
    live_journal().close()  # opening it migrates
    with Outbox(paths.journal_file(False)) as outbox:
        pending = outbox.pending()
    assert [p.event_id for p in pending] == ["MOLD1:0", "MOLD1:1", "MOLD1:2", "MOLD1:3"]
    assert pending[-1].event["to_state"] == "FAILED"
    db = sqlite3.connect(paths.journal_file(False))
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4


# -- joining --------------------------------------------------------------------------------


def test_join_keeps_the_secret_in_the_keyring_and_sends_the_journal(
        live_server, database_url, conn, memory_keyring, capsys) -> None:
    journal = live_journal()
    sell(journal, "MJOIN1")
    journal.close()
    code = add_till(database_url, "Counter 1")
    assert main(["shop", "join", live_server.url, "--code", code]) == 0
    out = capsys.readouterr().out
    assert "as till 'Counter 1'" in out and "Sent 4 event(s)" in out
    secret = memory_keyring.store[(SERVICE, TILL_SECRET)]
    assert secret.startswith("mpt_") and secret not in out
    assert config.read_server_url() == (live_server.url, None)
    settings_text = paths.settings_file().read_text()
    assert "[shop]" in settings_text and secret not in settings_text
    assert secret not in config.state_file().read_text()
    row = ledger(conn, "MJOIN1")
    assert row["state"] == "PAID" and row["till"] == "Counter 1" and row["last_seq"] == 3
    assert main(["shop", "status"]) == 0
    status = capsys.readouterr().out
    assert "backlog 0 event(s)" in status and "last sync 20" in status
    assert "knows this till as 'Counter 1', 4 event(s) received" in status


def test_join_refuses_plain_http_to_another_computer(memory_keyring, capsys) -> None:
    assert main(["shop", "join", "http://shop.example", "--code", "AAAA-AAAA"]) == 2
    assert "only https://" in capsys.readouterr().err


def test_without_a_keyring_the_code_is_not_spent(live_server, database_url, no_keyring,
                                                 capsys) -> None:
    code = add_till(database_url, "Counter 1")
    assert main(["shop", "join", live_server.url, "--code", code]) == 1
    assert "code was not used" in capsys.readouterr().err
    import httpx

    r = httpx.post(f"{live_server.url}/api/v1/join", json={"code": code})
    assert r.status_code == 200  # still good


def test_a_wrong_code_is_said_in_words(live_server, memory_keyring, capsys) -> None:
    assert main(["shop", "join", live_server.url, "--code", "ZZZZ-ZZZZ"]) == 1
    assert "refused the code" in capsys.readouterr().err
    assert (SERVICE, TILL_SECRET) not in memory_keyring.store


def test_leave_forgets_the_secret_and_the_server_but_keeps_the_till_settings(
        live_server, database_url, memory_keyring, capsys) -> None:
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file().write_text("# Malipo POS settings\n[till]\ntill_name = Kaunta\n")
    assert main(["shop", "join", live_server.url, "--code",
                 add_till(database_url, "Counter 1")]) == 0
    assert main(["shop", "leave"]) == 0
    assert "Left the shop server" in capsys.readouterr().out
    assert (SERVICE, TILL_SECRET) not in memory_keyring.store
    text = paths.settings_file().read_text()
    assert "[shop]" not in text and "till_name = Kaunta" in text
    assert text.startswith("# Malipo POS settings")
    assert config.read_server_url() == (None, None)
    assert main(["shop", "status"]) == 0
    assert "not joined" in capsys.readouterr().out


# -- sending --------------------------------------------------------------------------------


def test_the_sender_backs_off_while_the_server_is_down_then_catches_up_in_order(
        database_url, conn, memory_keyring) -> None:
    port = free_port()
    server = ThreadServer(database_url)
    server.port, server.url = port, f"http://127.0.0.1:{port}"
    server.server.config.port = port
    code = add_till(database_url, "Counter 1")
    journal = live_journal()
    for i in range(3):
        sell(journal, f"MDOWN{i}", amount=1000 + i)
    sender = Sender(paths.journal_file(False), ShopClient(server.url, "mpt_not-yet", timeout=2),
                    rng=random.Random(1))
    delays = []
    for _ in range(5):
        result = sender.sync_once()
        assert not result.ok and result.backlog == 12 and "cannot be reached" in result.error
        delays.append(sender.next_delay())
    assert delays == sorted(delays) and delays[0] < 1.01 and 8 <= delays[-1] <= 16
    state = config.load_state()
    assert state.last_error and not state.last_sync_at
    server.start()
    try:
        import httpx

        secret = httpx.post(f"{server.url}/api/v1/join", json={"code": code}).json()["secret"]
        sender.client = ShopClient(server.url, secret)
        sell(journal, "MDOWN9")  # journalled while catching up
        result = sender.sync_once()
        assert result.ok and result.sent == 16 and result.backlog == 0
        assert sender.next_delay() == 2.0  # idle again
        events = conn.execute("SELECT event_id FROM events ORDER BY received_at, seq").fetchall()
        assert len(events) == 16
        for i in (0, 1, 2, 9):
            assert ledger(conn, f"MDOWN{i}")["state"] == "PAID"
        again = sender.sync_once()
        assert again.ok and again.sent == 0
    finally:
        server.stop()
        journal.close()


def test_a_revoked_till_stops_sending_and_check_says_so(
        live_server, database_url, conn, memory_keyring, capsys) -> None:
    from pos_app.server import store

    assert main(["shop", "join", live_server.url, "--code",
                 add_till(database_url, "Counter 1")]) == 0
    with conn.transaction():
        store.revoke_till(conn, "Counter 1")
    journal = live_journal()
    sell(journal, "MREV1")
    journal.close()
    capsys.readouterr()
    assert main(["shop", "sync"]) == 1
    assert "revoked" in capsys.readouterr().err
    assert config.load_state().revoked
    assert ledger(conn, "MREV1") is None
    main(["check"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Shop server"))
    assert line.startswith("Shop server: FAILED") and "revoked" in line and "4 event(s)" in line
    assert main(["shop", "status"]) == 1


def test_check_shows_the_backlog_and_last_sync(live_server, database_url, memory_keyring,
                                               capsys) -> None:
    journal = live_journal()
    sell(journal, "MCHK1")
    journal.close()
    main(["check"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Shop server"))
    assert "not joined" in line and "4 event(s)" in line
    assert main(["shop", "join", live_server.url, "--code",
                 add_till(database_url, "Counter 1")]) == 0
    capsys.readouterr()
    main(["check"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Shop server"))
    assert line.startswith("Shop server: OK") and "backlog 0" in line
    assert config.load_state().last_sync_at in line
    # A settings file with a bad server URL is one FAILED line.
    text = paths.settings_file().read_text().replace(live_server.url, "http://shop.example")
    paths.settings_file().write_text(text)
    main(["check"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Shop server"))
    assert line.startswith("Shop server: FAILED") and "only https://" in line


def test_events_carry_only_what_the_journal_holds(live_server, database_url,
                                                  memory_keyring) -> None:
    """No credential ever rides along: the payload is the journal's own columns."""
    journal = live_journal()
    sell(journal, "MPAY1")
    journal.close()
    with Outbox(paths.journal_file(False)) as outbox:
        payloads = [json.dumps(p.event) for p in outbox.pending()]
    keys = set()
    for text in payloads:
        keys |= set(json.loads(text)["attempt"])
    assert keys == {"mode", "phone", "amount_tzs", "network_hint", "state", "channel",
                    "clickpesa_id", "message", "payment_reference", "created_at",
                    "updated_at", "shift", "cashier"}


def test_the_window_can_start_the_sender_in_the_background_when_joined(
        live_server, database_url, conn, memory_keyring) -> None:
    import time

    from pos_app.shop.sender import start_if_joined

    assert start_if_joined(paths.journal_file(False)) is None  # not joined: nothing runs
    assert main(["shop", "join", live_server.url, "--code",
                 add_till(database_url, "Counter 1")]) == 0
    journal = live_journal()
    started = start_if_joined(paths.journal_file(False),
                              api_calls=lambda: {"2026-12-02": 3})
    assert started is not None
    thread, stop = started
    try:
        sell(journal, "MBG1")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            row = ledger(conn, "MBG1")
            if row is not None and row["state"] == "PAID":
                break
            time.sleep(0.1)
        assert ledger(conn, "MBG1")["state"] == "PAID"
        assert conn.execute("SELECT calls FROM api_usage").fetchone()["calls"] == 3
    finally:
        stop.set()
        thread.join(timeout=10)
        journal.close()
    assert not thread.is_alive()


def test_saving_the_windows_settings_does_not_unjoin_the_till(
        live_server, database_url, conn, memory_keyring, capsys) -> None:
    from pos_app.settings import Settings, save_settings

    assert main(["shop", "join", live_server.url, "--code",
                 add_till(database_url, "Counter 1")]) == 0
    save_settings(Settings(till_name="Kaunta 1"), paths.settings_file())  # as the window does
    assert "[shop]" in paths.settings_file().read_text()  # save_settings keeps other sections
    assert config.read_server_url() == (live_server.url, None)
    journal = live_journal()
    sell(journal, "MKEEP1")
    journal.close()
    capsys.readouterr()
    assert main(["shop", "sync"]) == 0
    assert ledger(conn, "MKEEP1")["state"] == "PAID"
    assert main(["shop", "leave"]) == 0
    assert config.read_server_url() == (None, None)


def test_an_outbox_that_cannot_be_written_leaves_no_attempt_either(monkeypatch) -> None:
    """One transaction: no journalled change without its event, and no event without it."""
    import pos_app.journal.store as store_module

    journal = live_journal()
    sell(journal, "MATOM1")

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store_module, "_insert_event", broken)
    with pytest.raises(JournalError):
        journal.record_new("MATOM2", phone="255712345678", amount_tzs=100)
    with pytest.raises(JournalError):
        journal.decide("MATOM1", lambda r: store_module.Change(AttemptState.PAID,
                                                                message="again"))
    assert journal.get("MATOM2") is None
    assert journal.get("MATOM1").message == ""
    assert len(journal.transitions("MATOM1")) == 4
    journal.close()
    with Outbox(paths.journal_file(False)) as outbox:
        assert [p.event_id for p in outbox.pending()] == [f"MATOM1:{i}" for i in range(4)]
