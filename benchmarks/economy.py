"""Benchmark 1 — API economy: calls, tokens, request rate and lag over a trading day.

A discrete-event run in VIRTUAL time: the real `Till` (real `Gateway`, real `PollPlan`, real
journal) is driven by a `ManualScheduler`, and the `Simulator` reads the same clock. Nothing
sleeps, so a 10-hour trading day takes seconds and no compression factor exists at all: every
figure is in real-time-equivalent seconds. Each job handed to the runner takes one round trip
of virtual time (`rtt_s`, by default the loopback round trip measured in the same run), half
before the request reaches the simulator and half for the answer to come back.

The baseline — the seed's way, a fresh token for every charge and a status check every 2 s
(`benchmarks.seed_till`) — serves exactly the same customers against a second simulator in the
same run.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.customers import (
    STOP_WAITING_AFTER_S,
    Customer,
    CustomerBook,
    make_customers,
)
from benchmarks.seed_till import SeedTill
from benchmarks.stats import max_in_window, median, percentile
from pos_app.clickpesa import api
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.simulator import CustomerOutcome, Fault, Simulator
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.domain.polling import PollPlan
from pos_app.journal import Journal
from pos_app.till.charge import ChargeView, Phase, Till
from pos_app.till.fakes import ManualScheduler

CREDS = Credentials("BENCHCLIENT", "BENCH-API-KEY")
BASE_URL = "https://api.clickpesa.com"
PATIENCE_S = 120.0


class VirtualRunner:
    """Runs a job `rtt_s / 2` after it is submitted and delivers its result `rtt_s / 2` later,
    all in the scheduler's virtual time (the real till's jobs run on a worker thread)."""

    def __init__(self, scheduler: ManualScheduler, rtt_s: float) -> None:
        self.scheduler, self.half = scheduler, rtt_s / 2

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        def run() -> None:
            try:
                result = job()
            except BaseException as exc:  # noqa: BLE001 — delivered like a worker would
                error = exc

                def fail() -> None:
                    on_error(error)

                self.scheduler.call_later(self.half, fail)
            else:

                def deliver() -> None:
                    on_done(result)

                self.scheduler.call_later(self.half, deliver)

        self.scheduler.call_later(self.half, run)


@dataclass(frozen=True)
class Call:
    at: float
    endpoint: str
    reference: str
    status: int


class TracedSimulator:
    """One till's view of a (possibly shared) simulator: every request, by order reference."""

    def __init__(self, sim: Simulator, clock: Callable[[], float]) -> None:
        self.sim, self.clock = sim, clock
        self.calls: list[Call] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith(api.TOKEN_PATH):
            endpoint, ref = "token", ""
        elif path.endswith(api.INITIATE_PATH):
            endpoint = "initiate"
            ref = json.loads(request.content or b"{}").get("orderReference", "")
        else:
            endpoint, ref = "status", path.rsplit("/", 1)[-1]
        response = self.sim.handle(request)
        self.calls.append(Call(self.clock(), endpoint, ref, response.status_code))
        return response

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


@dataclass
class Sale:
    customer: Customer
    entered_at: float
    reference: str = ""
    shown_at: float | None = None  # the till showed PAID / FAILED / NOT SENT / ATTENTION
    phase: Phase | None = None
    gave_up_at: float | None = None  # the till showed "no answer"
    ended_at: float | None = None  # the cashier moved on (outcome shown, or stopped waiting)


