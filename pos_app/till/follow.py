"""Following one attempt: what a status answer means for it, decided in one place.

Both the sale in front of the cashier (`pos_app.till.sale`) and the background re-checker
(`pos_app.till.recheck`) ask ClickPesa about attempts; both go through `check_job`, which runs
on a worker, asks once, and lets `assess` decide — against the state the journal holds at that
moment, inside one journal transaction — what changes.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_app.clickpesa.errors import ClickPesaError
from pos_app.clickpesa.replies import PaymentStatus
from pos_app.domain.attempt import (
    AttemptRecord,
    AttemptState,
    IllegalTransition,
    Verdict,
    state_for_verdict,
)
from pos_app.domain.evidence import SECOND_LOOK_AFTER_S, Expected, Mismatch, mismatch
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.journal.store import KEEP, Change, Journal, JournalError
from pos_app.till.ports import PaymentGateway

log = logging.getLogger(__name__)

S = AttemptState


class Attention(enum.Enum):
    """Why an attempt needs a person (worded by the UI; the journal keeps the English)."""

    STATUS = "status"  # ON-HOLD, REFUNDED, REVERSED or a status nobody knows
    DISAGREE = "disagree"  # several rows that disagree about being paid
    MISMATCH = "mismatch"  # paid, but not this payment (amount, currency, payer, reference)
    PAID_AFTER_FAILED = "paid_after_failed"  # SUCCESS after ClickPesa had said FAILED
    FAILED_AFTER_PAID = "failed_after_paid"  # FAILED / REVERSED after ClickPesa had said paid
    APPEARED_AFTER_NOT_SENT = "appeared_after_not_sent"  # a payment after "never created"
    DUPLICATE = "duplicate"  # 409 on a fresh reference


NOT_SENT_MESSAGE = QT_TRANSLATE_NOOP("Messages", "Not sent: ClickPesa never received the request")
_ATTENTION_MESSAGE = {
    Attention.PAID_AFTER_FAILED: QT_TRANSLATE_NOOP(
        "Messages", "Paid after it was reported failed — check with the customer."),
    Attention.APPEARED_AFTER_NOT_SENT: QT_TRANSLATE_NOOP(
        "Messages", "ClickPesa shows this payment after it was reported not sent — check "
                    "with the customer."),
    Attention.DISAGREE: QT_TRANSLATE_NOOP(
        "Messages", "ClickPesa lists several payments for this reference that disagree."),
    Attention.FAILED_AFTER_PAID: QT_TRANSLATE_NOOP(
        "Messages", "ClickPesa now reports this paid payment as not paid — check with the "
                    "customer and in the ClickPesa dashboard."),
}


@dataclass(frozen=True)
class Assessment:
    state: AttemptState
    message: str | None = None  # for the journal (None: keep what it has)
    attention: Attention | None = None
    mismatch: Mismatch | None = None
    second_look: bool | None = None  # True: one more look due; False: none due; None: keep


def assess(record: AttemptRecord, status: PaymentStatus | None, *,
           never_created_proven: bool) -> Assessment:
    """What ClickPesa's answer (None: 404) means for the attempt as the journal holds it."""
    current = record.state
    if current is S.ATTENTION:
        # A person's job already: a later answer never quietly makes it paid or failed.
        return Assessment(S.ATTENTION)
    if status is None:
        if current in (S.NEW, S.UNCERTAIN):
            if never_created_proven:
                return Assessment(S.NOT_SENT, NOT_SENT_MESSAGE, second_look=True)
            return Assessment(current)  # the push may still be on its way in
        if current in (S.FAILED, S.NOT_SENT):
            return Assessment(current, second_look=False)  # nothing there: still no money
        return Assessment(current)  # PENDING / PAID: a lag at ClickPesa, not an answer
    row = status.row
    words = (row.message if row else "") or status.note
    verdict = status.verdict
    if verdict is Verdict.PAID and row is not None:
        wrong = mismatch(Expected(record.order_reference, record.amount_tzs, record.phone),
                         row.observed())
        if wrong is not None:
            return Assessment(S.ATTENTION, wrong.sentence(), Attention.MISMATCH, wrong,
                              second_look=False)
    if current in (S.FAILED, S.NOT_SENT):
        return _second_look(current, verdict, words)
    if current is S.PAID:
        if verdict in (Verdict.FAILED, Verdict.ATTENTION):
            # Never "failed" after paid: ClickPesa's later word (a failure, a reversal) is
            # for a person to look at.
            reason = Attention.FAILED_AFTER_PAID
            return Assessment(S.ATTENTION, _ATTENTION_MESSAGE[reason], reason)
        return Assessment(S.PAID)  # still paid, or waiting again: it stays paid
    new = state_for_verdict(verdict)
    if new is S.ATTENTION:
        reason = (Attention.DISAGREE if any(r.verdict is Verdict.PAID for r in status.rows)
                  else Attention.STATUS)
        return Assessment(S.ATTENTION, words or _ATTENTION_MESSAGE.get(reason), reason)
    if new is S.FAILED:
        return Assessment(S.FAILED, words, second_look=True)
    if new is S.PENDING and current is S.PENDING and not row:
        return Assessment(S.PENDING)
    return Assessment(new, words if row else None)


