"""Reconciling a day: the gateway's payment-list paging, the simulator's list, and the run
(`pos_app.till.closing`) for every mismatch kind, garbage pages and a 429 halfway."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import respx

from pos_app.clickpesa.errors import RateLimited, Reason, Unavailable
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.simulator import Fault, Simulator
from pos_app.domain.attempt import AttemptState
from pos_app.journal import Journal
from pos_app.till import closing

S = AttemptState
BASE = "https://api.clickpesa.com"
EAT = timezone(timedelta(hours=3))
DAY = date(2026, 12, 1)
LIST = f"{BASE}/third-parties/payments/all"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, 9, 0, tzinfo=EAT)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def book(tmp_path: Path, clock: Clock):
    j = Journal(tmp_path / "j.sqlite3", mode="live", now=clock)
    yield j
    j.close()


def add(book: Journal, clock: Clock, ref: str, state: AttemptState, *, amount: int = 5000,
        phone: str = "255712345671", at: datetime | None = None, cid: str = "") -> None:
    if at is not None:
        clock.at = at
    book.record_new(ref, phone=phone, amount_tzs=amount)
    if state is S.NEW:
        return
    if state in (S.PAID, S.FAILED, S.ATTENTION):
        book.transition(ref, S.PENDING, clickpesa_id=cid or "CP" + ref)
    book.transition(ref, state, clickpesa_id=cid or None)


def row(ref: str, status: str = "SUCCESS", amount: object = 5000, *,
        phone: str = "255712345671", currency: str = "TZS",
        created: str = "2026-12-01T07:00:00Z", cid: str = "") -> dict:
    return {"id": cid or "CP" + ref, "orderReference": ref, "status": status,
            "collectedAmount": amount, "collectedCurrency": currency,
            "paymentPhoneNumber": phone, "channel": "M-PESA", "paymentReference": "OP" + ref,
            "createdAt": created, "updatedAt": created, "message": ""}


class FakeList:
    """A respx side effect serving `rows` in pages, with optional faults per call."""

    def __init__(self, rows: list[dict], *, total: object = "auto",
                 faults: dict[int, httpx.Response] | None = None) -> None:
        self.rows, self.total, self.faults = rows, total, faults or {}
        self.requests: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        n = len(self.requests)
        self.requests.append(dict(request.url.params))
        if n in self.faults:
            return self.faults[n]
        skip, limit = int(request.url.params["skip"]), int(request.url.params["limit"])
        body: dict = {"data": self.rows[skip:skip + limit]}
        if self.total == "auto":
            body["totalCount"] = len(self.rows)
        elif self.total is not None:
            body["totalCount"] = self.total
        return httpx.Response(200, json=body)


def gateway_for(mock: respx.MockRouter, serve: FakeList) -> Gateway:
    mock.post(f"{BASE}/third-parties/generate-token").mock(
        return_value=httpx.Response(200, json={"success": True, "token": "Bearer T1"}))
    mock.get(LIST).mock(side_effect=serve)
    return Gateway(BASE, lambda: Credentials("ID1", "KEY1"))


def run(gw: Gateway, book: Journal, *, limit: int = 2, sleeps: list[float] | None = None):
    waited = sleeps if sleeps is not None else []
    return closing.reconcile_day(gw, book, DAY, limit=limit, sleep=waited.append)


def kinds(result: closing.DayReconciliation) -> dict[str, str]:
    return {f.order_reference: f.kind for f in result.findings}


# -- the gateway ----------------------------------------------------------------------------

def test_list_payments_sends_the_documented_query_and_reads_the_page():
    serve = FakeList([row("R1"), row("R2", "FAILED")])
    with respx.mock(assert_all_called=True) as mock:
        gw = gateway_for(mock, serve)
        page = gw.list_payments(date(2026, 11, 30), date(2026, 12, 2), skip=0, limit=50)
        gw.close()
    assert [r.order_reference for r in page.rows] == ["R1", "R2"]
    assert page.total_count == 2
    q = serve.requests[0]
    assert (q["startDate"], q["endDate"], q["skip"], q["limit"]) == \
        ("2026-11-30", "2026-12-02", "0", "50")


@pytest.mark.parametrize("body", [
    b"<html>502 bad gateway</html>", b"", json.dumps({"data": "none"}).encode(),
    json.dumps({"data": [1, 2]}).encode(), json.dumps({"data": [], "totalCount": -4}).encode(),
    json.dumps("ok").encode(),
])
def test_a_garbage_page_is_a_bad_reply_never_no_payments(body: bytes):
    serve = FakeList([], faults={0: httpx.Response(200, content=body,
                                                   headers={"content-type":
                                                            "application/json"})})
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        with pytest.raises(Unavailable) as err:
            gw.list_payments(DAY, DAY)
        gw.close()
    assert err.value.code is Reason.BAD_REPLY


def test_a_page_longer_than_asked_is_refused():
    serve = FakeList([row(f"R{i}") for i in range(5)])
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        mock.get(LIST).mock(return_value=httpx.Response(
            200, json={"data": [row(f"R{i}") for i in range(5)], "totalCount": 5}))
        with pytest.raises(Unavailable) as err:
            gw.list_payments(DAY, DAY, limit=2)
        gw.close()
    assert err.value.code is Reason.BAD_REPLY


def test_429_and_5xx_carry_their_reasons():
    serve = FakeList([], faults={0: httpx.Response(429, json={}, headers={"Retry-After": "7"}),
                                 1: httpx.Response(503, json={"message": "down"})})
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        with pytest.raises(RateLimited) as limited:
            gw.list_payments(DAY, DAY)
        with pytest.raises(Unavailable) as down:
            gw.list_payments(DAY, DAY)
        gw.close()
    assert limited.value.retry_after_s == 7.0 and limited.value.code is Reason.RATE_LIMITED
    assert down.value.code is Reason.SERVER_ERROR


# -- the run against respx --------------------------------------------------------------------

def test_every_mismatch_kind_and_other_systems(book: Journal, clock: Clock):
    t = datetime(2026, 12, 1, 10, 0, tzinfo=EAT)
    add(book, clock, "OK1", S.PAID, at=t, phone="255712345671")
    add(book, clock, "CPONLY", S.FAILED, at=t + timedelta(minutes=20))
    add(book, clock, "NOTSENT", S.NOT_SENT, at=t + timedelta(minutes=21),
        phone="255712345670")
    add(book, clock, "TILLONLY", S.PAID, at=t + timedelta(minutes=30), phone="255712345672")
    add(book, clock, "TILLFAIL", S.PAID, at=t + timedelta(minutes=31), phone="255712345673")
    add(book, clock, "AMT", S.PAID, at=t + timedelta(minutes=40), phone="255712345674")
    add(book, clock, "CUR", S.PAID, at=t + timedelta(minutes=41), phone="255712345675")
    add(book, clock, "PHONE", S.PAID, at=t + timedelta(minutes=42), phone="255712345676")
    add(book, clock, "TWO", S.PAID, at=t + timedelta(minutes=43), phone="255712345677")
    add(book, clock, "DBL1", S.PAID, at=t + timedelta(hours=2), phone="255754000111",
        amount=9000)
    add(book, clock, "DBL2", S.PAID, at=t + timedelta(hours=2, minutes=4),
        phone="255754000111", amount=9000)
    rows = [row("OK1"), row("CPONLY"), row("NOTSENT", "SETTLED", phone="255712345670"),
            row("TILLFAIL", "FAILED", phone="255712345673"),
            row("AMT", amount=500, phone="255712345674"),
            row("CUR", currency="KES", phone="255712345675"),
            row("PHONE", phone="255799999999"),
            row("TWO", phone="255712345677", cid="A"), row("TWO", phone="255712345677", cid="B"),
            row("DBL1", amount=9000, phone="255754000111"),
            row("DBL2", amount=9000, phone="255754000111"),
            row("WEBSHOP1"), row("WEBSHOP2", "FAILED")]
    with respx.mock() as mock:
        gw = gateway_for(mock, FakeList(rows))
        result = run(gw, book, limit=4)
        gw.close()
    assert kinds(result) == {
        "CPONLY": closing.PAID_AT_CLICKPESA_ONLY, "NOTSENT": closing.PAID_AT_CLICKPESA_ONLY,
        "TILLONLY": closing.PAID_IN_TILL_ONLY, "TILLFAIL": closing.PAID_IN_TILL_ONLY,
        "AMT": closing.AMOUNT, "CUR": closing.CURRENCY, "PHONE": closing.PHONE,
        "TWO": closing.TWO_PAID_ROWS, "DBL2": closing.DOUBLE_CHARGE}
    by_ref = {f.order_reference: f for f in result.findings}
    assert by_ref["DBL2"].other_reference == "DBL1"
    assert (by_ref["TILLFAIL"].till_status, by_ref["TILLFAIL"].clickpesa_status) == \
        ("PAID", "FAILED")
    assert (by_ref["TILLONLY"].clickpesa_status) == ""
    assert (by_ref["AMT"].till_value, by_ref["AMT"].clickpesa_value) == ("5000", "500")
    assert result.not_in_journal == 2
    assert result.clickpesa_rows == 13
    assert result.calls == 4  # 13 rows, 4 a page
    # Never "fixed": the journal still says what it said.
    assert book.get("CPONLY").state is S.FAILED
    assert book.get("TILLFAIL").state is S.PAID
    data = result.as_json()
    assert set(data) >= {"date", "clickpesa_rows", "matched", "resolved", "mismatches",
                         "not_in_journal"}
    assert data["matched"] == 2  # OK1 and DBL1


def test_unresolved_attempts_made_final_with_source_reconcile(book: Journal, clock: Clock):
    t = datetime(2026, 12, 1, 11, 0, tzinfo=EAT)
    add(book, clock, "OPEN1", S.NEW, at=t)
    add(book, clock, "OPEN2", S.NEW, at=t + timedelta(minutes=1), phone="255712345672")
    book.transition("OPEN2", S.PENDING)
    add(book, clock, "OPEN3", S.NEW, at=t + timedelta(minutes=2), phone="255712345673")
    add(book, clock, "OPEN4", S.NEW, at=t + timedelta(minutes=3), phone="255712345674")
    add(book, clock, "OPEN5", S.NEW, at=t + timedelta(minutes=4), phone="255712345675")
    rows = [row("OPEN1"), row("OPEN2", "FAILED", phone="255712345672"),
            row("OPEN3", "PROCESSING", phone="255712345673"),
            row("OPEN4", amount=4000, phone="255712345674")]  # paid, but not this payment
    with respx.mock() as mock:
        gw = gateway_for(mock, FakeList(rows))
        result = run(gw, book)
        again = run(gw, book)
        gw.close()
    assert sorted(result.resolved) == ["OPEN1", "OPEN2", "OPEN4"]
    assert book.get("OPEN1").state is S.PAID
    assert book.get("OPEN1").payment_reference == "OPOPEN1"
    assert book.get("OPEN2").state is S.FAILED
    assert book.get("OPEN3").state is S.NEW  # still processing at ClickPesa
    assert book.get("OPEN4").state is S.ATTENTION  # a person must look, never PAID
    assert book.get("OPEN5").state is S.NEW  # not listed is no proof of anything
    steps = book.timeline("OPEN1")
    assert steps[-1].source == "reconcile" and steps[-1].to_state == "PAID"
    assert again.resolved == ()  # a second run writes nothing twice
    assert len(book.timeline("OPEN1")) == len(steps)


def test_paging_asks_for_every_page_and_merges_a_shifted_row(book: Journal, clock: Clock):
    rows = [row(f"W{i}", created=f"2026-12-01T0{i % 10}:00:00Z") for i in range(7)]
    serve = FakeList(rows)
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        result = run(gw, book, limit=3)
        gw.close()
    assert [q["skip"] for q in serve.requests] == ["0", "3", "6"]
    assert all(q["startDate"] == "2026-11-30" and q["endDate"] == "2026-12-02"
               for q in serve.requests)
    assert result.not_in_journal == 7 and result.is_clean


def test_without_total_count_it_reads_until_a_short_page(book: Journal, clock: Clock):
    serve = FakeList([row(f"W{i}") for i in range(5)], total=None)
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        result = run(gw, book, limit=2)
        gw.close()
    assert [q["skip"] for q in serve.requests] == ["0", "2", "4"]
    assert result.clickpesa_rows == 5


def test_a_429_halfway_waits_and_resumes_at_that_page(book: Journal, clock: Clock):
    t = datetime(2026, 12, 1, 12, 0, tzinfo=EAT)
    for i in range(5):
        add(book, clock, f"H{i}", S.NEW, at=t + timedelta(minutes=i), phone=f"25571234567{i}")
    rows = [row(f"H{i}", phone=f"25571234567{i}") for i in range(5)]
    serve = FakeList(rows, faults={1: httpx.Response(429, json={"message": "slow down"},
                                                     headers={"Retry-After": "12"})})
    sleeps: list[float] = []
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        result = run(gw, book, limit=2, sleeps=sleeps)
        gw.close()
    assert sleeps == [12.0]
    assert [q["skip"] for q in serve.requests] == ["0", "2", "2", "4"]
    assert sorted(result.resolved) == [f"H{i}" for i in range(5)]
    for i in range(5):
        paid = [s for s in book.timeline(f"H{i}") if s.to_state == "PAID"]
        assert len(paid) == 1 and paid[0].source == "reconcile"


def test_429s_that_do_not_stop_give_up_and_change_nothing(book: Journal, clock: Clock):
    add(book, clock, "G1", S.NEW, at=datetime(2026, 12, 1, 12, 0, tzinfo=EAT))
    limited = httpx.Response(429, json={}, headers={"Retry-After": "1"})
    serve = FakeList([row("G1"), row("X"), row("Y")],
                     faults={n: limited for n in range(1, 10)})
    sleeps: list[float] = []
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        with pytest.raises(closing.ReconcileFailed):
            run(gw, book, limit=2, sleeps=sleeps)
        gw.close()
    assert len(sleeps) == closing.MAX_RATE_LIMIT_WAITS
    assert book.get("G1").state is S.NEW  # the first page had it paid: not applied


def test_a_garbage_page_halfway_stops_the_run_without_writing(book: Journal, clock: Clock):
    add(book, clock, "G1", S.NEW, at=datetime(2026, 12, 1, 12, 0, tzinfo=EAT))
    serve = FakeList([row("G1"), row("X"), row("Y")],
                     faults={1: httpx.Response(200, content=b"{\"data\": {}}",
                                               headers={"content-type": "application/json"})})
    with respx.mock() as mock:
        gw = gateway_for(mock, serve)
        with pytest.raises(closing.ReconcileFailed) as err:
            run(gw, book, limit=2)
        gw.close()
    assert "Nothing was changed" in str(err.value)
    assert book.get("G1").state is S.NEW


def test_near_midnight_a_sale_is_not_another_system(book: Journal, clock: Clock):
    # Sold at 23:50 EAT on the 1st: ClickPesa (UTC) dates it 20:50Z on the 1st, or lists it
    # on the 2nd in another reading; the margin day catches both.
    add(book, clock, "LATE", S.PAID, at=datetime(2026, 12, 1, 23, 50, tzinfo=EAT))
    with respx.mock() as mock:
        gw = gateway_for(mock, FakeList([row("LATE", created="2026-12-01T20:50:00Z")]))
        result = run(gw, book)
        gw.close()
    assert result.is_clean and result.not_in_journal == 0 and result.matched == 1


def test_cost_is_said_from_the_journal():
    assert closing.estimate_cost(0, 50).calls == 2
    assert closing.estimate_cost(120, 50).calls == 4
    assert closing.estimate_cost(120, 50, token_cached=True).calls == 3


# -- the run against the simulator ------------------------------------------------------------

def test_against_the_simulator(book: Journal, clock: Clock, scheduler):
    sim = Simulator(clock=scheduler.now)
    gw = Gateway(BASE, lambda: Credentials("ID1", "KEY1"), transport=sim.transport(),
                 clock=scheduler.now)
    t = datetime(2026, 12, 1, 9, 30, tzinfo=EAT)
    add(book, clock, "SIMPAID", S.PAID, at=t, phone="255712345671", cid="SIMA")
    add(book, clock, "SIMOPEN", S.NEW, at=t + timedelta(minutes=1), phone="255712345672")
    add(book, clock, "SIMFAIL", S.FAILED, at=t + timedelta(minutes=2), phone="255712345673")
    sim.remember("SIMPAID", "255712345671", 5000, created_wall=t, clickpesa_id="SIMA")
    sim.remember("SIMOPEN", "255712345672", 5000, created_wall=t + timedelta(minutes=1))
    sim.remember("SIMFAIL", "255712345673", 5000, created_wall=t + timedelta(minutes=2),
                 status="SUCCESS")
    sim.remember("ELSE", "255712345674", 700, created_wall=t)
    sim.remember("OLD", "255712345674", 700, created_wall=t - timedelta(days=5))
    sim.inject("list", Fault(status=429, body={"message": "Too many"},
                             headers={"Retry-After": "3"}))
    sleeps: list[float] = []
    result = closing.reconcile_day(gw, book, DAY, limit=2, sleep=sleeps.append)
    gw.close()
    assert sleeps == [3.0]
    assert result.resolved == ("SIMOPEN",)
    assert book.get("SIMOPEN").state is S.PAID
    assert kinds(result) == {"SIMFAIL": closing.PAID_AT_CLICKPESA_ONLY}
    assert result.not_in_journal == 1  # ELSE; OLD is outside the days asked for
    assert sim.count("list") == 3  # 4 rows, 2 a page, and the page the 429 refused
