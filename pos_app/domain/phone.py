"""Tanzanian mobile-wallet numbers: normalise what the cashier types, hint the network."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Network(enum.Enum):
    MPESA = "M-Pesa"
    MIXX = "Mixx by Yas"
    AIRTEL = "Airtel Money"
    HALOPESA = "HaloPesa"


# Two digits after 255 -> wallet. A hint only: numbers are portable since 2017, and
# ClickPesa's `channel` is the truth. TTCL (73) and Smile (66) have no ClickPesa wallet.
PREFIX_NETWORK: dict[str, Network] = {
    **dict.fromkeys(("74", "75", "76", "79"), Network.MPESA),
    **dict.fromkeys(("65", "67", "71", "77"), Network.MIXX),
    **dict.fromkeys(("68", "69", "78"), Network.AIRTEL),
    **dict.fromkeys(("61", "62"), Network.HALOPESA),
}
PREFIX_NO_WALLET = {"73": "TTCL", "66": "Smile"}


class PhoneProblem(enum.Enum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NOT_TANZANIAN = "not_tanzanian"
    NOT_MOBILE = "not_mobile"
    NO_WALLET = "no_wallet"  # a real mobile number on an operator ClickPesa cannot charge


@dataclass(frozen=True)
class PhoneError:
    problem: PhoneProblem
    operator: str | None = None


@dataclass(frozen=True)
class Phone:
    """A normalised Tanzanian mobile number: '255' + 9 digits, as ClickPesa wants it."""

    digits: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"255[0-9]{9}", self.digits):
            raise ValueError("a Phone is 255 followed by 9 digits")

    @property
    def network(self) -> Network | None:
        return PREFIX_NETWORK.get(self.digits[3:5])

    def display(self) -> str:
        """'255712345678' -> '+255 712 345 678' for people to read."""
        d = self.digits
        return f"+255 {d[3:6]} {d[6:9]} {d[9:]}"


_SEPARATORS = re.compile(r"[\s\-./()]")


def parse_phone(text: str) -> Phone | PhoneError:
    """Accept '0712 345 678', '712345678', '+255 712 345 678', '255712345678', '00255…'."""
    s = _SEPARATORS.sub("", text or "")
    if not s:
        return PhoneError(PhoneProblem.EMPTY)
    if s.startswith("00"):
        s = "+" + s[2:]
    if not re.fullmatch(r"\+?[0-9]+", s) or len(s) > 17:
        return PhoneError(PhoneProblem.NOT_A_NUMBER)
    if s.startswith("+"):
        candidate = s
    elif s.startswith("255") and len(s) == 12:
        candidate = "+" + s
    elif s.startswith("0"):
        candidate = s  # national form with trunk 0
    elif len(s) == 9:
        candidate = "0" + s
    else:
        return PhoneError(PhoneProblem.NOT_A_NUMBER)
    import phonenumbers  # here, not at the top: ~20 ms the window need not wait for

    try:
        parsed = phonenumbers.parse(candidate, "TZ")
    except phonenumbers.NumberParseException:
        return PhoneError(PhoneProblem.NOT_A_NUMBER)
    if parsed.country_code != 255:
        return PhoneError(PhoneProblem.NOT_TANZANIAN)
    national = str(parsed.national_number)
    if len(national) != 9:
        return PhoneError(PhoneProblem.NOT_A_NUMBER)
    prefix = national[:2]
    if prefix in PREFIX_NO_WALLET:
        return PhoneError(PhoneProblem.NO_WALLET, PREFIX_NO_WALLET[prefix])
    number_type = phonenumbers.number_type(parsed)
    mobile_types = (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if prefix not in PREFIX_NETWORK or number_type not in mobile_types:
        return PhoneError(PhoneProblem.NOT_MOBILE)
    return Phone("255" + national)
