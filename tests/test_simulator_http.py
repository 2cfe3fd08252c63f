"""The simulator over loopback HTTP speaks to the real Gateway exactly like the mock transport."""

from __future__ import annotations

import httpx
import pytest

from pos_app.clickpesa.errors import Unclear
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.simulator import Fault, Simulator
from pos_app.clickpesa.simulator_http import SimulatorServer
from pos_app.domain.attempt import Verdict
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone


@pytest.fixture
def served(scheduler):
    arrivals: list[tuple[str, str, float]] = []
    sim = Simulator(clock=scheduler.now)
    with SimulatorServer(sim, on_arrival=lambda m, p, t: arrivals.append((m, p, t))) as server:
        gw = Gateway(server.url, lambda: Credentials("ID", "KEY"))
        yield sim, gw, arrivals
        gw.close()


def test_token_push_and_status_over_http(served, scheduler):
    sim, gw, arrivals = served
    assert gw.ensure_token().startswith("Bearer ")
    accepted = gw.initiate("HTTPREF1", parse_phone("0712345671"), Amount(5000))
    assert accepted.status == "PROCESSING"
    assert gw.status("HTTPREF1").verdict is Verdict.WAITING
    scheduler.advance(20)  # customer 1 pays after 12 s
    assert gw.status("HTTPREF1").verdict is Verdict.PAID
    assert gw.status("NOSUCHREF") is None  # 404
    assert [p for _, p, _ in arrivals][:2] == ["/third-parties/generate-token",
                                               "/third-parties/payments/"
                                               "initiate-ussd-push-request"]
    assert sim.count("status") == 3


def test_a_lost_reply_drops_the_connection(served):
    sim, gw, _ = served
    gw.ensure_token()
    sim.inject("initiate", Fault(error=httpx.ReadTimeout, after_acting=True))
    with pytest.raises(Unclear):
        gw.initiate("HTTPREF2", parse_phone("0712345671"), Amount(5000))
    assert "HTTPREF2" in sim.payments  # it arrived; only the answer was lost
