"""The till core's money rules pinned where `mutmut` found them unguarded (issue 8).

Each test asserts a behaviour that a surviving mutant of pos_app/till changed
(docs/mutation-testing.md): when a background 404 proves "never created", when a FAILED or
NOT_SENT attempt gets its one more look and what that look decides, which interrupted sale
comes back on screen, that a charge typed while the journal is being read is neither lost nor
sent twice, and that the guard never lets a recently paid customer be charged again by Enter.
All on a manual clock and an inline (or hand-driven) runner: nothing sleeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pos_app.clickpesa.replies import payment_status_from
from pos_app.clickpesa.simulator import CustomerOutcome
from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.domain.evidence import SECOND_LOOK_AFTER_S, never_created_from
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone, parse_phone
from pos_app.till.charge import Phase, Till
from pos_app.till.fakes import InlineRunner
from pos_app.till.follow import NOT_SENT_MESSAGE, Attention, assess, second_look_time
from pos_app.till.recheck import (
    BACKGROUND_MAX_GAP_S,
    BACKGROUND_ROUND_S,
    proven_by_age,
    second_look_at,
    second_look_due,
)

S = AttemptState
EAT = timezone(timedelta(hours=3))
T0 = datetime(2026, 12, 1, 10, 0, 0, tzinfo=EAT)


def record(state: S = S.UNCERTAIN, *, created: datetime | str = T0, ref: str = "R1",
           phone: str = "255712345671", amount: int = 5000,
           second_look: str | None = None) -> AttemptRecord:
    at = created if isinstance(created, str) else created.isoformat(timespec="seconds")
    return AttemptRecord(ref, "live", phone, amount, "", state, at, at,
                         second_look_at=second_look)


def status(state: str, ref: str = "R1", amount: int = 5000, message: str = ""):
    return payment_status_from([{
        "id": "CP1", "status": state, "orderReference": ref, "collectedAmount": amount,
        "collectedCurrency": "TZS", "paymentPhoneNumber": "255712345671", "message": message,
        "updatedAt": "2026-12-01T07:00:05Z", "createdAt": "2026-12-01T07:00:00Z"}], ref)


class DeferredRunner:
    """Holds jobs until the test runs them: the in-flight states become visible."""

    def __init__(self) -> None:
        self.jobs: list = []

    def submit(self, job, on_done, on_error) -> None:
        self.jobs.append((job, on_done, on_error))

    def run_all(self) -> None:
        while self.jobs:
            job, on_done, on_error = self.jobs.pop(0)
            try:
                result = job()
            except BaseException as exc:  # noqa: BLE001 — delivered like a worker would
                on_error(exc)
            else:
                on_done(result)


@pytest.fixture
def wall(scheduler):
    start, t0 = datetime.now().astimezone(), scheduler.now()
    return lambda: start + timedelta(seconds=scheduler.now() - t0)


@pytest.fixture
def till(gateway, journal, scheduler, wall):
    t = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    yield t
    t.shutdown()


# -- "never created" in the background: proof by age --------------------------------------


def test_a_background_404_proves_never_created_exactly_when_the_window_has_passed():
    window = never_created_from(0.0, None)
    assert window == 90.0
    r = record(created=T0)
    assert proven_by_age(r, T0 + timedelta(seconds=window)) is True
    assert proven_by_age(r, T0 + timedelta(seconds=window - 0.5)) is False
    assert proven_by_age(r, T0) is False


def test_an_unreadable_creation_time_never_proves_never_created():
    r = record(created="not a time")
    assert proven_by_age(r, T0 + timedelta(days=30)) is False


def test_a_naive_creation_time_is_read_as_local_time():
    naive = (T0 - timedelta(seconds=200)).astimezone().replace(tzinfo=None)
    assert proven_by_age(record(created=naive.isoformat(timespec="seconds")), T0) is True


# -- the one more look -----------------------------------------------------------------------


def test_the_second_look_is_due_ninety_seconds_after_the_answer():
    assert second_look_time(T0) == (T0 + timedelta(seconds=SECOND_LOOK_AFTER_S)).isoformat(
        timespec="seconds")
    assert SECOND_LOOK_AFTER_S == 90.0


def test_second_look_due_from_its_moment_on():
    due = T0 + timedelta(seconds=90)
    r = record(S.FAILED, second_look=due.isoformat(timespec="seconds"))
    assert second_look_due(r, due - timedelta(seconds=1)) is False
    assert second_look_due(r, due) is True
    assert second_look_due(record(S.FAILED), due) is False  # none due
    # An unreadable time means look now rather than never.
    broken = record(S.FAILED, second_look="soon")
    assert second_look_at(broken, T0) == T0
    assert second_look_due(broken, T0) is True


def test_a_naive_second_look_time_is_read_as_local_time():
    due = (T0 + timedelta(seconds=90)).astimezone()
    r = record(S.FAILED, second_look=due.replace(tzinfo=None).isoformat(timespec="seconds"))
    assert second_look_at(r, T0) == due
    assert second_look_due(r, due) is True


@pytest.mark.parametrize(("before", "answer", "state", "attention"), [
    (S.FAILED, "SUCCESS", S.ATTENTION, Attention.PAID_AFTER_FAILED),
    (S.NOT_SENT, "SUCCESS", S.ATTENTION, Attention.APPEARED_AFTER_NOT_SENT),
    (S.NOT_SENT, "PROCESSING", S.ATTENTION, Attention.APPEARED_AFTER_NOT_SENT),
    (S.FAILED, "PROCESSING", S.ATTENTION, Attention.STATUS),
    (S.FAILED, "FAILED", S.FAILED, None),
    (S.NOT_SENT, "FAILED", S.NOT_SENT, None),
])
def test_what_the_one_more_look_decides(before, answer, state, attention):
    verdict = assess(record(before), status(answer), never_created_proven=True)
    assert (verdict.state, verdict.attention) == (state, attention)
    assert verdict.second_look is False  # looked at: no further look is due
    if attention is not None:
        assert verdict.message  # the reason in words, for the journal and the export


def test_failed_that_is_waiting_again_needs_a_person_with_a_reason():
    verdict = assess(record(S.FAILED), status("PENDING"), never_created_proven=True)
    assert verdict.message == ("ClickPesa no longer reports this payment as failed — check "
                               "with the customer.")
    said = assess(record(S.FAILED), status("PENDING", message="Retrying"),
                  never_created_proven=True)
    assert said.message == "Retrying"


def test_a_404_for_an_open_attempt_proves_nothing_until_proven():
    assert assess(record(S.UNCERTAIN), None, never_created_proven=False).state is S.UNCERTAIN
    proven = assess(record(S.UNCERTAIN), None, never_created_proven=True)
    assert (proven.state, proven.message, proven.second_look) == (S.NOT_SENT,
                                                                  NOT_SENT_MESSAGE, True)


def test_a_failed_sale_is_looked_at_once_more_about_ninety_seconds_later(till, sim,
                                                                         scheduler, journal):
    till.charge(parse_phone("0712345676"), Amount(5000))  # 6: insufficient balance
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    ref = till.view.reference
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    till.new_sale()
    calls = sim.count("status")
    scheduler.advance(SECOND_LOOK_AFTER_S - 5)
    assert sim.count("status") == calls  # not before it is due
    scheduler.advance(10)
    assert sim.count("status") == calls + 1
    assert journal.get(ref).state is S.ATTENTION


def test_a_failed_sale_does_not_postpone_a_background_round_already_due_sooner(
        till, sim, scheduler, journal):
    till.charge(parse_phone("0712345678"), Amount(5000))  # 8: never answers
    first = till.view.reference
    scheduler.advance(121)
    assert till.stop_waiting()  # its background check is due in a minute
    till.charge(parse_phone("0712345676"), Amount(2000))
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    before = sim.count("status")
    scheduler.advance(60 - 15 + 1)
    assert sim.count("status") > before  # the round ran when it was due
    assert journal.get(first).state is S.PENDING


# -- the background round's spacing --------------------------------------------------------


def test_background_checks_of_one_attempt_spread_out_to_fifteen_minutes(till, sim, scheduler):
    till.charge(parse_phone("0712345678"), Amount(5000))
    ref = till.view.reference
    scheduler.advance(121)
    till.stop_waiting()
    times: list[float] = []
    seen = sim.count("status")
    for _ in range(4000):
        scheduler.advance(1)
        if sim.count("status") > seen:
            seen = sim.count("status")
            times.append(scheduler.now())
    gaps = [round(b - a) for a, b in zip(times, times[1:], strict=False)]
    # 2, 4, 8 minutes, then at most 15 — and never less than one round.
    # (each falls due at the next round after its gap, so the 15-minute cap shows as 16)
    assert gaps[:4] == [120, 240, 480, 960]
    assert all(BACKGROUND_ROUND_S <= g <= BACKGROUND_MAX_GAP_S + BACKGROUND_ROUND_S
               for g in gaps)
    assert sim.payments[ref]  # still there, still followed
    assert sim.count("initiate") == 1


# -- the interrupted sale --------------------------------------------------------------------


def _resumable(till, *records):
    found = till._resumable(list(records))
    return (found[0].order_reference, found[2]) if found else None


def test_which_interrupted_sale_comes_back(till, wall):
    now = wall()
    ago = lambda s: now - timedelta(seconds=s)  # noqa: E731
    assert _resumable(till, record(created=now.isoformat())) == ("R1", 0.0)  # pushed just now
    assert _resumable(till, record(created=ago(0.5).isoformat())) is not None
    assert _resumable(till, record(created=ago(119).isoformat())) is not None
    assert _resumable(till, record(created=ago(120).isoformat())) is None  # past patience
    assert _resumable(till, record(created=(now + timedelta(seconds=5)).isoformat())) is None
    assert _resumable(till, record(created=now, amount=1)) is not None
    assert _resumable(till, record(created=now, amount=0)) is None
    assert _resumable(till, record(created=now, phone="255730000000")) is None  # no wallet


def test_the_newest_usable_interrupted_sale_comes_back(till, wall):
    now = wall()
    unusable = [record(created="garbage", ref="BAD1"),
                record(created=now, ref="BAD2", phone="255730000000"),
                record(created=now, ref="BAD3", amount=0)]
    older = record(created=(now - timedelta(seconds=30)).isoformat(), ref="OLD")
    newer = record(created=(now - timedelta(seconds=10)).isoformat(), ref="NEW")
    assert _resumable(till, *unusable, older, newer)[0] == "NEW"
    assert _resumable(till, newer, *unusable, older)[0] == "NEW"


def test_the_resumed_sale_shows_the_customers_number(gateway, journal, scheduler, wall):
    journal._now = lambda: wall() - timedelta(seconds=20)
    journal.record_new("MRESUME000000000001", phone="255712345671", amount_tzs=5000)
    journal.transition("MRESUME000000000001", S.PENDING)
    journal._now = wall
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    assert till.view.resumed and till.view.phone == Phone("255712345671")
    till.shutdown()


# -- start-up: nothing lost, nothing sent twice ----------------------------------------------


def test_a_charge_typed_while_the_journal_is_read_is_sent_once_after(gateway, journal,
                                                                    scheduler, wall, sim):
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120, wall_clock=wall)
    till.start()
    assert till.starting and till.busy
    assert till.charge(parse_phone("0712345671"), Amount(5000))
    assert sim.count("initiate") == 0  # not before the guard could see the journal
    runner.run_all()
    assert not till.starting
    assert sim.count("initiate") == 1
    assert till.view.phase is Phase.WAITING
    till.shutdown()


def test_a_charge_typed_while_the_journal_read_fails_is_still_sent_once(gateway, journal,
                                                                       scheduler, wall, sim):
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120, wall_clock=wall)

    def broken():
        raise OSError("disk")

    journal.unresolved = broken  # type: ignore[method-assign]
    till.start()
    till.charge(parse_phone("0712345671"), Amount(5000))
    runner.run_all()
    assert not till.starting
    assert sim.count("initiate") == 1
    assert till.view.phase is Phase.WAITING
    till.shutdown()


def test_a_closed_till_sends_nothing_after_a_failed_journal_read(gateway, journal, scheduler,
                                                                wall, sim):
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120, wall_clock=wall)

    def broken():
        raise OSError("disk")

    journal.unresolved = broken  # type: ignore[method-assign]
    till.start()
    till.charge(parse_phone("0712345671"), Amount(5000))
    till.shutdown()
    runner.run_all()
    scheduler.advance(600)
    assert sim.count("initiate") == 0
    assert sim.count("status") == 0


def test_after_start_the_till_charges_and_rechecks_in_the_background(gateway, journal,
                                                                     scheduler, wall, sim):
    journal._now = lambda: wall() - timedelta(seconds=900)
    journal.record_new("MOLD0000000000000001", phone="255712345678", amount_tzs=5000)
    journal.transition("MOLD0000000000000001", S.PENDING)
    journal._now = wall
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    assert not till.starting and till.view.phase is Phase.IDLE
    scheduler.advance(2)
    assert sim.count("status") == 1  # the old attempt, re-checked soon after start
    assert till.charge(parse_phone("0712345671"), Amount(5000))
    assert sim.count("initiate") == 1
    till.shutdown()


def test_a_failed_journal_read_still_starts_the_background_rounds(gateway, journal, scheduler,
                                                                  wall, sim):
    calls = {"n": 0}
    real = journal.unresolved

    def first_fails():
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk")
        return real()

    journal._now = lambda: wall() - timedelta(seconds=900)
    journal.record_new("MOLD0000000000000002", phone="255712345678", amount_tzs=5000)
    journal._now = wall
    journal.unresolved = first_fails  # type: ignore[method-assign]
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    assert not till.starting
    scheduler.advance(2)
    assert sim.count("status") == 1
    till.shutdown()


# -- the guard -------------------------------------------------------------------------------


def test_enter_on_the_guard_never_recharges_a_customer_paid_for_the_same_amount(
        till, sim, scheduler):
    till.charge(parse_phone("0712345671"), Amount(5000))
    scheduler.advance(15)
    assert till.view.phase is Phase.PAID
    till.new_sale()
    assert till.charge(parse_phone("0712345671"), Amount(5000))
    assert till.view.phase is Phase.GUARD
    assert till.guard_enter()  # Check it now: still paid
    assert till.view.earlier_checked and till.view.earlier.state is S.PAID
    assert till.guard_enter()  # Enter again: checks again, never pushes
    assert till.view.phase is Phase.GUARD
    assert sim.count("initiate") == 1


def test_guard_actions_do_nothing_outside_the_guard(till, sim, scheduler):
    assert till.charge_anyway() is False
    assert till.check_earlier() is False
    assert till.guard_enter() is False
    assert till.cancel_guard() is False
    till.charge(parse_phone("0712345678"), Amount(5000))
    assert till.view.phase is Phase.WAITING
    assert till.charge_anyway() is False
    assert till.guard_enter() is False
    assert till.new_sale() is False  # a sale under way is not dropped by "new sale"
    assert till.view.phase is Phase.WAITING
    assert sim.count("initiate") == 1


def test_after_cancelling_the_guard_nothing_can_charge_anyway(till, sim, scheduler):
    till.charge(parse_phone("0712345678"), Amount(5000))
    scheduler.advance(121)
    till.stop_waiting()
    till.charge(parse_phone("0712345678"), Amount(5000))
    assert till.view.phase is Phase.GUARD
    assert till.cancel_guard() is True
    assert till.view.phase is Phase.IDLE
    assert till.charge_anyway() is False
    assert till.guard_enter() is False
    assert sim.count("initiate") == 1


def test_check_attempt_asks_about_that_attempt_and_reports_back(till, sim, scheduler,
                                                                journal):
    till.charge(parse_phone("0712345678"), Amount(5000))
    ref = till.view.reference
    scheduler.advance(121)
    till.stop_waiting()
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    got = []
    before = sim.count("status")
    assert till.check_attempt(ref, got.append) is True
    assert sim.count("status") == before + 1
    assert [o.reference for o in got] == [ref]
    assert got[0].state is S.PAID and journal.get(ref).state is S.PAID
    till.shutdown()
    assert till.check_attempt(ref, got.append) is False
    assert sim.count("status") == before + 1


# -- the background keeps following ----------------------------------------------------------


def _old_attempt(journal, wall, ref: str, age_s: float, state: S = S.NEW) -> None:
    journal._now = lambda: wall() - timedelta(seconds=age_s)
    journal.record_new(ref, phone="255712345678", amount_tzs=5000)
    if state is not S.NEW:
        journal.transition(ref, state)
    journal._now = wall


def test_a_background_404_for_an_old_unsent_push_proves_not_sent(gateway, journal, scheduler,
                                                                  wall, sim):
    _old_attempt(journal, wall, "MGONE000000000000001", 200)  # killed while sending
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    scheduler.advance(2)
    assert sim.count("status") == 1
    assert journal.get("MGONE000000000000001").state is S.NOT_SENT
    till.shutdown()


def test_a_background_404_for_a_recent_push_proves_nothing(gateway, journal, scheduler, wall,
                                                           sim):
    _old_attempt(journal, wall, "MRECENT0000000000001", 5)
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.new_sale()
    till.check_attempt("MRECENT0000000000001")
    assert sim.count("status") == 1
    assert journal.get("MRECENT0000000000001").state is S.NEW
    till.shutdown()


def test_a_check_that_breaks_unexpectedly_does_not_stop_the_background(gateway, journal,
                                                                        scheduler, wall, sim):
    _old_attempt(journal, wall, "MOLD0000000000000003", 900, S.PENDING)
    real = gateway.status
    broke = {"n": 0}

    def status_once_broken(ref):
        if not broke["n"]:
            broke["n"] += 1
            raise RuntimeError("a bug, not ClickPesa")
        return real(ref)

    gateway.status = status_once_broken  # type: ignore[method-assign]
    got = []
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    scheduler.advance(2)
    assert broke["n"] == 1
    assert till.check_attempt("MOLD0000000000000003", got.append)
    assert [o.reference for o in got] == ["MOLD0000000000000003"]  # the caller hears back
    before = sim.count("status")
    scheduler.advance(BACKGROUND_ROUND_S * 3)
    assert sim.count("status") > before  # the rounds go on
    till.shutdown()


def test_an_unexpected_error_is_reported_to_whoever_asked(gateway, journal, scheduler, wall):
    _old_attempt(journal, wall, "MOLD0000000000000004", 900, S.PENDING)

    def broken(ref):
        raise RuntimeError("a bug")

    gateway.status = broken  # type: ignore[method-assign]
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start(recheck=False)
    got = []
    assert till.check_attempt("MOLD0000000000000004", got.append)
    assert len(got) == 1 and got[0].reference == "MOLD0000000000000004"
    assert isinstance(got[0].error, RuntimeError)
    assert got[0].state is S.PENDING  # what the till knew: still open
    till.shutdown()


# -- the sale on screen ----------------------------------------------------------------------


def test_a_push_that_broke_and_was_then_paid_shows_paid_without_the_old_problem(
        till, sim, scheduler, journal):
    import httpx

    from pos_app.clickpesa.simulator import Fault, SimPayment

    sim.inject("initiate", Fault(error=httpx.ReadTimeout))
    till.charge(parse_phone("0712345671"), Amount(5000))
    ref = till.view.reference
    assert till.view.phase is Phase.CONFIRMING and till.view.problem is not None
    sim.payments[ref] = SimPayment("SIMLATE", ref, "255712345671", 5000, "M-PESA",
                                   scheduler.now(), CustomerOutcome("SUCCESS", 0, "ok"),
                                   datetime.now().astimezone())
    scheduler.advance(5)
    assert till.view.phase is Phase.PAID
    assert till.view.problem is None  # a paid screen never says the push broke
    assert till.view.attempt_state is S.PAID and not till.view.checking
    assert till.view.remaining_s is None and till.view.trouble_reason == ""


@pytest.mark.parametrize(("state", "phase"), [(S.PENDING, Phase.WAITING),
                                              (S.NEW, Phase.CONFIRMING),
                                              (S.UNCERTAIN, Phase.CONFIRMING)])
def test_the_resumed_sale_before_its_first_answer(gateway, journal, scheduler, wall, state,
                                                  phase):
    from pos_app.clickpesa.errors import Reason
    from pos_app.till.charge import Problem

    ref = "MRESUME000000000002"
    journal._now = lambda: wall() - timedelta(seconds=30)
    journal.record_new(ref, phone="255712345671", amount_tzs=5000)
    if state is not S.NEW:
        journal.transition(ref, state, channel="M-PESA", clickpesa_id="CP9")
    journal._now = wall
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120, wall_clock=wall)
    till.start()
    job, on_done, _ = runner.jobs.pop(0)
    on_done(job())  # the journal read only: the first status check stays in flight
    v = till.view
    assert (v.phase, v.resumed, v.reference, v.phone) == (phase, True, ref,
                                                          Phone("255712345671"))
    assert v.attempt_state is state and v.patience_s == 120 and v.remaining_s == 90
    if phase is Phase.CONFIRMING:  # "Checking whether the prompt reached the customer…"
        assert (v.problem, v.code) == (Problem.UNCLEAR, Reason.CONNECTION_BROKE)
    else:
        assert (v.problem, v.code) == (None, None)
        assert (v.channel, v.clickpesa_id) == ("M-PESA", "CP9")
    till.shutdown()


def test_a_resumed_sale_counts_from_its_original_push(till, scheduler):
    from pos_app.till.sale import Sale

    now = scheduler.now()
    fresh = Sale.resume(till, record(S.UNCERTAIN), Phone("255712345671"), 0.0)
    assert fresh.push_started == now  # the never-created window is not shortened
    old = Sale.resume(till, record(S.UNCERTAIN), Phone("255712345671"), 30.0)
    assert old.push_started == now - 30.0 and old.deadline == now - 30.0 + 120
    assert old.push_ended is None
    assert Sale.resume(till, record(S.PENDING), Phone("255712345671"),
                       119.5).view.remaining_s == 1
    assert Sale.resume(till, record(S.PENDING), Phone("255712345671"),
                       120.0).view.remaining_s == 0


# -- moving on, and being told ---------------------------------------------------------------


def test_stop_waiting_only_from_no_answer_and_it_is_journalled(till, sim, scheduler, journal):
    till.charge(parse_phone("0712345678"), Amount(5000))
    ref = till.view.reference
    assert till.stop_waiting() is False  # the customer may still be entering the PIN
    assert till.view.phase is Phase.WAITING and till.current_reference == ref
    scheduler.advance(121)
    assert till.stop_waiting() is True
    assert any("stopped waiting" in d for _, _, _, d in journal.transitions(ref))
    assert journal.get(ref).state is S.PENDING


def test_a_background_answer_is_told_once_and_the_open_list_follows(gateway, journal,
                                                                    scheduler, wall, sim):
    told: list = []
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall,
                on_background=lambda changed, unresolved: told.append((changed, unresolved)))
    till.charge(parse_phone("0712345678"), Amount(5000))
    ref = till.view.reference
    scheduler.advance(121)
    till.stop_waiting()
    assert told[-1] == (None, [journal.get(ref)])  # listed at once
    sim.payments[ref].outcome = CustomerOutcome("SUCCESS", 0, "Payment received")
    told.clear()
    scheduler.advance(65)  # the background check finds it paid
    changed = [c for c, _ in told if c is not None]
    assert [c.order_reference for c in changed] == [ref]
    assert changed[0].state is S.PAID
    assert told[-1][1] == []  # nothing open any more
    told.clear()
    till.check_attempt(ref)  # the same answer again: nothing new to tell
    assert [c for c, _ in told if c is not None] == []
    till.shutdown()


def test_an_attempt_journalled_elsewhere_joins_the_open_list_at_the_next_round(
        gateway, journal, scheduler, wall, sim):
    told: list = []
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall,
                on_background=lambda changed, unresolved: told.append((changed, unresolved)))
    till.start()
    _old_attempt(journal, wall, "MELSEWHERE0000000001", 900, S.PENDING)
    till.start_background(1.0)
    scheduler.advance(2)
    assert any(u and [r.order_reference for r in u] == ["MELSEWHERE0000000001"]
               for _, u in told)
    till.shutdown()


def test_a_failed_journal_read_in_a_round_does_not_stop_the_rounds(gateway, journal,
                                                                   scheduler, wall, sim):
    _old_attempt(journal, wall, "MOLD0000000000000005", 900, S.PENDING)
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start(recheck=False)
    real = journal.unresolved

    def broken():
        raise OSError("disk")

    journal.unresolved = broken  # type: ignore[method-assign]
    till.start_background(1.0)
    scheduler.advance(2)
    assert sim.count("status") == 0
    journal.unresolved = real  # type: ignore[method-assign]
    scheduler.advance(BACKGROUND_ROUND_S + 5)
    assert sim.count("status") >= 1
    till.shutdown()


def test_nothing_is_asked_after_the_till_is_closed(gateway, journal, scheduler, wall, sim):
    _old_attempt(journal, wall, "MOLD0000000000000006", 900, S.PENDING)
    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120, wall_clock=wall)
    till.start()
    runner.run_all()  # the start-up read
    scheduler.advance(2)  # a round's journal read is now in flight
    till.shutdown()
    runner.run_all()
    scheduler.advance(3600)
    runner.run_all()
    assert sim.count("status") == 0


def test_a_closed_till_sends_nothing_from_the_guard(till, sim, scheduler):
    till.charge(parse_phone("0712345678"), Amount(5000))
    scheduler.advance(121)
    till.stop_waiting()
    till.charge(parse_phone("0712345678"), Amount(5000))
    assert till.view.phase is Phase.GUARD
    calls = (sim.count("initiate"), sim.count("status"))
    till.shutdown()
    assert till.charge_anyway() is False
    assert till.guard_enter() is False
    assert till.check_earlier() is False
    assert (sim.count("initiate"), sim.count("status")) == calls


def test_every_open_attempt_is_checked_in_a_round_and_the_rounds_go_on(gateway, journal,
                                                                       scheduler, wall, sim):
    for n in (1, 2, 3):
        _old_attempt(journal, wall, f"MOPEN00000000000000{n}", 900 + n, S.PENDING)
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120, wall_clock=wall)
    till.start()
    scheduler.advance(20)
    assert sim.count("status") == 3  # one round: each once, spaced out
    scheduler.advance(BACKGROUND_ROUND_S * 2)
    assert sim.count("status") == 6  # and the next round
    till.shutdown()


def test_check_again_during_a_hung_check_goes_out_after_the_minimum_interval(
        gateway, journal, scheduler, sim):
    """*Check again* pressed while an earlier check hangs: the new one goes out once the
    minimum interval has passed (forced), not only after the stuck-check rule's 6 s."""
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import parse_phone
    from pos_app.till.charge import Phase, Till
    from pos_app.till.fakes import DeferredRunner
    from pos_app.till.sale import STUCK_CHECK_S

    runner = DeferredRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=30,
                wall_clock=scheduler.wall_clock())
    till.charge(parse_phone("0712345678"), Amount(5000))  # never answers
    runner.run_all()
    for _ in range(31):
        scheduler.advance(1)
        runner.run_all()
    assert till.view.phase is Phase.NO_ANSWER
    assert till.check_again()
    assert runner.in_flight == 1  # it hangs
    scheduler.advance(till.plan.min_interval_s)
    assert till.plan.min_interval_s < STUCK_CHECK_S
    assert till.check_again()
    assert runner.in_flight == 2  # the cashier's second ask went out anyway
    runner.run_all()
    till.shutdown()


