"""Counter safety (issue 8): never "paid" for the wrong payment, never "not sent" too early,
no sale lost on a restart, no customer charged twice by accident.

Till-core tests on the simulator with a manual clock and a wall clock that moves with it;
the cashier's side of the same cases is driven through the real window at the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from pos_app.clickpesa.simulator import CustomerOutcome, Fault, SimPayment
from pos_app.domain.attempt import AttemptState
from pos_app.domain.evidence import (
    COUNTER_MAX_RETRY_S,
    NEVER_CREATED_MARGIN_S,
    PUSH_DEADLINE_S,
    RECENT_PAID_GUARD_S,
    SECOND_LOOK_AFTER_S,
    Expected,
    MismatchKind,
    Observed,
    mismatch,
    never_created_from,
    payer_matches,
)
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.journal.export import write_csv
from pos_app.till.charge import Phase, Till
from pos_app.till.fakes import InlineRunner
from pos_app.till.follow import Attention

S = AttemptState


def phone(last: int, prefix: str = "071234567"):
    return parse_phone(f"{prefix}{last}")


@pytest.fixture
def wall(scheduler):
    start, t0 = datetime.now().astimezone(), scheduler.now()
    return lambda: start + timedelta(seconds=scheduler.now() - t0)


@pytest.fixture
def till(gateway, journal, scheduler, wall):
    seen: list = []
    t = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall,
             on_background=lambda changed, unresolved: seen.append((changed, unresolved)))
    t.seen = seen  # type: ignore[attr-defined]
    yield t
    t.shutdown()


def _row(ref: str, status: str = "SUCCESS", amount: object = 5000, currency: object = "TZS",
         payer: object = "255712345671", **extra: object) -> dict:
    row = {"id": "CP1", "status": status, "orderReference": ref, "collectedAmount": amount,
           "collectedCurrency": currency, "paymentPhoneNumber": payer, "message": "",
           "paymentReference": "MPX1", "updatedAt": "2026-12-01T10:00:05Z",
           "createdAt": "2026-12-01T10:00:00Z"}
    row.update(extra)
    return {k: v for k, v in row.items() if v is not None}


def _export_status(journal, ref: str) -> str:
    import csv
    import io

    buf = io.StringIO()
    write_csv(journal.attempts(), buf)
    rows = {r["order_reference"]: r for r in csv.DictReader(io.StringIO(buf.getvalue()))}
    return rows[ref]["status"]


# -- the rules, pinned ----------------------------------------------------------------------


def test_money_constants_are_pinned():
    assert PUSH_DEADLINE_S == 30.0
    assert NEVER_CREATED_MARGIN_S == 60.0
    assert SECOND_LOOK_AFTER_S == 90.0 and 60.0 <= SECOND_LOOK_AFTER_S <= 120.0
    assert COUNTER_MAX_RETRY_S == 8.0
    assert RECENT_PAID_GUARD_S == 600.0


def test_never_created_window_runs_from_when_the_push_could_last_arrive():
    # Quick push: from its start, the deadline, then the margin.
    assert never_created_from(100.0, 101.0) == 100.0 + 30.0 + 60.0
    # A push that took longer than its deadline: from its end.
    assert never_created_from(100.0, 150.0) == 150.0 + 60.0
    # Unknown end (killed in flight): only the deadline bounds it.
    assert never_created_from(100.0, None) == 190.0
    # Never less than a minute after the push ended, whatever it was.
    for ended in (100.0, 129.0, 131.0, 500.0):
        assert never_created_from(100.0, ended) - ended >= 60.0


def test_gateway_deadline_fits_inside_the_never_created_window():
    from pos_app.clickpesa import gateway

    deadlines = [v for k, v in vars(gateway).items() if "DEADLINE" in k
                 and isinstance(v, (int, float))]
    assert deadlines, "the gateway names its call deadline"
    assert max(deadlines) <= PUSH_DEADLINE_S


@pytest.mark.parametrize(("observed", "kind"), [
    (Observed("R1", 5000, "TZS", "255712345671"), None),
    (Observed("R1", 5000, "tzs", "+255 712 345 671"), None),
    (Observed("R1", 5000, "TZS", "0712345671"), None),
    (Observed("R1", 5000, "TZS", None), None),  # no payer named: not a mismatch
    (Observed("R1", 100, "TZS", "255712345671"), MismatchKind.AMOUNT),
    (Observed("R1", None, "TZS", "255712345671"), MismatchKind.NO_AMOUNT),
    (Observed("R1", 5000, "USD", "255712345671"), MismatchKind.CURRENCY),
    (Observed("R1", 5000, None, "255712345671"), MismatchKind.CURRENCY),
    (Observed("R1", 5000, "TZS", "255754000000"), MismatchKind.PAYER),
    (Observed("R2", 5000, "TZS", "255712345671"), MismatchKind.REFERENCE),
    (Observed(None, 5000, "TZS", "255712345671"), MismatchKind.REFERENCE),
])
def test_paid_means_this_payment(observed, kind):
    found = mismatch(Expected("R1", 5000, "255712345671"), observed)
    assert (found.kind if found else None) is kind


def test_amount_mismatch_is_said_in_words():
    found = mismatch(Expected("R1", 5000, "255712345671"),
                     Observed("R1", 100, "TZS", "255712345671"))
    assert found is not None
    assert found.sentence() == "ClickPesa says TZS 100 arrived, not TZS 5,000."


@pytest.mark.parametrize(("shown", "ok"), [
    ("2557****5671", True), ("0712•••671", True), ("255712***671", True),
    ("2557****5672", False), ("**", False), ("", True), ("12345", False),
])
def test_masked_payer_numbers(shown, ok):
    assert payer_matches("255712345671", shown) is ok


# -- 1. paid for the wrong payment ------------------------------------------------------------


@pytest.mark.parametrize(("row", "words"), [
    ({"amount": 100}, "TZS 100 arrived, not TZS 5,000"),
    ({"payer": "255754999999"}, "paid from 255754999999"),
    ({"currency": "KES"}, "in KES"),
    ({"amount": None}, "not how much"),
])
def test_a_row_that_is_not_this_payment_needs_attention(till, sim, scheduler, journal,
                                                        row, words):
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    sim.inject("status", *[Fault(status=200, body=[_row(ref, **row)])] * 5)
    scheduler.advance(10)
    assert till.view.phase is Phase.ATTENTION
    assert till.view.attention is Attention.MISMATCH
    record = journal.get(ref)
    assert record.state is S.ATTENTION
    assert words in record.message
    assert _export_status(journal, ref) == "NEEDS_ATTENTION"


def test_a_matching_row_is_paid_and_keeps_the_operators_id(till, sim, scheduler, journal):
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    sim.inject("status", Fault(status=200, body=[_row(ref)]))
    scheduler.advance(10)
    assert till.view.phase is Phase.PAID
    assert journal.get(ref).payment_reference == "MPX1"


# -- 2. "not sent" needs proof ---------------------------------------------------------------


def _late_payment(sim, ref: str, digits: str, amount: int, now: float,
                  outcome: CustomerOutcome) -> None:
    sim.payments[ref] = SimPayment("SIMLATE", ref, digits, amount, "M-PESA", now, outcome,
                                   datetime.now().astimezone())


def test_slow_push_created_after_the_till_gave_up_is_followed_not_declared_unsent(
        till, sim, scheduler, journal):
    sim.inject("initiate", Fault(error=httpx.ReadTimeout))  # ClickPesa still working on it
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    assert till.view.phase is Phase.CONFIRMING
    for _ in range(80):  # 404 after 404 for 80 s: still "checking", never "not sent"
        scheduler.advance(1)
        assert till.view.phase is Phase.CONFIRMING, till.view
        assert journal.get(ref).state is S.UNCERTAIN
    # …and then ClickPesa creates it after all, and the customer pays.
    _late_payment(sim, ref, "255712345671", 5000, scheduler.now(),
                  CustomerOutcome("SUCCESS", 5, "Payment received"))
    scheduler.advance(15)
    assert till.view.phase is Phase.PAID
    assert sim.count("initiate") == 1


def test_not_sent_only_after_the_window_and_looked_at_once_more(till, sim, scheduler, journal):
    sim.inject("initiate", Fault(error=httpx.ReadTimeout))
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    t0 = scheduler.now()
    phases = []
    while till.view.phase is Phase.CONFIRMING:
        scheduler.advance(1)
        phases.append((scheduler.now() - t0, till.view.phase))
    at = phases[-1][0]
    assert till.view.phase is Phase.NOT_SENT
    assert at >= PUSH_DEADLINE_S + NEVER_CREATED_MARGIN_S
    record = journal.get(ref)
    assert record.state is S.NOT_SENT and record.second_look_at is not None
    # The one more look: ClickPesa still has nothing; the look is done and not repeated.
    before = sim.count("status")
    till.new_sale()
    scheduler.advance(SECOND_LOOK_AFTER_S + 5)
    assert sim.count("status") == before + 1
    assert journal.get(ref).second_look_at is None
    assert journal.get(ref).state is S.NOT_SENT


def test_not_sent_that_appears_later_needs_attention(till, sim, scheduler, journal):
    sim.inject("initiate", Fault(error=httpx.ReadTimeout))
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    scheduler.advance(100)
    assert till.view.phase is Phase.NOT_SENT
    till.new_sale()
    _late_payment(sim, ref, "255712345671", 5000, scheduler.now(),
                  CustomerOutcome("SUCCESS", 0, "Payment received"))
    scheduler.advance(SECOND_LOOK_AFTER_S + 5)
    record = journal.get(ref)
    assert record.state is S.ATTENTION
    assert "after it was reported not sent" in record.message
    assert any(c is not None and c.order_reference == ref for c, _ in till.seen)


# -- 3. final is final only when ClickPesa stays final ----------------------------------------


def test_failed_then_success_becomes_needs_attention_never_paid(till, sim, scheduler, journal):
    till.charge(phone(6), Amount(5000))  # 6: fails after 10 s
    ref = till.view.reference
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    assert journal.get(ref).second_look_at is not None
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    till.new_sale()
    scheduler.advance(SECOND_LOOK_AFTER_S + 5)
    record = journal.get(ref)
    assert record.state is S.ATTENTION
    assert "paid after it was reported failed" in record.message.lower()
    assert _export_status(journal, ref) == "NEEDS_ATTENTION"


def test_failed_that_stays_failed_is_looked_at_exactly_once(till, sim, scheduler, journal):
    till.charge(phone(6), Amount(5000))
    ref = till.view.reference
    scheduler.advance(15)
    till.new_sale()
    before = sim.count("status")
    scheduler.advance(1000)
    assert sim.count("status") == before + 1
    assert journal.get(ref).state is S.FAILED and journal.get(ref).second_look_at is None


# -- 4. resume the interrupted sale ------------------------------------------------------------


def _left_by_a_killed_till(journal, wall, state: AttemptState, age_s: float,
                           digits: str = "255712345671", ref: str = "MKILLED0000000000001"):
    journal._now = lambda: wall() - timedelta(seconds=age_s)
    journal.record_new(ref, phone=digits, amount_tzs=5000)
    if state is not S.NEW:
        journal.transition(ref, state)
    journal._now = wall
    return ref


def test_restart_during_the_pin_brings_the_sale_back_on_screen(gateway, journal, scheduler,
                                                               wall, sim):
    ref = _left_by_a_killed_till(journal, wall, S.PENDING, 20)
    _late_payment(sim, ref, "255712345671", 5000, scheduler.now() - 20,
                  CustomerOutcome("SUCCESS", 25, "Payment received"))
    views = []
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall,
                on_view=views.append)
    till.start()
    assert till.view.phase is Phase.WAITING and till.view.resumed
    assert till.view.reference == ref and till.view.amount == Amount(5000)
    assert till.view.remaining_s == 100  # counted from the original push
    assert sim.count("status") == 1  # followed at once, not two minutes later
    scheduler.advance(8)
    assert till.view.phase is Phase.PAID
    assert sim.count("initiate") == 0
    till.shutdown()


def test_restart_after_a_kill_during_the_push_treats_it_as_sending(gateway, journal, scheduler,
                                                                   wall, sim):
    ref = _left_by_a_killed_till(journal, wall, S.NEW, 5)  # pushed or not: nobody knows
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    assert till.view.phase is Phase.CONFIRMING and till.view.resumed
    scheduler.advance(60)  # 65 s after the push: 404s still prove nothing
    assert journal.get(ref).state is S.NEW
    assert till.view.phase is Phase.CONFIRMING
    scheduler.advance(40)
    assert journal.get(ref).state is S.NOT_SENT
    till.shutdown()


def test_an_old_unresolved_attempt_stays_in_the_background(gateway, journal, scheduler, wall):
    _left_by_a_killed_till(journal, wall, S.PENDING, 600)
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    assert till.view.phase is Phase.IDLE
    assert [r.order_reference for r in till.unresolved()] == ["MKILLED0000000000001"]
    till.shutdown()


# -- 5. guard the second push ------------------------------------------------------------------


def test_retyped_number_after_stop_waiting_sends_nothing(till, sim, scheduler, journal):
    till.charge(phone(8), Amount(5000))  # 8: never answers
    first = till.view.reference
    scheduler.advance(121)
    assert till.stop_waiting()
    assert [r.order_reference for r in till.unresolved()] == [first]  # listed at once
    assert till.charge(phone(8), Amount(5000))
    assert till.view.phase is Phase.GUARD
    assert till.view.earlier.order_reference == first
    assert sim.count("initiate") == 1  # nothing sent
    before = sim.count("status")
    assert till.guard_enter()  # Enter: "Check it now"
    assert sim.count("status") == before + 1
    assert till.view.phase is Phase.GUARD and till.view.earlier_checked
    assert till.guard_enter()  # still unresolved: Enter checks again, never pushes
    assert sim.count("initiate") == 1
    assert till.charge_anyway()  # the deliberate act
    assert sim.count("initiate") == 2
    second = till.view.reference
    assert second != first
    details = [d for _, _, _, d in journal.transitions(second)]
    assert any("Charge anyway" in d and first in d for d in details)


def test_guard_lifts_when_the_check_shows_no_money_was_taken(till, sim, scheduler, journal):
    till.charge(phone(8), Amount(5000))
    first = till.view.reference
    scheduler.advance(121)
    till.stop_waiting()
    sim.payments[first].outcome = CustomerOutcome("FAILED", 0, "Insufficient balance")
    till.charge(phone(8), Amount(5000))
    till.guard_enter()
    assert till.view.earlier.state is S.FAILED
    assert till.guard_enter()  # now Enter charges
    assert sim.count("initiate") == 2
    assert till.view.phase is Phase.WAITING


def test_paid_same_amount_recently_is_guarded_other_amounts_and_later_are_not(
        till, sim, scheduler, journal):
    till.charge(phone(1), Amount(5000))
    scheduler.advance(15)
    assert till.view.phase is Phase.PAID
    till.new_sale()
    assert till.charge(phone(1), Amount(5000)) and till.view.phase is Phase.GUARD
    assert till.cancel_guard()
    assert till.charge(phone(1), Amount(2000)) and till.view.phase is Phase.WAITING
    scheduler.advance(15)
    till.new_sale()
    scheduler.advance(RECENT_PAID_GUARD_S)
    assert till.charge(phone(1), Amount(5000)) and till.view.phase is Phase.WAITING
    assert sim.count("initiate") == 3


# -- 6. every screen can be left; the counter never waits long -------------------------------


def test_transient_errors_at_the_counter_never_push_the_next_check_past_8_s(
        till, sim, scheduler):
    till.charge(phone(8), Amount(5000))
    sim.inject("status", *[Fault(status=500, body={"message": "oops"})] * 30)
    times = []
    start = sim.count("status")
    for _ in range(100):
        scheduler.advance(1)
        if sim.count("status") > start + len(times):
            times.append(scheduler.now())
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps and max(gaps) <= COUNTER_MAX_RETRY_S + 1


def test_429_at_the_counter_still_honours_retry_after(till, sim, scheduler):
    till.charge(phone(8), Amount(5000))
    scheduler.advance(8)
    sim.inject("status", Fault(status=429, body={"message": "slow down"},
                               headers={"Retry-After": "30"}))
    n = sim.count("status")
    scheduler.advance(3)  # the 429
    assert sim.count("status") == n + 1
    scheduler.advance(25)
    assert sim.count("status") == n + 1  # waits the 30 s it was asked to
    scheduler.advance(6)
    assert sim.count("status") == n + 2


def test_failed_left_on_screen_still_gets_its_second_look_and_the_screen_changes(
        till, sim, scheduler, journal):
    """The cashier leaves *Failed* on screen (the customer is still there): the one more look
    still happens, and when ClickPesa now says paid the screen turns to Needs attention."""
    till.charge(phone(6), Amount(5000))  # 6: fails after 10 s
    ref = till.view.reference
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    calls = sim.count("status")
    scheduler.advance(SECOND_LOOK_AFTER_S + 5)
    assert sim.count("status") == calls + 1  # exactly one more look
    assert journal.get(ref).state is S.ATTENTION
    assert till.view.phase is Phase.ATTENTION
    assert till.view.attention is Attention.PAID_AFTER_FAILED
    reads = till.runner.jobs
    scheduler.advance(600)
    assert till.runner.jobs - reads < 20  # and no busy loop of journal reads meanwhile
