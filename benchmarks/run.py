"""`python -m benchmarks [--quick] [--json FILE]`: every benchmark, a table and a JSON file.

Each figure is measured in the same run as its baseline and reported as a ratio as well. The
API-economy run is in virtual time (no compression factor); the GUI benchmarks run in child
processes with QT_QPA_PLATFORM=offscreen and fresh XDG_* directories.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import customers, economy
from benchmarks.stats import median

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"

REQUIRED_KEYS = (
    "token_calls_per_hour", "api_calls_per_charge_median", "api_calls_per_charge_p95",
    "calls_ratio_vs_baseline", "lag_p95_s", "lag_ratio_vs_baseline", "max_requests_per_min",
    "max_ui_stall_ms", "baseline_max_ui_stall_ms", "startup_ratio", "rss_ratio",
    "enter_to_wire_ms_median",
)


# -- the machine -------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, Any]:
    try:
        import PySide6
        from PySide6 import QtCore

        qt = f"PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}"
    except ImportError:
        qt = "PySide6 not importable"
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "qt": qt,
        "platform": platform.platform(),
        "load_average_at_start": ([round(x, 2) for x in os.getloadavg()]
                                  if hasattr(os, "getloadavg") else None),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


# -- child processes ---------------------------------------------------------------------


def _fresh_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        d = base / var.lower()
        d.mkdir(parents=True, exist_ok=True)
        env[var] = str(d)
    runtime = base / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    # platformdirs on Windows: the same isolation (macOS honours the XDG_* variables).
    for name in ("APPDATA", "LOCAL_APPDATA", "COMMON_APPDATA"):
        d = base / name.lower()
        d.mkdir(exist_ok=True)
        env[f"WIN_PD_OVERRIDE_{name}"] = str(d)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _child(module: str, args: list[str], timeout_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pos-bench-", ignore_cleanup_errors=True) as d:
        out = Path(d) / "result.json"
        proc = subprocess.run([sys.executable, "-m", module, *args, "--out", str(out)],
                              cwd=ROOT, env=_fresh_env(Path(d)), capture_output=True, text=True,
                              timeout=timeout_s)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"{module} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text())


def responsiveness(quick: bool) -> dict[str, Any]:
    """One whole charge per child process; the full run repeats the till's charge three times
    and reports the median of the three longest gaps (a single preemption of this process by
    another on a busy machine is not the till's freeze) next to the worst of them."""
    speedup, repeats = ("4", 1) if quick else ("2", 3)
    tills = [_child("benchmarks.gui_stall", ["--mode", "till", "--speedup", speedup], 180)
             for _ in range(repeats)]
    base = _child("benchmarks.gui_stall", ["--mode", "gui-thread", "--speedup", speedup], 180)
    return {"till": {"max_gap_ms": median([t["max_gap_ms"] for t in tills]),
                     "max_gap_ms_worst_run": max(t["max_gap_ms"] for t in tills),
                     "runs": tills},
            "gui_thread": base, "latency_s": 2.0, "speedup": float(speedup)}


def _startup_once(mode: str, idle_ms: int, pycache: Path) -> tuple[float, int, float | None]:
    with tempfile.TemporaryDirectory(prefix="pos-bench-start-", ignore_cleanup_errors=True) as d:
        out = Path(d) / "probe.json"
        env = _fresh_env(Path(d))
        # Start as an installed program does: with Python's bytecode cache. pip and
        # PyInstaller always ship bytecode, but a checkout may be run with
        # PYTHONDONTWRITEBYTECODE=1 (these machines set it), which would recompile every
        # module of the till, and none of the bare window's, at every start. The cache lives
        # outside the checkout; the unmeasured warm-up runs fill it for both.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
        cmd = [sys.executable, "-m", "benchmarks.startup_probe", mode, "--out", str(out),
               "--idle-ms", str(idle_ms)]
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=60)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"start-up probe {mode} failed (exit {proc.returncode}):\n"
                               f"{proc.stderr[-3000:]}")
        data = json.loads(out.read_text())
        ready = data.get("ready_monotonic")
        return ((data["first_paint_monotonic"] - started) * 1000.0, int(data["rss_kb"]),
                None if ready is None else (ready - started) * 1000.0)


