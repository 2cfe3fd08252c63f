"""One charge attempt and the states it may pass through.

An attempt is born in the journal *before* its push is sent, and it only ever moves forward
along the transitions below. "Paid" and "failed" come only from ClickPesa's own status; the
till never concludes "failed" because a call broke or the customer took too long.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
        return _REPORT[self]


_FINAL = frozenset({AttemptState.PAID, AttemptState.FAILED, AttemptState.NOT_SENT,
                    AttemptState.ATTENTION})

_REPORT = {
    AttemptState.NEW: "UNRESOLVED",
    AttemptState.PENDING: "UNRESOLVED",
    AttemptState.UNCERTAIN: "UNRESOLVED",
    AttemptState.PAID: "PAID",
    AttemptState.FAILED: "FAILED",
    AttemptState.NOT_SENT: "FAILED",
    AttemptState.ATTENTION: "NEEDS_ATTENTION",
}

_S = AttemptState
ALLOWED: dict[AttemptState, frozenset[AttemptState]] = {
    _S.NEW: frozenset({_S.PENDING, _S.UNCERTAIN, _S.NOT_SENT, _S.PAID, _S.FAILED, _S.ATTENTION}),
    _S.PENDING: frozenset({_S.PENDING, _S.PAID, _S.FAILED, _S.ATTENTION}),
    _S.UNCERTAIN: frozenset({_S.UNCERTAIN, _S.PENDING, _S.PAID, _S.FAILED, _S.ATTENTION,
                             _S.NOT_SENT}),
    # A person may later see ClickPesa settle what was on hold: let a recheck record that.
    _S.ATTENTION: frozenset({_S.ATTENTION, _S.PAID, _S.FAILED}),
    _S.PAID: frozenset({_S.PAID}),
    _S.FAILED: frozenset({_S.FAILED}),
    _S.NOT_SENT: frozenset({_S.NOT_SENT}),
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


PAID_STATUSES = frozenset({"SUCCESS", "SETTLED"})
FAILED_STATUSES = frozenset({"FAILED"})
WAITING_STATUSES = frozenset({"PROCESSING", "PENDING"})
ATTENTION_STATUSES = frozenset({"ON-HOLD", "REFUNDED", "REVERSED"})


def verdict_for(status: str | None) -> Verdict:
    s = (status or "").strip().upper().replace("_", "-")
    if s in PAID_STATUSES:
        return Verdict.PAID
    if s in FAILED_STATUSES:
        return Verdict.FAILED
    if s in WAITING_STATUSES:
        return Verdict.WAITING
    return Verdict.ATTENTION  # ON-HOLD, REFUNDED, REVERSED and anything unknown


STATE_FOR_VERDICT = {
    Verdict.PAID: AttemptState.PAID,
    Verdict.FAILED: AttemptState.FAILED,
    Verdict.WAITING: AttemptState.PENDING,
    Verdict.ATTENTION: AttemptState.ATTENTION,
}


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
