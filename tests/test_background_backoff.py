"""An attempt ClickPesa never makes final is re-checked at growing intervals, not every round.

Found by the API-economy benchmark: with one check per attempt every 2-minute round, a day's
never-answered pushes cost ~250 background calls an hour by closing time.
"""

from __future__ import annotations

from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.till.charge import BACKGROUND_MAX_GAP_S, BACKGROUND_ROUND_S, Phase, Till
from pos_app.till.fakes import InlineRunner


def _abandoned(gateway, journal, scheduler, sim):
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=90)
    till.charge(parse_phone("0712345678"), Amount(5000))  # 8: never answers
    scheduler.advance(91)
    assert till.view.phase is Phase.NO_ANSWER
    assert till.stop_waiting()
    return till, sim.count("status")


def _status_times(sim) -> list[float]:
    return [c.at for c in sim.calls if c.endpoint == "status"]


def test_background_checks_of_one_attempt_spread_out(gateway, journal, scheduler, sim):
    till, before = _abandoned(gateway, journal, scheduler, sim)
    scheduler.advance(2 * 3600)
    times = _status_times(sim)[before:]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert 5 <= len(times) <= 12  # every round (120 s) would be ~60
    assert gaps == sorted(gaps)  # never closer together than the time before
    assert gaps[0] >= BACKGROUND_ROUND_S
    assert max(gaps) <= BACKGROUND_MAX_GAP_S + BACKGROUND_ROUND_S + 1
    till.shutdown()


def test_asking_for_a_recheck_checks_at_once(gateway, journal, scheduler, sim):
    till, before = _abandoned(gateway, journal, scheduler, sim)
    scheduler.advance(3600)
    count = sim.count("status")
    till.start_background(0.0)  # the menu's "Re-check unresolved payments"
    scheduler.advance(1)
    assert sim.count("status") == count + 1
    till.shutdown()


def test_a_second_look_that_cannot_reach_clickpesa_waits_its_back_off_quietly(
        gateway, journal, scheduler, sim):
    """A FAILED attempt's one more look meets a broken connection: it is asked again after
    the background back-off, and the re-checker does not spin reading the journal meanwhile."""
    import httpx

    from pos_app.clickpesa.simulator import Fault
    from pos_app.domain.evidence import SECOND_LOOK_AFTER_S
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import parse_phone
    from pos_app.till.charge import Phase, Till
    from pos_app.till.fakes import InlineRunner

    runner = InlineRunner()
    till = Till(gateway, journal, runner, scheduler, patience_s=120,
                wall_clock=scheduler.wall_clock())
    till.charge(parse_phone("0712345676"), Amount(5000))  # fails after 10 s
    scheduler.advance(15)
    assert till.view.phase is Phase.FAILED
    till.new_sale()
    sim.inject("status", *[Fault(error=httpx.ConnectError)] * 3)
    scheduler.advance(SECOND_LOOK_AFTER_S + 5)
    jobs = runner.jobs
    scheduler.advance(100)  # inside the first back-off (2 minutes)
    assert runner.jobs - jobs <= 3
    till.shutdown()
