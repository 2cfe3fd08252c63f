"""`python -m benchmarks --quick` still runs and writes every figure (not whether it is met)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KEYS = (
    "token_calls_per_hour", "api_calls_per_charge_median", "api_calls_per_charge_p95",
    "calls_ratio_vs_baseline", "lag_p95_s", "lag_ratio_vs_baseline", "max_requests_per_min",
    "max_ui_stall_ms", "baseline_max_ui_stall_ms", "startup_ratio", "rss_ratio",
    "enter_to_wire_ms_median", "history_open_ms", "history_filter_ms",
    "baseline_history_open_ms", "baseline_history_filter_ms",
    "webhook_calls_ratio_vs_seed", "webhook_lag_p95_s",
)


def test_quick_benchmark_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    data = json.loads(out.read_text())
    for key in KEYS:
        value = data[key]
        assert isinstance(value, int | float) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value), (key, value)
    assert isinstance(data["machine"], dict) and data["machine"]["python"]
    assert data["quick"] is True
    assert "token calls / hour" in proc.stdout  # the table was printed
    assert "7 instant outcomes" in proc.stdout
