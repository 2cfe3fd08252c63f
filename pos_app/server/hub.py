"""Wakes this process's till streams when any server process stores a notice.

One dedicated PostgreSQL connection LISTENs on `malipo_notices` (NOTIFY is sent in the same
transaction that stores the webhook, so it arrives only once that commit is done) and wakes
every waiting stream. NOTIFY keeps nothing: a stream always reads what it has not sent yet
from the `notices` table, so a wake-up lost while the connection was down only delays
delivery until the next one — the listener wakes everyone after every reconnect and at least
every `tick_s` seconds anyway.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import psycopg

from pos_app.server.webhooks import CHANNEL

log = logging.getLogger("pos_app.server.hub")


class Hub:
    def __init__(self, database_url: str, *, tick_s: float = 5.0) -> None:
        self.database_url = database_url
        self.tick_s = tick_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Event] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set while the LISTEN connection is up

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._thread = threading.Thread(target=self._run, name="notice-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def subscribe(self) -> asyncio.Event:
        event = asyncio.Event()
        self._waiters.add(event)
        return event

    def unsubscribe(self, event: asyncio.Event) -> None:
        self._waiters.discard(event)

    def _wake_all(self) -> None:
        for event in list(self._waiters):
            event.set()

    def wake(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._wake_all)
            except RuntimeError:  # the loop closed meanwhile
                pass

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.database_url, autocommit=True,
                                     connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    delay = 0.5
                    self.wake()  # whatever was stored while we were not listening
                    last_wake = time.monotonic()
                    while not self._stop.is_set():
                        # Short waits so that stop() is quick; a wake-up per notice, and one
                        # every tick_s whatever happens.
                        got = sum(1 for _ in conn.notifies(timeout=0.25, stop_after=1))
                        if got or time.monotonic() - last_wake >= self.tick_s:
                            self.wake()
                            last_wake = time.monotonic()
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("notice listener: %s; reconnecting in %.1f s",
                            type(exc).__name__, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)
        self.listening.clear()
