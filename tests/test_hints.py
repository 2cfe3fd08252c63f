"""Hints from the shop server (issue 12, the till's side): ClickPesa's webhook, relayed, makes
the till ask once — the status answer decides, never the hint — and while the stream is up the
poll plan stretches to a slow fallback."""

from __future__ import annotations

import pytest

from pos_app.clickpesa.simulator import CustomerOutcome
from pos_app.domain.attempt import AttemptState as S
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.domain.polling import PollPlan
from pos_app.till.charge import Phase, Till
from pos_app.till.fakes import DeferredRunner, InlineRunner


def phone(last: int):
    return parse_phone(f"071234567{last}")


@pytest.fixture
def till(gateway, journal, scheduler):
    t = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120,
             wall_clock=scheduler.wall_clock())
    yield t
    t.shutdown()


def _until_final(sim, ref: str, scheduler) -> float:
    """Move the clock to the moment ClickPesa makes `ref` final; return it."""
    final = sim.final_time(ref)
    assert final is not None
    scheduler.advance(final - scheduler.now() + 0.1)
    return final


def test_the_plan_stretches_while_hints_flow_and_not_otherwise():
    plan = PollPlan()
    assert plan.hinted_interval_s == 20.0
    for elapsed in (0.0, 8.0, 20.0, 40.0, 90.0):
        assert plan.next_delay(elapsed, hinted=True) >= 20.0
        assert plan.next_delay(elapsed) < 20.0
    # a 429 still wins over the fallback
    assert plan.next_delay(30.0, hinted=True, retry_after_s=45.0) == 45.0


def test_a_hint_costs_one_status_call_and_shows_paid_at_once(till, sim, scheduler, journal):
    till.set_hints_live(True)
    till.charge(phone(1), Amount(5000))  # 1: pays 12 s after the push
    ref = till.view.reference
    _until_final(sim, ref, scheduler)
    assert sim.count("status") == 0  # nothing asked before the news: the fallback is 20 s
    assert till.hint(ref)
    assert till.view.phase is Phase.PAID
    assert sim.count("status") == 1
    assert journal.get(ref).state is S.PAID
    assert not till.hint(ref)  # the webhook again: nothing more to ask
    assert sim.count("status") == 1


def test_without_the_webhook_the_fallback_still_finds_the_payment(till, sim, scheduler):
    till.set_hints_live(True)
    till.charge(phone(1), Amount(5000))
    for _ in range(21):
        scheduler.advance(1)
    assert till.view.phase is Phase.PAID
    assert sim.count("status") == 1  # at 20 s, once


def test_the_stream_dropping_brings_the_normal_plan_back_at_once(till, sim, scheduler):
    till.set_hints_live(True)
    till.charge(phone(3), Amount(5000))  # 3: pays after 20 s
    scheduler.advance(5)
    till.set_hints_live(False)
    scheduler.advance(4)  # the normal plan's first check is 8 s after the push
    assert sim.count("status") == 1
    assert till.view.phase is Phase.WAITING


def test_a_hint_before_the_push_reply_is_kept_until_the_reply(gateway, journal, scheduler, sim):
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120,
                wall_clock=scheduler.wall_clock())
    till.set_hints_live(True)
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    assert till.hint(ref)  # the push job has not come back yet
    runner.run_all()  # the push's reply
    assert sim.count("status") == 0
    scheduler.advance(0.1)
    runner.run_all()
    assert sim.count("status") == 1  # asked at once, not 20 s later
    till.shutdown()


def test_a_hint_during_a_check_asks_once_more_right_after(gateway, journal, scheduler, sim):
    from pos_app.clickpesa.simulator import Fault

    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120,
                wall_clock=scheduler.wall_clock())
    till.charge(phone(1), Amount(5000))  # pays at 12 s
    ref = till.view.reference
    runner.run_all()  # the push
    scheduler.advance(8.05)  # the normal plan's first check goes out...
    assert runner.in_flight == 1
    # ...and its answer was made before the payment: still processing
    sim.inject("status", Fault(status=200, body=[{
        "id": "X", "status": "PROCESSING", "orderReference": ref, "collectedAmount": 5000,
        "collectedCurrency": "TZS", "message": ""}]))
    _until_final(sim, ref, scheduler)
    assert till.hint(ref)  # the news arrives while that check is still out
    assert sim.count("status") == 0
    assert runner.run_next()  # it answers: processing
    assert till.view.phase is Phase.WAITING
    scheduler.advance(till.plan.min_interval_s)  # one more, right away (not the plan's)
    runner.run_all()
    assert till.view.phase is Phase.PAID
    assert sim.count("status") == 2
    till.shutdown()


def test_a_hint_for_an_open_attempt_in_the_background(till, sim, scheduler, journal):
    till.charge(phone(8), Amount(5000))  # 8: never answers
    ref = till.view.reference
    for _ in range(121):
        scheduler.advance(1)
    assert till.stop_waiting()
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    calls = sim.count("status")
    assert till.hint(ref)
    assert sim.count("status") == calls + 1
    assert journal.get(ref).state is S.PAID
    assert not till.hint(ref)


def test_a_hint_for_a_failed_attempt_awaiting_its_second_look(till, sim, scheduler, journal):
    till.charge(phone(6), Amount(5000))  # 6: fails after 10 s
    ref = till.view.reference
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    till.new_sale()
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    assert till.hint(ref)  # PAYMENT RECEIVED after FAILED: look now, not in 90 s
    assert journal.get(ref).state is S.ATTENTION  # never silently paid, never left failed


def test_a_hint_for_a_reference_this_till_does_not_know_asks_nothing(till, sim):
    assert not till.hint("MOTHERTILL0000000001")
    assert sim.count("status") == 0


def test_failed_after_success_needs_attention_never_failed(till, sim, scheduler, journal):
    """PAYMENT FAILED after PAYMENT RECEIVED for one reference: the till asks once; if
    ClickPesa now says failed, the paid attempt needs a person — it is never shown failed."""
    till.set_hints_live(True)
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    _until_final(sim, ref, scheduler)
    assert till.hint(ref, "SUCCESS")
    assert journal.get(ref).state is S.PAID
    till.new_sale()
    assert not till.hint(ref, "SUCCESS")  # paid and still said paid: nothing to ask
    calls = sim.count("status")
    sim.payments[ref].outcome = CustomerOutcome("FAILED", 0, "Reversed by the operator")
    assert till.hint(ref, "FAILED")
    assert sim.count("status") == calls + 1
    record = journal.get(ref)
    assert record.state is S.ATTENTION
    assert "not paid" in record.message


def test_a_failed_hint_for_a_paid_attempt_that_clickpesa_still_calls_paid_changes_nothing(
        till, sim, scheduler, journal):
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    scheduler.advance(20)
    assert journal.get(ref).state is S.PAID
    till.new_sale()
    assert till.hint(ref, "FAILED")  # asked once...
    assert journal.get(ref).state is S.PAID  # ...and ClickPesa's answer decides: still paid


def test_failed_after_success_while_paid_is_still_on_screen_turns_the_screen(
        till, sim, scheduler, journal):
    till.charge(phone(1), Amount(5000))
    ref = till.view.reference
    scheduler.advance(20)
    assert till.view.phase is Phase.PAID  # still on screen: the cashier has not moved on
    sim.payments[ref].outcome = CustomerOutcome("FAILED", 0, "Reversed")
    assert till.hint(ref, "FAILED")
    assert journal.get(ref).state is S.ATTENTION
    assert till.view.phase is Phase.ATTENTION  # never left showing Paid, never Failed