@dataclass
class Shift:
    """One till and its cashier working through a queue of customers."""

    name: str
    scheduler: ManualScheduler
    sim: Simulator
    customers: list[Customer]
    rtt_s: float
    journal_dir: Path
    seed_way: bool = False
    plan: PollPlan | None = None
    trading_s: float | None = None  # stop starting sales after this long (None: all)
    sales: list[Sale] = field(default_factory=list)
    started_at: float = 0.0
    finished_at: float | None = None

    def __post_init__(self) -> None:
        self.traced = TracedSimulator(self.sim, self.scheduler.now)
        self.runner = VirtualRunner(self.scheduler, self.rtt_s)
        self.gateways: list[Gateway] = []
        if self.seed_way:
            self.journal = None
            self.till: Any = SeedTill(self._new_gateway, self.runner, self.scheduler,
                                      patience_s=PATIENCE_S, on_view=self._on_view)
        else:
            # A journal of its own: attempts left unresolved by another run must not be
            # re-checked (and counted) here.
            own = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=self.journal_dir))
            self.journal = Journal(own / "journal.sqlite3", mode="training")
            self.till = Till(self._new_gateway(), self.journal, self.runner, self.scheduler,
                             patience_s=PATIENCE_S, plan=self.plan, till_name=self.name,
                             on_view=self._on_view)
        self._next = 0

    def _new_gateway(self) -> Gateway:
        gw = Gateway(BASE_URL, lambda: CREDS, transport=self.traced.transport(),
                     clock=self.scheduler.now)
        self.gateways.append(gw)
        return gw

    def open(self) -> None:
        self.started_at = self.scheduler.now()
        self.till.start_background()  # as the window does on start
        self.scheduler.call_later(self.customers[0].gap_before_s, self._enter)

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    def _enter(self) -> None:
        elapsed = self.scheduler.now() - self.started_at
        if self._next >= len(self.customers) or (
                self.trading_s is not None and elapsed >= self.trading_s):
            self.finished_at = self.scheduler.now()
            self.till.shutdown()
            return
        c = self.customers[self._next]
        self._next += 1
        self.till.new_sale()
        sale = Sale(c, self.scheduler.now())
        self.sales.append(sale)
        assert self.till.charge(Phone(c.phone), Amount(c.amount_tzs))

    def _on_view(self, view: ChargeView) -> None:
        if not self.sales or self.sales[-1].ended_at is not None:
            return
        sale = self.sales[-1]
        sale.reference = sale.reference or view.reference
        now = self.scheduler.now()
        if view.phase.is_outcome:
            sale.shown_at, sale.phase, sale.ended_at = now, view.phase, now
            self._after(sale)
        elif view.phase is Phase.NO_ANSWER and sale.gave_up_at is None:
            sale.gave_up_at = now
            self.scheduler.call_later(STOP_WAITING_AFTER_S, lambda: self._stop_waiting(sale))

    def _stop_waiting(self, sale: Sale) -> None:
        sale.ended_at = self.scheduler.now()
        self.till.stop_waiting()
        self._after(sale)

    def _after(self, sale: Sale) -> None:
        gap = (self.customers[self._next].gap_before_s if self._next < len(self.customers)
               else 0.0)
        self.scheduler.call_later(gap, self._enter)

    def close(self) -> None:
        self.till.shutdown()
        for gw in self.gateways:
            gw.close()
        if self.journal is not None:
            self.journal.close()


def run_until_done(scheduler: ManualScheduler, shifts: list[Shift],
                   limit_s: float = 7 * 24 * 3600) -> None:
    start = scheduler.now()
    while not all(s.done for s in shifts):
        if scheduler.now() - start > limit_s or scheduler.next_due() is None:
            raise RuntimeError("the simulated shop stopped before its customers were served")
        scheduler.advance(60.0)


# -- figures -----------------------------------------------------------------------------


