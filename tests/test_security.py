"""Security checks: no secret in any file or log line, https only, TLS verification always on.

The secrets are distinctive fake values (conftest) plus every token the simulator issues in the
session; after a scripted session every file under the isolated XDG directories (settings,
journal with its WAL, logs, exports) and every log record and line printed is searched for them.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import ipaddress
import json
import logging
import socket
import ssl
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import FAKE_API_KEY, FAKE_CHECKSUM_KEY, FAKE_CLIENT_ID
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app import app, paths
from pos_app.cli import main
from pos_app.clickpesa import api
from pos_app.clickpesa.api import DEFAULT_BASE_URL, BadBaseUrl, normalise_base_url
from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.errors import ClickPesaError, NotConnected
from pos_app.clickpesa.gateway import Credentials, Gateway, tls_context
from pos_app.clickpesa.simulator import Fault, Simulator
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.journal import Journal
from pos_app.journal.export import export_csv
from pos_app.logs import setup_logging
from pos_app.settings import Settings, parse_settings, save_settings
from pos_app.till.charge import Phase, Till
from pos_app.till.fakes import InlineRunner, ManualScheduler

# -- no secret anywhere ------------------------------------------------------------------


class TokenWitness:
    """Passes requests to the simulator and remembers every token it hands out."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.tokens: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        response = self.sim.handle(request)
        if request.url.path.endswith(api.TOKEN_PATH) and response.status_code == 200:
            token = json.loads(response.content)["token"]
            self.tokens += [token, token.split(" ", 1)[-1]]  # with and without "Bearer "
        return response


class FakeStdin(io.StringIO):
    def isatty(self) -> bool:
        return False


