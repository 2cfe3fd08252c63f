"""Attempt states, what ClickPesa's statuses mean, and when the till asks again."""

from __future__ import annotations

import itertools

import pytest

from pos_app.domain.attempt import (
    AttemptState,
    IllegalTransition,
    Verdict,
    check_transition,
    state_for_verdict,
    verdict_for,
)
from pos_app.domain.polling import PollPlan

S = AttemptState

# -- transitions ------------------------------------------------------------------------

LEGAL = [
    (S.NEW, S.PENDING), (S.NEW, S.UNCERTAIN), (S.NEW, S.NOT_SENT), (S.NEW, S.PAID),
    (S.NEW, S.FAILED), (S.NEW, S.ATTENTION),
    (S.PENDING, S.PENDING), (S.PENDING, S.PAID), (S.PENDING, S.FAILED), (S.PENDING, S.ATTENTION),
    (S.UNCERTAIN, S.UNCERTAIN), (S.UNCERTAIN, S.PENDING), (S.UNCERTAIN, S.PAID),
    (S.UNCERTAIN, S.FAILED), (S.UNCERTAIN, S.ATTENTION), (S.UNCERTAIN, S.NOT_SENT),
    (S.ATTENTION, S.ATTENTION), (S.ATTENTION, S.PAID), (S.ATTENTION, S.FAILED),
    (S.PAID, S.PAID), (S.FAILED, S.FAILED), (S.NOT_SENT, S.NOT_SENT),
    (S.FAILED, S.ATTENTION), (S.NOT_SENT, S.ATTENTION), (S.PAID, S.ATTENTION),
]


@pytest.mark.parametrize("old, new", LEGAL, ids=lambda s: s.value)
def test_allowed_transitions(old, new):
    check_transition(old, new)  # does not raise


ILLEGAL = sorted(set(itertools.product(S, S)) - set(LEGAL), key=lambda p: (p[0].value,
                                                                          p[1].value))


@pytest.mark.parametrize("old, new", ILLEGAL, ids=lambda s: s.value)
def test_every_other_transition_is_illegal(old, new):
    with pytest.raises(IllegalTransition) as info:
        check_transition(old, new)
    assert (info.value.old, info.value.new) == (old, new)
    assert f"{old.value} -> {new.value}" in str(info.value)


def test_key_safety_rules_hold():
    # Nothing ever goes back to NEW, and a paid sale never turns failed, not sent or waiting:
    # only a person's job, when ClickPesa later says it is not paid after all.
    assert all((old, S.NEW) in ILLEGAL for old in S)
    assert {new for old, new in LEGAL if old is S.PAID} == {S.PAID, S.ATTENTION}
    # FAILED and NOT_SENT are looked at again: a later sign of money makes them a person's
    # job, never PAID (nor anything else).
    for final in (S.FAILED, S.NOT_SENT):
        assert {new for old, new in LEGAL if old is final} == {final, S.ATTENTION}
    # Once ClickPesa accepted the push it exists: it can never become "not sent".
    assert (S.PENDING, S.NOT_SENT) in ILLEGAL
    assert (S.ATTENTION, S.NOT_SENT) in ILLEGAL


def test_final_and_unresolved_partition_the_states():
    assert {s for s in S if s.is_unresolved} == {S.NEW, S.PENDING, S.UNCERTAIN}
    assert {s for s in S if s.is_final} == {S.PAID, S.FAILED, S.NOT_SENT, S.ATTENTION}


@pytest.mark.parametrize("state, report", [
    (S.NEW, "UNRESOLVED"), (S.PENDING, "UNRESOLVED"), (S.UNCERTAIN, "UNRESOLVED"),
    (S.PAID, "PAID"), (S.FAILED, "FAILED"), (S.NOT_SENT, "FAILED"),
    (S.ATTENTION, "NEEDS_ATTENTION"),
])
def test_report_status(state, report):
    assert state.report_status == report


# -- ClickPesa statuses -----------------------------------------------------------------

@pytest.mark.parametrize("status, verdict", [
    ("SUCCESS", Verdict.PAID),
    ("SETTLED", Verdict.PAID),
    ("PROCESSING", Verdict.WAITING),
    ("PENDING", Verdict.WAITING),
    ("FAILED", Verdict.FAILED),
    ("ON-HOLD", Verdict.ATTENTION),
    ("REFUNDED", Verdict.ATTENTION),
    ("REVERSED", Verdict.ATTENTION),
])
def test_verdict_for_every_documented_status(status, verdict):
    assert verdict_for(status) is verdict
    assert verdict_for(status.lower()) is verdict
    assert verdict_for(f"  {status} ") is verdict


