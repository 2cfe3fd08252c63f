"""Fixed-width text for thermal paper (32 columns on 58 mm, 48 on 80 mm) and the terminal.

Reports and receipts lay out lines the same way: wrap at spaces, cut a word longer than the line
(an id) instead of overflowing, label left and figure right. Translated templates are filled in
here too, falling back to the English when a translation mangled a `{placeholder}`, so a bad
catalogue entry never stops a slip from printing.
"""

from __future__ import annotations

from typing import Any


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters; an empty text gives no lines."""
    out: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                out.append(line)
                line = ""
            out.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    return out


def centred(text: str, width: int) -> list[str]:
    return [line.center(width).rstrip() for line in wrap(text, width)]


def pair(left: str, right: str, width: int) -> list[str]:
    """'Amount        TZS 5,000' on one line, or left then right-aligned right when too long."""
    if len(left) + 1 + len(right) <= width:
        return [left + right.rjust(width - len(left))]
    return [*wrap(left, width), *(line.rjust(width) for line in wrap(right, width))]


def fill(translated: str, english: str, **values: Any) -> str:
    """`translated.format(**values)`, or the English template's when the translation is broken."""
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return english.format(**values)
