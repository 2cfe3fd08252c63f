"""The till's end of the shop server's notice stream (issue 12): ClickPesa's webhooks, fanned
out as Server-Sent Events on `GET /api/v1/tills/stream`.

Runs on its own thread (never the GUI's), reconnects with backoff, and resumes with
`Last-Event-ID` from the last notice it handed on (kept in `shop-stream.json` in the data
folder), so a till that was offline gets what it missed. `connected` is set while the stream
is up — the signal for a poll plan to stretch, and to go back to normal the moment it clears.

A notice is a hint: `on_notice` should trigger at most one status query at ClickPesa for that
reference when it is the current sale or one of the till's unresolved attempts. Wiring that
into the till core is not done here (pos_app/till belongs to other work).
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pos_app import paths
from pos_app.shop.config import normalise_server_url

log = logging.getLogger("pos_app.shop.stream")

Notice = dict[str, Any]  # seq, order_reference, event, status, at


def position_file() -> Path:
    return paths.data_dir() / "shop-stream.json"


def load_position(path: Path | None = None) -> int | None:
    try:
        value = json.loads((path or position_file()).read_text(encoding="utf-8"))["last_seq"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and value >= 0 else None


def save_position(seq: int, path: Path | None = None) -> None:
    path = path or position_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps({"last_seq": seq}), encoding="utf-8")
    tmp.replace(path)


class NoticeStream:
    def __init__(self, server_url: str, secret: str, on_notice: Callable[[Notice], None], *,
                 position_path: Path | None = None, min_delay_s: float = 1.0,
                 max_delay_s: float = 30.0, rng: random.Random | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.server_url = normalise_server_url(server_url)
        self._secret = secret
        self._on_notice = on_notice
        self._position_path = position_path
        self._min, self._max = min_delay_s, max_delay_s
        self._rng = rng or random.Random()
        self._transport = transport
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client: httpx.Client | None = None
        self.connected = threading.Event()
        self.revoked = False
        self.failures = 0

    def start(self) -> NoticeStream:
        self._thread = threading.Thread(target=self._run, name="shop-stream", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        client = self._client
        if client is not None:
            client.close()  # ends a read in progress
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def _delay(self) -> float:
        ceiling = min(self._max, self._min * 2 ** max(0, self.failures - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._follow()
            except httpx.HTTPError as exc:
                if not self._stop.is_set():
                    log.info("shop stream: %s", type(exc).__name__)
            finally:
                self.connected.clear()
            if self.revoked:
                log.warning("shop stream stopped: this till was revoked by the owner")
                return
            self.failures += 1
            self._stop.wait(self._delay())

    def _follow(self) -> None:
        headers = {"authorization": f"Bearer {self._secret}", "accept": "text/event-stream"}
        last = load_position(self._position_path)
        if last is not None:
            headers["last-event-id"] = str(last)
        verify: Any = True
        if self.server_url.startswith("https://") and self._transport is None:
            from pos_app.clickpesa.gateway import tls_context

            verify = tls_context()
        # No read timeout: the server pings every 15 s; a dead link shows as a broken read.
        with httpx.Client(base_url=self.server_url, transport=self._transport, verify=verify,
                          trust_env=False, timeout=httpx.Timeout(10.0, read=60.0)) as client:
            self._client = client
            with client.stream("GET", "/api/v1/tills/stream", headers=headers) as response:
                if response.status_code in (401, 403):
                    self.revoked = response.status_code == 403
                    if not self.revoked:
                        log.warning("shop stream refused (%d)", response.status_code)
                    return
                if response.status_code != 200:
                    return
                self.connected.set()
                self.failures = 0
                self._read(response)

    def _read(self, response: httpx.Response) -> None:
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if self._stop.is_set():
                return
            if line.startswith(":"):
                continue  # a ping
            if line:
                name, _, value = line.partition(":")
                fields[name] = value[1:] if value.startswith(" ") else value
                continue
            if "data" in fields:
                self._deliver(fields)
            fields = {}

    def _deliver(self, fields: dict[str, str]) -> None:
        try:
            notice = json.loads(fields["data"])
            seq = int(fields.get("id") or notice.get("seq"))
        except (ValueError, TypeError):
            return
        if not isinstance(notice, dict):
            return
        try:
            self._on_notice(notice)
        except Exception:  # noqa: BLE001 — the consumer's bug must not end the stream
            log.exception("shop stream: the notice handler failed")
        save_position(seq, self._position_path)
