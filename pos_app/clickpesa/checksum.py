"""ClickPesa payload checksums (HMAC-SHA256), canonical and legacy, as in the API notes §6."""

from __future__ import annotations

import enum
import json
from typing import Any


class ChecksumMode(enum.Enum):
    OFF = "off"
    CANONICAL = "canonical"
    LEGACY = "legacy"


_EXCLUDED = ("checksum", "checksumMethod")


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _hmac_sha256(key: str, message: str) -> str:
    # Imported here: hashlib loads OpenSSL (~4 MB), and the settings (which only need
    # ChecksumMode) are read before the window first paints.
    import hashlib
    import hmac

    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def canonical_checksum(payload: dict[str, Any], key: str) -> str:
    body = {k: v for k, v in payload.items() if k not in _EXCLUDED}
    message = json.dumps(_canonical(body), separators=(",", ":"), ensure_ascii=False)
    return _hmac_sha256(key, message)


def legacy_checksum(payload: dict[str, Any], key: str) -> str:
    body = {k: v for k, v in payload.items() if k not in _EXCLUDED}
    message = "".join(str(body[k]) for k in sorted(body))
    return _hmac_sha256(key, message)


def sign(payload: dict[str, Any], mode: ChecksumMode, key: str | None) -> dict[str, Any]:
    """Return the payload with its `checksum` field added when the mode asks for one."""
    if mode is ChecksumMode.OFF:
        return dict(payload)
    if not key:
        raise ValueError("checksum is enabled but no checksum key is stored")
    fn = canonical_checksum if mode is ChecksumMode.CANONICAL else legacy_checksum
    return {**payload, "checksum": fn(payload, key)}
