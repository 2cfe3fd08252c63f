"""`pos-app --smoke-test`: prove a build works — window, keyring, TLS trust, translations."""

from __future__ import annotations

from typing import Any


def run_smoke_checks(app: Any, window: Any) -> int:
    from pos_app.clickpesa.gateway import tls_context
    from pos_app.credentials import KeyringUnavailable, describe, usable_backend

    failures = 0
    app.processEvents()
    print(f"window: {window.windowTitle()!r} shown")
    try:
        print(f"keyring: {describe(usable_backend())}")
    except KeyringUnavailable as exc:
        print(f"keyring: NONE ({exc})")
    try:
        tls_context()
        print("tls: CA bundle loads")
    except Exception as exc:  # noqa: BLE001
        print(f"tls: FAILED ({exc})")
        failures += 1
    window.close()
    return 1 if failures else 0