def shift_figures(shift: Shift) -> dict[str, Any]:
    calls = shift.traced.calls
    end = shift.finished_at or shift.scheduler.now()
    first = shift.sales[0].entered_at
    last = max(s.ended_at or s.entered_at for s in shift.sales)
    hours = (last - first) / 3600.0
    tokens = sum(1 for c in calls if c.endpoint == "token")
    per_ref: dict[str, list[Call]] = {}
    for c in calls:
        if c.reference:
            per_ref.setdefault(c.reference, []).append(c)
    token_share = tokens / len(shift.sales)
    per_charge, lags, background = [], [], 0
    for sale in shift.sales:
        mine = per_ref.get(sale.reference, [])
        until = sale.ended_at if sale.ended_at is not None else end
        fg = [c for c in mine if c.at <= until]
        background += len(mine) - len(fg)
        per_charge.append(len(fg) + token_share)
        final = shift.sim.final_time(sale.reference)
        if sale.phase in (Phase.PAID, Phase.FAILED) and final is not None:
            lags.append(sale.shown_at - final)  # type: ignore[operator]
    kinds: dict[str, int] = {}
    for s in shift.sales:
        kinds[s.customer.kind] = kinds.get(s.customer.kind, 0) + 1
    waiting_calls = []  # from Enter until the cashier moves on
    for c in calls:
        current = _sale_at(shift.sales, c.at)
        if current is not None and c.at <= (current.ended_at if current.ended_at is not None
                                            else end):
            waiting_calls.append(c.at)
    return {
        "charges": len(shift.sales),
        "customers": kinds,
        "trading_hours": hours,
        "token_calls": tokens,
        "token_calls_per_hour": tokens / hours,
        "api_calls_total": len(calls),
        "api_calls_per_charge_median": median(per_charge),
        "api_calls_per_charge_p95": percentile(per_charge, 95),
        "api_calls_per_charge_mean": sum(per_charge) / len(per_charge),
        "background_calls_per_hour": background / hours,
        "lag_median_s": median(lags),
        "lag_p95_s": percentile(lags, 95),
        "lag_max_s": max(lags),
        "lag_samples": len(lags),
        "max_requests_per_min": max_in_window([c.at for c in calls]),
        "max_requests_per_min_while_waiting": max_in_window(waiting_calls),
        "http_429": sum(1 for c in calls if c.status == 429),
    }


def _sale_at(sales: list[Sale], t: float) -> Sale | None:
    """The sale whose Enter came last at or before `t` (sales are in time order)."""
    lo, hi = 0, len(sales)
    while lo < hi:
        mid = (lo + hi) // 2
        if sales[mid].entered_at <= t:
            lo = mid + 1
        else:
            hi = mid
    return sales[lo - 1] if lo else None


def trading_day(*, hours: float, rtt_s: float, seed: int, workdir: Path,
                plan: PollPlan | None = None) -> dict[str, Any]:
    """The till over a trading day, then the seed's way over the same customers."""
    customers = make_customers(int(hours * 3600 / 30) + 10, seed)
    sched = ManualScheduler(start=0.0)
    sim = Simulator(clock=sched.now, customer=CustomerBook(customers))
    till = Shift("till", sched, sim, customers, rtt_s, workdir, plan=plan,
                 trading_s=hours * 3600)
    till.open()
    run_until_done(sched, [till])
    served = customers[:len(till.sales)]
    till.close()

    sched_b = ManualScheduler(start=0.0)
    sim_b = Simulator(clock=sched_b.now, customer=CustomerBook(served))
    seed_way = Shift("seed", sched_b, sim_b, served, rtt_s, workdir, seed_way=True)
    seed_way.open()
    run_until_done(sched_b, [seed_way])
    seed_way.close()
    return {"till": shift_figures(till), "baseline": shift_figures(seed_way)}


def five_tills(*, hours: float, rtt_s: float, seed: int, workdir: Path,
               plan: PollPlan | None = None) -> dict[str, Any]:
    """Five tills of one shop behind one IP: ClickPesa's 120 requests a minute, enforced."""
    sched = ManualScheduler(start=0.0)
    lists = [make_customers(int(hours * 3600 / 30) + 10, seed + k) for k in range(5)]
    for k, cs in enumerate(lists):  # distinct numbers across tills
        lists[k] = [c.__class__(c.index, c.phone[:5] + str(k) + c.phone[6:], c.amount_tzs,
                                c.kind, c.outcome, c.gap_before_s) for c in cs]
    book = CustomerBook([c for cs in lists for c in cs])
    sim = Simulator(clock=sched.now, customer=book, rate_limit_per_min=120)
    shifts = [Shift(f"till{k + 1}", sched, sim, cs, rtt_s, workdir, plan=plan,
                    trading_s=hours * 3600) for k, cs in enumerate(lists)]
    for s in shifts:
        s.open()
    run_until_done(sched, shifts)
    for s in shifts:
        s.close()
    return {
        "tills": 5,
        "hours": hours,
        "max_requests_per_min": max_in_window([c.at for c in sim.calls]),
        "http_429": sum(1 for c in sim.calls if c.status == 429),
        "max_requests_per_min_one_till": max(
            max_in_window([c.at for c in s.traced.calls]) for s in shifts),
    }


