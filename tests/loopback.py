"""A tiny HTTP/1.1 server on 127.0.0.1 for tests that need real sockets (deadlines, proxies).

Each connection gets one reply and is closed. A reply may *trickle*: from byte `trickle_from`
on, one byte every `trickle_s` seconds, at most `trickle_bytes` of them, then the rest at once
— so a client without a working deadline still finishes (and its test fails instead of
hanging). The server waits on an Event, never time.sleep, and `close()` ends every trickle
at once. The test thread itself never sleeps.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    trickle_s: float | None = None  # seconds between bytes, from `trickle_from` on
    trickle_from: int = 0  # 0: the status line and headers trickle; len(head): only the body
    trickle_bytes: int = 15
    extra_headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: object, status: int = 200, **kw: object) -> Reply:
        return cls(status, json.dumps(data).encode(), **kw)  # type: ignore[arg-type]

    def head(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} X", f"Content-Type: {self.content_type}",
                 f"Content-Length: {len(self.body)}", "Connection: close",
                 *(f"{k}: {v}" for k, v in self.extra_headers.items())]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


Responder = Callable[[Seen], Reply]


class LoopbackServer:
    def __init__(self, respond: Responder | None = None) -> None:
        self.respond = respond or (lambda seen: Reply.json({"message": "not scripted"}, 500))
        self.seen: list[Seen] = []
        self.connections = 0
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, name="loopback-accept",
                                          daemon=True)
        self._accepter.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self._accepter.join(2)
        self._sock.close()
        for t in self._threads:
            t.join(2)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            t = threading.Thread(target=self._serve, args=(conn,), name="loopback-conn",
                                 daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(3)
        try:
            seen = self._read(conn)
            if seen is None:
                return
            self.seen.append(seen)
            reply = self.respond(seen)
            data = reply.head() + reply.body
            if reply.trickle_s is None:
                conn.sendall(data)
                return
            start = reply.trickle_from
            conn.sendall(data[:start])
            end = min(len(data), start + reply.trickle_bytes)
            for i in range(start, end):
                if self._stop.wait(reply.trickle_s):
                    return
                conn.sendall(data[i:i + 1])
            conn.sendall(data[end:])
        except OSError:
            pass  # the client gave up (its deadline): exactly what a trickle test wants
        finally:
            conn.close()

    @staticmethod
    def _read(conn: socket.socket) -> Seen | None:
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return Seen(method, target, headers, body)