class RawRecords(logging.Handler):
    """Sees each record before the app's masking filter rewrites it: the till must never
    format a secret into a message in the first place (the mask is the second line)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.messages.append(text)


@pytest.fixture
def raw_records() -> Iterator[RawRecords]:
    handler = RawRecords()
    root = logging.getLogger()
    root.handlers.insert(0, handler)  # ahead of every handler that masks
    yield handler
    root.removeHandler(handler)


@pytest.fixture
def app_logging(raw_records: RawRecords) -> Iterator[Path]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = setup_logging(paths.log_dir(), level=logging.DEBUG)
    assert path is not None
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_scripted_session_leaves_no_secret_anywhere(memory_keyring, isolated_dirs, app_logging,
                                                    raw_records, caplog, capsys, monkeypatch):
    caplog.set_level(logging.DEBUG)
    scheduler = ManualScheduler()
    sim = Simulator(clock=scheduler.now, credentials=(FAKE_CLIENT_ID, FAKE_API_KEY),
                    checksum=(ChecksumMode.CANONICAL, FAKE_CHECKSUM_KEY))
    witness = TokenWitness(sim)

    # The operator stores the credentials through the command line, key and checksum key on
    # standard input, then asks what is stored and checks the set-up.
    monkeypatch.setattr(sys, "stdin", FakeStdin(f"{FAKE_API_KEY}\n{FAKE_CHECKSUM_KEY}\n"))
    assert main(["credentials", "set", "--client-id", FAKE_CLIENT_ID, "--checksum"]) == 0
    assert main(["credentials", "status"]) == 0
    main(["check"])
    settings = Settings(checksum_mode=ChecksumMode.CANONICAL, till_name="Duka la Mama")
    save_settings(settings, paths.settings_file())

    # A day at the till: the live wiring (keyring → gateway with checksum), the simulator
    # standing in for ClickPesa behind the transport.
    journal = Journal(paths.journal_file(False), mode="live")
    gateway = Gateway(settings.base_url, app.stored_credentials,
                      checksum_mode=settings.checksum_mode,
                      transport=httpx.MockTransport(witness), clock=scheduler.now)
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=90,
                till_name=settings.till_name)

    def sale(last_digit: int, seconds: int = 40) -> Phase:
        till.new_sale()
        assert till.charge(parse_phone(f"071234567{last_digit}"), Amount(5000))
        for _ in range(seconds):
            scheduler.advance(1)
        return till.view.phase

    assert sale(1) is Phase.PAID
    assert sale(6) is Phase.FAILED
    sim.inject("initiate", Fault(error=httpx.ReadTimeout, after_acting=True))
    assert sale(2) is Phase.PAID
    sim.inject("status", Fault(status=200, body=b"<html>proxy</html>", content_type="text/html"),
               Fault(status=401, body={"message": "Unauthorized"}),
               Fault(status=401, body={"message": "Unauthorized"}))
    assert sale(3) is Phase.PAID
    scheduler.advance(api.TOKEN_LIFETIME_S)  # the hour is up: a new token
    assert sale(0) is Phase.PAID
    sim.expire_tokens()  # and one dies early (checksum setting switched)
    assert sale(8, 100) is Phase.NO_ANSWER
    assert till.stop_waiting()
    sim.inject("initiate", Fault(error=httpx.ConnectError))
    assert sale(4) is Phase.NOT_SENT
    sim.inject("token", Fault(status=403, body={"message": "Invalid or Expired API-Key"}))
    gateway.forget_token()
    assert sale(5) is Phase.NOT_SENT  # a number not charged today: no repeat-charge guard
    till.shutdown()
    gateway.close()
    journal.close()

    # The shop owner exports the day, through the command line and through the module.
    exports = paths.data_dir() / "exports"
    exports.mkdir()
    assert main(["export", "--out", str(exports / "cli.csv")]) == 0
    check = Journal(paths.journal_file(False), mode="live")
    export_csv(check.attempts(), exports / "module.csv")
    check.close()
    main(["check", "--online", "--training"])
    for handler in logging.getLogger().handlers:
        handler.flush()

    secrets = {FAKE_API_KEY, FAKE_CHECKSUM_KEY, *witness.tokens}
    assert len(witness.tokens) >= 2 * 3  # the session really had several tokens to leak
    assert sim.count("initiate") >= 6  # …and the key and checksum key really were used

    written = _files_under(isolated_dirs)
    names = {p.name for p in written}
    assert {"settings.ini", "journal.sqlite3", "pos-app.log", "cli.csv", "module.csv"} <= names
    assert app_logging.stat().st_size > 0
    leaks = [f"{p.relative_to(isolated_dirs)} holds {s[:8]}…"
             for p in written for s in secrets if s.encode() in p.read_bytes()]
    assert not leaks

    logged = raw_records.messages + [r.getMessage() + (r.exc_text or "")
                                     for r in caplog.records]
    assert any("HTTP Request" in m for m in raw_records.messages)  # httpx's lines too
    leaks = [f"log record holds {s[:8]}…: {m[:80]}" for m in logged for s in secrets if s in m]
    printed = capsys.readouterr()
    leaks += [f"printed {s[:8]}…" for s in secrets if s in printed.out + printed.err]
    assert not leaks


def test_secrets_do_not_show_in_reprs_or_errors(memory_keyring):
    creds = Credentials(FAKE_CLIENT_ID, FAKE_API_KEY, FAKE_CHECKSUM_KEY)
    assert FAKE_API_KEY not in repr(creds) and FAKE_CHECKSUM_KEY not in repr(creds)
    scheduler = ManualScheduler()
    sim = Simulator(clock=scheduler.now, credentials=(FAKE_CLIENT_ID, "another key"))
    gateway = Gateway(DEFAULT_BASE_URL, lambda: creds, transport=sim.transport(),
                      clock=scheduler.now)
    with pytest.raises(ClickPesaError) as refused:
        gateway.ensure_token()
    gateway.close()
    for text in (str(refused.value), refused.value.reason, repr(refused.value), repr(gateway)):
        assert FAKE_API_KEY not in text


# -- https only ----------------------------------------------------------------------------

REFUSED_URLS = [
    "http://api.clickpesa.com",
    "http://api.clickpesa.com/third-parties",
    "HTTP://API.CLICKPESA.COM",
    "http://10.0.0.5:8080",
    "http://192.168.1.10",
    "http://0.0.0.0:8080",
    "http://[2001:db8::1]:8080",
    "http://localhost.evil.example",
    "http://127.0.0.1.nip.io",
    "http://127.0.0.1@evil.example",
    "http://evil.example\\@127.0.0.1",
    "http://user:pw@127.0.0.1",
    "http://:[::1]",  # urllib reads host ::1, httpx an empty host and a port "[::1]"
    "https://127.1127.1127.1",
    "https://\\::",
    "https://api clickpesa.com",
    "http://127.0.0.1:99999",
    "ftp://api.clickpesa.com",
    "api.clickpesa.com",
    "//api.clickpesa.com",
    "",
]
LOOPBACK_URLS = ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080",
                 "http://127.5.6.7"]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_plain_http_to_a_remote_host_is_refused_everywhere(url, capsys):
    with pytest.raises(BadBaseUrl) as refused:
        normalise_base_url(url)
    assert str(refused.value)
    with pytest.raises(BadBaseUrl):
        Gateway(url, lambda: Credentials("a", "b"))
    settings, problems = parse_settings(f"[till]\nbase_url = {url}\n")
    assert settings.base_url == DEFAULT_BASE_URL
    assert problems and "base_url" in problems[0]
    assert main(["--base-url", url, "check"]) == 2
    assert "pos-app:" in capsys.readouterr().err


@pytest.mark.parametrize("url", LOOPBACK_URLS)
def test_plain_http_is_allowed_on_loopback_only(url):
    assert normalise_base_url(url).startswith("http://")
    Gateway(url, lambda: Credentials("a", "b")).close()


_HOSTS = ["127.0.0.1", "localhost", "[::1]", "127.1.2.3", "api.clickpesa.com", "evil.example",
          "10.0.0.1", "0.0.0.0", "[::ffff:127.0.0.1]", "127.0.0.1.evil.example", "LOCALHOST",
          "localhost.", "0x7f000001", "2130706433", "127.1", "[::]"]
_PIECES = ["", "@", ":", "\\", "/", "#", "?", "%40", "%2f", ".", " ", "\t", "user@",
           "user:pw@", ":8080", "@evil.example", "@127.0.0.1", "/third-parties", "//"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@settings(max_examples=200, deadline=None)
@given(scheme=st.sampled_from(["http", "HTTP", "https", "hTTp"]),
       pieces=st.lists(st.sampled_from(_PIECES + _HOSTS), min_size=1, max_size=6))
def test_an_accepted_http_url_can_only_reach_loopback(scheme, pieces):
    """Whatever the validator accepts with http://, httpx itself sends to a loopback host."""
    url = f"{scheme}://" + "".join(pieces)
    try:
        normalised = normalise_base_url(url)
    except BadBaseUrl as exc:
        assert str(exc)
        return
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json={"token": "Bearer x"})

    try:
        gateway = Gateway(url, lambda: Credentials("a", "b"),
                          transport=httpx.MockTransport(answer))
    except BadBaseUrl:
        raise AssertionError(f"{url!r} passed as {normalised!r}; the gateway refused it") from None
    try:
        gateway.ensure_token()
    except ClickPesaError:
        pass
    finally:
        gateway.close()
    for sent in seen:
        assert sent.scheme == "https" or _loopback(sent.host), (url, str(sent))


