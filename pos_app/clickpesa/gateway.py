"""The one place the till talks HTTP to ClickPesa.

Synchronous on purpose: it runs on worker threads, never on the GUI thread. The token is kept
in memory only, shared by all threads behind a lock, reused until shortly before its hour is
up, and renewed once when any call answers 401.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import certifi
import httpx

from pos_app import __version__
from pos_app.clickpesa import api
from pos_app.clickpesa.auth import Credentials as Credentials  # re-exported
from pos_app.clickpesa.auth import CredentialSource
from pos_app.clickpesa.checksum import ChecksumMode, sign
from pos_app.clickpesa.errors import (
    AuthFailed,
    CredentialsMissing,
    NotConnected,
    RateLimited,
    Rejected,
    Unavailable,
    Unclear,
)
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

log = logging.getLogger(__name__)


DEFAULT_TIMEOUT = httpx.Timeout(connect=6.0, read=20.0, write=10.0, pool=6.0)


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


class Gateway:
    """ClickPesa's token, initiate and status calls, with replies parsed defensively."""

    def __init__(
        self,
        base_url: str,
        credentials: CredentialSource,
        *,
        checksum_mode: ChecksumMode = ChecksumMode.OFF,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
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
        self._client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            verify=tls_context(),
            follow_redirects=False,
            headers={"User-Agent": f"MalipoPOS/{__version__}"},
        )

    def close(self) -> None:
        self._client.close()

    # -- token -------------------------------------------------------------------------

    def ensure_token(self, *, fresh: bool = False) -> str:
        with self._lock:
            if not fresh and self._token and self._clock() < self._token_expires_at:
                return self._token
            creds = self._credentials()
            if not creds.client_id or not creds.api_key:
                raise CredentialsMissing(QT_TRANSLATE_NOOP(
                    "Messages", "No Client ID or API key is stored on this computer."))
            issued = self._clock()
            response = self._request("token", "POST", api.TOKEN_PATH, json={},
                                     headers={"client-id": creds.client_id,
                                              "api-key": creds.api_key},
                                     sending_money=False)
            if response.status_code in (401, 403):
                raise AuthFailed(error_message(self._json_or_none(response))
                                 or f"ClickPesa refused the credentials (HTTP "
                                    f"{response.status_code})", status_code=response.status_code)
            if response.status_code == 429:
                raise RateLimited(QT_TRANSLATE_NOOP(
                    "Messages", "ClickPesa says too many requests; wait a minute."),
                    status_code=429, retry_after_s=_retry_after(response))
            if response.status_code != 200:
                raise Unavailable(f"ClickPesa could not issue a token (HTTP "
                                  f"{response.status_code}).", status_code=response.status_code)
            try:
                token = token_from(decode_json(response.content,
                                               response.headers.get("content-type", "")))
            except ReplyError as exc:
                raise Unavailable(str(exc)) from None
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
                "Messages", "The order reference is not alphanumeric (1–20 characters)."))
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
                    "Messages", "Checksum is switched on but no checksum key is stored."))
            payload = sign(payload, self._checksum_mode, key)
        response = self._authed("initiate", "POST", api.INITIATE_PATH, json=payload,
                                sending_money=True)
        code = response.status_code
        data = self._json_or_none(response)
        if 200 <= code < 300:
            try:
                return push_accepted_from(
                    decode_json(response.content, response.headers.get("content-type", "")),
                    order_reference)
            except ReplyError as exc:
                raise Unclear(str(exc), status_code=code) from None
        message = error_message(data)
        if code == 429:
            raise RateLimited(message or "ClickPesa says too many requests.", status_code=429,
                              retry_after_s=_retry_after(response))
        if code in (400, 403, 404, 409, 422):
            raise Rejected(message or f"ClickPesa refused the request (HTTP {code}).",
                           status_code=code)
        raise Unclear(message or f"ClickPesa answered HTTP {code}.", status_code=code)

    def status(self, order_reference: str) -> PaymentStatus | None:
        """ClickPesa's view of one reference; None when it says it never created it (404)."""
        if not is_valid_reference(order_reference):
            raise Rejected(QT_TRANSLATE_NOOP(
                "Messages", "The order reference is not alphanumeric (1–20 characters)."))
        path = api.STATUS_PATH.format(order_reference=order_reference)
        response = self._authed("status", "GET", path, sending_money=False)
        code = response.status_code
        if code == 404:
            return None
        if code == 429:
            raise RateLimited(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa says too many requests."), status_code=429,
                              retry_after_s=_retry_after(response))
        if code != 200:
            raise Unclear(error_message(self._json_or_none(response))
                          or f"ClickPesa answered HTTP {code}.", status_code=code)
        try:
            return payment_status_from(
                decode_json(response.content, response.headers.get("content-type", "")),
                order_reference)
        except ReplyError as exc:
            raise Unclear(str(exc), status_code=code) from None

    # -- plumbing ----------------------------------------------------------------------

    def _authed(self, name: str, method: str, path: str, *, sending_money: bool,
                json: Any = None) -> httpx.Response:
        token = self.ensure_token()
        response = self._request(name, method, path, json=json,
                                 headers={"Authorization": token}, sending_money=sending_money)
        if response.status_code != 401:
            return response
        # Tokens die early when the account's checksum setting changes: renew once, repeat once.
        self.forget_token(token)
        token = self.ensure_token(fresh=True)
        response = self._request(name, method, path, json=json,
                                 headers={"Authorization": token}, sending_money=sending_money)
        if response.status_code == 401:
            self.forget_token(token)
            raise AuthFailed(error_message(self._json_or_none(response)) or "Unauthorized",
                             status_code=401)
        return response

    def _request(self, name: str, method: str, path: str, *, headers: dict[str, str],
                 sending_money: bool, json: Any = None) -> httpx.Response:
        with self._calls_lock:
            self.calls[name] += 1
        try:
            return self._client.request(method, path, json=json, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            log.info("%s %s: no connection (%s)", method, path, type(exc).__name__)
            raise NotConnected(QT_TRANSLATE_NOOP(
                "Messages", "No connection to ClickPesa.")) from None
        except httpx.TimeoutException as exc:
            log.info("%s %s: timed out (%s)", method, path, type(exc).__name__)
            if sending_money:
                raise Unclear(QT_TRANSLATE_NOOP(
                    "Messages", "ClickPesa did not answer in time.")) from None
            raise Unavailable(QT_TRANSLATE_NOOP(
                "Messages", "ClickPesa did not answer in time.")) from None
        except httpx.TransportError as exc:
            log.info("%s %s: connection broke (%s)", method, path, type(exc).__name__)
            if sending_money:
                raise Unclear(QT_TRANSLATE_NOOP(
                    "Messages", "The connection to ClickPesa broke.")) from None
            raise Unavailable(QT_TRANSLATE_NOOP(
                "Messages", "The connection to ClickPesa broke.")) from None

    @staticmethod
    def _json_or_none(response: httpx.Response) -> Any:
        try:
            return decode_json(response.content, response.headers.get("content-type", ""))
        except ReplyError:
            return None
