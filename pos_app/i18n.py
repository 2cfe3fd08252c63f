"""Marking English sentences made outside Qt (gateway, replies, keyring) for translation.

The domain and the gateway stay free of Qt: they mark their fixed sentences with
`QT_TRANSLATE_NOOP("Messages", "…")` — a no-op here, but the name `pyside6-lupdate` looks for —
and the window translates them when it shows them (`pos_app.ui.wording.translated`).
"""

from __future__ import annotations

CONTEXT = "Messages"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name lupdate knows
    return text
