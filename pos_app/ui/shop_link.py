"""The till window's link to its shop server, when it has joined one (`pos-app shop join`):
the outbox sender and the hint stream, each on a thread of its own, and a line in the status
bar saying whether the link is up. Without a shop server nothing here runs and the till works
exactly as before."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from pos_app import paths
from pos_app.ui.hints_bridge import HintBridge

if TYPE_CHECKING:
    from pos_app.hints.stream import Hint
    from pos_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def stream_state_file() -> Path:
    return paths.data_dir() / "shop-stream.json"


def load_last_event_id(path: Path | None = None) -> str | None:
    try:
        data = json.loads((path or stream_state_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("last_event_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def save_last_event_id(value: str, path: Path | None = None) -> None:
    path = path or stream_state_file()
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps({"last_event_id": value}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # only costs a re-sent hint after a restart


def calls_of(gateway: object) -> int:
    """How many calls a gateway has made (its Counter is written by worker threads)."""
    calls = getattr(gateway, "calls", None)
    if calls is None:
        return 0
    for _ in range(3):
        try:
            return sum(dict(calls).values())
        except RuntimeError:  # a new endpoint counted while copying: copy again
            continue
    return 0


def shop_files_signature() -> tuple[tuple[str, int, int], ...]:
    """What `pos-app shop join|leave` changes on disk (settings.ini, shop.json): a stat
    each, cheap enough to look at every few seconds; the keyring is read only when it moved."""
    from pos_app.shop import config

    out = []
    for path in (paths.settings_file(False), config.state_file()):
        try:
            st = path.stat()
            out.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(path), 0, -1))
    return tuple(out)


def read_joined() -> tuple[str, str] | None:
    """(server URL, till secret) when this till has joined a shop and is not revoked; run on
    a worker (the keyring may be slow or ask for its password)."""
    from pos_app.shop import config, secret

    url, _problem = config.read_server_url()
    if url is None or config.load_state().revoked:
        return None
    till_secret = secret.load_secret()
    return (url, till_secret) if till_secret else None


class ShopLink(QObject):
    live_changed = Signal(bool)
    refused = Signal(int)

    def __init__(self, window: MainWindow, url: str, till_secret: str, journal_path: Path, *,
                 stream_factory: Callable[..., Any] | None = None,
                 sender_start: Callable[..., Any] | None = None) -> None:
        super().__init__(window)
        from pos_app.shop.usage import CallTally

        self.window = window
        self.url = url
        self.tally = CallTally(lambda: calls_of(window.till.gateway))
        self._sender_start = sender_start or self._start_sender
        self._sender: tuple[Any, Any] | None = None
        headers = {"Authorization": f"Bearer {till_secret}"}

        def make_stream(on_hint: Callable[[Hint], None], on_live: Callable[[bool], None],
                        on_refused: Callable[[int], None]) -> Any:
            def hinted(hint: Hint) -> None:  # the stream's thread: keep where it got to
                if hint.event_id:
                    save_last_event_id(hint.event_id)
                on_hint(hint)

            def live(up: bool) -> None:
                on_live(up)
                self.live_changed.emit(up)

            def refused(status: int) -> None:
                on_refused(status)
                self.refused.emit(status)

            if stream_factory is not None:
                return stream_factory(hinted, live, refused)
            from pos_app.hints.stream import HintStream

            return HintStream(url, lambda: dict(headers), on_hint=hinted, on_live=live,
                              on_refused=refused, last_event_id=load_last_event_id())

        self.bridge = HintBridge(window.till, make_stream, self)
        self._journal_path = journal_path
        self._secret = till_secret

    @property
    def secret(self) -> str:
        return self._secret

    def _start_sender(self, journal_path: Path, url: str, till_secret: str,
                      api_calls: Callable[[], dict[str, int]]) -> tuple[Any, Any]:
        from pos_app.shop.client import ShopClient
        from pos_app.shop.sender import start_background

        return start_background(journal_path, ShopClient(url, till_secret), api_calls=api_calls)

    def start(self) -> None:
        self._sender = self._sender_start(self._journal_path, self.url, self._secret,
                                          self.tally.snapshot)
        self.bridge.start()

    def stop(self) -> None:
        self.bridge.stop()
        if self._sender is not None:
            _thread, stop = self._sender
            stop.set()
            self._sender = None