def backoff_after_429(*, rtt_s: float, workdir: Path,
                      plan: PollPlan | None = None) -> dict[str, float]:
    """Inject 429s into a charge the customer never answers; measure the gaps that follow."""

    def gaps(faults: list[Fault], name: str) -> list[tuple[int, float]]:
        sched = ManualScheduler(start=0.0)
        sim = Simulator(clock=sched.now, customer=lambda phone, amount: CustomerOutcome(None))
        traced = TracedSimulator(sim, sched.now)
        gw = Gateway(BASE_URL, lambda: CREDS, transport=traced.transport(), clock=sched.now)
        journal = Journal(Path(tempfile.mkdtemp(prefix=f"{name}-", dir=workdir))
                          / "journal.sqlite3", mode="training")
        till = Till(gw, journal, VirtualRunner(sched, rtt_s), sched, patience_s=PATIENCE_S,
                    plan=plan)
        till.charge(Phone("255712000001"), Amount(1000))
        sched.advance(13.0)  # a few ordinary checks first
        sim.inject("status", *faults)
        sched.advance(100.0)
        till.shutdown()
        gw.close()
        journal.close()
        status = [c for c in traced.calls if c.endpoint == "status"]
        return [(status[i].status, status[i + 1].at - status[i].at)
                for i in range(len(status) - 1)]

    too_many = Fault(status=429, body={"message": "Too many requests"})
    two = gaps([too_many, too_many], "backoff")
    first = next(i for i, (code, _) in enumerate(two) if code == 429)
    waited = gaps([Fault(status=429, body={"message": "Too many requests"},
                         headers={"Retry-After": "30"})], "retry_after")
    ra = next(gap for code, gap in waited if code == 429)
    return {
        "interval_before_429_s": two[first - 1][1],
        "backoff_after_429_s": two[first][1],
        "backoff_after_second_429_s": two[first + 1][1],
        "backoff_with_retry_after_30_s": ra,
    }


def loopback_rtt_s(samples: int = 200) -> float:
    """Median round trip of a status call through the Gateway to the simulator over HTTP."""
    from pos_app.clickpesa.simulator_http import SimulatorServer

    with SimulatorServer(Simulator()) as server:
        gw = Gateway(server.url, lambda: CREDS)
        try:
            gw.initiate("BENCHRTT1", Phone("255712000002"), Amount(1000))
            times = []
            for _ in range(samples):
                t = time.perf_counter()
                gw.status("BENCHRTT1")
                times.append(time.perf_counter() - t)
        finally:
            gw.close()
    return median(times)


def run(*, quick: bool, seed: int = 20261127, plan: PollPlan | None = None,
        rtt_s: float | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    rtt = loopback_rtt_s(50 if quick else 200) if rtt_s is None else rtt_s
    with tempfile.TemporaryDirectory(prefix="pos-bench-", ignore_cleanup_errors=True,
                                     dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as d:
        work = Path(d)
        day = trading_day(hours=1.5 if quick else 10.0, rtt_s=rtt, seed=seed, workdir=work,
                          plan=plan)
        five = five_tills(hours=0.5 if quick else 2.0, rtt_s=rtt, seed=seed + 1000,
                          workdir=work, plan=plan)
        backoff = backoff_after_429(rtt_s=rtt, workdir=work, plan=plan)
        wan = trading_day(hours=1.5 if quick else 4.0, rtt_s=0.3, seed=seed, workdir=work,
                          plan=plan)
    return {"rtt_s": rtt, **day, "five_tills": five, "backoff": backoff,
            "wan_rtt_300ms": {"till_lag_p95_s": wan["till"]["lag_p95_s"],
                              "baseline_lag_p95_s": wan["baseline"]["lag_p95_s"]},
            "seconds": time.perf_counter() - t0}


if __name__ == "__main__":
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
