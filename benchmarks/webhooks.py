"""Benchmark 7 — instant outcomes (issue 12): the same trading day polling-only and with
ClickPesa's webhooks relayed by the shop server, side by side in one run.

- **Calls per charge** (virtual time, as benchmark 1): the seed's way (a token per charge, a
  check every 2 s), this till polling, and this till with hints — each hint delivered one
  measured loopback hop after ClickPesa makes the payment final. Tokens are amortised over the
  charges. Target: with hints ≤ 0.25 × the seed's way.
- **Lag** (real time, loopback): the simulator posts signed webhooks to a real shop server
  (uvicorn, PostgreSQL behind it); the till — the real `Till`, `HintBridge` and `HintStream`
  on a Qt event loop — follows its stream and asks ClickPesa (the simulator over HTTP) once.
  Lag is from the simulator's final moment to the till showing the outcome. Target: p95 ≤ 1 s.
"""

from __future__ import annotations

import random
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.customers import CustomerBook, make_customers
from benchmarks.economy import Shift, loopback_rtt_s, run_until_done, shift_figures
from benchmarks.stats import median, percentile
from pos_app.clickpesa.simulator import Simulator
from pos_app.till.fakes import ManualScheduler

KEY = "bench-checksum-key"


class HintedShift(Shift):
    """A till whose shop server relays ClickPesa's webhooks: the stream is up, and each
    payment's outcome arrives as a hint `hop_s` after ClickPesa made it final."""

    hop_s: float = 0.05

    def __post_init__(self) -> None:
        super().__post_init__()
        self.till.set_hints_live(True)
        self.hints = 0

    def _enter(self) -> None:
        super()._enter()
        if self.sales and self.sales[-1].ended_at is None and self.till.view.reference:
            ref = self.till.view.reference
            # Once the push has reached ClickPesa (one round trip), its fate is known there.
            self.scheduler.call_later(self.rtt_s, lambda: self._plan_hint(ref))

    def _plan_hint(self, ref: str) -> None:
        final = self.sim.final_time(ref)
        if final is None:
            return  # a customer who never answers: no webhook ever comes
        delay = max(0.0, final - self.scheduler.now()) + self.hop_s

        def hint() -> None:
            self.hints += 1
            self.till.hint(ref)

        self.scheduler.call_later(delay, hint)


def calls_per_charge(*, hours: float, rtt_s: float, hop_s: float, seed: int,
                     workdir: Path) -> dict[str, Any]:
    customers = make_customers(int(hours * 3600 / 30) + 10, seed)
    out: dict[str, Any] = {}
    served = customers
    for name, kind in (("polling", Shift), ("hints", HintedShift), ("seed", Shift)):
        sched = ManualScheduler(start=0.0)
        sim = Simulator(clock=sched.now, customer=CustomerBook(served))
        kwargs: dict[str, Any] = {"trading_s": hours * 3600} if name == "polling" else {}
        shift = kind(name, sched, sim, served, rtt_s, workdir, seed_way=name == "seed",
                     **kwargs)
        if isinstance(shift, HintedShift):
            shift.hop_s = hop_s
        shift.open()
        run_until_done(sched, [shift])
        if name == "polling":
            served = customers[:len(shift.sales)]  # the others serve exactly these
        out[name] = shift_figures(shift)
        if isinstance(shift, HintedShift):
            out[name]["hints"] = shift.hints
        shift.close()
    return out


