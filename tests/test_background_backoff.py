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
