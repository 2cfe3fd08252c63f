"""The till's shop secret, kept only in the operating system's keyring.

It goes through the same keyring selection as the ClickPesa credentials
(pos_app.credentials.usable_backend): no plaintext fallback, a clear message when no keyring
exists. It is registered with pos_app.logs so that it is masked wherever a text is logged.
"""

from __future__ import annotations

import keyring.errors

from pos_app.credentials import SERVICE, KeyringUnavailable, usable_backend
from pos_app.logs import register_secret

TILL_SECRET = "shop-till-secret"


def load_secret() -> str | None:
    backend = usable_backend()
    try:
        value = backend.get_password(SERVICE, TILL_SECRET)
    except Exception as exc:  # noqa: BLE001 — keyring backends raise many kinds
        raise KeyringUnavailable(f"The keyring could not be read ({type(exc).__name__}). "
                                 "Unlock it and try again.") from None
    if value:
        register_secret(value)
    return value or None


def save_secret(value: str) -> None:
    backend = usable_backend()
    register_secret(value)
    try:
        backend.set_password(SERVICE, TILL_SECRET, value)
    except Exception as exc:  # noqa: BLE001
        raise KeyringUnavailable(f"The keyring refused to store the till's shop secret "
                                 f"({type(exc).__name__}). Unlock it and try again.") from None


def delete_secret() -> bool:
    backend = usable_backend()
    try:
        backend.delete_password(SERVICE, TILL_SECRET)
    except keyring.errors.PasswordDeleteError:
        return False
    return True
