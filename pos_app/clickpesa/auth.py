"""The credentials a gateway signs in with — kept apart from gateway.py so that code which only
passes them around (the window, the wiring) does not import httpx at start-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    client_id: str
    api_key: str = field(repr=False)
    checksum_key: str | None = field(default=None, repr=False)


CredentialSource = Callable[[], Credentials]
