"""One charge attempt and the states it may pass through.

An attempt is born in the journal *before* its push is sent, and it only ever moves forward
along the transitions below. "Paid" and "failed" come only from ClickPesa's own status; the
till never concludes "failed" because a call broke or the customer took too long.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import assert_never


class AttemptState(enum.Enum):
    NEW = "NEW"  # journalled; the push may or may not have left
    PENDING = "PENDING"  # ClickPesa accepted the push; waiting for the customer's PIN
    UNCERTAIN = "UNCERTAIN"  # the push call broke after it may have reached ClickPesa
    PAID = "PAID"
    FAILED = "FAILED"  # ClickPesa says the payment failed
    NOT_SENT = "NOT_SENT"  # ClickPesa never created it: nothing was charged
    ATTENTION = "ATTENTION"  # a status a person must look at (ON-HOLD, REVERSED, unknown, 409…)

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def is_unresolved(self) -> bool:
        """Still open: the till keeps checking it until ClickPesa gives a final word."""
        return self in (AttemptState.NEW, AttemptState.PENDING, AttemptState.UNCERTAIN)

    @property
    def report_status(self) -> str:
        """The till's final view, as the export and the shop owner see it."""
        return report_status(self)


_FINAL = frozenset({AttemptState.PAID, AttemptState.FAILED, AttemptState.NOT_SENT,
                    AttemptState.ATTENTION})


_S = AttemptState
ALLOWED: dict[AttemptState, frozenset[AttemptState]] = {
    _S.NEW: frozenset({_S.PENDING, _S.UNCERTAIN, _S.NOT_SENT, _S.PAID, _S.FAILED, _S.ATTENTION}),
    _S.PENDING: frozenset({_S.PENDING, _S.PAID, _S.FAILED, _S.ATTENTION}),
    _S.UNCERTAIN: frozenset({_S.UNCERTAIN, _S.PENDING, _S.PAID, _S.FAILED, _S.ATTENTION,
                             _S.NOT_SENT}),
    # A person may later see ClickPesa settle what was on hold: let a recheck record that.
    _S.ATTENTION: frozenset({_S.ATTENTION, _S.PAID, _S.FAILED}),
    # Paid is never "failed" afterwards; but a paid attempt ClickPesa later reports failed or
    # reversed (its webhook says so, the till asks once) needs a person.
    _S.PAID: frozenset({_S.PAID, _S.ATTENTION}),
    # FAILED and NOT_SENT are looked at once more later: if ClickPesa then shows the money
    # arrived (or the payment existed after all), a person must look — never silently PAID.
    _S.FAILED: frozenset({_S.FAILED, _S.ATTENTION}),
    _S.NOT_SENT: frozenset({_S.NOT_SENT, _S.ATTENTION}),
}


class IllegalTransition(Exception):
    def __init__(self, old: AttemptState, new: AttemptState) -> None:
        super().__init__(f"{old.value} -> {new.value} is not allowed")
        self.old, self.new = old, new


def check_transition(old: AttemptState, new: AttemptState) -> None:
    if new not in ALLOWED[old]:
        raise IllegalTransition(old, new)


class Verdict(enum.Enum):
    """What one ClickPesa payment status means for the till."""

    PAID = "paid"
    FAILED = "failed"
    WAITING = "waiting"
    ATTENTION = "attention"


class PaymentStatusCode(enum.Enum):
    """ClickPesa's payment status vocabulary (status endpoint and status page)."""

    SUCCESS = "SUCCESS"  # paid, not yet settled
    SETTLED = "SETTLED"  # paid and settled
    PROCESSING = "PROCESSING"
    PENDING = "PENDING"
    FAILED = "FAILED"
    ON_HOLD = "ON-HOLD"
    REFUNDED = "REFUNDED"
    REVERSED = "REVERSED"
    UNKNOWN = "UNKNOWN"  # anything else, or none at all

    @classmethod
    def parse(cls, status: str | None) -> PaymentStatusCode:
        s = (status or "").strip().upper().replace("_", "-").replace(" ", "-")
        try:
            code = cls(s)
        except ValueError:
            return cls.UNKNOWN
        return code


def verdict_of(code: PaymentStatusCode) -> Verdict:
    match code:
        case PaymentStatusCode.SUCCESS | PaymentStatusCode.SETTLED:
            return Verdict.PAID
        case PaymentStatusCode.FAILED:
            return Verdict.FAILED
        case PaymentStatusCode.PROCESSING | PaymentStatusCode.PENDING:
            return Verdict.WAITING
        case (PaymentStatusCode.ON_HOLD | PaymentStatusCode.REFUNDED
              | PaymentStatusCode.REVERSED | PaymentStatusCode.UNKNOWN):
            return Verdict.ATTENTION
        case _ as unreachable:
            assert_never(unreachable)


def verdict_for(status: str | None) -> Verdict:
    return verdict_of(PaymentStatusCode.parse(status))


def state_for_verdict(verdict: Verdict) -> AttemptState:
    match verdict:
        case Verdict.PAID:
            return AttemptState.PAID
        case Verdict.FAILED:
            return AttemptState.FAILED
        case Verdict.WAITING:
            return AttemptState.PENDING
        case Verdict.ATTENTION:
            return AttemptState.ATTENTION
        case _ as unreachable:
            assert_never(unreachable)


def report_status(state: AttemptState) -> str:
    match state:
        case AttemptState.NEW | AttemptState.PENDING | AttemptState.UNCERTAIN:
            return "UNRESOLVED"
        case AttemptState.PAID:
            return "PAID"
        case AttemptState.FAILED | AttemptState.NOT_SENT:
            return "FAILED"
        case AttemptState.ATTENTION:
            return "NEEDS_ATTENTION"
        case _ as unreachable:
            assert_never(unreachable)


@dataclass(frozen=True)
class AttemptRecord:
    """An attempt as the journal holds it."""

    order_reference: str
    mode: str  # "live" or "training"
    phone: str  # 255…
    amount_tzs: int
    network_hint: str
    state: AttemptState
    created_at: str  # ISO 8601 with offset
    updated_at: str
    channel: str = ""
    clickpesa_id: str = ""
    message: str = ""
    till_name: str = ""
    payment_reference: str = ""  # the mobile operator's transaction id, once paid
    second_look_at: str | None = None  # FAILED / NOT_SENT: one more look is due then (ISO)
    shift: str = ""  # the shift it was made in ("" when none was open)
    cashier: str = ""  # who was at the till ("" when no shift was open)
