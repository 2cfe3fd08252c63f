"""Following the shop server's stream of payment outcomes (`GET /api/v1/tills/stream`).

The server numbers its events per shop (`id:`); the till sends the last one it saw as
`Last-Event-ID` when it reconnects, so a till that was away gets what it missed from the
server's table. The connection is re-made with growing pauses (1 s … 30 s) whenever it drops;
`on_live(True/False)` says when hints flow and when they stop (the poll plan follows).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_sse import ServerSentEvent, SSEError, connect_sse

log = logging.getLogger(__name__)

STREAM_PATH = "/api/v1/tills/stream"
RECONNECT_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # pauses before each new attempt, then 30 s
REFUSED_RETRY_S = 300.0  # 401/403: the till's secret was refused (revoked?): ask rarely
# The server sends a comment at least every 15 s; nothing for this long means the line died.
SILENCE_S = 45.0
MAX_EVENT_BYTES = 4096


@dataclass(frozen=True)
class Hint:
    order_reference: str
    status: str  # as ClickPesa's webhook said it (SUCCESS, FAILED, …): a hint, not the truth
    event_id: str | None = None


def parse_hint(event: ServerSentEvent) -> Hint | None:
    """A `payment` event's data, read defensively: anything else is None (and logged)."""
    if event.event not in ("payment", "message", "") or not event.data.strip():
        # An empty "message": httpx-sse dispatches one after each keep-alive comment once an
        # id has been seen. Nothing to say, nothing to log.
        return None
    if len(event.data) > MAX_EVENT_BYTES:
        log.warning("hint stream: an event of %d bytes ignored", len(event.data))
        return None
    try:
        data: Any = json.loads(event.data)
    except ValueError:
        log.warning("hint stream: an event that is not JSON ignored")
        return None
    if not isinstance(data, dict):
        return None
    ref = data.get("order_reference", data.get("orderReference"))
    status = data.get("status", "")
    if not isinstance(ref, str) or not ref.isalnum() or not 1 <= len(ref) <= 64:
        log.warning("hint stream: an event without a usable order reference ignored")
        return None
    return Hint(ref, status if isinstance(status, str) else "", event.id or None)


class HintStream:
    """One thread following the stream until `stop()`; calls back from that thread."""

    def __init__(self, base_url: str, headers: Callable[[], dict[str, str]], *,
                 on_hint: Callable[[Hint], None], on_live: Callable[[bool], None],
                 last_event_id: str | None = None,
                 transport: httpx.BaseTransport | None = None,
                 wait: Callable[[float], bool] | None = None,
                 on_refused: Callable[[int], None] | None = None) -> None:
        self.url = base_url.rstrip("/") + STREAM_PATH
        self._headers = headers
        self._on_hint = on_hint
        self._on_live = on_live
        self._on_refused = on_refused or (lambda status: None)
        self.last_event_id = last_event_id
        self._transport = transport
        self._stop = threading.Event()
        # wait(seconds) -> True when stopped meanwhile; tests pass their own
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None
        self.connections = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="hint-stream", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Connect, follow, reconnect after a pause; until stopped."""
        failures = 0
        while not self._stop.is_set():
            try:
                got_events = self._follow_once()
            except _Refused as exc:
                self._on_refused(exc.status)
                got_events = False
                pause = REFUSED_RETRY_S
            except (httpx.HTTPError, SSEError, OSError, ValueError) as exc:
                log.info("hint stream dropped: %s", type(exc).__name__)
                got_events = False
                pause = RECONNECT_S[min(failures, len(RECONNECT_S) - 1)]
            else:
                pause = RECONNECT_S[0] if got_events else \
                    RECONNECT_S[min(failures, len(RECONNECT_S) - 1)]
            failures = 0 if got_events else failures + 1
            if self._wait(pause):
                return

    def _follow_once(self) -> bool:
        """One connection; True when it carried at least one event."""
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache",
                   **self._headers()}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        timeout = httpx.Timeout(10.0, read=SILENCE_S)
        live = False
        carried = False
        with httpx.Client(transport=self._transport, timeout=timeout, trust_env=False) as client:
            self.connections += 1
            try:
                with connect_sse(client, "GET", self.url, headers=headers) as source:
                    status = source.response.status_code
                    if status in (401, 403):
                        raise _Refused(status)
                    source.response.raise_for_status()
                    live = True
                    self._on_live(True)
                    for event in self._events(source.iter_sse()):
                        if event.id:
                            self.last_event_id = event.id
                        hint = parse_hint(event)
                        if hint is not None:
                            carried = True
                            self._on_hint(hint)
            finally:
                if live:
                    self._on_live(False)
        return carried

    def _events(self, events: Iterator[ServerSentEvent]) -> Iterator[ServerSentEvent]:
        for event in events:
            if self._stop.is_set():
                return
            yield event


class _Refused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status