def startup(quick: bool) -> dict[str, Any]:
    # 21 runs each: on a shared 2-CPU VM single starts vary by up to half.
    repeats, idle_ms = (2, 600) if quick else (21, 1000)
    runs: dict[str, list[tuple[float, int, float | None]]] = {"app": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="pos-bench-pycache-",
                                     ignore_cleanup_errors=True) as pycache:
        # Warm the file and bytecode caches for both; not counted.
        _startup_once("bare", idle_ms, Path(pycache))
        _startup_once("app", idle_ms, Path(pycache))
        for _ in range(repeats):  # interleaved, so drifting machine load hits both alike
            for mode in ("bare", "app"):
                runs[mode].append(_startup_once(mode, idle_ms, Path(pycache)))
    fig: dict[str, Any] = {}
    for mode, values in runs.items():
        fig[mode] = {"first_paint_ms_median": median([v[0] for v in values]),
                     "rss_mb_median": median([v[1] for v in values]) / 1024.0,
                     "first_paint_ms": [round(v[0], 1) for v in values],
                     "rss_mb": [round(v[1] / 1024.0, 1) for v in values]}
    ready = [v[2] for v in runs["app"] if v[2] is not None]
    # For information: the till is usable (core, journal, gateway attached) a little later.
    fig["app"]["ready_ms_median"] = median(ready) if ready else float("nan")
    fig["repeats"], fig["idle_ms"] = repeats, idle_ms
    return fig


def history(quick: bool) -> dict[str, Any]:
    attempts, repeats = ("20000", "1") if quick else ("100000", "3")
    return _child("benchmarks.history", ["--attempts", attempts, "--repeats", repeats], 600)


def overhead(quick: bool) -> dict[str, Any]:
    return _child("benchmarks.overhead", ["--charges", "5" if quick else "30"], 180)