def second_look_time(now: datetime) -> str:
    """When a FAILED / NOT_SENT attempt decided `now` is due its one more look (ISO)."""
    return (now + timedelta(seconds=SECOND_LOOK_AFTER_S)).isoformat(timespec="seconds")


def _second_look(current: AttemptState, verdict: Verdict, words: str) -> Assessment:
    """A FAILED or NOT_SENT attempt looked at again."""
    if verdict is Verdict.FAILED:
        # Still failed (or it existed after all, and failed): still nothing was charged.
        return Assessment(current, second_look=False)
    if current is S.NOT_SENT:
        reason = Attention.APPEARED_AFTER_NOT_SENT
        return Assessment(S.ATTENTION, _ATTENTION_MESSAGE[reason], reason, second_look=False)
    if verdict is Verdict.PAID:
        reason = Attention.PAID_AFTER_FAILED
        return Assessment(S.ATTENTION, _ATTENTION_MESSAGE[reason], reason, second_look=False)
    # FAILED, then waiting or an odd status again: it may yet be paid.
    return Assessment(S.ATTENTION, words or "ClickPesa no longer reports this payment as "
                      "failed — check with the customer.", Attention.STATUS, second_look=False)


@dataclass(frozen=True)
class CheckOutcome:
    reference: str
    state: AttemptState  # as the journal holds it after the check (or before, on error)
    status: PaymentStatus | None = None
    error: BaseException | None = None
    record: AttemptRecord | None = None  # the journal's row after this check
    assessment: Assessment | None = None
    not_found: bool = False  # ClickPesa answered 404


def check_job(gateway: PaymentGateway, journal: Journal, reference: str, *,
              never_created_proven: Callable[[AttemptRecord], bool],
              wall_now: Callable[[], datetime]) -> CheckOutcome:
    """Worker thread: ask ClickPesa about `reference` once and journal what that means."""
    before = _record(journal, reference)
    known = before.state if before else S.UNCERTAIN
    try:
        status = gateway.status(reference)
    except ClickPesaError as exc:
        return CheckOutcome(reference, known, error=exc, record=before)
    decided: list[Assessment] = []

    def choose(record: AttemptRecord) -> Change | None:
        verdict = assess(record, status, never_created_proven=never_created_proven(record))
        decided.append(verdict)
        row = status.row if status else None
        look: object
        if verdict.second_look is True:
            look = second_look_time(wall_now())
        elif verdict.second_look is False:
            look = None
        else:
            look = KEEP
        detail = ("status 404" if status is None
                  else f"status {status.status or '(no rows)'}")
        if verdict.attention is not None:
            detail += f"; needs attention: {verdict.attention.value}"
        return Change(verdict.state,
                      channel=row.channel if row else None,
                      clickpesa_id=row.clickpesa_id if row else None,
                      message=verdict.message,
                      payment_reference=(row.payment_reference if row and verdict.state is S.PAID
                                         else None),
                      detail=detail, second_look_at=look)

    try:
        record = journal.decide(reference, choose)
    except (JournalError, IllegalTransition) as exc:
        log.error("journal: recording the check of %s failed: %s", reference, exc)
        return CheckOutcome(reference, known, status, record=_record(journal, reference),
                            assessment=decided[-1] if decided else None,
                            not_found=status is None)
    return CheckOutcome(reference, record.state, status, record=record,
                        assessment=decided[-1] if decided else None, not_found=status is None)


def _record(journal: Journal, reference: str) -> AttemptRecord | None:
    try:
        return journal.get(reference)
    except JournalError:
        return None
