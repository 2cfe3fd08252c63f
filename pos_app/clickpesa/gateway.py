"""The one place the till talks HTTP to ClickPesa.

Synchronous on purpose: it runs on worker threads, never on the GUI thread. The token is kept
in memory only, shared by all threads behind a lock, reused until shortly before its hour is
up, and renewed once when any call answers 401.

Every error it raises carries a `Reason` (`error.code`), decided here once from the status
code and ClickPesa's message (`MESSAGE_REASONS`, `reason_for_reply`), and every text that came
from ClickPesa is scrubbed of secrets (`pos_app.logs.mask`) before it leaves this module.

Each call has a total deadline (`CALL_DEADLINE_S`, `TOKEN_DEADLINE_S`) across name lookup,
connect, TLS, sending, headers and body — httpx's own timeouts are per read or write, so a
reply trickling a byte every few seconds would otherwise hold a worker for minutes.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

from pos_app import __version__
from pos_app.clickpesa import api
from pos_app.clickpesa.auth import Credentials as Credentials  # re-exported
from pos_app.clickpesa.auth import CredentialSource
from pos_app.clickpesa.checksum import ChecksumMode, sign
from pos_app.clickpesa.errors import (
    AuthFailed,
    ClickPesaError,
    CredentialsMissing,
    NotConnected,
    RateLimited,
    Reason,
    Rejected,
    Unavailable,
    Unclear,
    credential_text_problem,
)
from pos_app.clickpesa.payment_list import Page, parse_page
from pos_app.clickpesa.replies import (
    PaymentStatus,
    PushAccepted,
    ReplyError,
    decode_json,
    error_message,
    payment_status_from,
    push_accepted_from,
    token_from,
)
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.domain.reference import is_valid_reference
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.logs import mask, register_secret
from pos_app.settings import Problem

log = logging.getLogger(__name__)


DEFAULT_TIMEOUT = httpx.Timeout(connect=6.0, read=20.0, write=10.0, pool=6.0)
# The most one initiate or status call may take, all of it: name lookup, connect, TLS, the
# request, the reply's headers and its body. Past it the call is a timeout — for a push that
# means "may have arrived" (reconciled through the status endpoint, never resent). 25 s is
# above the per-read timeout (20 s), so an honest slow reply still gets its full read.
CALL_DEADLINE_S = 25.0
# The token call holds the token lock (every other call waits for it), so it gets less.
TOKEN_DEADLINE_S = 15.0

# ClickPesa's documented error messages (docs in /work/shared/clickpesa-api.md), matched as
# lower-case substrings, first match wins. The only place the till reads ClickPesa's English.
MESSAGE_REASONS: tuple[tuple[str, Reason], ...] = (
    # token, 401/403
    ("invalid client details", Reason.INVALID_CLIENT),
    ("invalid or expired api-key", Reason.API_KEY_INVALID),
    ("unauthorized api-key", Reason.API_KEY_NOT_ALLOWED),
    # initiate, 400/404
    ("invalid / unsupported phone number", Reason.INVALID_PHONE),
    ("no access to collection api", Reason.NO_COLLECTION_API),
    ("no payment collection methods", Reason.NO_PAYMENT_METHOD),
    ("no valid payment method", Reason.NO_PAYMENT_METHOD),
    ("valid client id is required", Reason.CLIENT_ID_REQUIRED),
    ("invalid order reference", Reason.BAD_REFERENCE),
    ("order reference should be less than or equal to", Reason.BAD_REFERENCE),
)


def reason_for_reply(status_code: int, message: str) -> Reason:
    """The Reason for a reply that is not the success the call expected."""
    if status_code == 429:
        return Reason.RATE_LIMITED
    if status_code >= 500:
        return Reason.SERVER_ERROR
    if status_code == 409:
        return Reason.DUPLICATE_REFERENCE
    text = " ".join(message.lower().split())
    for needle, reason in MESSAGE_REASONS:
        if needle in text:
            return reason
    if status_code in (401, 403):
        return Reason.UNAUTHORIZED
    if 400 <= status_code < 500:
        return Reason.REFUSED
    return Reason.BAD_REPLY  # 1xx, a 2xx the call does not expect, 3xx (never followed)


def tls_context() -> ssl.SSLContext:
    """TLS verification against the CA bundle shipped with the app (certifi). Always on."""
    ctx = ssl.create_default_context(cafile=certifi.where())
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, min(600.0, float(value)))
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def environment_proxy(base_url: str) -> str | None:
    """The proxy this computer names for `base_url`, or None for a direct connection.

    When proxies are used: only for a host that is not loopback, and only as the environment
    (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, honouring NO_PROXY) or, on Windows and macOS, the
    system settings say — through the standard library's `getproxies`/`proxy_bypass`, as httpx
    itself would. A loopback stand-in (`http://127.0.0.1:…`, `http://localhost:…`) is always
    reached directly: through a proxy its plain-http requests, API key included, would cross
    the network in clear.
    """
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if not host or _is_loopback(host):
        return None
    found = urllib.request.getproxies()
    proxy = found.get(parts.scheme) or found.get("all")
    if not proxy:
        return None
    try:
        if urllib.request.proxy_bypass(parts.netloc.rsplit("@", 1)[-1]):
            return None
    except Exception:  # noqa: BLE001 — a malformed NO_PROXY / system setting: use the proxy
        log.warning("the proxy exceptions (NO_PROXY) could not be read; using the proxy")
    return proxy if "://" in proxy else f"http://{proxy}"


# -- a deadline for the whole call -------------------------------------------------------


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with a deadline: every connect, TLS handshake, read and
    write gets at most the time left before the deadline of the call running on this thread
    (see `deadline`), and fails with httpcore's own timeout once it has passed. Name lookup
    runs on a helper thread so that a hanging DNS server is bounded too. Outside a `deadline`
    block it behaves exactly like the backend it wraps."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 resolve: Callable[..., Any] = socket.getaddrinfo) -> None:
        self.inner = inner or httpcore.SyncBackend()
        self._clock = clock
        self._resolve = resolve
        self._local = threading.local()

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        previous = getattr(self._local, "at", None)
        self._local.at = self._clock() + seconds
        try:
            yield
        finally:
            self._local.at = previous

    def time_left(self, timeout: float | None, error: type[Exception]) -> float | None:
        """`timeout` capped at the time left; raises `error` when none is left."""
        at = getattr(self._local, "at", None)
        if at is None:
            return timeout
        left = at - self._clock()
        if left <= 0:
            raise error("The call's deadline has passed.")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        if getattr(self._local, "at", None) is None or _ip_literal(host):
            return _DeadlineStream(self.inner.connect_tcp(
                host, port, self.time_left(timeout, httpcore.ConnectTimeout),
                local_address, socket_options), self)
        last: Exception | None = None
        for address in self._lookup(host, port):
            try:
                return _DeadlineStream(self.inner.connect_tcp(
                    address, port, self.time_left(timeout, httpcore.ConnectTimeout),
                    local_address, socket_options), self)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"No address found for {host}.")

    def _lookup(self, host: str, port: int) -> list[str]:
        left = self.time_left(None, httpcore.ConnectTimeout)
        found: list[Any] = []
        failed: list[OSError] = []
        done = threading.Event()

        def lookup() -> None:
            try:
                found.extend(self._resolve(host, port, type=socket.SOCK_STREAM))
            except OSError as exc:
                failed.append(exc)
            finally:
                done.set()

        # A daemon thread: a lookup that never returns must not keep the till from exiting.
        threading.Thread(target=lookup, name="pos-app-name-lookup", daemon=True).start()
        if not done.wait(left):
            raise httpcore.ConnectTimeout(f"Looking up {host} took too long.")
        if failed:
            raise httpcore.ConnectError(str(failed[0]))
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        if not addresses:
            raise httpcore.ConnectError(f"No address found for {host}.")
        return addresses

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self.inner.connect_unix_socket(
            path, self.time_left(timeout, httpcore.ConnectTimeout), socket_options), self)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, backend: DeadlineBackend) -> None:
        self._stream = stream
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._backend.time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._backend.time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        left = self._backend.time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, left),
                               self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def deadline_transport(base_url: str, backend: DeadlineBackend,
                       verify: ssl.SSLContext | None = None) -> httpx.HTTPTransport:
    """httpx's own transport (TLS always verified, the environment's proxy for a remote host,
    none for loopback) with every connection made through `backend`."""
    proxy = environment_proxy(base_url)
    try:
        transport = httpx.HTTPTransport(verify=verify or tls_context(), trust_env=False,
                                        proxy=proxy)
    except (ImportError, ValueError):  # e.g. ALL_PROXY=socks5://… (needs socksio)
        raise NotConnected(QT_TRANSLATE_NOOP(
            "Messages", "The proxy set on this computer (HTTPS_PROXY or ALL_PROXY) is not an "
                        "http:// proxy, and the till can use no other kind. Nothing was sent."),
            code=Reason.OFFLINE) from None
    # httpx takes no network backend; its pool (httpcore's) does. Fail loudly if that moves.
    pool = getattr(transport, "_pool", None)
    if pool is None or not isinstance(getattr(pool, "_network_backend", None),
                                      httpcore.NetworkBackend):
        raise RuntimeError("this httpx/httpcore version offers no way to bound a call's time")
    backend.inner = pool._network_backend
    pool._network_backend = backend
    return transport


# -- scrubbing ClickPesa's text ------------------------------------------------------------

_D = TypeVar("_D")
_T = TypeVar("_T")


def _scrubbed(value: _D) -> _D:
    """A frozen dataclass with every text field (and nested rows) passed through `mask`."""
    if isinstance(value, str):
        return mask(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_scrubbed(v) for v in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _scrubbed(getattr(value, f.name)) for f in fields(value)
                   if isinstance(getattr(value, f.name), (str, tuple)) or
                   is_dataclass(getattr(value, f.name))}
        return replace(value, **changes)  # type: ignore[type-var]
    return value


def _header_safe(text: str) -> bool:
    return all(0x20 <= ord(c) < 0x7F for c in text)


_ANSWERED_HTTP = QT_TRANSLATE_NOOP("Messages", "ClickPesa answered HTTP {code}.")
_CREDENTIAL_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "The {what} stored on this computer {problem}. Enter it again exactly as "
                "ClickPesa shows it (pos-app credentials set, or Till → Settings). Nothing was "
                "sent.")


def _check_credential_text(what: str, value: str) -> None:
    problem = credential_text_problem(value)
    if problem is not None:
        raise CredentialsMissing(Problem(_CREDENTIAL_TEXT, what=what, problem=problem),
                                 code=Reason.BAD_CREDENTIAL_TEXT)


class Gateway:
    """ClickPesa's token, initiate and status calls, with replies parsed defensively.

    `transport` replaces the network (tests, the simulator): the deadline and the proxy
    choice then do not apply. `deadline_s` / `token_deadline_s` bound each call's total time
    (see `CALL_DEADLINE_S`); `deadline_clock` and `resolve` (name lookup) are for tests.
    """

    def __init__(
        self,
        base_url: str,
        credentials: CredentialSource,
        *,
        checksum_mode: ChecksumMode = ChecksumMode.OFF,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        deadline_s: float = CALL_DEADLINE_S,
        token_deadline_s: float = TOKEN_DEADLINE_S,
        deadline_clock: Callable[[], float] = time.monotonic,
        resolve: Callable[..., Any] = socket.getaddrinfo,
    ) -> None:
        self.base_url = api.normalise_base_url(base_url)
        self._credentials = credentials
        self._checksum_mode = checksum_mode
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_expires_at = 0.0
        self.calls: Counter[str] = Counter()  # per endpoint, for the journal of API economy
        self._calls_lock = threading.Lock()  # calls come from several worker threads
        self._timeout = timeout
        self.deadline_s = deadline_s
        self.token_deadline_s = token_deadline_s
        self._deadlines: DeadlineBackend | None = None
        verify = tls_context()  # once: loading the CA bundle costs milliseconds and memory
        if transport is None:
            self._deadlines = DeadlineBackend(clock=deadline_clock, resolve=resolve)
            transport = deadline_transport(self.base_url, self._deadlines, verify)
        self._client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            verify=verify,
            follow_redirects=False,
            trust_env=False,  # proxies: chosen above (environment_proxy), never for loopback
            headers={"User-Agent": f"MalipoPOS/{__version__}"},
        )

    def close(self) -> None:
        self._client.close()

    # -- token -------------------------------------------------------------------------

    def _read_credentials(self) -> Credentials:
        creds = self._credentials()
        if not creds.client_id or not creds.api_key:
            raise CredentialsMissing(QT_TRANSLATE_NOOP(
                "Messages", "No Client ID or API key is stored on this computer."),
                code=Reason.NO_CREDENTIALS)
        register_secret(creds.api_key)
        register_secret(creds.checksum_key)
        _check_credential_text("Client ID", creds.client_id)
        _check_credential_text("API key", creds.api_key)
        return creds

    def ensure_token(self, *, fresh: bool = False) -> str:
        # A waiting thread gives up rather than queue behind a stuck token call for ever
        # (that call itself ends by its deadline, so this is only a second guard).
        if not self._lock.acquire(timeout=self.token_deadline_s + 5.0):
            raise Unavailable(QT_TRANSLATE_NOOP("Messages", "ClickPesa did not answer in time."),
                              code=Reason.TIMEOUT)
        try:
            return self._token_locked(fresh)
        finally:
            self._lock.release()

    def _token_locked(self, fresh: bool) -> str:
        if not fresh and self._token and self._clock() < self._token_expires_at:
            return self._token
        creds = self._read_credentials()
        issued = self._clock()
        response = self._request("token", "POST", api.TOKEN_PATH, json={},
                                 headers={"client-id": creds.client_id,
                                          "api-key": creds.api_key},
                                 sending_money=False, deadline_s=self.token_deadline_s)
        code = response.status_code
        if code != 200:
            message = self._their_message(response)
            reason = reason_for_reply(code, message)
            if code in (401, 403):
                raise AuthFailed(message or Problem(QT_TRANSLATE_NOOP(
                    "Messages", "ClickPesa refused the credentials (HTTP {code})"), code=code),
                                 status_code=code, code=reason)
            if code == 429:
                # Nothing was created by a token call: not "unclear", just not now.
                raise Unavailable(QT_TRANSLATE_NOOP(
                    "Messages", "ClickPesa says too many requests; wait a minute."),
                    status_code=429, code=reason, retry_after_s=_retry_after(response))
            raise Unavailable(Problem(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa could not issue a token (HTTP {code})."), code=code),
                              status_code=code, code=reason)
        try:
            token = token_from(decode_json(response.content,
                                           response.headers.get("content-type", "")))
        except ReplyError as exc:
            raise Unavailable(mask(str(exc)), code=Reason.BAD_REPLY) from None
        register_secret(token)
        if not _header_safe(token):
            # It could never be sent back as a header: say so now, before a push is journalled.
            raise Unavailable(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa's token reply carries characters that cannot be sent "
                            "back to it. Nothing was sent; try again in a minute."),
                code=Reason.BAD_REPLY)
        self._token = token
        self._token_expires_at = issued + api.TOKEN_LIFETIME_S - api.TOKEN_REFRESH_MARGIN_S
        return token

    def forget_token(self, token: str | None = None) -> None:
        with self._lock:
            if token is None or token == self._token:
                self._token = None

    def test_connection(self) -> None:
        """Fetch a fresh token; raises like `ensure_token` when that fails."""
        self.ensure_token(fresh=True)

    # -- payments ----------------------------------------------------------------------

    def initiate(self, order_reference: str, phone: Phone, amount: Amount) -> PushAccepted:
        """Send ONE USSD push. Never retried here except after a 401 (which created nothing)."""
        if not is_valid_reference(order_reference):
            raise Rejected(QT_TRANSLATE_NOOP(
                "Messages", "The order reference is not alphanumeric (1–20 characters)."),
                code=Reason.BAD_REFERENCE)
        payload: dict[str, Any] = {
            "amount": amount.as_api_string(),
            "currency": api.CURRENCY,
            "orderReference": order_reference,
            "phoneNumber": phone.digits,
        }
        if self._checksum_mode is not ChecksumMode.OFF:
            key = self._credentials().checksum_key
            if not key:
                raise CredentialsMissing(QT_TRANSLATE_NOOP(
                    "Messages", "Checksum is switched on but no checksum key is stored."),
                    code=Reason.NO_CHECKSUM_KEY)
            register_secret(key)
            _check_credential_text("checksum key", key)
            payload = sign(payload, self._checksum_mode, key)
        response = self._authed("initiate", "POST", api.INITIATE_PATH, json=payload,
                                sending_money=True)
        code = response.status_code
        if 200 <= code < 300:
            try:
                return _scrubbed(push_accepted_from(
                    decode_json(response.content, response.headers.get("content-type", "")),
                    order_reference))
            except ReplyError as exc:
                raise Unclear(mask(str(exc)), status_code=code, code=Reason.BAD_REPLY) from None
        message = self._their_message(response)
        reason = reason_for_reply(code, message)
        if code == 429:
            raise RateLimited(message or "ClickPesa says too many requests.", status_code=429,
                              code=reason, retry_after_s=_retry_after(response))
        if code in (400, 403, 404, 409, 422):
            raise Rejected(message or Problem(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa refused the request (HTTP {code})."), code=code),
                           status_code=code, code=reason)
        raise Unclear(message or Problem(_ANSWERED_HTTP, code=code), status_code=code,
                      code=reason)

    def status(self, order_reference: str) -> PaymentStatus | None:
        """ClickPesa's view of one reference; None when it says it never created it (404)."""
        if not is_valid_reference(order_reference):
            raise Rejected(QT_TRANSLATE_NOOP(
                "Messages", "The order reference is not alphanumeric (1–20 characters)."),
                code=Reason.BAD_REFERENCE)
        path = api.STATUS_PATH.format(order_reference=order_reference)
        response = self._authed("status", "GET", path, sending_money=False)
        if response.status_code == 404:
            return None
        return _scrubbed(self._read_reply(
            response, Unclear, lambda data: payment_status_from(data, order_reference)))

    def list_payments(self, start_date: date, end_date: date, *, skip: int = 0,
                      limit: int = api.DEFAULT_PAGE_LIMIT) -> Page:
        """One page of every payment ClickPesa holds for the account between two dates (both
        included), oldest first. Reading it creates nothing, so every failure is Unavailable
        (RateLimited, with Retry-After, for a 429): the caller may simply ask again."""
        if skip < 0 or not 0 < limit <= api.MAX_PAGE_LIMIT or start_date > end_date:
            raise ValueError("bad page request")
        params = {"startDate": start_date.isoformat(), "endDate": end_date.isoformat(),
                  "skip": str(skip), "limit": str(limit), "sortBy": "createdAt",
                  "orderBy": "ASC"}
        response = self._authed("list", "GET", api.PAYMENTS_ALL_PATH, sending_money=False,
                                params=params)
        page = self._read_reply(response, Unavailable, parse_page)
        if len(page.rows) > limit:
            raise Unavailable(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa's payment list sent more payments than were asked for."),
                status_code=200, code=Reason.BAD_REPLY)
        return _scrubbed(page)

    # -- plumbing ----------------------------------------------------------------------

    def _authed(self, name: str, method: str, path: str, *, sending_money: bool,
                json: Any = None, params: dict[str, str] | None = None) -> httpx.Response:
        token = self.ensure_token()
        response = self._request(name, method, path, json=json, params=params,
                                 headers={"Authorization": token}, sending_money=sending_money)
        if response.status_code != 401:
            return response
        # Tokens die early when the account's checksum setting changes: renew once, repeat once.
        self.forget_token(token)
        token = self.ensure_token(fresh=True)
        response = self._request(name, method, path, json=json, params=params,
                                 headers={"Authorization": token}, sending_money=sending_money)
        if response.status_code == 401:
            self.forget_token(token)
            message = self._their_message(response)
            raise AuthFailed(message or QT_TRANSLATE_NOOP("Messages", "Unauthorized"),
                             status_code=401,
                             code=reason_for_reply(401, message))
        return response

    def _timeouts_within(self, seconds: float) -> httpx.Timeout:
        t = self._timeout
        return httpx.Timeout(
            connect=seconds if t.connect is None else min(t.connect, seconds),
            read=seconds if t.read is None else min(t.read, seconds),
            write=seconds if t.write is None else min(t.write, seconds),
            pool=seconds if t.pool is None else min(t.pool, seconds))

    def _request(self, name: str, method: str, path: str, *, headers: dict[str, str],
                 sending_money: bool, json: Any = None,
                 deadline_s: float | None = None,
                 params: dict[str, str] | None = None) -> httpx.Response:
        seconds = self.deadline_s if deadline_s is None else deadline_s
        not_sent = QT_TRANSLATE_NOOP(
            "Messages", "The request to ClickPesa could not be prepared: a key or token holds "
                        "characters that cannot be sent. Nothing was sent.")
        try:
            request = self._client.build_request(method, path, json=json, headers=headers,
                                                 params=params,
                                                 timeout=self._timeouts_within(seconds))
        except Exception as exc:  # noqa: BLE001 — building it sends nothing, whatever fails
            log.info("%s %s: the request could not be built (%s)", method, path,
                     type(exc).__name__)
            raise Unavailable(not_sent, code=Reason.BAD_CREDENTIAL_TEXT
                              if isinstance(exc, (UnicodeError, httpx.LocalProtocolError))
                              else Reason.UNEXPECTED) from None
        with self._calls_lock:
            self.calls[name] += 1
        within = self._deadlines.deadline(seconds) if self._deadlines else nullcontext()
        try:
            with within:
                return self._client.send(request)
        except httpx.LocalProtocolError as exc:
            # h11 refuses to write a request head it finds invalid: none of it left.
            log.info("%s %s: refused locally (%s)", method, path, type(exc).__name__)
            raise Unavailable(not_sent, code=Reason.BAD_CREDENTIAL_TEXT) from None
        except httpx.ProxyError as exc:
            log.info("%s %s: the proxy refused (%s)", method, path, type(exc).__name__)
            raise NotConnected(QT_TRANSLATE_NOOP(
                "Messages", "The proxy set on this computer did not connect to ClickPesa."),
                code=Reason.OFFLINE) from None
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            log.info("%s %s: no connection (%s)", method, path, type(exc).__name__)
            raise NotConnected(QT_TRANSLATE_NOOP(
                "Messages", "No connection to ClickPesa."), code=Reason.OFFLINE) from None
        except httpx.TimeoutException as exc:
            log.info("%s %s: timed out (%s)", method, path, type(exc).__name__)
            error = Unclear if sending_money else Unavailable
            raise error(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa did not answer in time."), code=Reason.TIMEOUT) from None
        except httpx.TransportError as exc:
            log.info("%s %s: connection broke (%s)", method, path, type(exc).__name__)
            error = Unclear if sending_money else Unavailable
            raise error(QT_TRANSLATE_NOOP(
                "Messages", "The connection to ClickPesa broke."),
                code=Reason.CONNECTION_BROKE) from None

    def _read_reply(self, response: httpx.Response, failure: type[ClickPesaError],
                    parse: Callable[[Any], _T]) -> _T:
        """A read (status, payment list): 429 is RateLimited with its Retry-After; any other
        non-200 or an unreadable body is `failure` (Unclear when the read decides about money
        not yet known, Unavailable when asking again is all it costs), with the reason code."""
        code = response.status_code
        if code == 429:
            raise RateLimited(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa says too many requests."), status_code=429,
                code=Reason.RATE_LIMITED, retry_after_s=_retry_after(response))
        if code != 200:
            message = self._their_message(response)
            raise failure(message or Problem(_ANSWERED_HTTP, code=code), status_code=code,
                          code=reason_for_reply(code, message))
        try:
            return parse(decode_json(response.content,
                                     response.headers.get("content-type", "")))
        except ReplyError as exc:
            raise failure(mask(str(exc)), status_code=code, code=Reason.BAD_REPLY) from None

    @staticmethod
    def _json_or_none(response: httpx.Response) -> Any:
        try:
            return decode_json(response.content, response.headers.get("content-type", ""))
        except ReplyError:
            return None

    def _their_message(self, response: httpx.Response) -> str:
        """ClickPesa's `message`, scrubbed of every secret it may echo."""
        return mask(error_message(self._json_or_none(response)))
