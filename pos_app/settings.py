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
PAPERS = ("58mm", "80mm", "A4")
DEFAULT_PAGE_LIMIT = 50  # ClickPesa documents no largest page; see clickpesa.api
MAX_PAGE_LIMIT = 500
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    till_name: str = "Till 1"
    min_amount: int = DEFAULT_MIN_TZS
    max_amount: int = DEFAULT_MAX_TZS
    patience_s: int = 120  # how long the till waits for the customer's PIN before asking
    checksum_mode: ChecksumMode = ChecksumMode.OFF
    language: str = "en"
    # Receipts (payment confirmations) and closing the day.
    shop_name: str = ""
    header_line_1: str = ""  # address, phone, TIN… (up to three lines under the shop name)
    header_line_2: str = ""
    header_line_3: str = ""
    printer: str = ""  # the operating system's printer by name; "" = its default printer
    paper: str = "80mm"  # 58mm, 80mm or A4
    auto_print: bool = False  # print the confirmation as soon as a payment is Paid
    escpos_address: str = ""  # host:port of a network ESC/POS printer; set: used instead
    reconcile_page_limit: int = DEFAULT_PAGE_LIMIT  # payments per page asked of ClickPesa
    reconcile_at_shift_close: bool = False

    @property
    def header_lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.header_line_1, self.header_line_2,
                                       self.header_line_3) if line.strip())


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
    for key in ("shop_name", "header_line_1", "header_line_2", "header_line_3", "printer"):
        if key in sec:
            values[key] = " ".join(sec[key].split())[:60]
    if "paper" in sec:
        paper = sec["paper"].strip()
        match = {p.lower(): p for p in PAPERS}.get(paper.lower())
        if match:
            values["paper"] = match
        else:
            problems.append(Problem(QT_TRANSLATE_NOOP(
                "Messages", "Setting 'paper' = '{value}' is not one of {choices}; using 80mm."),
                value=paper, choices=", ".join(PAPERS)))
    for key in ("auto_print", "reconcile_at_shift_close"):
        if key in sec:
            flag = sec[key].strip().lower()
            if flag in _TRUE or flag in _FALSE:
                values[key] = flag in _TRUE
            else:
                problems.append(Problem(QT_TRANSLATE_NOOP(
                    "Messages", "Setting '{name}' = '{value}' must be yes or no; using no."),
                    name=key, value=sec[key]))
    if "escpos_address" in sec:
        address = sec["escpos_address"].strip()
        if not address or printer_address(address) is not None:
            values["escpos_address"] = address
        else:
            problems.append(Problem(QT_TRANSLATE_NOOP(
                "Messages", "Setting 'escpos_address' = '{value}' is not a printer address "
                            "like 192.168.1.50:9100; receipts use the system printer."),
                value=address))
    if "reconcile_page_limit" in sec:
        v = _int(sec["reconcile_page_limit"], "reconcile_page_limit", 1, MAX_PAGE_LIMIT,
                 problems)
        if v is not None:
            values["reconcile_page_limit"] = v
    s = replace(s, **values)  # type: ignore[arg-type]
    if s.min_amount > s.max_amount:
        problems.append(Problem(QT_TRANSLATE_NOOP(
            "Messages", "min_amount ({low}) is above max_amount ({high}); using the defaults "
                        "for both."), low=f"{s.min_amount:,}", high=f"{s.max_amount:,}"))
        s = replace(s, min_amount=DEFAULT_MIN_TZS, max_amount=DEFAULT_MAX_TZS)
    return s, problems


def printer_address(text: str) -> tuple[str, int] | None:
    """'192.168.1.50:9100' -> ('192.168.1.50', 9100); a bare host gets port 9100; IPv6 in
    brackets ('[fe80::1]:9100'). None when it is not an address."""
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return None
    host, port = text, "9100"
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        host, rest = text[1:end], text[end + 1:]
        if rest:
            if not rest.startswith(":"):
                return None
            port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host, int(port)


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
    """Write the [till] section; every other section of the file (e.g. [shop], written by
    `pos-app shop join`) is kept as it was."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        parser = configparser.ConfigParser(interpolation=None)  # unreadable: start afresh
    if parser.has_section(SECTION):
        parser.remove_section(SECTION)
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