# -- real time: simulator -> shop server -> till ------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    def __init__(self, database_url: str) -> None:
        import uvicorn

        from pos_app.server.app import ServerConfig, create_app
        from pos_app.server.webhooks import WebhookConfig

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Keep-alives every second: a stopped till's stream thread sees the stop at once, so
        # the server can shut down without cutting an open stream.
        cfg = ServerConfig(database_url=database_url, pool_max=4, webhook=WebhookConfig(KEY),
                           stream_ping_s=1.0)
        self.server = uvicorn.Server(uvicorn.Config(
            create_app(cfg), host="127.0.0.1", port=self.port, log_level="warning",
            lifespan="on", timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> _Server:
        import httpx

        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the shop server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def loopback_lag(*, payments: int, database: str | None = None) -> dict[str, Any]:
    import httpx
    from PySide6.QtCore import QCoreApplication

    from benchmarks.server_load import throwaway_database
    from pos_app.clickpesa.gateway import Credentials, Gateway
    from pos_app.clickpesa.simulator import CustomerOutcome, Simulator
    from pos_app.clickpesa.simulator_http import SimulatorServer
    from pos_app.clickpesa.webhook_sender import WebhookSender
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import Phone
    from pos_app.hints.stream import HintStream
    from pos_app.journal import Journal
    from pos_app.server import db, store
    from pos_app.till.charge import Phase, Till
    from pos_app.ui.hints_bridge import HintBridge
    from pos_app.ui.tasks import QtRunner, QtScheduler

    app = QCoreApplication.instance() or QCoreApplication([])
    rng = random.Random(20261201)
    sim = Simulator(clock=time.monotonic, customer=lambda phone, amount: CustomerOutcome(
        "SUCCESS" if rng.random() < 0.85 else "FAILED", rng.uniform(0.4, 1.5), "simulated"))
    lags: list[float] = []
    status_calls: list[int] = []
    with throwaway_database(database) as url, SimulatorServer(sim) as clickpesa, \
            tempfile.TemporaryDirectory() as tmp:
        db.migrate(url)
        with db.connect(url, autocommit=True) as c, c.transaction():
            code = store.add_till(c, "Bench till")
        server = _Server(url).start()
        secret = httpx.post(f"{server.url}/api/v1/join", json={"code": code}).json()["secret"]
        sender = WebhookSender(sim, f"{server.url}/clickpesa/webhook", KEY).start()
        journal = Journal(Path(tmp) / "journal.sqlite3", mode="training")
        gateway = Gateway(clickpesa.url, lambda: Credentials("BENCH", "BENCH-KEY"))
        runner, scheduler = QtRunner(), QtScheduler()
        shown: dict[str, float] = {}

        def on_view(view: Any) -> None:
            if view.phase.is_outcome and view.reference not in shown:
                shown[view.reference] = time.monotonic()

        till = Till(gateway, journal, runner, scheduler, patience_s=120, on_view=on_view)
        bridge = HintBridge(till, lambda on_hint, on_live, on_refused: HintStream(
            server.url, lambda: {"Authorization": f"Bearer {secret}"}, on_hint=on_hint,
            on_live=on_live, on_refused=on_refused))
        bridge.start()

        def spin(until: Any, limit_s: float) -> bool:
            deadline = time.monotonic() + limit_s
            while not until() and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.002)
            return bool(until())

        try:
            if not spin(lambda: till.hints_live, 15):
                raise RuntimeError("the till's stream never came up")
            for i in range(payments):
                till.new_sale()
                before = sum(1 for c in sim.calls if c.endpoint == "status")
                assert till.charge(Phone(f"2557120{i:05d}"), Amount(1000 + i))
                ref = till.view.reference
                if not spin(lambda ref=ref: ref in shown, 30):
                    raise RuntimeError(f"{ref}: no outcome shown in 30 s")
                final = sim.final_time(ref)
                lags.append(shown[ref] - final)  # type: ignore[operator]
                status_calls.append(sum(1 for c in sim.calls if c.endpoint == "status")
                                    - before)
                assert till.view.phase in (Phase.PAID, Phase.FAILED)
        finally:
            bridge.stop()
            bridge.stream.stop(3.0)  # the stream thread ends at the next keep-alive
            till.shutdown()
            runner.wait()
            sender.stop()
            gateway.close()
            journal.close()
            server.stop()
    return {"payments": payments, "lag_median_s": median(lags),
            "lag_p95_s": percentile(lags, 95), "lag_max_s": max(lags),
            "status_calls_per_charge_median": median(status_calls),
            "status_calls_per_charge_max": max(status_calls)}


def run(*, quick: bool, database: str | None = None, seed: int = 20261127) -> dict[str, Any]:
    t0 = time.perf_counter()
    rtt = loopback_rtt_s(50 if quick else 200)
    lag = loopback_lag(payments=6 if quick else 40, database=database)
    with tempfile.TemporaryDirectory(prefix="pos-bench-hints-") as d:
        day = calls_per_charge(hours=1.0 if quick else 10.0, rtt_s=rtt,
                               hop_s=lag["lag_median_s"], seed=seed, workdir=Path(d))
    seed_calls = day["seed"]["api_calls_per_charge_mean"]
    hinted = day["hints"]["api_calls_per_charge_mean"]
    return {
        "rtt_s": rtt,
        "calls_per_charge": {k: v["api_calls_per_charge_mean"] for k, v in day.items()},
        "calls_ratio_hints_vs_seed": hinted / seed_calls,
        "calls_ratio_polling_vs_seed": day["polling"]["api_calls_per_charge_mean"] / seed_calls,
        "virtual_lag_p95_s": {k: v["lag_p95_s"] for k, v in day.items()},
        "loopback": lag,
        "details": day,
        "targets": {"calls_ratio_hints_vs_seed_max": 0.25, "loopback_lag_p95_s_max": 1.0},
        "seconds": time.perf_counter() - t0,
    }


def table(r: dict[str, Any]) -> str:
    c = r["calls_per_charge"]
    lag = r["loopback"]
    ok_calls = r["calls_ratio_hints_vs_seed"] <= 0.25
    ok_lag = lag["lag_p95_s"] <= 1.0
    return "\n".join([
        "7 instant outcomes (webhooks through the shop server)",
        f"  API calls per charge (tokens amortised): seed's way {c['seed']:.2f}, polling "
        f"{c['polling']:.2f}, with hints {c['hints']:.2f}",
        f"  ratio with hints / seed's way: {r['calls_ratio_hints_vs_seed']:.3f} "
        f"(target <= 0.25: {'met' if ok_calls else 'MISSED'})",
        f"  loopback lag, ClickPesa final -> till shows it, {lag['payments']} payments: "
        f"median {lag['lag_median_s'] * 1000:.0f} ms, p95 {lag['lag_p95_s'] * 1000:.0f} ms, "
        f"max {lag['lag_max_s'] * 1000:.0f} ms (target p95 <= 1.0 s: "
        f"{'met' if ok_lag else 'MISSED'}); status calls per charge median "
        f"{lag['status_calls_per_charge_median']}",
    ])


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m benchmarks.webhooks")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database", default=None)
    a = parser.parse_args()
    result = run(quick=a.quick, database=a.database)
    print(json.dumps({k: v for k, v in result.items() if k != "details"}, indent=1,
                     default=str))
    print(table(result))
