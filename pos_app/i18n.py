"""Marking English sentences made outside Qt (gateway, replies, keyring) for translation.

The domain and the gateway stay free of Qt: they mark their fixed sentences with
`QT_TRANSLATE_NOOP("Messages", "…")` — a no-op here, but the name `pyside6-lupdate` looks for —
and the window translates them when it shows them (`pos_app.ui.wording.translated`).
"""

from __future__ import annotations

CONTEXT = "Messages"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name lupdate knows
    return text


# Qt's own words on the till's screens (the Settings dialog's Save and Cancel, a text field's
# right-click menu). Qt ships no Kiswahili catalogue of its own, so ours carries these under
# Qt's contexts, and the translator installed for the window answers Qt's widgets too.
QT_OWN_WORDS = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Undo"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Redo"),
    QT_TRANSLATE_NOOP("QLineEdit", "Cu&t"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Copy"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Paste"),
    QT_TRANSLATE_NOOP("QLineEdit", "Delete"),
    QT_TRANSLATE_NOOP("QLineEdit", "Select All"),
)
