"""What the window shows about the sale in front of the cashier, as plain values.

The till core fills a `ChargeView`; the window only renders it (pos_app/ui/wording.py words
it). Nothing here knows Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.clickpesa.errors import (
    AuthFailed,
    ClickPesaError,
    CredentialsMissing,
    NotConnected,
    Reason,
    Rejected,
    Unavailable,
    Unclear,
)
from pos_app.journal.store import JournalError

if TYPE_CHECKING:
    from pos_app.domain.attempt import AttemptRecord, AttemptState
    from pos_app.domain.evidence import Mismatch
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import Phone
    from pos_app.till.follow import Attention


class Phase(enum.Enum):
    IDLE = "idle"
    GUARD = "guard"  # Enter found an earlier attempt for this number: nothing was sent
    SENDING = "sending"
    CONFIRMING = "confirming"  # the push's fate is unknown: asking ClickPesa whether it arrived
    WAITING = "waiting"  # the prompt is on the customer's phone
    NO_ANSWER = "no_answer"  # patience ran out; still unresolved
    PAID = "paid"
    FAILED = "failed"  # ClickPesa says the payment failed
    NOT_SENT = "not_sent"  # nothing was charged: refused, offline, or proven never created
    ATTENTION = "attention"  # a person must look (mismatch, ON-HOLD, 409, paid after failed…)

    @property
    def is_outcome(self) -> bool:
        return self in (Phase.PAID, Phase.FAILED, Phase.NOT_SENT, Phase.ATTENTION)


class Problem(enum.Enum):
    """Why a charge went wrong, as the cashier must act on it (worded by the UI)."""

    CREDENTIALS = "credentials"  # nothing stored / no keyring
    AUTH = "auth"  # ClickPesa refused the credentials or token
    REJECTED = "rejected"  # ClickPesa refused the payment request
    DUPLICATE = "duplicate"  # 409 on a fresh reference
    OFFLINE = "offline"  # no connection: nothing left this computer
    UNAVAILABLE = "unavailable"  # ClickPesa could not serve it; nothing was created
    NEVER_ARRIVED = "never_arrived"  # the push broke and ClickPesa proved it has no such payment
    UNCLEAR = "unclear"  # the push broke; whether it arrived is not known yet
    JOURNAL = "journal"  # the journal could not be written, so nothing was sent
    UNEXPECTED = "unexpected"


def problem_for(exc: BaseException | None) -> Problem:
    if exc is None:
        return Problem.NEVER_ARRIVED
    if isinstance(exc, CredentialsMissing):
        return Problem.CREDENTIALS
    if isinstance(exc, AuthFailed):
        return Problem.AUTH
    if isinstance(exc, Rejected):
        return (Problem.DUPLICATE if exc.code is Reason.DUPLICATE_REFERENCE
                or exc.status_code == 409 else Problem.REJECTED)
    if isinstance(exc, NotConnected):
        return Problem.OFFLINE
    if isinstance(exc, Unavailable):
        return Problem.UNAVAILABLE
    if isinstance(exc, Unclear):
        return Problem.UNCLEAR
    if isinstance(exc, JournalError):
        return Problem.JOURNAL
    return Problem.UNEXPECTED


def code_for(exc: BaseException | None) -> Reason:
    if isinstance(exc, ClickPesaError):
        return exc.code
    return Reason.UNEXPECTED


def reason_for(exc: BaseException) -> str:
    if isinstance(exc, ClickPesaError):
        return exc.reason
    if isinstance(exc, JournalError):  # its Problem, not str(exc): the window translates it
        return exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return f"{type(exc).__name__}"


@dataclass(frozen=True)
class ChargeView:
    """Everything the window shows about the current sale."""

    phase: Phase = Phase.IDLE
    reference: str = ""
    phone: Phone | None = None
    amount: Amount | None = None
    attempt_state: AttemptState | None = None
    channel: str = ""
    clickpesa_id: str = ""
    clickpesa_status: str = ""
    payment_reference: str = ""  # the mobile operator's transaction id
    message: str = ""  # ClickPesa's own words: why it failed, what the status means
    problem: Problem | None = None
    code: Reason | None = None  # the gateway's reason code for `problem`
    reason: str = ""
    status_code: int | None = None
    remaining_s: int | None = None
    patience_s: float = 0.0  # for the countdown's progress bar
    checking: bool = False
    checked_at: str = ""  # HH:MM of the last answer from ClickPesa
    trouble: Problem | None = None  # passing trouble while following (connection, 429…)
    trouble_reason: str = ""
    trouble_code: Reason | None = None
    attention: Attention | None = None  # why a person must look
    mismatch: Mismatch | None = None  # paid, but not this payment
    resumed: bool = False  # the sale was under way when the till stopped; back on screen
    earlier: AttemptRecord | None = None  # GUARD: the earlier attempt for this number
    earlier_checked: bool = False  # GUARD: "Check it now" answered (see `checked_at`)
    earlier_trouble: str = ""  # GUARD: that check could not reach ClickPesa (why)
