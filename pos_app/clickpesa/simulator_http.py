"""The ClickPesa simulator over loopback HTTP, so the till can be pointed at a real URL.

Training mode plugs the simulator in behind `httpx.MockTransport`; this serves the same
`Simulator` on a socket instead, for trying the whole network path (`pos-app --base-url
http://127.0.0.1:8080`) and for the benchmarks' "Enter → request on the wire" measurement:

    python -m pos_app.clickpesa.simulator_http --port 8080

It accepts any non-empty Client ID / API key unless `--client-id`/`--api-key` are given. It
listens on loopback only by default: the till refuses plain http:// anywhere else. No real
money moves.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from pos_app.clickpesa.simulator import Simulator

log = logging.getLogger(__name__)

# (method, path, time.monotonic() when the request line and headers had arrived)
ArrivalHook = Callable[[str, str, float], None]

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class SimulatorServer:
    """Serves one `Simulator` over HTTP/1.1 (keep-alive) on a background thread."""

    def __init__(self, simulator: Simulator | None = None, *, host: str = "127.0.0.1",
                 port: int = 0, on_arrival: ArrivalHook | None = None,
                 verbose: bool = False) -> None:
        self.simulator = simulator or Simulator()
        self._on_arrival = on_arrival
        self._verbose = verbose
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def start(self) -> SimulatorServer:
        # A short poll interval: stop() returns within 50 ms instead of half a second.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        name="clickpesa-simulator-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as httpx's connection pool expects
            # Headers and body go out in two writes; with Nagle on, the body then waits for
            # the client's delayed ACK (~40 ms on Linux loopback) on every reply.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 — http.server's name
                self._serve()

            def do_POST(self) -> None:  # noqa: N802
                self._serve()

            def _serve(self) -> None:
                arrived = time.monotonic()
                if server._on_arrival is not None:
                    server._on_arrival(self.command, self.path, arrived)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                host = self.headers.get("host") or "127.0.0.1"
                request = httpx.Request(self.command, f"http://{host}{self.path}",
                                        headers=list(self.headers.items()), content=body)
                try:
                    response = server.simulator.handle(request)
                    response.read()
                except httpx.TransportError:
                    # An injected timeout or reset: drop the connection without an answer.
                    self.close_connection = True
                    return
                self.send_response(response.status_code)
                for name, value in response.headers.items():
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                if server._verbose:
                    log.info("%s %s", self.address_string(), format % args)

        return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pos_app.clickpesa.simulator_http",
        description="Serve the built-in ClickPesa simulator over HTTP (no real money). "
                    "Simulated customers by the last digit of the phone number: 0–4 pay, "
                    "5 pays slowly, 6 has too little balance, 7 cancels, 8 never answers, "
                    "9 is not a wallet.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; the till only speaks "
                             "plain http:// to loopback)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0: any)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="delay every answer by this long (default 0)")
    parser.add_argument("--rate-limit", type=int, default=None, metavar="PER_MINUTE",
                        help="answer 429 above this many requests a minute (default: none)")
    parser.add_argument("--client-id", default=None,
                        help="accept only this Client ID (default: any non-empty one)")
    parser.add_argument("--api-key", default=None,
                        help="accept only this API key (with --client-id)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument("--webhook-url", default=None, metavar="URL",
                        help="POST a signed PAYMENT RECEIVED / PAYMENT FAILED here when a "
                             "payment becomes final (e.g. the shop server's "
                             "http://127.0.0.1:8000/clickpesa/webhook)")
    parser.add_argument("--checksum-key-file", default=None, metavar="FILE",
                        help="the checksum key the webhooks are signed with (needed with "
                             "--webhook-url)")
    parser.add_argument("--checksum-mode", choices=("canonical", "legacy"), default="canonical",
                        help="how the webhooks are signed (default canonical)")
    args = parser.parse_args(argv)
    if args.webhook_url and not args.checksum_key_file:
        parser.error("--webhook-url needs --checksum-key-file")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(message)s")
    credentials = (args.client_id, args.api_key or "") if args.client_id else None
    simulator = Simulator(latency_s=args.latency, rate_limit_per_min=args.rate_limit,
                          credentials=credentials)
    server = SimulatorServer(simulator, host=args.host, port=args.port, verbose=args.verbose)
    sender = None
    if args.webhook_url:
        from pathlib import Path

        from pos_app.clickpesa.checksum import ChecksumMode
        from pos_app.clickpesa.webhook_sender import WebhookSender

        try:
            key = Path(args.checksum_key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            parser.error(f"cannot read the checksum key file: {exc.strerror or exc}")
        if not key:
            parser.error("the checksum key file is empty")
        sender = WebhookSender(simulator, args.webhook_url, key,
                               ChecksumMode(args.checksum_mode)).start()
    print(f"ClickPesa simulator on {server.url} (no real money moves). "
          f"Try: pos-app --base-url {server.url}"
          + (f"; webhooks to {args.webhook_url}" if sender else ""), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if sender is not None:
            sender.stop()
        server._httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