# -- TLS verification ----------------------------------------------------------------------


def test_tls_context_verifies_and_cannot_be_relaxed(monkeypatch):
    for var, value in (("SSL_CERT_FILE", "/dev/null"), ("SSL_CERT_DIR", "/nonexistent"),
                       ("PYTHONHTTPSVERIFY", "0"), ("CURL_CA_BUNDLE", ""),
                       ("REQUESTS_CA_BUNDLE", "")):
        monkeypatch.setenv(var, value)
    ctx = tls_context()
    assert ctx.verify_mode is ssl.CERT_REQUIRED and ctx.check_hostname
    gateway = Gateway(DEFAULT_BASE_URL, lambda: Credentials("a", "b"))
    try:
        used = gateway._client._transport._pool._ssl_context  # what httpx will really use
        assert used.verify_mode is ssl.CERT_REQUIRED and used.check_hostname
    finally:
        gateway.close()
    # Nothing a caller, the settings file or the command line can pass turns it off.
    knobs = {"verify", "insecure", "ssl", "tls", "cert", "ca", "cafile", "ssl_context"}
    assert not knobs & set(inspect.signature(Gateway).parameters)
    assert not knobs & set(Settings.__dataclass_fields__)
    relaxed, _ = parse_settings("[till]\nverify = false\ninsecure = true\ntls_verify = 0\n")
    assert relaxed == Settings()
    assert main(["--insecure"]) == 2


