"""The outbox sender: the journal's unsent events to the shop server, in order, until none
are left; with backoff while the server or the internet is down.

A batch is marked sent only after the server acknowledged it, so a reply lost on the way
just means the batch is sent again — the server keeps each event once (its id is
`reference:sequence`). A charge never waits for any of this: the sender runs on its own
thread (or process) and only reads the journal and marks rows of the outbox.

Backoff: 1 s, 2 s, 4 s … up to 60 s with jitter after each failed try, back to no wait after
a success. A revoked till stops sending and says so (`ShopState.revoked`).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos_app.shop import config
from pos_app.shop.client import ShopClient, ShopRefused, ShopUnreachable
from pos_app.shop.outbox import Outbox

log = logging.getLogger("pos_app.shop")

BATCH = 200
MIN_DELAY_S = 1.0
MAX_DELAY_S = 60.0
IDLE_S = 2.0  # how often an idle sender looks for new events


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class SyncResult:
    sent: int = 0
    batches: int = 0
    error: str = ""
    revoked: bool = False
    backlog: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


class Sender:
    def __init__(self, journal_path: Path, client: ShopClient, *,
                 state_path: Path | None = None,
                 api_calls: Callable[[], dict[str, int]] | None = None,
                 now: Callable[[], datetime] = local_now,
                 rng: random.Random | None = None) -> None:
        self.journal_path = Path(journal_path)
        self.client = client
        self.state_path = state_path
        self._api_calls = api_calls
        self._now = now
        self._rng = rng or random.Random()
        self.failures = 0

    def _state(self) -> config.ShopState:
        return config.load_state(self.state_path)

    def sync_once(self) -> SyncResult:
        """Send every unsent event (batch after batch) until none is left or a try fails."""
        result = SyncResult()
        state = self._state()
        if not self.journal_path.exists():
            return result
        with Outbox(self.journal_path) as outbox:
            try:
                while True:
                    batch = outbox.pending(BATCH)
                    usage = self._api_calls() if self._api_calls else {}
                    if not batch and (not usage or result.batches):
                        break
                    self.client.send([p.event for p in batch], usage)
                    outbox.mark_sent([p.id for p in batch], self._now())
                    result.sent += len(batch)
                    result.batches += 1
                    state.last_sync_at = self._now().isoformat(timespec="seconds")
                    if not batch:
                        break
            except ShopUnreachable as exc:
                result.error = str(exc)
            except ShopRefused as exc:
                result.error = str(exc)
                result.revoked = exc.revoked
            result.backlog = outbox.backlog()
            if result.ok:
                outbox.prune(self._now())
        state.last_attempt_at = self._now().isoformat(timespec="seconds")
        state.last_error = result.error
        state.revoked = state.revoked or result.revoked
        config.save_state(state, self.state_path)
        self.failures = 0 if result.ok else self.failures + 1
        if result.error:
            log.info("shop sync: %s (backlog %d)", result.error, result.backlog)
        return result

    def next_delay(self) -> float:
        """Seconds to wait before the next try: idle after a success, backoff after failures."""
        if self.failures == 0:
            return IDLE_S
        ceiling = min(MAX_DELAY_S, MIN_DELAY_S * 2 ** (self.failures - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; a revoked till stops by itself."""
        while not stop.is_set():
            result = self.sync_once()
            if result.revoked:
                log.warning("shop sync stopped: this till was revoked by the owner")
                return
            stop.wait(self.next_delay())


def start_background(journal_path: Path, client: ShopClient, **kwargs: object
                     ) -> tuple[threading.Thread, threading.Event]:
    """The sender on a daemon thread (for the till window): (thread, stop event)."""
    stop = threading.Event()
    sender = Sender(journal_path, client, **kwargs)  # type: ignore[arg-type]
    thread = threading.Thread(target=sender.run, args=(stop,), name="shop-sender", daemon=True)
    thread.start()
    return thread, stop


def start_if_joined(journal_path: Path,
                    api_calls: Callable[[], dict[str, int]] | None = None
                    ) -> tuple[threading.Thread, threading.Event] | None:
    """For the till window's start: the sender on its own thread when this till has joined a
    shop (server URL in settings, secret in the keyring), else None. Never raises: the till
    works the same without its shop server."""
    from pos_app.shop import secret
    from pos_app.shop.client import ShopClient

    try:
        url, _problem = config.read_server_url()
        if url is None or config.load_state().revoked:
            return None
        till_secret = secret.load_secret()
        if not till_secret:
            return None
        return start_background(journal_path, ShopClient(url, till_secret), api_calls=api_calls)
    except Exception as exc:  # noqa: BLE001 — a keyring or settings problem: no sync, no crash
        log.warning("shop sync not started: %s", type(exc).__name__)
        return None
