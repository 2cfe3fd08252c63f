"""Every ClickPesa path and constant the till relies on, defined once (see docs/clickpesa-api)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from pos_app.i18n import QT_TRANSLATE_NOOP

DEFAULT_BASE_URL = "https://api.clickpesa.com"
TOKEN_PATH = "/third-parties/generate-token"
PREVIEW_PATH = "/third-parties/payments/preview-ussd-push-request"
INITIATE_PATH = "/third-parties/payments/initiate-ussd-push-request"
STATUS_PATH = "/third-parties/payments/{order_reference}"
# Every payment of the account between two dates, paged (`skip`, `limit`): reconciliation.
PAYMENTS_ALL_PATH = "/third-parties/payments/all"
# ClickPesa documents no largest `limit`; this is what the till asks for unless the settings
# say otherwise (reconcile_page_limit), small enough that no sensible server refuses it.
DEFAULT_PAGE_LIMIT = 50
MAX_PAGE_LIMIT = 500
CURRENCY = "TZS"
TOKEN_LIFETIME_S = 3600.0
# Refresh this long before the hour is up, so a token never expires between check and use.
TOKEN_REFRESH_MARGIN_S = 300.0


class BadBaseUrl(ValueError):
    """The configured API root cannot be used; the message says why, for people."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_base_url(url: str) -> str:
    """Validate an API root: https anywhere, http only for loopback stand-ins."""
    from pos_app.settings import Problem  # here: pos_app.settings imports this module

    raw = (url or "").strip()
    if not raw:
        raise BadBaseUrl(QT_TRANSLATE_NOOP("Messages", "The API address is empty."))
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadBaseUrl(Problem(QT_TRANSLATE_NOOP(
            "Messages", "'{raw}' is not a web address (it must start with https://)."), raw=raw))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise BadBaseUrl(Problem(QT_TRANSLATE_NOOP(
            "Messages", "'{raw}' uses http:// on a non-local host; only https:// is allowed "
                        "there."), raw=raw))
    if parts.query or parts.fragment or parts.username or parts.password:
        raise BadBaseUrl(Problem(QT_TRANSLATE_NOOP(
            "Messages", "'{raw}' must not carry a query, fragment or password."), raw=raw))
    try:
        parts.port  # noqa: B018 — raises ValueError unless the port is a number 0–65535
    except ValueError:
        raise BadBaseUrl(Problem(QT_TRANSLATE_NOOP(
            "Messages", "'{raw}' has an invalid port number."), raw=raw)) from None
    path = parts.path.rstrip("/")
    if path.endswith("/third-parties"):
        path = path[: -len("/third-parties")]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    result = f"{parts.scheme}://{netloc}{path}"
    # httpx sends the requests: it must read the same host as the checks above, or refuse.
    import httpx  # here: settings are read before the window shows, httpx is not needed yet

    try:
        host = httpx.URL(result).host
    except httpx.InvalidURL:
        host = None
    if host is None or host.lower() != parts.hostname:
        raise BadBaseUrl(Problem(QT_TRANSLATE_NOOP(
            "Messages", "'{raw}' is not a valid web address."), raw=raw))
    return result
