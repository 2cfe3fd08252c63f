"""What counts as proof: that a payment is *this* payment, and that a push was never created.

Two rules the till's money safety rests on, kept here (no Qt, no I/O) so that they are
tested hard and changed only on purpose:

1. **Paid means this payment.** A ClickPesa row makes an attempt paid only when its order
   reference, amount and currency match the attempt, and its payer's number too where the row
   names one. Anything else is a person's job (*Needs attention*), with the mismatch in words.

2. **"Never created" needs proof.** A push whose fate is unknown (timeout, reset, 5xx,
   unreadable reply, the till ending while it was in flight) may still be on its way into
   ClickPesa, or still being processed there, after the till stopped waiting for the reply.
   A 404 from the status endpoint proves nothing until that can no longer be the case.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

CURRENCY = "TZS"

# -- "never created" -----------------------------------------------------------------------

# The longest a push call may take, connect to last byte: the gateway's total deadline for
# the initiate call must not exceed it (a test pins the two together). A request can reach
# ClickPesa at any moment until then.
PUSH_DEADLINE_S = 30.0
# How long ClickPesa may still take to create a payment for a request it received at the
# last moment: not documented, so generous. A 404 asked for before
#     max(push started + PUSH_DEADLINE_S, push ended) + NEVER_CREATED_MARGIN_S
# proves nothing. With the deadline that is never less than a minute after the push call
# ended, and at least 90 s after it started.
NEVER_CREATED_MARGIN_S = 60.0
# The window is never shorter than this, whatever the constants above are changed to.
NEVER_CREATED_MIN_S = 60.0


def never_created_from(push_started: float, push_ended: float | None = None) -> float:
    """The earliest moment (same clock as the arguments) at which a 404 for this push proves
    ClickPesa never created it. `push_ended` is None when unknown (the till was killed or
    closed while the push was in flight): then only the deadline bounds it."""
    could_last_arrive = push_started + PUSH_DEADLINE_S
    if push_ended is not None:
        could_last_arrive = max(could_last_arrive, push_ended)
    margin = max(NEVER_CREATED_MARGIN_S, NEVER_CREATED_MIN_S)
    return could_last_arrive + margin


# A FAILED answer (and a proven "never created") is looked at once more this long after it:
# ClickPesa has been seen to turn FAILED into SUCCESS. Between one and two minutes.
SECOND_LOOK_AFTER_S = 90.0

# At the counter, a transient status error (5xx, garbage, timeout) never pushes the next
# check further than this: the customer is standing there. (A 429 still honours Retry-After.)
COUNTER_MAX_RETRY_S = 8.0

# Guarding the second push: a Paid attempt for the same number and amount this recent makes
# Enter show it instead of charging again.
RECENT_PAID_GUARD_S = 600.0


# -- "this payment" ------------------------------------------------------------------------


class MismatchKind(enum.Enum):
    REFERENCE = "reference"  # the row names no reference, or another one
    AMOUNT = "amount"  # a different amount arrived
    NO_AMOUNT = "no_amount"  # the row says paid but not how much
    CURRENCY = "currency"  # not TZS, or none
    PAYER = "payer"  # paid from another number than the one pushed to


@dataclass(frozen=True)
class Expected:
    order_reference: str
    amount_tzs: int
    phone: str  # 255 + 9 digits


@dataclass(frozen=True)
class Observed:
    """One ClickPesa row, as far as matching needs it (None: the row did not say)."""

    order_reference: str | None
    amount_tzs: int | None
    currency: str | None
    payer: str | None  # the number the row says paid, in whatever form it came


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    expected: str  # what the attempt has, for the sentence
    observed: str  # what ClickPesa says

    def sentence(self) -> str:
        """English, for the journal and the export (the window words it through tr())."""
        match self.kind:
            case MismatchKind.AMOUNT:
                return (f"ClickPesa says TZS {self.observed} arrived, not TZS {self.expected}.")
            case MismatchKind.NO_AMOUNT:
                return f"ClickPesa says paid but not how much (expected TZS {self.expected})."
            case MismatchKind.CURRENCY:
                return (f"ClickPesa says the money arrived in {self.observed or 'no currency'}, "
                        f"not {self.expected}.")
            case MismatchKind.PAYER:
                return (f"ClickPesa says it was paid from {self.observed}, not from "
                        f"{self.expected}.")
            case MismatchKind.REFERENCE:
                return (f"ClickPesa's payment names reference {self.observed or '(none)'}, not "
                        f"{self.expected}.")
        raise AssertionError(self.kind)  # pragma: no cover — every kind is worded above


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def payer_matches(expected_255: str, observed: str) -> bool:
    """Does the payer number ClickPesa names agree with the number pushed to?

    Accepts the usual forms (255…, +255 …, 0…, 9 digits). A masked number (digits hidden as
    `*`, `x` or `•`) agrees when every digit it shows is the same digit, counted from the end.
    """
    shown = observed.strip()
    if not shown:
        return True
    national = expected_255[3:]  # 9 digits
    if re.search(r"[*xX•#]", shown):
        tail = re.sub(r"[\s+\-()]", "", shown)
        full = "0" + national if tail.startswith("0") and len(tail) == 10 else "255" + national
        want = full[-len(tail):] if len(tail) <= len(full) else None
        if want is None or len(tail) < 3:
            return False
        return all(c == w for c, w in zip(tail, want, strict=True) if c.isdigit())
    digits = _digits(shown)
    if len(digits) == 12 and digits.startswith("255"):
        return digits[3:] == national
    if len(digits) == 10 and digits.startswith("0"):
        return digits[1:] == national
    if len(digits) == 9:
        return digits == national
    return False


def mismatch(expected: Expected, observed: Observed) -> Mismatch | None:
    """Why this row is not proof that *this* attempt was paid; None when it is."""
    from pos_app.domain.money import format_tzs

    if observed.order_reference != expected.order_reference:
        return Mismatch(MismatchKind.REFERENCE, expected.order_reference,
                        observed.order_reference or "")
    if observed.amount_tzs is None:
        return Mismatch(MismatchKind.NO_AMOUNT, format_tzs(expected.amount_tzs), "")
    if observed.amount_tzs != expected.amount_tzs:
        return Mismatch(MismatchKind.AMOUNT, format_tzs(expected.amount_tzs),
                        format_tzs(observed.amount_tzs))
    currency = (observed.currency or "").strip().upper()
    if currency != CURRENCY:
        return Mismatch(MismatchKind.CURRENCY, CURRENCY, currency)
    if observed.payer is not None and not payer_matches(expected.phone, observed.payer):
        return Mismatch(MismatchKind.PAYER, expected.phone, observed.payer.strip())
    return None
