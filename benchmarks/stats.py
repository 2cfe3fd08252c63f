"""Small statistics helpers (no numpy: the till does not depend on it)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), q in 0..100."""
    if not values:
        return math.nan
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50.0)


def max_in_window(times: Sequence[float], window_s: float = 60.0) -> int:
    """The most events inside any window of `window_s` (sliding, half-open [t, t+w))."""
    data = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(data):
        while data[lo] <= t - window_s:
            lo += 1
        best = max(best, hi - lo + 1)
    return best