# -- report ------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def summarise(eco: dict[str, Any], gui: dict[str, Any], start: dict[str, Any],
              over: dict[str, Any], quick: bool, seconds: float,
              hist: dict[str, Any] | None = None) -> dict[str, Any]:
    t, b = eco["till"], eco["baseline"]
    flat: dict[str, Any] = {
        "token_calls_per_hour": t["token_calls_per_hour"],
        "api_calls_per_charge_median": t["api_calls_per_charge_median"],
        "api_calls_per_charge_p95": t["api_calls_per_charge_p95"],
        "calls_ratio_vs_baseline": _ratio(t["api_calls_per_charge_median"],
                                          b["api_calls_per_charge_median"]),
        "lag_median_s": t["lag_median_s"],
        "lag_p95_s": t["lag_p95_s"],
        "lag_ratio_vs_baseline": _ratio(t["lag_p95_s"], b["lag_p95_s"]),
        "max_requests_per_min": t["max_requests_per_min"],
        "background_calls_per_hour": t["background_calls_per_hour"],
        "backoff_after_429_s": eco["backoff"]["backoff_after_429_s"],
        "interval_before_429_s": eco["backoff"]["interval_before_429_s"],
        "five_tills_max_requests_per_min": eco["five_tills"]["max_requests_per_min"],
        "five_tills_http_429": eco["five_tills"]["http_429"],
        "baseline_token_calls_per_hour": b["token_calls_per_hour"],
        "baseline_api_calls_per_charge_median": b["api_calls_per_charge_median"],
        "baseline_api_calls_per_charge_p95": b["api_calls_per_charge_p95"],
        "baseline_lag_median_s": b["lag_median_s"],
        "baseline_lag_p95_s": b["lag_p95_s"],
        "baseline_max_requests_per_min": b["max_requests_per_min"],
        "charges": t["charges"],
        "trading_hours": t["trading_hours"],
        "max_ui_stall_ms": gui["till"]["max_gap_ms"],
        "baseline_max_ui_stall_ms": gui["gui_thread"]["max_gap_ms"],
        "max_ui_stall_ms_worst_run": gui["till"]["max_gap_ms_worst_run"],
        "stall_ratio_vs_baseline": _ratio(gui["till"]["max_gap_ms"],
                                          gui["gui_thread"]["max_gap_ms"]),
        "startup_ms": start["app"]["first_paint_ms_median"],
        "bare_startup_ms": start["bare"]["first_paint_ms_median"],
        "startup_ready_ms": start["app"]["ready_ms_median"],
        "startup_ratio": _ratio(start["app"]["first_paint_ms_median"],
                                start["bare"]["first_paint_ms_median"]),
        "rss_mb": start["app"]["rss_mb_median"],
        "bare_rss_mb": start["bare"]["rss_mb_median"],
        "rss_ratio": _ratio(start["app"]["rss_mb_median"], start["bare"]["rss_mb_median"]),
        "enter_to_wire_ms_median": over["enter_to_wire_ms_median"],
        "enter_to_wire_ms_p95": over["enter_to_wire_ms_p95"],
    }
    if hist is not None:
        ht, hb = hist["till"], hist["baseline"]
        flat.update({
            "history_attempts": hist["attempts"],
            "history_open_ms": ht["open_ms"],
            "history_all_rows_ms": ht["all_rows_ms"],
            "history_filter_ms": ht["filter_ms"],
            "history_filter_ms_max": ht["filter_ms_max"],
            "baseline_history_open_ms": hb["open_ms"],
            "baseline_history_filter_ms": hb["filter_ms"],
            "history_open_ratio": _ratio(ht["open_ms"], hb["open_ms"]),
            "history_filter_ratio": _ratio(ht["filter_ms"], hb["filter_ms"]),
        })
    targets = {
        "token_calls_per_hour <= 1.2": flat["token_calls_per_hour"] <= 1.2,
        "calls_ratio_vs_baseline <= 0.6": flat["calls_ratio_vs_baseline"] <= 0.6,
        "lag_p95_s <= 3": flat["lag_p95_s"] <= 3.0,
        "max_requests_per_min <= 24": flat["max_requests_per_min"] <= 24,
        "429 backs off": flat["backoff_after_429_s"] > flat["interval_before_429_s"],
        "max_ui_stall_ms <= 16": flat["max_ui_stall_ms"] <= 16.0,
        "startup_ratio <= 1.3": flat["startup_ratio"] <= 1.3,
        "rss_ratio <= 1.3": flat["rss_ratio"] <= 1.3,
        "enter_to_wire_ms_median <= 10": flat["enter_to_wire_ms_median"] <= 10.0,
    }
    if hist is not None:
        targets["history_open_ms <= 300"] = flat["history_open_ms"] <= 300.0
        targets["history_filter_ms <= 100"] = flat["history_filter_ms"] <= 100.0
    return {
        **flat,
        "quick": quick,
        "seconds": seconds,
        "machine": machine(),
        "targets_met": targets,
        "distribution": customers.describe(),
        "details": {"economy": eco, "responsiveness": gui, "startup": start,
                    "overhead": over, "history": hist},
    }


def _fmt(x: Any, digits: int = 2) -> str:
    if isinstance(x, bool):
        return "yes" if x else "NO"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return "n/a" if math.isnan(x) else f"{x:.{digits}f}"
    return str(x)


