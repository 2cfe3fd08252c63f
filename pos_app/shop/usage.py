"""How many ClickPesa calls this till made today, for the shop's API budget.

The gateway counts its calls since it was made; a restart (or a new gateway after Settings)
starts again at 0, while the server keeps the largest count it was told per till and day. So
the count of the day is kept in `api-calls.json` in the data folder and grows from there.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pos_app import paths


def usage_file() -> Path:
    return paths.data_dir() / "api-calls.json"


class CallTally:
    """Today's calls: what earlier runs (and replaced gateways) made, plus the live count."""

    def __init__(self, live: Callable[[], int], *, today: Callable[[], date] = date.today,
                 path: Path | None = None) -> None:
        self._live = live
        self._today = today
        self._path = path or usage_file()
        self._lock = threading.Lock()
        self._day = today().isoformat()
        self._base = self._read().get(self._day, 0)
        self._live_at_day_start = 0

    def _read(self) -> dict[str, int]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, int)
                and not isinstance(v, bool) and v >= 0}

    def gateway_replaced(self, old_count: int) -> None:
        """The gateway is about to be replaced: keep what it counted."""
        with self._lock:
            self._base += max(0, old_count - self._live_at_day_start)
            self._live_at_day_start = 0

    def snapshot(self) -> dict[str, int]:
        """{today: calls} — and written down, so a restart goes on from there."""
        with self._lock:
            live = self._live()
            day = self._today().isoformat()
            if day != self._day:  # past midnight: a new day starts from what is live now
                self._day, self._base, self._live_at_day_start = day, 0, live
            total = self._base + max(0, live - self._live_at_day_start)
            self._write({day: total})
            return {day: total}

    def _write(self, data: dict[str, int]) -> None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_name(self._path.name + ".part")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self._path)
        except OSError:
            pass  # a full disk: the count is still sent, only not kept across a restart