def _self_signed(where: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "api.clickpesa.com")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.DNSName("api.clickpesa.com"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = where / "cert.pem", where / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TlsServer:
    """A loopback HTTPS server with a self-signed certificate (an interception proxy)."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.handshake_errors: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        conn.settimeout(10)
        try:
            with self.ctx.wrap_socket(conn, server_side=True) as tls:
                data = tls.recv(65536)
                self.received.append(data)
                body = b'{"success": true, "token": "Bearer intercepted"}'
                tls.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                            b"content-length: " + str(len(body)).encode()
                            + b"\r\nconnection: close\r\n\r\n" + body)
        except (ssl.SSLError, OSError) as exc:
            self.handshake_errors.append(type(exc).__name__)

    def close(self) -> None:
        self.thread.join(15)
        self.sock.close()


@pytest.fixture
def interceptor(tmp_path) -> Iterator[tuple[TlsServer, Path]]:
    cert, key = _self_signed(tmp_path)
    server = TlsServer(cert, key)
    yield server, cert
    server.close()


def test_untrusted_certificate_is_refused_before_the_key_leaves(interceptor):
    server, _ = interceptor
    gateway = Gateway(f"https://127.0.0.1:{server.port}",
                      lambda: Credentials(FAKE_CLIENT_ID, FAKE_API_KEY))
    try:
        with pytest.raises(NotConnected):
            gateway.ensure_token()
    finally:
        gateway.close()
    server.close()
    assert server.received == []  # not one byte of HTTP, so not the API key either
    assert server.handshake_errors


def test_the_interceptor_works_for_a_client_that_trusts_it(interceptor):
    """The control: the same server answers a client told to trust its certificate, so the
    refusal above comes from verification and not from a broken test server."""
    server, cert = interceptor
    with httpx.Client(verify=ssl.create_default_context(cafile=str(cert))) as client:
        reply = client.post(f"https://127.0.0.1:{server.port}{api.TOKEN_PATH}",
                            headers={"api-key": "control"})
    assert reply.json()["token"] == "Bearer intercepted"
    server.close()
    assert b"api-key: control" in server.received[0]


def test_redirects_are_not_followed(memory_keyring):
    """A redirect (say to http://) is never followed: the key is not sent on to another URL."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(307, headers={"location": "http://evil.example/steal"})

    gateway = Gateway(DEFAULT_BASE_URL, lambda: Credentials(FAKE_CLIENT_ID, FAKE_API_KEY),
                      transport=httpx.MockTransport(answer))
    try:
        with pytest.raises(ClickPesaError):
            gateway.ensure_token()
    finally:
        gateway.close()
    assert seen == [f"{DEFAULT_BASE_URL}{api.TOKEN_PATH}"]
