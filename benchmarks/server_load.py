"""Shop server under load and faults: `python -m benchmarks.server_load [--quick]`.

1. Faults: 20 simulated tills (each a real SQLite journal with its outbox and a real
   `pos_app.shop` sender) make one attempt a second (NEW → PENDING → PAID/FAILED, three events)
   for a minute. Half the tills send to server process A, half to process B, both on one
   PostgreSQL database; after every successful batch a till resends it to the other process
   with probability 0.1 (a reply lost on the way). Process A is killed (SIGKILL) 20 s in and
   started again 20 s later; its tills back off and catch up. Afterwards the ledger must equal
   the union of the tills' journals — every event exactly once, every attempt in its journal's
   state — and every backlog must be empty.
2. Throughput: 8 senders post fresh batches (60 events each) to A and B as fast as they can;
   baseline = the same batches through `ledger.ingest` straight on PostgreSQL, no HTTP, in the
   same run. Reported as events/s and as the ratio server / baseline.

PostgreSQL: `--database URL` names an empty database to use; by default a throwaway one is
created on the local cluster (socket /var/run/postgresql, as the current user) and dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOCKET_DIR = os.environ.get("POS_APP_TEST_PG_HOST", "/var/run/postgresql")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_database(url: str | None = None) -> Iterator[str]:
    if url:
        yield url
        return
    import psycopg

    name = f"malipo_bench_{os.getpid()}_{int(time.time())}"
    admin = dict(host=SOCKET_DIR, dbname="postgres", autocommit=True)
    try:
        with psycopg.connect(**admin) as c:  # type: ignore[arg-type]
            c.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise SystemExit(
            f"server benchmark: no PostgreSQL at {SOCKET_DIR} ({exc}). Install and start it "
            "(apt-get install postgresql; pg_ctlcluster 15 main start; su postgres -c "
            "'createuser -s root'), or pass --database.") from None
    try:
        yield f"postgresql:///{name}?host={SOCKET_DIR}"
    finally:
        with psycopg.connect(**admin) as c:  # type: ignore[arg-type]
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ServerProcess:
    def __init__(self, url: str, log: Path) -> None:
        self.database_url = url
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, deadline_s: float = 30.0) -> None:
        import httpx

        out = open(self.log, "ab")  # noqa: SIM115 — handed to the child
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen([sys.executable, "-m", "pos_app.server", "serve",
                                      "--database", self.database_url, "--port", str(self.port)],
                                     stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        out.close()
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}: "
                                   f"{self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server on {self.base} did not become healthy")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=15)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _setup(url: str, tills: int) -> list[tuple[str, str]]:
    """Migrate, add the tills and join them: [(name, code)]."""
    from pos_app.server import db, store

    db.migrate(url)
    codes = []
    with db.connect(url, autocommit=True) as c:
        for i in range(tills):
            with c.transaction():
                codes.append((f"Till {i + 1:02d}", store.add_till(c, f"Till {i + 1:02d}")))
    return codes


class TimedClient:
    """A ShopClient that records how long each acknowledged batch took."""

    def __init__(self, base: str, secret: str, latencies: list[float],
                 lock: threading.Lock) -> None:
        from pos_app.shop.client import ShopClient

        self._client = ShopClient(base, secret, timeout=5.0)
        self._latencies, self._lock = latencies, lock
        self.last_batch: list[dict[str, Any]] = []

    def send(self, events: list[dict[str, Any]], api_calls: dict[str, int] | None = None
             ) -> dict[str, Any]:
        t0 = time.perf_counter()
        result = self._client.send(events, api_calls)
        dt = time.perf_counter() - t0
        with self._lock:
            self._latencies.append(dt)
        self.last_batch = events
        return result

    def close(self) -> None:
        self._client.close()


def faults(url: str, work: Path, *, tills: int, seconds: float, kill_at: float,
           down_for: float, catch_up_deadline_s: float = 120.0) -> dict[str, Any]:
    import httpx

    from pos_app.domain.attempt import AttemptState
    from pos_app.domain.reference import new_reference
    from pos_app.journal import Journal
    from pos_app.server import db
    from pos_app.shop.client import ShopRefused, ShopUnreachable
    from pos_app.shop.outbox import Outbox
    from pos_app.shop.sender import Sender

    codes = _setup(url, tills)
    a, b = ServerProcess(url, work / "server-a.log"), ServerProcess(url, work / "server-b.log")
    a.start()
    b.start()
    latencies: list[float] = []
    lock = threading.Lock()
    resent = [0]
    failed_tries = [0]
    stop_making = threading.Event()
    done = threading.Event()
    errors: list[str] = []
    journals: list[Path] = []
    try:
        secrets = []
        for i, (_name, code) in enumerate(codes):
            server = a if i % 2 == 0 else b
            r = httpx.post(f"{server.base}/api/v1/join", json={"code": code}, timeout=10)
            r.raise_for_status()
            secrets.append(r.json()["secret"])

        def till(i: int) -> None:
            rng = random.Random(i)
            mine, other = (a, b) if i % 2 == 0 else (b, a)
            path = work / f"till-{i:02d}" / "journal.sqlite3"
            journals.append(path)
            journal = Journal(path, mode="live")
            client = TimedClient(mine.base, secrets[i], latencies, lock)
            dup = TimedClient(other.base, secrets[i], [], lock)
            sender = Sender(path, client, state_path=path.parent / "shop.json",  # type: ignore[arg-type]
                            rng=rng)
            next_try = 0.0
            next_sale = time.monotonic()
            try:
                while not done.is_set():
                    now = time.monotonic()
                    if not stop_making.is_set() and now >= next_sale:
                        ref = new_reference(journal._now())  # noqa: SLF001 — the till's clock
                        journal.record_new(ref, phone="255712345678",
                                           amount_tzs=rng.randint(1, 200) * 500)
                        journal.transition(ref, AttemptState.PENDING, channel="M-PESA")
                        final = AttemptState.PAID if rng.random() < 0.8 else AttemptState.FAILED
                        journal.transition(ref, final)
                        next_sale += 1.0
                    if now >= next_try:
                        result = sender.sync_once()
                        if not result.ok:
                            with lock:
                                failed_tries[0] += 1
                        if result.ok and result.sent and rng.random() < 0.1:
                            try:  # the reply "was lost": the same batch again, elsewhere
                                dup.send(client.last_batch)
                                resent[0] += 1
                            except (ShopUnreachable, ShopRefused):
                                pass
                        next_try = now + (0.2 if result.ok else sender.next_delay())
                    if stop_making.is_set():
                        with Outbox(path) as box:
                            if box.backlog() == 0:
                                return
                    time.sleep(0.05)
            except Exception as exc:  # noqa: BLE001 — reported, fails the run
                errors.append(f"till {i}: {type(exc).__name__}: {exc}")
            finally:
                journal.close()
                client.close()
                dup.close()

        threads = [threading.Thread(target=till, args=(i,), daemon=True) for i in range(tills)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(kill_at)
        a.kill()
        killed_at = time.monotonic() - t0
        time.sleep(down_for)
        a.start()
        restarted_at = time.monotonic() - t0
        time.sleep(max(0.0, seconds - (time.monotonic() - t0)))
        stop_making.set()
        sales_end = time.monotonic() - t0
        for t in threads:
            t.join(timeout=catch_up_deadline_s)
        done.set()
        caught_up = time.monotonic() - t0
        stuck = sum(t.is_alive() for t in threads)
        for t in threads:
            t.join(timeout=10)
    finally:
        a.stop()
        b.stop()

    # The ledger against the union of the journals.
    expected: dict[str, tuple[str, str]] = {}
    states: dict[str, str] = {}
    backlog = 0
    import sqlite3

    for path in journals:
        jdb = sqlite3.connect(path)
        for event_id, payload, sent in jdb.execute("SELECT event_id, payload, sent_at"
                                                   " FROM outbox"):
            e = json.loads(payload)
            expected[event_id] = (e["to_state"], path.parent.name)
            backlog += sent is None
        for ref, state in jdb.execute("SELECT order_reference, state FROM attempts"):
            states[ref] = state
        jdb.close()
    with db.connect(url) as c:
        rows = c.execute("SELECT e.event_id, e.to_state, e.status FROM events e").fetchall()
        ledger_states = {r["order_reference"]: r["state"] for r in
                         c.execute("SELECT order_reference, state FROM attempts")}
        till_of = {r["order_reference"]: r["name"] for r in c.execute(
            "SELECT a.order_reference, t.name FROM attempts a JOIN tills t ON t.id=a.till_id")}
    got = {r["event_id"]: r["to_state"] for r in rows}
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    wrong = sorted(k for k in set(expected) & set(got) if expected[k][0] != got[k])
    not_applied = [r["event_id"] for r in rows if r["status"] != "applied"]
    state_mismatch = sorted(ref for ref in states if ledger_states.get(ref) != states[ref])
    wrong_till = sorted(ref for ref, name in till_of.items()
                        if f"till-{int(name.split()[1]) - 1:02d}" != expected.get(
                            f"{ref}:0", ("", ""))[1])
    return {
        "tills": tills, "seconds": round(sales_end, 1), "killed_at_s": round(killed_at, 1),
        "restarted_at_s": round(restarted_at, 1), "caught_up_at_s": round(caught_up, 1),
        "attempts": len(states), "events_journalled": len(expected),
        "events_in_ledger": len(got), "events_resent_to_other_process": resent[0],
        "failed_tries_while_down": failed_tries[0],
        "missing": len(missing), "extra": len(extra), "wrong_state": len(wrong),
        "not_applied": len(not_applied), "attempt_state_mismatch": len(state_mismatch),
        "wrong_till": len(wrong_till), "backlog_left": backlog, "tills_stuck": stuck,
        "errors": errors[:5],
        "ledger_equals_journals": not (missing or extra or wrong or not_applied
                                       or state_mismatch or wrong_till or backlog or stuck
                                       or errors),
        "send_latency_ms_p50": _pct(latencies, 0.5) * 1000,
        "send_latency_ms_p99": _pct(latencies, 0.99) * 1000,
        "batches_acknowledged": len(latencies),
        "examples_missing": missing[:3],
    }


def _fresh_batches(tag: str, count: int, per_batch_attempts: int = 20) -> list[list[dict]]:
    from datetime import datetime, timedelta, timezone

    eat = timezone(timedelta(hours=3))
    at = datetime.now(eat).isoformat(timespec="seconds")
    batches = []
    for b in range(count):
        events = []
        for k in range(per_batch_attempts):
            ref = f"B{tag}{b:05d}{k:03d}"[:20]
            snap = {"mode": "live", "phone": "255712345678", "amount_tzs": 1000,
                    "created_at": at, "updated_at": at, "channel": "M-PESA"}
            for seq, (old, new) in enumerate(((None, "NEW"), ("NEW", "PENDING"),
                                              ("PENDING", "PAID"))):
                events.append({"event_id": f"{ref}:{seq}", "order_reference": ref, "seq": seq,
                               "from_state": old, "to_state": new, "at": at,
                               "attempt": {**snap, "state": new}})
        batches.append(events)
    return batches


def throughput(url: str, work: Path, *, senders: int, seconds: float) -> dict[str, Any]:
    import httpx

    from pos_app.server import db, ledger, store

    a, b = ServerProcess(url, work / "tp-a.log"), ServerProcess(url, work / "tp-b.log")
    a.start()
    b.start()
    secrets = []
    try:
        for i in range(senders):
            with db.connect(url, autocommit=True) as c, c.transaction():
                code = store.add_till(c, f"Sender {i}")
            r = httpx.post(f"{a.base}/api/v1/join", json={"code": code}, timeout=10)
            secrets.append(r.json()["secret"])
        batches = [_fresh_batches(f"H{i}", 400) for i in range(senders)]
        counts = [0] * senders
        latencies: list[float] = []
        lock = threading.Lock()
        deadline = time.monotonic() + seconds

        def post(i: int) -> None:
            with httpx.Client(base_url=(a if i % 2 == 0 else b).base, timeout=30,
                              headers={"authorization": f"Bearer {secrets[i]}"}) as client:
                for batch in batches[i]:
                    if time.monotonic() >= deadline:
                        return
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/events", json={"events": batch})
                    dt = time.perf_counter() - t0
                    if r.status_code == 200:
                        counts[i] += len(batch)
                        with lock:
                            latencies.append(dt)

        t0 = time.monotonic()
        threads = [threading.Thread(target=post, args=(i,)) for i in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        http_s = time.monotonic() - t0
    finally:
        a.stop()
        b.stop()

    # Baseline: the same kind of batches straight into PostgreSQL, no HTTP, same threads.
    with db.connect(url, autocommit=True) as c:
        ids = [r["id"] for r in c.execute("SELECT id FROM tills WHERE name LIKE 'Sender %%'"
                                          " ORDER BY id")]
    direct = [_fresh_batches(f"D{i}", 400) for i in range(senders)]
    dcounts = [0] * senders
    ddeadline = time.monotonic() + seconds

    def ingest(i: int) -> None:
        with db.connect(url) as c:
            for batch in direct[i]:
                if time.monotonic() >= ddeadline:
                    return
                events = [ledger.parse_event(e) for e in batch]
                with c.transaction():
                    ledger.ingest(c, ids[i], events)
                dcounts[i] += len(batch)

    t0 = time.monotonic()
    threads = [threading.Thread(target=ingest, args=(i,)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    direct_s = time.monotonic() - t0
    server_rate = sum(counts) / http_s
    direct_rate = sum(dcounts) / direct_s
    return {"senders": senders, "seconds": round(http_s, 1), "events": sum(counts),
            "events_per_s": server_rate, "baseline_direct_events_per_s": direct_rate,
            "ratio_vs_direct": server_rate / direct_rate if direct_rate else float("nan"),
            "batch_latency_ms_p50": _pct(latencies, 0.5) * 1000,
            "batch_latency_ms_p99": _pct(latencies, 0.99) * 1000,
            "events_per_batch": 60}


def run(quick: bool = False, database: str | None = None) -> dict[str, Any]:
    if quick:
        params = dict(tills=4, seconds=6.0, kill_at=1.5, down_for=2.0)
        tp = dict(senders=2, seconds=1.0)
    else:
        params = dict(tills=20, seconds=60.0, kill_at=20.0, down_for=20.0)
        tp = dict(senders=8, seconds=10.0)
    with tempfile.TemporaryDirectory(prefix="pos-bench-server-",
                                     ignore_cleanup_errors=True) as d:
        work = Path(d)
        with throwaway_database(database) as url:
            fault = faults(url, work, **params)  # type: ignore[arg-type]
        with throwaway_database(database and None) as url:
            from pos_app.server import db

            db.migrate(url)
            speed = throughput(url, work, **tp)  # type: ignore[arg-type]
    return {"faults": fault, "throughput": speed, "quick": quick}


def table(r: dict[str, Any]) -> str:
    f, t = r["faults"], r["throughput"]
    return "\n".join([
        "6 shop server (PostgreSQL, two server processes on loopback)",
        f"  faults: {f['tills']} tills x {f['seconds']:.0f} s, one attempt/s each; process A "
        f"killed at {f['killed_at_s']} s, back at {f['restarted_at_s']} s; all caught up at "
        f"{f['caught_up_at_s']} s",
        f"  ledger == union of journals: {'yes' if f['ledger_equals_journals'] else 'NO'} "
        f"({f['attempts']} attempts, {f['events_journalled']} events journalled, "
        f"{f['events_in_ledger']} in the ledger, {f['events_resent_to_other_process']} "
        f"batches resent to the other process; missing {f['missing']}, extra {f['extra']}, "
        f"backlog left {f['backlog_left']})",
        f"  till send latency: p50 {f['send_latency_ms_p50']:.1f} ms, p99 "
        f"{f['send_latency_ms_p99']:.1f} ms over {f['batches_acknowledged']} batches",
        f"  ingest throughput: {t['events_per_s']:.0f} events/s over HTTP "
        f"({t['senders']} senders, {t['events_per_batch']} events/batch), baseline straight "
        f"into PostgreSQL {t['baseline_direct_events_per_s']:.0f} events/s, ratio "
        f"{t['ratio_vs_direct']:.2f}; batch p50 {t['batch_latency_ms_p50']:.1f} ms, p99 "
        f"{t['batch_latency_ms_p99']:.1f} ms",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_load",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database", metavar="URL", default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(args.quick, args.database)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, default=str))
    print(table(result))
    return 0 if result["faults"]["ledger_equals_journals"] else 1


if __name__ == "__main__":
    sys.exit(main())