def test_the_counter_backs_off_after_errors_but_never_past_8_s(gateway, journal, scheduler,
                                                               sim):
    """Five status errors in a row at the counter: the gaps grow (the outage is not hammered)
    and stop at the 8 s cap (the customer is standing there)."""
    from pos_app.clickpesa.simulator import Fault
    from pos_app.domain.evidence import COUNTER_MAX_RETRY_S
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import parse_phone
    from pos_app.till.charge import Till
    from pos_app.till.fakes import InlineRunner

    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=120,
                wall_clock=scheduler.wall_clock())
    till.charge(parse_phone("0712345678"), Amount(5000))  # never answers
    sim.inject("status", *[Fault(status=500, body={"message": "oops"})] * 5)
    times = []
    for _ in range(240):
        scheduler.advance(0.25)
        if sim.count("status") > len(times):
            times.append(scheduler.now())
    gaps = [round(b - a, 2) for a, b in zip(times, times[1:], strict=False)]
    assert gaps[:4] == [5.5, 8.0, 8.0, 8.0]  # 2.75 s x 2, then the cap
    assert max(gaps[:4]) == COUNTER_MAX_RETRY_S
    till.shutdown()


def test_a_failed_row_is_failed_whatever_its_amount_or_payer_says():
    """Only a paid row is matched against the sale: a FAILED row reporting collectedAmount 0
    (or another payer) is a failure, never *Needs attention* (a surviving mutant matched every
    row)."""
    from datetime import datetime

    from pos_app.clickpesa.replies import PaymentRow, status_from_rows
    from pos_app.domain.attempt import AttemptRecord, AttemptState
    from pos_app.till.follow import assess

    record = AttemptRecord(order_reference="MFAIL1", mode="training", phone="255712345676",
                           amount_tzs=5000, network_hint="",
                           state=AttemptState.PENDING, created_at=datetime.now().isoformat(),
                           updated_at=datetime.now().isoformat())
    for row in (PaymentRow("FAILED", collected_amount=0, order_reference="MFAIL1",
                           currency="TZS", message="Insufficient balance"),
                PaymentRow("FAILED", collected_amount=5000, order_reference="MFAIL1",
                           payer="255754999999", message="Cancelled")):
        verdict = assess(record, status_from_rows([row]), never_created_proven=False)
        assert verdict.state is AttemptState.FAILED, row
        assert verdict.mismatch is None
