"""A network thermal printer stand-in for tests: a loopback TCP server that records the bytes
it receives, as an ESC/POS printer on port 9100 would (shared by the receipt and CLI tests)."""

from __future__ import annotations

import socket
import threading


class FakePrinter:
    """A TCP server on loopback that records what it receives, like a printer on port 9100.

    `paper`: the byte it answers to DLE EOT 4 (None: never answers); `reset_on_status`: break
    the connection when asked for status."""

    def __init__(self, *, paper: int | None = 0x12, reset_on_status: bool = False) -> None:
        self.paper, self.reset_on_status = paper, reset_on_status
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            conn.settimeout(10)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.received += chunk
                if b"\x10\x04\x04" in chunk:
                    if self.reset_on_status:
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                        b"\x01\x00\x00\x00\x00\x00\x00\x00")
                        break
                    if self.paper is not None:
                        conn.sendall(bytes([self.paper]))

    def finish(self) -> bytes:
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()
        self.server.close()
        return bytes(self.received)
