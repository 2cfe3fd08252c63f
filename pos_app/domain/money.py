"""Amounts in whole Tanzanian shillings, parsed from what a cashier types."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

DEFAULT_MIN_TZS = 100
DEFAULT_MAX_TZS = 5_000_000


class AmountProblem(enum.Enum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    FRACTIONAL = "fractional"
    NOT_POSITIVE = "not_positive"
    BELOW_MIN = "below_min"
    ABOVE_MAX = "above_max"


@dataclass(frozen=True)
class AmountError:
    problem: AmountProblem
    limit: int | None = None  # the min or max that was crossed


@dataclass(frozen=True, order=True)
class Amount:
    tzs: int

    def __post_init__(self) -> None:
        if not isinstance(self.tzs, int) or isinstance(self.tzs, bool) or self.tzs <= 0:
            raise ValueError("an Amount is a positive whole number of shillings")

    def as_api_string(self) -> str:
        return str(self.tzs)

    def formatted(self) -> str:
        return format_tzs(self.tzs)


def format_tzs(tzs: int) -> str:
    """5000 -> '5,000' (the separator Tanzanian receipts use)."""
    return f"{tzs:,}"


_CURRENCY = re.compile(r"^(tzs|tsh|tsh\.|sh|/=)|(tzs|tsh|/=|/-)$", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}([, '\u00a0\u202f][0-9]{3})+$")


def parse_amount(
    text: str, *, minimum: int = DEFAULT_MIN_TZS, maximum: int = DEFAULT_MAX_TZS
) -> Amount | AmountError:
    """Read an amount typed by the cashier: '5000', '5,000', '5 000', 'TZS 5,000', '5,000.00'.

    A fraction of zeros is accepted (spreadsheets and receipts write '5,000.00'); a non-zero one
    is refused, never rounded: the customer is charged exactly what was typed."""
    s = (text or "").strip()
    # Strip a currency word before or after the number, repeatedly ("TZS 5,000/=").
    for _ in range(2):
        s = _CURRENCY.sub("", s).strip()
    if not s:
        return AmountError(AmountProblem.EMPTY)
    negative = s.startswith("-") or s.startswith("−")
    if negative or s.startswith("+"):
        s = s[1:].strip()
    if "." in s:
        whole, _, frac = s.partition(".")
        if not (whole.replace(",", "").replace(" ", "").isdigit() and frac.isascii()
                and frac.isdigit()):
            return AmountError(AmountProblem.NOT_A_NUMBER)
        if frac.strip("0"):  # "5000.50": shillings have no cents at the counter
            return AmountError(AmountProblem.FRACTIONAL)
        s = whole  # "5000.00" and "5,000.00" are 5000
    if _GROUPED.match(s):
        digits = re.sub(r"[^0-9]", "", s)
    elif s.isascii() and s.isdigit():
        digits = s
    else:
        return AmountError(AmountProblem.NOT_A_NUMBER)
    if len(digits) > 15:
        return AmountError(AmountProblem.ABOVE_MAX, maximum)
    value = int(digits)
    if negative or value == 0:
        return AmountError(AmountProblem.NOT_POSITIVE)
    if value < minimum:
        return AmountError(AmountProblem.BELOW_MIN, minimum)
    if value > maximum:
        return AmountError(AmountProblem.ABOVE_MAX, maximum)
    return Amount(value)
