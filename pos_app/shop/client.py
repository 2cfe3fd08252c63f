"""The till's HTTP client for its shop server (JSON over HTTPS; http only on loopback).

Errors come in two kinds: `ShopUnreachable` (network down, server down or busy: try again
later, nothing is lost) and `ShopRefused` (the server read the request and said no: wrong
code, revoked till, a bad event — trying again will not help by itself).
"""

from __future__ import annotations

from typing import Any

import httpx

from pos_app.logs import mask
from pos_app.shop.config import normalise_server_url

USER_AGENT = "pos-app-shop/1"


class ShopError(Exception):
    pass


class ShopUnreachable(ShopError):
    """Could not get an answer; the sender backs off and tries again."""


class ShopRefused(ShopError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code

    @property
    def revoked(self) -> bool:
        return self.code == "revoked"


class ShopClient:
    def __init__(self, server_url: str, secret: str | None = None, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = 10.0) -> None:
        self.server_url = normalise_server_url(server_url)
        self._secret = secret
        verify: Any = True
        if self.server_url.startswith("https://") and transport is None:
            from pos_app.clickpesa.gateway import tls_context

            verify = tls_context()
        self._http = httpx.Client(base_url=self.server_url, transport=transport, verify=verify,
                                  timeout=timeout, trust_env=False, follow_redirects=False,
                                  headers={"user-agent": USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ShopClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, *, json: Any = None,
              authed: bool = True) -> dict[str, Any]:
        headers = {}
        if authed:
            if not self._secret:
                raise ShopRefused(401, "no_secret", "This till has not joined a shop.")
            headers["authorization"] = f"Bearer {self._secret}"
        try:
            response = self._http.request(method, path, json=json, headers=headers)
        except httpx.HTTPError as exc:
            raise ShopUnreachable(f"The shop server {self.server_url} cannot be reached "
                                  f"({type(exc).__name__}).") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise ShopUnreachable(f"The shop server answered {response.status_code}; "
                                  "trying again later.")
        if response.status_code != 200:
            message = mask(str(body.get("error") or f"HTTP {response.status_code}"))[:300]
            raise ShopRefused(response.status_code, str(body.get("code", ""))[:40], message)
        return body

    def join(self, code: str) -> tuple[str, str]:
        """(till name, till secret) for a one-time code."""
        body = self._call("POST", "/api/v1/join", json={"code": code}, authed=False)
        name, secret = body.get("till"), body.get("secret")
        if not isinstance(name, str) or not isinstance(secret, str) or not secret:
            raise ShopUnreachable("The shop server's answer to the join had no secret.")
        return name, secret

    def me(self) -> dict[str, Any]:
        return self._call("GET", "/api/v1/tills/me")

    def send(self, events: list[dict[str, Any]],
             api_calls: dict[str, int] | None = None) -> dict[str, Any]:
        return self._call("POST", "/api/v1/events",
                          json={"events": events, "api_calls": api_calls or {}})
