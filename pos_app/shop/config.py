"""Where the till's shop server is, and what the till last heard from it.

- `[shop] server_url` in settings.ini (the same file as the till's settings; other sections
  are kept as they are when it is written).
- The till's name on the server and the last sync in `shop.json` in the data folder — no
  secret: the till's secret lives in the keyring (pos_app.shop.secret).

A server URL follows the ClickPesa base-URL rule: https:// anywhere, http:// only for a
loopback host (a server on the same computer, as in tests and training).
"""

from __future__ import annotations

import configparser
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pos_app import paths
from pos_app.clickpesa.api import BadBaseUrl, normalise_base_url

SECTION = "shop"
KEY = "server_url"


UNREADABLE = "the settings file cannot be read"


class BadServerUrl(ValueError):
    """The shop server's address cannot be used; the message says why."""


def normalise_server_url(url: str) -> str:
    raw = (url or "").strip()
    try:
        result = normalise_base_url(raw)
    except BadBaseUrl as exc:
        text = str(exc).replace("API address", "shop server address")
        raise BadServerUrl(text) from None
    if urlsplit(result).path not in ("", "/") and result.endswith("/api/v1"):
        result = result[: -len("/api/v1")]
    return result.rstrip("/")


def read_server_url(settings_path: Path | None = None) -> tuple[str | None, str | None]:
    """(url, problem): the configured URL, or None and why it cannot be used."""
    path = settings_path or paths.settings_file()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as exc:
        return None, f"{UNREADABLE} ({type(exc).__name__})"
    raw = parser.get(SECTION, KEY, fallback="").strip()
    if not raw and not parser.has_section(SECTION):
        # The window's Settings dialog rewrites settings.ini with its own section only
        # (pos_app.settings.save_settings): a joined till keeps its server in shop.json too.
        raw = load_state().server_url.strip()
    if not raw:
        return None, None
    try:
        return normalise_server_url(raw), None
    except BadServerUrl as exc:
        return None, f"setting [shop] server_url: {exc}"


def write_server_url(url: str | None, settings_path: Path | None = None) -> None:
    """Set (or with None remove) `[shop] server_url`, keeping every other section."""
    path = settings_path or paths.settings_file()
    parser = configparser.ConfigParser(interpolation=None)
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    header = ""
    for line in text.splitlines():  # keep the file's leading comment (configparser drops it)
        if not line.startswith("#"):
            break
        header += line + "\n"
    parser.read_string(text, source=str(path))
    if url is None:
        parser.remove_section(SECTION)
    else:
        if not parser.has_section(SECTION):
            parser.add_section(SECTION)
        parser.set(SECTION, KEY, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        if header:
            f.write(header)
        parser.write(f)
    os.replace(tmp, path)


@dataclass
class ShopState:
    till_name: str = ""
    server_url: str = ""
    joined_at: str = ""
    last_sync_at: str = ""  # the last time the server acknowledged a batch
    last_attempt_at: str = ""  # the last time the sender tried
    last_error: str = ""  # why the last try failed ("" when it worked)
    revoked: bool = False


def state_file() -> Path:
    return paths.data_dir() / "shop.json"


def load_state(path: Path | None = None) -> ShopState:
    path = path or state_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ShopState()
    known = {k: v for k, v in data.items() if k in ShopState.__dataclass_fields__}
    return ShopState(**known)


def save_state(state: ShopState, path: Path | None = None) -> None:
    path = path or state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(asdict(state), indent=1), encoding="utf-8")
    os.replace(tmp, path)


def clear_state(path: Path | None = None) -> None:
    try:
        (path or state_file()).unlink()
    except FileNotFoundError:
        pass
