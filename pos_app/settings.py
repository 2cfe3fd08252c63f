"""The till's non-secret settings, kept in an INI file in the user config directory.

A bad value never stops the till: it falls back to the default and the problem is reported
in words (in the window and by `pos-app check`).
"""

from __future__ import annotations

import configparser
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from pos_app.clickpesa.api import DEFAULT_BASE_URL, BadBaseUrl, normalise_base_url
from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.domain.money import DEFAULT_MAX_TZS, DEFAULT_MIN_TZS

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


def _int(raw: str, name: str, lo: int, hi: int, problems: list[str]) -> int | None:
    try:
        value = int(raw.strip().replace(",", "").replace("_", ""))
    except ValueError:
        problems.append(f"Setting '{name}' = '{raw}' is not a whole number; using the default.")
        return None
    if not lo <= value <= hi:
        problems.append(f"Setting '{name}' = {value} must be between {lo:,} and {hi:,}; "
                        "using the default.")
        return None
    return value


def parse_settings(text: str, source: str = "settings file") -> tuple[Settings, list[str]]:
    problems: list[str] = []
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=source)
    except configparser.Error as exc:
        return Settings(), [f"The {source} cannot be read ({exc.__class__.__name__}); "
                            "using default settings."]
    sec = parser[SECTION] if parser.has_section(SECTION) else {}
    s = Settings()
    values: dict[str, object] = {}
    if "base_url" in sec:
        try:
            values["base_url"] = normalise_base_url(sec["base_url"])
        except BadBaseUrl as exc:
            problems.append(f"Setting 'base_url': {exc} Using {DEFAULT_BASE_URL}.")
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
            problems.append(f"Setting 'checksum_mode' = '{sec['checksum_mode']}' must be off, "
                            "canonical or legacy; using off.")
    if "language" in sec:
        lang = sec["language"].strip().lower()
        if lang in LANGUAGES:
            values["language"] = lang
        else:
            problems.append(f"Setting 'language' = '{lang}' is not one of "
                            f"{', '.join(LANGUAGES)}; using en.")
    s = replace(s, **values)  # type: ignore[arg-type]
    if s.min_amount > s.max_amount:
        problems.append(f"min_amount ({s.min_amount:,}) is above max_amount "
                        f"({s.max_amount:,}); using the defaults for both.")
        s = replace(s, min_amount=DEFAULT_MIN_TZS, max_amount=DEFAULT_MAX_TZS)
    return s, problems


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"The settings file {path} cannot be read ({exc}); "
                            "using default settings."]
    return parse_settings(text, str(path))


def save_settings(settings: Settings, path: Path) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    data = asdict(settings)
    data["checksum_mode"] = settings.checksum_mode.value
    parser[SECTION] = {k: str(v) for k, v in data.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("# Malipo POS settings. Secrets (API key, checksum key) are NOT kept here:\n"
                "# they live in the operating system's keyring.\n")
        parser.write(f)
    os.replace(tmp, path)
