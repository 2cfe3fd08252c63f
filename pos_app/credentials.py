"""The ClickPesa credentials, kept only in the operating system's keyring.

keyring's own backend selection is used, so PYTHON_KEYRING_BACKEND and keyringrc.cfg are
honoured. When no secure keyring exists the till says so; it never falls back to a file.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from pos_app import APP_NAME
from pos_app.clickpesa.auth import Credentials
from pos_app.clickpesa.errors import CredentialsMissing, Reason, credential_text_problem
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.settings import Problem

SERVICE = APP_NAME
CLIENT_ID, API_KEY, CHECKSUM_KEY = "client-id", "api-key", "checksum-key"

# Backends that are no keyring at all: never usable.
_NO_KEYRING = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
# Backends that keep secrets in plain files: refused when keyring picked them on its own
# (e.g. keyrings.alt installed by some other package), used only when the operator chose
# them explicitly through PYTHON_KEYRING_BACKEND or keyringrc.cfg.
_PLAINTEXT = {"keyrings.alt.file.PlaintextKeyring"}


class KeyringUnavailable(Exception):
    """No secure keyring on this computer; the message says what to do."""


class BadCredentialText(KeyringUnavailable):
    """A value that cannot be a credential (non-ASCII, control characters, surrounding
    spaces); nothing was stored. A KeyringUnavailable so that every caller that already shows
    that sentence and stores nothing (CLI, Settings dialog) does the same here."""


def _name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def describe(backend: KeyringBackend) -> str:
    try:
        priority: object = backend.priority
    except Exception:  # noqa: BLE001 — a backend's priority probe may raise anything
        priority = "?"
    warning = " — keeps secrets in a plain file" if _name(backend) in _PLAINTEXT else ""
    return f"{_name(backend)} (priority {priority}){warning}"


def explicitly_configured() -> bool:
    """Did the operator name a backend (PYTHON_KEYRING_BACKEND or keyringrc.cfg)?"""
    if os.environ.get("PYTHON_KEYRING_BACKEND", "").strip():
        return True
    try:
        from keyring.util import platform_

        cfg = Path(platform_.config_root()) / "keyringrc.cfg"
        parser = configparser.RawConfigParser()
        parser.read(cfg, encoding="utf-8")
        return bool(parser.get("backend", "default-keyring", fallback="").strip())
    except (OSError, configparser.Error, ImportError):
        return False


def usable_backend() -> KeyringBackend:
    backend = keyring.get_keyring()
    chosen: KeyringBackend | None = backend
    inner = getattr(backend, "backends", None)  # keyring's ChainerBackend
    if inner is not None:
        chosen = inner[0] if inner else None
    refused = chosen is None or _name(chosen) in _NO_KEYRING or (
        _name(chosen) in _PLAINTEXT and not explicitly_configured())
    if refused:
        raise KeyringUnavailable(QT_TRANSLATE_NOOP(
            "Messages",
            "No secure keyring is available on this computer, so the API key cannot be "
            "stored. On Linux install and unlock a Secret Service keyring (GNOME Keyring or "
            "KWallet); on Windows and macOS the system keyring is used automatically."))
    return backend


_REFUSED_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "The {what} {problem}; nothing was stored. Type or paste it again exactly as "
                "ClickPesa shows it.")


def credential_text_refusal(what: str, value: str) -> Problem | None:
    """Why `value` cannot be stored as the `what` ("Client ID", "API key", "checksum key"),
    as a sentence that never quotes it; None when it can be stored."""
    problem = credential_text_problem(value)
    return None if problem is None else Problem(_REFUSED_TEXT, what=what, problem=problem)


@dataclass(frozen=True)
class CredentialStatus:
    backend: str
    client_id: bool
    api_key: bool
    checksum_key: bool


class CredentialStore:
    def load(self) -> Credentials:
        """Read the credentials; raise CredentialsMissing (with a reason) if unusable."""
        try:
            backend = usable_backend()
            client_id = backend.get_password(SERVICE, CLIENT_ID) or ""
            api_key = backend.get_password(SERVICE, API_KEY) or ""
            checksum_key = backend.get_password(SERVICE, CHECKSUM_KEY) or None
        except KeyringUnavailable as exc:
            raise CredentialsMissing(exc.args[0], code=Reason.NO_KEYRING) from None
        except Exception as exc:  # noqa: BLE001 — keyring backends raise many kinds
            raise CredentialsMissing(Problem(QT_TRANSLATE_NOOP(
                "Messages", "The keyring could not be read ({error}). Unlock the keyring and "
                            "try again."), error=type(exc).__name__),
                code=Reason.NO_KEYRING) from None
        if not client_id or not api_key:
            raise CredentialsMissing(QT_TRANSLATE_NOOP(
                "Messages", "No Client ID or API key is stored on this computer."),
                code=Reason.NO_CREDENTIALS)
        return Credentials(client_id, api_key, checksum_key)

    def save(self, client_id: str, api_key: str | None, checksum_key: str | None = None) -> None:
        """Store what is given; `None` keeps what is there. Raises KeyringUnavailable
        (BadCredentialText, before anything is stored, for a value that cannot be sent)."""
        for what, value in (("Client ID", client_id), ("API key", api_key),
                            ("checksum key", checksum_key)):
            refusal = None if value is None else credential_text_refusal(what, value)
            if refusal is not None:
                raise BadCredentialText(refusal)
        backend = usable_backend()
        try:
            backend.set_password(SERVICE, CLIENT_ID, client_id)
            if api_key is not None:
                backend.set_password(SERVICE, API_KEY, api_key)
            if checksum_key is not None:
                backend.set_password(SERVICE, CHECKSUM_KEY, checksum_key)
        except Exception as exc:  # noqa: BLE001
            raise KeyringUnavailable(Problem(QT_TRANSLATE_NOOP(
                "Messages", "The keyring refused to store the credentials ({error}). Unlock it "
                            "and try again."), error=type(exc).__name__)) from None

    def clear(self) -> int:
        backend = usable_backend()
        removed = 0
        for name in (CLIENT_ID, API_KEY, CHECKSUM_KEY):
            try:
                backend.delete_password(SERVICE, name)
                removed += 1
            except keyring.errors.PasswordDeleteError:
                pass
        return removed

    def status(self) -> CredentialStatus:
        backend = usable_backend()
        try:
            return CredentialStatus(
                describe(backend),
                bool(backend.get_password(SERVICE, CLIENT_ID)),
                bool(backend.get_password(SERVICE, API_KEY)),
                bool(backend.get_password(SERVICE, CHECKSUM_KEY)))
        except Exception as exc:  # noqa: BLE001
            raise KeyringUnavailable(Problem(QT_TRANSLATE_NOOP(
                "Messages", "The keyring could not be read ({error}). Unlock it and try "
                            "again."), error=type(exc).__name__)) from None
