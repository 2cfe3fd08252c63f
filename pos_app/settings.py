"""The till's non-secret settings, kept in an INI file in the user config directory.

A bad value never stops the till: it falls back to the default and the problem is reported
in words (in the window and by `pos-app check`).
"""

from __future__ import annotations

import configparser
import os
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from pos_app.clickpesa.api import DEFAULT_BASE_URL, BadBaseUrl, normalise_base_url
from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.domain.money import DEFAULT_MAX_TZS, DEFAULT_MIN_TZS
from pos_app.i18n import QT_TRANSLATE_NOOP

SECTION = "till"
LANGUAGES = ("en", "sw")


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    till_name: str = "Till 1"
    min_amount: int = DEFAULT_MIN_TZS
    max_amount: int = DEFAULT_MAX_TZS
    patience_s: int = 120  # how long the till waits for the customer's PIN before asking
    checksum_mode: ChecksumMode = ChecksumMode.OFF
    language: str = "en"


class Problem(str):
    """One problem with the settings, as an English sentence (what `pos-app check` prints);
    the window translates `template` and fills in `values` instead."""

    template: str
    values: dict[str, str]

    def __new__(cls, template: str, **values: object) -> Problem:
        texts = {k: _value(v) for k, v in values.items()}
        self = super().__new__(cls, template.format(**texts))
        self.template, self.values = template, texts
        return self


def _value(v: object) -> str:
    """A value as text; a Problem (or an exception carrying one) stays one, so that the window
    can translate it too."""
    if isinstance(v, BaseException) and v.args and isinstance(v.args[0], Problem):
        return v.args[0]
    return v if isinstance(v, Problem) else str(v)


def _int(raw: str, name: str, lo: int, hi: int, problems: list[str]) -> int | None:
    try:
        value = int(raw.strip().replace(",", "").replace("_", ""))
    except ValueError:
        problems.append(Problem(QT_TRANSLATE_NOOP(
            "Messages", "Setting '{name}' = '{value}' is not a whole number; using the default."),
            name=name, value=raw))
        return None
    if not lo <= value <= hi:
        problems.append(Problem(QT_TRANSLATE_NOOP(
            "Messages", "Setting '{name}' = {value} must be between {lo} and {hi}; using the "
                        "default."), name=name, value=value, lo=f"{lo:,}", hi=f"{hi:,}"))
        return None
    return value


def parse_settings(text: str, source: str = "settings file") -> tuple[Settings, list[str]]:
    problems: list[str] = []
    # Inline "; comments" after a value (a ";" after a space, as in the README's example)
    # are comments, not part of the value; save_settings never writes one into a value.
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",))
    try:
        parser.read_string(text, source=source)
    except configparser.Error as exc:
        return Settings(), [Problem(QT_TRANSLATE_NOOP(
            "Messages", "The settings file {source} cannot be read ({error}); using default "
                        "settings."), source=source, error=exc.__class__.__name__)]
    sec = parser[SECTION] if parser.has_section(SECTION) else {}
    s = Settings()
    values: dict[str, object] = {}
    if "base_url" in sec:
        try:
            values["base_url"] = normalise_base_url(sec["base_url"])
        except BadBaseUrl as exc:
            problems.append(Problem(QT_TRANSLATE_NOOP(
                "Messages", "Setting 'base_url': {reason} Using {default}."),
                reason=exc, default=DEFAULT_BASE_URL))
    if "till_name" in sec:
        name = sec["till_name"].strip()[:40]
        if name:
            values["till_name"] = name
    for key, lo, hi in (("min_amount", 1, 100_000_000), ("max_amount", 1, 100_000_000),
                        ("patience_s", 30, 900)):
        if key in sec:
            v = _int(sec[key], key, lo, hi, problems)
            if v is not None:
                values[key] = v
    if "checksum_mode" in sec:
        try:
            values["checksum_mode"] = ChecksumMode(sec["checksum_mode"].strip().lower())
        except ValueError:
            problems.append(Problem(QT_TRANSLATE_NOOP(
                "Messages", "Setting 'checksum_mode' = '{value}' must be off, canonical or "
                            "legacy; using off."), value=sec["checksum_mode"]))
    if "language" in sec:
        lang = sec["language"].strip().lower()
        if lang in LANGUAGES:
            values["language"] = lang
        else:
            problems.append(Problem(QT_TRANSLATE_NOOP(
                "Messages", "Setting 'language' = '{value}' is not one of {choices}; using en."),
                value=lang, choices=", ".join(LANGUAGES)))
    s = replace(s, **values)  # type: ignore[arg-type]
    if s.min_amount > s.max_amount:
        problems.append(Problem(QT_TRANSLATE_NOOP(
            "Messages", "min_amount ({low}) is above max_amount ({high}); using the defaults "
                        "for both."), low=f"{s.min_amount:,}", high=f"{s.max_amount:,}"))
        s = replace(s, min_amount=DEFAULT_MIN_TZS, max_amount=DEFAULT_MAX_TZS)
    return s, problems


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [Problem(QT_TRANSLATE_NOOP(
            "Messages", "The settings file {source} cannot be read ({error}); using default "
                        "settings."), source=path, error=exc)]
    return parse_settings(text, str(path))


def save_settings(settings: Settings, path: Path) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    data = asdict(settings)
    data["checksum_mode"] = settings.checksum_mode.value
    # " ;" would start an inline comment when read back: "Duka ; 2" is kept as "Duka; 2".
    parser[SECTION] = {k: re.sub(r"\s+;", ";", str(v)) for k, v in data.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("# Malipo POS settings. Secrets (API key, checksum key) are NOT kept here:\n"
                "# they live in the operating system's keyring.\n")
        parser.write(f)
    os.replace(tmp, path)