def table(r: dict[str, Any]) -> str:
    eco = r["details"]["economy"]
    tm = r["targets_met"]
    rows: list[tuple[str, Any, Any, Any, str, Any]] = [
        ("1 token calls / hour of trading", r["token_calls_per_hour"],
         r["baseline_token_calls_per_hour"],
         _ratio(r["token_calls_per_hour"], r["baseline_token_calls_per_hour"]), "<= 1.2",
         tm["token_calls_per_hour <= 1.2"]),
        ("1 API calls / charge, median", r["api_calls_per_charge_median"],
         r["baseline_api_calls_per_charge_median"], r["calls_ratio_vs_baseline"],
         "ratio <= 0.6", tm["calls_ratio_vs_baseline <= 0.6"]),
        ("1 API calls / charge, p95", r["api_calls_per_charge_p95"],
         r["baseline_api_calls_per_charge_p95"],
         _ratio(r["api_calls_per_charge_p95"], r["baseline_api_calls_per_charge_p95"]), "",
         ""),
        ("1 lag final -> shown, median (s)", r["lag_median_s"], r["baseline_lag_median_s"],
         _ratio(r["lag_median_s"], r["baseline_lag_median_s"]), "", ""),
        ("1 lag final -> shown, p95 (s)", r["lag_p95_s"], r["baseline_lag_p95_s"],
         r["lag_ratio_vs_baseline"], "<= 3 s", tm["lag_p95_s <= 3"]),
        ("1 max requests / min, one till", r["max_requests_per_min"],
         r["baseline_max_requests_per_min"],
         _ratio(r["max_requests_per_min"], r["baseline_max_requests_per_min"]), "<= 24",
         tm["max_requests_per_min <= 24"]),
        ("1 next check after a 429 (s)", r["backoff_after_429_s"],
         r["interval_before_429_s"], _ratio(r["backoff_after_429_s"],
                                            r["interval_before_429_s"]),
         "> usual", tm["429 backs off"]),
        ("1 background re-checks / hour", r["background_calls_per_hour"], 0.0, math.nan,
         "(info)", ""),
        ("1 five tills, max req/min, 429s", r["five_tills_max_requests_per_min"],
         r["five_tills_http_429"], math.nan, "<= 120, 0", ""),
        ("2 longest UI stall (ms)", r["max_ui_stall_ms"], r["baseline_max_ui_stall_ms"],
         r["stall_ratio_vs_baseline"], "<= 16 ms", tm["max_ui_stall_ms <= 16"]),
        ("3 start -> first paint (ms)", r["startup_ms"], r["bare_startup_ms"],
         r["startup_ratio"], "ratio <= 1.3", tm["startup_ratio <= 1.3"]),
        ("3 resident memory idle (MB)", r["rss_mb"], r["bare_rss_mb"], r["rss_ratio"],
         "ratio <= 1.3", tm["rss_ratio <= 1.3"]),
        ("4 Enter -> push on wire (ms)", r["enter_to_wire_ms_median"],
         r["enter_to_wire_ms_p95"], math.nan, "median <= 10",
         tm["enter_to_wire_ms_median <= 10"]),
    ]
    if "history_open_ms" in r:
        rows += [
            ("5 history: open (ms)", r["history_open_ms"], r["baseline_history_open_ms"],
             r["history_open_ratio"], "<= 300 ms", tm["history_open_ms <= 300"]),
            ("5 history: filter change (ms)", r["history_filter_ms"],
             r["baseline_history_filter_ms"], r["history_filter_ratio"], "<= 100 ms",
             tm["history_filter_ms <= 100"]),
        ]
    head = ("figure", "till", "baseline", "ratio", "target", "met")
    cells = [head] + [(a, _fmt(b), _fmt(c), _fmt(d), e, _fmt(f) if f != "" else "")
                      for a, b, c, d, e, f in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w)
                       in enumerate(zip(row, widths, strict=True))) for row in cells]
    lines.insert(1, "-" * len(lines[0]))
    m = r["machine"]
    notes = [
        "",
        f"1: virtual time, {r['charges']} charges over {r['trading_hours']:.1f} h of trading "
        f"per till; baseline = a token per charge + a status check every 2 s, same customers. "
        f"Customers: {r['distribution']}. Job round trip {eco['rtt_s'] * 1000:.2f} ms "
        f"(loopback, measured). With a 300 ms WAN round trip the lag p95 would be "
        f"{eco['wan_rtt_300ms']['till_lag_p95_s']:.2f} s (baseline "
        f"{eco['wan_rtt_300ms']['baseline_lag_p95_s']:.2f} s). 429 row: baseline column = "
        "the usual interval just before it; with Retry-After: 30 the next check came after "
        f"{eco['backoff']['backoff_with_retry_after_30_s']:.1f} s. Five-tills row: baseline "
        "column = number of 429s.",
        "2: every API call takes 2 s; baseline = the same initiate and status calls on the GUI "
        f"thread. Till = median over {len(r['details']['responsiveness']['till']['runs'])} "
        f"whole charges of each one's longest gap (worst: {r['max_ui_stall_ms_worst_run']:.1f} "
        "ms).",
        "3: baseline = a bare PySide6 QMainWindow with one label (packaging/bare_window.py's "
        "yardstick); medians of "
        f"{r['details']['startup']['repeats']} interleaved runs each, with Python's bytecode "
        f"cache. The till is attached (journal, core) {r['startup_ready_ms']:.0f} ms after "
        "start, just after the first paint.",
        "4: baseline column = p95; loopback HTTP simulator in its own process, cached token.",
        *([f"5: {r['history_attempts']:,} attempts; baseline = the stock Qt way (the same rows "
           "read on the GUI thread into a QStandardItemModel, QSortFilterProxyModel with a "
           "fixed-string filter); open = first paint with the newest attempts, all rows on "
           f"screen after {r['history_all_rows_ms']:.0f} ms; filter = median of ten changes "
           f"(worst {r['history_filter_ms_max']:.0f} ms)."] if "history_open_ms" in r else []),
        f"machine: {m['nproc']} CPU(s), {m['cpu_model']}, Python {m['python']}, {m['qt']}; "
        f"{'QUICK mode (figures only prove the benchmark runs)' if r['quick'] else 'full run'}"
        f", {r['seconds']:.0f} s.",
    ]
    return "\n".join(lines + notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="fewer charges and repeats: proves the benchmark runs (CI)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="FILE",
                        help=f"write the figures here (default {DEFAULT_JSON.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()

    def step(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        s = time.perf_counter()
        print(f"... {name}", end="", flush=True, file=sys.stderr)
        result = fn()
        print(f" ({time.perf_counter() - s:.1f} s)", flush=True, file=sys.stderr)
        return result

    eco = step("1 API economy (virtual time)", lambda: economy.run(quick=args.quick))
    gui = step("2 responsiveness (offscreen window, 2 s per call)",
               lambda: responsiveness(args.quick))
    start = step("3 start-up and memory", lambda: startup(args.quick))
    over = step("4 Enter -> push on the wire", lambda: overhead(args.quick))
    hist = step("5 history on a large journal", lambda: history(args.quick))
    from benchmarks import server_load  # the shop server: PostgreSQL, two processes, faults

    srv = step("6 shop server: 20 tills, a killed process, throughput",
               lambda: server_load.run(quick=args.quick))
    from benchmarks import webhooks  # issue 12: polling-only beside webhooks, one run

    hooks = step("7 instant outcomes: webhooks through the shop server",
                 lambda: webhooks.run(quick=args.quick))
    result = summarise(eco, gui, start, over, args.quick, time.perf_counter() - t0, hist)
    result["details"]["server"] = srv
    result["details"]["webhooks"] = hooks
    result["webhook_calls_ratio_vs_seed"] = hooks["calls_ratio_hints_vs_seed"]
    result["webhook_lag_p95_s"] = hooks["loopback"]["lag_p95_s"]
    result["server_ingest_events_per_s"] = srv["throughput"]["events_per_s"]
    result["server_ingest_ratio_vs_direct"] = srv["throughput"]["ratio_vs_direct"]
    result["server_send_latency_ms_p99"] = srv["faults"]["send_latency_ms_p99"]
    result["server_ledger_equals_journals"] = srv["faults"]["ledger_equals_journals"]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, default=str))
    print(table(result))
    print(server_load.table(srv))
    print(webhooks.table(hooks))
    print(f"JSON: {args.json}")
    return 0
