"""The charge lifecycle without Qt: inline runner, manual clock, simulated ClickPesa."""

from __future__ import annotations

import httpx
import pytest

from pos_app.clickpesa.simulator import Fault
from pos_app.domain.attempt import AttemptState
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.till.charge import Phase, Problem, Till
from pos_app.till.fakes import DeferredRunner, InlineRunner


@pytest.fixture
def till(gateway, journal, scheduler):
    views = []
    t = Till(gateway, journal, InlineRunner(), scheduler, patience_s=90,
             on_view=views.append)
    t.views = views  # type: ignore[attr-defined]
    yield t
    t.shutdown()


def phone(last: int):
    return parse_phone(f"071234567{last}")


def test_paid_after_customer_answers(till, sim, scheduler, journal):
    assert till.charge(phone(1), Amount(5000))
    assert till.view.phase is Phase.WAITING
    ref = till.view.reference
    assert journal.get(ref).state is AttemptState.PENDING
    scheduler.advance(11)
    assert till.view.phase is Phase.WAITING
    scheduler.advance(5)
    assert till.view.phase is Phase.PAID
    assert journal.get(ref).state is AttemptState.PAID
    assert sim.count("initiate") == 1
    assert sim.count("token") == 1


def test_failed_insufficient_balance(till, scheduler, journal):
    till.charge(phone(6), Amount(5000))
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    assert till.view.message == "Insufficient balance"
    assert journal.get(till.view.reference).state is AttemptState.FAILED


def test_no_answer_leaves_attempt_unresolved(till, scheduler, journal, sim):
    till.charge(phone(8), Amount(5000))
    ref = till.view.reference
    scheduler.advance(91)
    assert till.view.phase is Phase.NO_ANSWER
    polls = sim.count("status")
    scheduler.advance(60)
    assert sim.count("status") == polls  # no more automatic checks once it gave up
    assert till.stop_waiting()
    assert till.view.phase is Phase.IDLE
    assert journal.get(ref).state is AttemptState.PENDING
    assert [r.order_reference for r in journal.unresolved()] == [ref]


def test_push_timeout_reconciles_to_not_sent(till, sim, scheduler, journal):
    till.patience_s = 120  # the default: longer than the "never created" window
    sim.inject("initiate", Fault(error=httpx.ReadTimeout))
    till.charge(phone(1), Amount(5000))
    assert till.view.phase is Phase.CONFIRMING
    scheduler.advance(4)
    assert sim.count("status") == 1
    assert till.view.phase is Phase.CONFIRMING  # one early 404 proves nothing yet
    # 404s prove "never created" only NEVER_CREATED window after the push (90 s here).
    scheduler.advance(84)
    assert till.view.phase is Phase.CONFIRMING
    assert sim.count("status") > 10  # it kept asking meanwhile
    scheduler.advance(10)
    assert till.view.phase is Phase.NOT_SENT
    assert till.view.problem is Problem.NEVER_ARRIVED
    assert journal.get(till.view.reference).state is AttemptState.NOT_SENT
    assert sim.count("initiate") == 1


def test_push_timeout_after_server_acted_follows_payment(till, sim, scheduler, journal):
    sim.inject("initiate", Fault(error=httpx.ReadTimeout, after_acting=True))
    till.charge(phone(1), Amount(5000))
    assert till.view.phase is Phase.CONFIRMING
    scheduler.advance(4)
    assert till.view.phase is Phase.WAITING
    scheduler.advance(20)
    assert till.view.phase is Phase.PAID
    assert sim.count("initiate") == 1


def test_rate_limited_token_call_is_not_reported_as_never_arrived(till, sim, journal):
    sim.inject("token", Fault(status=429, body={"message": "Too many requests"}))
    till.charge(phone(1), Amount(5000))
    assert till.view.phase is Phase.NOT_SENT
    assert till.view.problem is Problem.UNAVAILABLE
    assert till.view.status_code == 429
    assert journal.recent() == []  # no attempt: the token step failed before any push
    assert sim.count("initiate") == 0


def test_reconciled_attempt_carries_clickpesas_words_not_the_broken_call(till, sim, scheduler,
                                                                        journal):
    sim.inject("initiate", Fault(error=httpx.ReadTimeout, after_acting=True))
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    assert journal.get(ref).message == "ClickPesa did not answer in time."
    scheduler.advance(4)
    assert journal.get(ref).message == ""  # PROCESSING row: no stale error left behind
    scheduler.advance(20)
    assert journal.get(ref).state is AttemptState.PAID
    assert journal.get(ref).message == "Payment received"


def test_check_again_answer_after_stop_waiting_updates_journal_only(gateway, journal, scheduler,
                                                                   sim):
    runner = DeferredRunner()
    seen = []
    till = Till(gateway, journal, runner, scheduler, patience_s=30,
                on_background=lambda changed, unresolved: seen.append(changed))
    till.charge(parse_phone("0712345675"), Amount(5000))  # 5: pays after 50 s
    runner.run_all()
    ref = till.view.reference
    for _ in range(55):  # patience runs out at 30 s; the customer pays at 50 s
        scheduler.advance(1)
        runner.run_all()
    assert till.view.phase is Phase.NO_ANSWER
    assert till.check_again()
    assert till.stop_waiting()
    runner.run_all()  # the check (and the journal note) come back after the cashier moved on
    assert till.view.phase is Phase.IDLE
    assert journal.get(ref).state is AttemptState.PAID
    # The window hears of it: the unresolved list no longer has it, and the notice names it.
    assert [r.order_reference for r in seen if r is not None] == [ref]
    assert sim.count("initiate") == 1


def test_push_that_arrives_late_is_followed_not_declared_unsent(till, sim, scheduler, journal):
    """The connection broke before ClickPesa answered, and the payment shows up only after
    the first reconciling check said 404: the till must follow it, not say "not sent"."""
    from datetime import UTC, datetime

    from pos_app.clickpesa.simulator import SimPayment, customer_by_last_digit

    sim.inject("initiate", Fault(error=httpx.RemoteProtocolError))
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    scheduler.advance(4)
    assert sim.count("status") == 1 and ref not in sim.payments
    sim.payments[ref] = SimPayment(  # ClickPesa finally creates what it received
        id="SIMLATE", order_reference=ref, phone="255712345671", amount=5000,
        channel="TIGO-PESA", created_at=scheduler.now(),
        outcome=customer_by_last_digit("255712345671", 5000), created_wall=datetime.now(UTC))
    scheduler.advance(30)
    assert till.view.phase is Phase.PAID
    assert journal.get(ref).state is AttemptState.PAID
    assert sim.count("initiate") == 1


def test_deferred_runner_shows_the_push_in_flight(gateway, journal, scheduler, sim):
    """While the push job is on its way the screen says so and a second Enter sends nothing."""
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=30)
    till.charge(parse_phone("0712345678"), Amount(5000))
    assert runner.in_flight == 1
    assert sim.count("initiate") == 0  # nothing has left yet
    assert till.view.phase is Phase.SENDING
    assert not till.charge(parse_phone("0712345678"), Amount(5000))  # no second push meanwhile
    assert runner.in_flight == 1
    assert runner.run_next()
    assert sim.count("initiate") == 1
    assert journal.get(till.view.reference) is not None
    assert till.view.phase is not Phase.SENDING