@pytest.mark.parametrize("status", ["", None, "CANCELLED", "EXPIRED", "SUCCESSFUL", "PAID",
                                    "ON_HOLD", "UNKNOWN", "SUCCESS FAILED"])
def test_unknown_or_missing_status_needs_a_person(status):
    assert verdict_for(status) is Verdict.ATTENTION


def test_state_for_each_verdict():
    assert {v: state_for_verdict(v) for v in Verdict} == {
        Verdict.PAID: S.PAID, Verdict.FAILED: S.FAILED,
        Verdict.WAITING: S.PENDING, Verdict.ATTENTION: S.ATTENTION}


# -- polling ----------------------------------------------------------------------------

PLAN = PollPlan()


def check_times(plan: PollPlan, horizon_s: float) -> list[float]:
    """Seconds after the push at which the till asks ClickPesa, with no failures."""
    t, times = 0.0, []
    while True:
        t += plan.next_delay(t)
        if t > horizon_s:
            return times
        times.append(t)


def test_first_check_waits_for_the_customer_to_reach_the_pin():
    assert PLAN.next_delay(0.0) == pytest.approx(PLAN.first_check_s)
    assert PLAN.next_delay(3.0) == pytest.approx(PLAN.first_check_s - 3.0)


def test_never_more_than_24_checks_in_any_minute():
    times = check_times(PLAN, 900)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 2.5
    for start in times:
        assert sum(1 for t in times if start <= t < start + 60) <= 24


def test_checks_are_dense_where_customers_answer_and_sparse_later():
    times = check_times(PLAN, 600)
    in_window = [t for t in times if 8 <= t <= 30]
    late = [t for t in times if 300 <= t <= 360]
    assert len(in_window) >= 7
    assert len(late) <= 8


@pytest.mark.parametrize("elapsed", [PLAN.first_check_s, PLAN.first_check_s + 0.1, 20.0, 31.9,
                                     32.0, 64.0, 65.0, 300.0, 3600.0])
@pytest.mark.parametrize("failures", [0, 1, 3])
@pytest.mark.parametrize("retry_after", [None, 0.0, 1.0, 2.0])
def test_never_below_two_and_a_half_seconds_after_first_check(elapsed, failures, retry_after):
    assert PLAN.next_delay(elapsed, failures_in_row=failures,
                           retry_after_s=retry_after) >= 2.5


def test_floor_holds_even_for_a_misconfigured_fast_plan():
    fast = PollPlan(dense_interval_s=0.2, middle_interval_s=0.1, slow_interval_s=0.5)
    for elapsed in (fast.first_check_s, 20.0, 40.0, 100.0):
        assert fast.next_delay(elapsed) == pytest.approx(2.5)
    times = check_times(fast, 300)
    for start in times:
        assert sum(1 for t in times if start <= t < start + 60) <= 24


def test_backoff_grows_with_failures_and_is_capped():
    delays = [PLAN.next_delay(20.0, failures_in_row=n) for n in range(0, 12)]
    assert delays[0] == pytest.approx(PLAN.dense_interval_s)
    assert delays[1] > delays[0]
    assert all(b >= a for a, b in itertools.pairwise(delays))
    assert delays[3] >= 4 * delays[1] - 1e-9  # exponential, not linear
    assert max(delays) == pytest.approx(PLAN.max_backoff_s)


def test_very_long_outage_does_not_crash_the_plan():
    assert PLAN.next_delay(20.0, failures_in_row=5000) == pytest.approx(PLAN.max_backoff_s)


def test_backoff_applies_before_the_first_check_too():
    assert PLAN.next_delay(1.0, failures_in_row=3) >= PLAN.dense_interval_s * 8


def test_retry_after_is_respected():
    assert PLAN.next_delay(20.0, retry_after_s=30.0) == pytest.approx(30.0)
    assert PLAN.next_delay(100.0, retry_after_s=45.0) == pytest.approx(45.0)
    assert PLAN.next_delay(0.0, retry_after_s=30.0) == pytest.approx(30.0)
    # with failures too: whichever asks for the longer wait wins
    assert PLAN.next_delay(20.0, failures_in_row=5, retry_after_s=90.0) == pytest.approx(90.0)
    assert PLAN.next_delay(20.0, failures_in_row=5, retry_after_s=10.0) == pytest.approx(60.0)


def test_short_retry_after_never_speeds_checks_up():
    assert PLAN.next_delay(70.0, retry_after_s=1.0) == pytest.approx(PLAN.slow_interval_s)


def test_absurd_retry_after_is_capped():
    delay = PLAN.next_delay(20.0, retry_after_s=86_400.0)
    assert 60.0 <= delay <= 300.0
