"""The fault matrix: every way ClickPesa, the network, the keyring or the process can fail.

Each row drives the till against the simulator with one fault injected and then runs the same
invariant checker (`Recorder.check`), which fails the row if any attempt was

- pushed twice (the simulator received more than one initiate per order reference, or one sale
  led to pushes under two references),
- pushed before it was in the journal, or lost (the simulator holds a payment the journal does
  not),
- shown or journalled as paid when the simulator's payment is not SUCCESS/SETTLED,
- shown or journalled as failed when it may have been paid (the simulator has a payment for the
  reference that is not FAILED).

The table in docs/fault-matrix.md lists every row id used here; a test keeps the two in step.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import FAKE_API_KEY, FAKE_CHECKSUM_KEY, FAKE_CLIENT_ID

from pos_app.clickpesa import api
from pos_app.clickpesa.gateway import Credentials, CredentialSource, Gateway
from pos_app.clickpesa.simulator import (
    CustomerOutcome,
    Fault,
    SimPayment,
    Simulator,
    customer_by_last_digit,
)
from pos_app.credentials import CredentialStore, KeyringUnavailable
from pos_app.domain.attempt import AttemptState
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.journal import Journal, JournalError
from pos_app.journal.export import write_csv
from pos_app.till.charge import ChargeView, Phase, Problem, Till
from pos_app.till.fakes import InlineRunner, ManualScheduler

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "fault-matrix.md"
BASE_URL = "https://api.clickpesa.com"
PATIENCE_S = 120  # the default

# Phases that claim something about the money.
_SAYS_PAID = {Phase.PAID}
_SAYS_NOT_PAID = {Phase.FAILED, Phase.NOT_SENT}

PAID_STATUSES = frozenset({"SUCCESS", "SETTLED"})  # the documented vocabulary, as the oracle


def phone(last: int):
    return parse_phone(f"071234567{last}")


# -- the shared invariant checker ----------------------------------------------------------


@dataclass
class Sent:
    endpoint: str
    reference: str
    answer: int | str  # HTTP status, or the name of the exception the call raised


class Recorder:
    """Sits between the gateway and the simulator: sees every request the till sends, and
    checks every view and background result against the simulator's truth as it happens."""

    def __init__(self, sim: Simulator, journal: Journal) -> None:
        self.sim = sim
        self.journal = journal
        self.sent: list[Sent] = []
        self.violations: list[str] = []
        self.views: list[ChargeView] = []
        self.background: list[Any] = []
        self.charges = 0

    # what the simulator really holds, right now
    def truth(self, ref: str) -> str | None:
        payment = self.sim.payments.get(ref)
        return None if payment is None else payment.status_at(self.sim.clock())[0]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith(api.INITIATE_PATH):
            endpoint = "initiate"
            try:
                ref = str(json.loads(request.content).get("orderReference", ""))
            except ValueError:
                ref = ""
            record = self.journal.get(ref)
            if record is None or record.state is not AttemptState.NEW:
                self.violations.append(f"push for {ref} left before the journal held it as NEW "
                                       f"(journal: {record.state if record else None})")
        elif path.endswith(api.TOKEN_PATH):
            endpoint, ref = "token", ""
        elif path.endswith(api.PREVIEW_PATH):
            endpoint, ref = "preview", ""
        else:
            endpoint, ref = "status", path.rsplit("/", 1)[-1]
        try:
            response = self.sim.handle(request)
        except Exception as exc:
            self.sent.append(Sent(endpoint, ref, type(exc).__name__))
            raise
        self.sent.append(Sent(endpoint, ref, response.status_code))
        return response

    def gateway(self, clock: Callable[[], float],
                credentials: CredentialSource | None = None) -> Gateway:
        creds = Credentials(FAKE_CLIENT_ID, FAKE_API_KEY, FAKE_CHECKSUM_KEY)
        return Gateway(BASE_URL, credentials or (lambda: creds), transport=self.transport(),
                       clock=clock)

    def on_view(self, view: ChargeView) -> None:
        self.views.append(view)
        if view.reference:
            self._judge(f"view {view.phase.name}", view.reference,
                        paid=view.phase in _SAYS_PAID, not_paid=view.phase in _SAYS_NOT_PAID)

    def on_background(self, changed: Any, unresolved: Any) -> None:
        self.background.append((changed, unresolved))
        if changed is not None:
            self._judge_state("background", changed.order_reference, changed.state)

    def _judge_state(self, where: str, ref: str, state: AttemptState) -> None:
        self._judge(f"{where} {state.name}", ref, paid=state is AttemptState.PAID,
                    not_paid=state in (AttemptState.FAILED, AttemptState.NOT_SENT))

    def _judge(self, what: str, ref: str, *, paid: bool, not_paid: bool) -> None:
        truth = self.truth(ref)
        if paid and truth not in PAID_STATUSES:
            self.violations.append(f"{what} for {ref}, but ClickPesa says {truth}")
        if not_paid and truth not in (None, "FAILED"):
            self.violations.append(f"{what} for {ref}, but ClickPesa has it as {truth}: "
                                   "it may have been paid")

    def pushes(self, ref: str) -> list[Sent]:
        """Initiates for `ref` that ClickPesa may have acted on (a 401 created nothing)."""
        return [s for s in self.sent
                if s.endpoint == "initiate" and s.reference == ref and s.answer != 401]

    def export_rows(self) -> dict[str, dict[str, str]]:
        out = io.StringIO()
        write_csv(self.journal.attempts(), out)
        return {r["order_reference"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}

    def check(self) -> None:
        """The invariants every row of the matrix must keep."""
        problems = list(self.violations)
        # (a) never pushed twice
        refs = {s.reference for s in self.sent if s.endpoint == "initiate"}
        for ref in refs:
            if len(self.pushes(ref)) > 1:
                problems.append(f"{ref} was pushed {len(self.pushes(ref))} times")
            if sum(1 for s in self.sent if s.endpoint == "initiate" and s.reference == ref) > 2:
                problems.append(f"{ref} was sent more than once after a 401")
        if len(refs) > self.charges:
            problems.append(f"{self.charges} sale(s) led to pushes under {len(refs)} references")
        # (b) nothing lost: every payment ClickPesa created, and every push, is in the journal
        for ref in set(self.sim.payments) | refs:
            if self.journal.get(ref) is None:
                problems.append(f"{ref} reached ClickPesa but is not in the journal")
        # (c)/(d) the journal and the export never claim more than ClickPesa knows
        export = self.export_rows()
        for record in self.journal.attempts():
            ref = record.order_reference
            self._judge_state("journal", ref, record.state)
            status = export[ref]["status"]
            self._judge(f"export {status}", ref, paid=status == "PAID",
                        not_paid=status == "FAILED")
        problems = list(dict.fromkeys(problems + self.violations))
        assert not problems, "\n".join(problems)


@pytest.fixture
def rec(sim, journal) -> Recorder:
    return Recorder(sim, journal)


def wall_clock_of(scheduler: ManualScheduler) -> Callable[[], datetime]:
    """A wall clock that moves with the manual clock (journal times and proofs agree)."""
    return scheduler.wall_clock()


def make_till(rec: Recorder, scheduler: ManualScheduler,
              credentials: CredentialSource | None = None) -> Till:
    return Till(rec.gateway(scheduler.now, credentials), rec.journal, InlineRunner(), scheduler,
                patience_s=PATIENCE_S, on_view=rec.on_view, on_background=rec.on_background,
                wall_clock=wall_clock_of(scheduler))


def charge(rec: Recorder, till: Till, last_digit: int, amount: int = 5000) -> str:
    assert till.charge(phone(last_digit), Amount(amount))
    rec.charges += 1
    return till.view.reference


def run(scheduler: ManualScheduler, seconds: int,
        each_second: Callable[[int], None] | None = None) -> None:
    for second in range(1, seconds + 1):
        scheduler.advance(1)
        if each_second:
            each_second(second)


# -- the matrix ------------------------------------------------------------------------------


def _msg(text: str) -> dict[str, str]:
    return {"message": text}


HTML = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"


def _pays_at_once(phone_digits: str, amount: int) -> CustomerOutcome:
    return CustomerOutcome("SUCCESS", 0, "Payment received")


def _fails_at_once(phone_digits: str, amount: int) -> CustomerOutcome:
    return CustomerOutcome("FAILED", 0, "Insufficient balance")


def _rows(ref_placeholder: str, *rows: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": f"CP{i}", "status": status, "orderReference": ref_placeholder,
             "collectedAmount": 5000, "collectedCurrency": "TZS", "message": "",
             "updatedAt": at, "createdAt": "2026-05-01T10:00:00Z"}
            for i, (status, at) in enumerate(rows)]


@dataclass(frozen=True)
class Row:
    id: str
    endpoint: str  # where the faults go ("" for none)
    faults: tuple[Fault, ...]
    phase: Phase  # what the cashier sees in the end
    journal: AttemptState | None  # the journal's state in the end (None: no row at all)
    problem: Problem | None = None
    reason: str = ""  # text the cashier reads after "Authentication failed:"/"…failed:"
    last_digit: int = 1  # the simulated customer (1 pays after 12 s)
    pushes: int = 1  # initiate requests ClickPesa may have acted on (a 401 created nothing)
    created: bool = True  # whether ClickPesa ends up holding a payment for the reference
    tokens: int | None = None  # token calls, when that is the point of the row
    seconds: int = 110  # past the "never created" window (90 s after a quick push)
    customer: Callable[[str, int], CustomerOutcome] | None = None
    # status replies that need the order reference: built when the push is known
    status_body: Callable[[str], Any] | None = None
    status_times: int = 40
    at_second: dict[int, Callable[[Simulator], None]] = field(default_factory=dict)


def _answer(code: int, message: str) -> Fault:
    return Fault(status=code, body=_msg(message))


TOKEN_ROWS = [
    Row("token-401-unauthorized", "token", (_answer(401, "Unauthorized"),),
        Phase.NOT_SENT, None, Problem.AUTH, "Unauthorized", pushes=0, created=False),
    Row("token-403-invalid-client-details", "token", (_answer(403, "Invalid client details"),),
        Phase.NOT_SENT, None, Problem.AUTH, "Invalid client details", pushes=0, created=False),
    Row("token-403-invalid-or-expired-api-key", "token",
        (_answer(403, "Invalid or Expired API-Key"),),
        Phase.NOT_SENT, None, Problem.AUTH, "Invalid or Expired API-Key", pushes=0, created=False),
    Row("token-403-unauthorized-api-key", "token", (_answer(403, "Unauthorized API-Key"),),
        Phase.NOT_SENT, None, Problem.AUTH, "Unauthorized API-Key", pushes=0, created=False),
    Row("token-500", "token", (_answer(500, "Internal server error"),),
        Phase.NOT_SENT, None, Problem.UNAVAILABLE, "HTTP 500", pushes=0, created=False),
    Row("token-timeout", "token", (Fault(error=httpx.ReadTimeout),),
        Phase.NOT_SENT, None, Problem.UNAVAILABLE, "did not answer in time", pushes=0,
        created=False),
    Row("token-connect-timeout", "token", (Fault(error=httpx.ConnectTimeout),),
        Phase.NOT_SENT, None, Problem.OFFLINE, "No connection", pushes=0, created=False),
    Row("token-html-instead-of-json", "token",
        (Fault(status=200, body=HTML, content_type="text/html"),),
        Phase.NOT_SENT, None, Problem.UNAVAILABLE, "web page", pushes=0, created=False),
]

PUSH_400 = [
    "Invalid / unsupported phone number",
    "Valid Client ID is required",
    "Application has no access to COLLECTION API feature. Enable it on your application.",
    "Invalid Order Reference, should only contain alphanumeric characters and cannot be blank",
    "Order Reference should be less than or equal to 20 characters",
]
PUSH_404 = ["Account has no payment collection methods", "Account has no valid payment method"]


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words[:5])


PUSH_ROWS = [
    *(Row(f"push-400-{_slug(m)}", "initiate", (_answer(400, m),), Phase.NOT_SENT,
          AttemptState.NOT_SENT, Problem.REJECTED, m, created=False) for m in PUSH_400),
    *(Row(f"push-404-{_slug(m)}", "initiate", (_answer(404, m),), Phase.NOT_SENT,
          AttemptState.NOT_SENT, Problem.REJECTED, m, created=False) for m in PUSH_404),
    Row("push-409-reference-already-used", "initiate",
        (_answer(409, "Order reference X already used: Create a different reference"),),
        Phase.ATTENTION, AttemptState.ATTENTION, Problem.DUPLICATE, "already used",
        created=False),
    Row("push-429", "initiate",
        (Fault(status=429, body=b"", headers={"Retry-After": "30"}),),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.NEVER_ARRIVED, created=False),
    Row("push-500-error-validating-fee", "initiate",
        (_answer(500, "Error validating fee, try again later"),),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.NEVER_ARRIVED, created=False),
    Row("push-500-after-server-acted", "initiate",
        (Fault(status=500, body=_msg("Internal server error"), after_acting=True),),
        Phase.PAID, AttemptState.PAID),
    Row("push-timeout-before-server", "initiate", (Fault(error=httpx.WriteTimeout),),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.NEVER_ARRIVED, created=False),
    Row("push-timeout-after-server-received", "initiate",
        (Fault(error=httpx.ReadTimeout, after_acting=True),), Phase.PAID, AttemptState.PAID),
    Row("push-timeout-after-server-received-customer-fails", "initiate",
        (Fault(error=httpx.ReadTimeout, after_acting=True),), Phase.FAILED,
        AttemptState.FAILED, last_digit=6),
    Row("push-timeout-after-server-received-no-answer", "initiate",
        (Fault(error=httpx.ReadTimeout, after_acting=True),), Phase.NO_ANSWER,
        AttemptState.PENDING, last_digit=8, seconds=130),
    Row("push-connection-reset-before-server", "initiate", (Fault(error=httpx.WriteError),),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.NEVER_ARRIVED, created=False),
    Row("push-connection-reset-after-server-received", "initiate",
        (Fault(error=httpx.ReadError, after_acting=True),), Phase.PAID, AttemptState.PAID),
    Row("push-connection-dropped-after-server-received", "initiate",
        (Fault(error=httpx.RemoteProtocolError, after_acting=True),), Phase.PAID,
        AttemptState.PAID),
    Row("push-connect-refused", "initiate", (Fault(error=httpx.ConnectError),),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.OFFLINE, created=False),
    Row("push-200-html-after-server-acted", "initiate",
        (Fault(status=200, body=HTML, content_type="text/html", after_acting=True),),
        Phase.PAID, AttemptState.PAID),
    Row("push-401-token-revoked-renewed-once", "initiate", (_answer(401, "Unauthorized"),),
        Phase.PAID, AttemptState.PAID, tokens=2),
    Row("push-401-twice", "initiate",
        (_answer(401, "Unauthorized"), _answer(401, "Unauthorized")),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.AUTH, "Unauthorized", pushes=0,
        created=False, tokens=2),
    Row("push-timeout-then-status-unreachable", "initiate",
        (Fault(error=httpx.ReadTimeout, after_acting=True),), Phase.NO_ANSWER,
        AttemptState.UNCERTAIN, seconds=130,
        at_second={1: lambda sim: sim.inject("status", *[_answer(503, "Service Unavailable")]
                                             * 40)}),
]

STATUS_ROWS = [
    Row("status-404-right-after-push", "status",
        (_answer(404, "Invalid or missing payment: X"),), Phase.PAID, AttemptState.PAID),
    Row("status-404-after-broken-push", "initiate", (Fault(error=httpx.ReadTimeout),),
        Phase.NOT_SENT, AttemptState.NOT_SENT, Problem.NEVER_ARRIVED, created=False),
    Row("status-empty-array", "status", (Fault(status=200, body=[]),) * 3,
        Phase.PAID, AttemptState.PAID),
    Row("status-several-rows-latest-paid", "status", (), Phase.PAID, AttemptState.PAID,
        customer=_pays_at_once,
        status_body=lambda ref: _rows(ref, ("SUCCESS", "2026-05-01T10:00:40Z"),
                                      ("PROCESSING", "2026-05-01T10:00:05Z"),
                                      ("FAILED", "2026-05-01T09:59:00Z"))),
    Row("status-several-rows-disagree", "status", (), Phase.ATTENTION, AttemptState.ATTENTION,
        customer=_pays_at_once,
        status_body=lambda ref: _rows(ref, ("SUCCESS", "2026-05-01T10:00:20Z"),
                                      ("FAILED", "2026-05-01T10:00:40Z"))),
    Row("status-several-rows-all-failed", "status", (), Phase.FAILED, AttemptState.FAILED,
        customer=_fails_at_once,
        status_body=lambda ref: _rows(ref, ("FAILED", "2026-05-01T10:00:20Z"),
                                      ("FAILED", "2026-05-01T10:00:40Z"))),
    Row("status-unknown-status", "status", (), Phase.ATTENTION, AttemptState.ATTENTION,
        last_digit=8,
        status_body=lambda ref: _rows(ref, ("AUTHORISED", "2026-05-01T10:00:20Z"))),
    Row("status-rows-for-another-reference-only", "status", (), Phase.PAID, AttemptState.PAID,
        status_times=2,
        status_body=lambda ref: _rows("MOTHERREF0000000001", ("SUCCESS",
                                                              "2026-05-01T10:00:20Z"))),
    Row("status-html-instead-of-json", "status",
        (Fault(status=200, body=HTML, content_type="text/html"),) * 2, Phase.PAID,
        AttemptState.PAID),
    Row("status-not-json", "status", (Fault(status=200, body=b"{'status': SUCCESS"),) * 2,
        Phase.PAID, AttemptState.PAID),
    Row("status-401-after-token-expiry-mid-poll", "", (), Phase.PAID, AttemptState.PAID,
        tokens=2, at_second={9: lambda sim: sim.expire_tokens()}),
    Row("status-401-even-with-fresh-token", "status",
        (_answer(401, "Unauthorized"), _answer(401, "Unauthorized")), Phase.PAID,
        AttemptState.PAID, tokens=3),  # the second 401 drops the token: the next check renews
    Row("status-500", "status", (_answer(500, "Internal server error"),) * 2, Phase.PAID,
        AttemptState.PAID),
    Row("status-429-retry-after", "status",
        (Fault(status=429, body=_msg("Too many requests"), headers={"Retry-After": "20"}),),
        Phase.PAID, AttemptState.PAID),
    Row("status-timeout", "status", (Fault(error=httpx.ReadTimeout),) * 2, Phase.PAID,
        AttemptState.PAID),
    Row("status-connection-reset", "status", (Fault(error=httpx.ReadError),) * 2, Phase.PAID,
        AttemptState.PAID),
    Row("customer-never-answers", "", (), Phase.NO_ANSWER, AttemptState.PENDING,
        last_digit=8, seconds=130),
]


MATRIX = TOKEN_ROWS + PUSH_ROWS + STATUS_ROWS


@pytest.mark.parametrize("row", MATRIX, ids=[r.id for r in MATRIX])
def test_fault_matrix(row: Row, rec: Recorder, sim: Simulator, scheduler: ManualScheduler,
                      journal: Journal) -> None:
    if row.customer:
        sim.customer = row.customer
    if row.endpoint and row.faults:
        sim.inject(row.endpoint, *row.faults)
    till = make_till(rec, scheduler)
    ref = charge(rec, till, row.last_digit)
    if row.status_body:
        sim.inject("status", *[Fault(status=200, body=row.status_body(ref))] * row.status_times)

    run(scheduler, row.seconds,
        lambda s: row.at_second[s](sim) if s in row.at_second else None)

    rec.check()
    view = till.view
    assert view.phase is row.phase, (view.phase, view.problem, view.reason)
    if row.problem is not None:
        assert view.problem is row.problem
    if row.reason:
        assert row.reason in view.reason
    record = journal.get(ref)
    if row.journal is None:
        assert record is None
        assert sim.count("initiate") == 0 and not sim.payments
    else:
        assert record is not None and record.state is row.journal
    assert len(rec.pushes(ref)) == row.pushes
    assert (ref in sim.payments) is row.created
    if row.tokens is not None:
        assert sim.count("token") == row.tokens
    rec.check()
    # Nothing more leaves once the outcome is on screen.
    initiates = sim.count("initiate")
    run(scheduler, 200)
    assert sim.count("initiate") == initiates
    rec.check()


def test_every_matrix_row_is_in_the_docs() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [r.id for r in MATRIX if f"`{r.id}`" not in text]
    missing += [name for name in EXTRA_ROWS + KILLED_IDS if f"`{name}`" not in text]
    assert not missing, f"docs/fault-matrix.md lacks rows: {missing}"


# -- rows that need more than one fault and a clock ---------------------------------------


def test_no_answer_then_stop_waiting_is_rechecked_in_background(rec, sim, scheduler, journal):
    """Patience runs out while the status endpoint is down; the cashier moves on; the
    background re-check later finds the payment and journals it as paid."""
    sim.inject("initiate", Fault(error=httpx.ReadTimeout, after_acting=True))
    sim.inject("status", *[_answer(503, "Service Unavailable")] * 40)
    till = make_till(rec, scheduler)
    ref = charge(rec, till, 1)
    run(scheduler, PATIENCE_S + 5)
    assert till.view.phase is Phase.NO_ANSWER
    assert journal.get(ref).state is AttemptState.UNCERTAIN
    assert till.stop_waiting()
    assert till.view.phase is Phase.IDLE
    assert [r.order_reference for r in journal.unresolved()] == [ref]
    rec.check()
    sim._faults.clear()  # ClickPesa is back
    run(scheduler, 200)
    assert journal.get(ref).state is AttemptState.PAID
    assert any(changed is not None and changed.order_reference == ref
               for changed, _ in rec.background)
    rec.check()


def test_check_again_after_no_answer_never_pushes(rec, sim, scheduler, journal):
    till = make_till(rec, scheduler)
    ref = charge(rec, till, 8)
    run(scheduler, PATIENCE_S + 1)
    assert till.view.phase is Phase.NO_ANSWER
    for _ in range(3):
        assert till.check_again()
        run(scheduler, 3)
    assert till.view.phase is Phase.NO_ANSWER
    assert len(rec.pushes(ref)) == 1
    assert journal.get(ref).state is AttemptState.PENDING
    rec.check()


def test_charge_is_refused_while_one_is_under_way(rec, sim, scheduler, journal):
    sim.inject("initiate", Fault(error=httpx.ReadTimeout, after_acting=True))
    till = make_till(rec, scheduler)
    charge(rec, till, 5)  # pays after 50 s
    for state_seconds in (0, 2, 5, 10, 30):  # sending, confirming, waiting…
        run(scheduler, state_seconds)
        assert not till.charge(phone(2), Amount(7000))
        assert not till.new_sale()
    run(scheduler, 30)
    assert till.view.phase is Phase.PAID
    assert sim.count("initiate") == 1
    rec.check()


# -- the keyring and the journal ------------------------------------------------------------


def _nothing_sent(sim: Simulator, journal: Journal) -> None:
    assert sim.calls == []
    assert journal.attempts() == []


def _refused_for_credentials(rec, till, scheduler, sim, journal, reason: str) -> None:
    """A charge with unusable credentials: Not sent, the reason in words, nothing sent."""
    charge(rec, till, 1)
    run(scheduler, 20)
    assert till.view.phase is Phase.NOT_SENT
    assert till.view.problem is Problem.CREDENTIALS
    assert reason in till.view.reason
    _nothing_sent(sim, journal)
    rec.check()


def test_no_keyring_backend(no_keyring, rec, sim, scheduler, journal):
    store = CredentialStore()
    with pytest.raises(KeyringUnavailable):
        store.save(FAKE_CLIENT_ID, FAKE_API_KEY)
    till = make_till(rec, scheduler, credentials=store.load)
    _refused_for_credentials(rec, till, scheduler, sim, journal, "No secure keyring")


def test_keyring_raising_on_write(memory_keyring, rec, sim, scheduler, journal):
    memory_keyring.fail_writes = True
    store = CredentialStore()
    with pytest.raises(KeyringUnavailable, match="refused to store"):
        store.save(FAKE_CLIENT_ID, FAKE_API_KEY, FAKE_CHECKSUM_KEY)
    assert memory_keyring.store == {}
    till = make_till(rec, scheduler, credentials=store.load)
    _refused_for_credentials(rec, till, scheduler, sim, journal, "No Client ID or API key")


def test_keyring_raising_on_read(memory_keyring, rec, sim, scheduler, journal, monkeypatch):
    CredentialStore().save(FAKE_CLIENT_ID, FAKE_API_KEY)

    def locked(service: str, username: str) -> str:
        raise RuntimeError("the keyring is locked")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    till = make_till(rec, scheduler, credentials=CredentialStore().load)
    _refused_for_credentials(rec, till, scheduler, sim, journal, "could not be read")


def test_keyring_credentials_work_end_to_end(memory_keyring, rec, sim, scheduler, journal):
    """The control row: the same path with a working keyring charges and is paid."""
    CredentialStore().save(FAKE_CLIENT_ID, FAKE_API_KEY)
    till = make_till(rec, scheduler, credentials=CredentialStore().load)
    ref = charge(rec, till, 1)
    run(scheduler, 30)
    assert till.view.phase is Phase.PAID
    assert journal.get(ref).state is AttemptState.PAID
    rec.check()


def test_journal_unwritable_sends_nothing(rec, sim, scheduler, journal, monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise JournalError("The journal cannot be written: disk I/O error")

    monkeypatch.setattr(journal, "record_new", refuse)
    till = make_till(rec, scheduler)
    charge(rec, till, 1)
    run(scheduler, 20)
    assert till.view.phase is Phase.NOT_SENT
    assert till.view.problem is Problem.JOURNAL
    assert sim.count("initiate") == 0 and not sim.payments
    rec.check()


# -- the app killed, then restarted ----------------------------------------------------------

CHILD = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path

    from pos_app.clickpesa.gateway import Credentials, Gateway
    from pos_app.clickpesa.simulator import Simulator
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import parse_phone
    from pos_app.journal import Journal
    from pos_app.till.charge import Phase, Till
    from pos_app.till.fakes import InlineRunner, ManualScheduler

    where, moment, last = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    clock = ManualScheduler()
    sim = Simulator(clock=clock.now)
    gateway = Gateway("https://api.clickpesa.com", lambda: Credentials("IDchild", "SKchild"),
                      transport=sim.transport(), clock=clock.now)
    journal = Journal(where / "journal.sqlite3", mode="live")

    def die():
        (where / "sim.json").write_text(json.dumps({
            "initiates": sim.count("initiate"),
            "payments": [{"ref": p.order_reference, "id": p.id, "phone": p.phone,
                          "amount": p.amount, "channel": p.channel, "age_s": clock.now()
                          - p.created_at} for p in sim.payments.values()]}))
        os._exit(17)  # no clean-up, no atexit, no flush: as if the power went

    send = Gateway.initiate

    def initiate(self, ref, phone, amount):
        if moment == "before-push":
            die()
        accepted = send(self, ref, phone, amount)
        if moment == "after-push":
            die()
        return accepted

    Gateway.initiate = initiate
    till = Till(gateway, journal, InlineRunner(), clock, patience_s=90)
    till.charge(parse_phone("071234567" + last), Amount(5000))
    clock.advance(3)
    assert till.view.phase is Phase.WAITING, till.view
    die()
""")


KILLED_IDS = ["killed-between-journal-write-and-push", "killed-between-push-and-outcome-paid",
              "killed-between-push-and-outcome-failed",
              "killed-between-push-and-outcome-no-answer", "killed-while-waiting-paid",
              "killed-while-waiting-no-answer"]


def _run_child(where: Path, moment: str, last_digit: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(where), moment, str(last_digit)],
                          capture_output=True, text=True, timeout=60, env=env, cwd=REPO)
    assert done.returncode == 17, done.stderr
    return json.loads((where / "sim.json").read_text())


@pytest.mark.parametrize(
    ("moment", "last_digit", "journal_after_kill", "final", "export"),
    [
        ("before-push", 1, AttemptState.NEW, AttemptState.NOT_SENT, "FAILED"),
        ("after-push", 1, AttemptState.NEW, AttemptState.PAID, "PAID"),
        ("after-push", 6, AttemptState.NEW, AttemptState.FAILED, "FAILED"),
        ("after-push", 8, AttemptState.NEW, AttemptState.PENDING, "UNRESOLVED"),
        ("while-waiting", 1, AttemptState.PENDING, AttemptState.PAID, "PAID"),
        ("while-waiting", 8, AttemptState.PENDING, AttemptState.PENDING, "UNRESOLVED"),
    ],
    ids=KILLED_IDS)
def test_app_killed_then_restarted(tmp_path, scheduler, moment, last_digit, journal_after_kill,
                                   final, export):
    where = tmp_path / "till"
    where.mkdir()
    child = _run_child(where, moment, last_digit)
    assert child["initiates"] == (0 if moment == "before-push" else 1)

    journal = Journal(where / "journal.sqlite3", mode="live")
    try:
        [record] = journal.attempts()
        ref = record.order_reference
        assert record.state is journal_after_kill
        assert [r.order_reference for r in journal.unresolved()] == [ref]

        # ClickPesa, as the child left it: the same payments, as old as they were.
        sim = Simulator(clock=scheduler.now)
        for p in child["payments"]:
            created = scheduler.now() - p["age_s"]
            sim.payments[p["ref"]] = SimPayment(
                p["id"], p["ref"], p["phone"], p["amount"], p["channel"], created,
                customer_by_last_digit(p["phone"], p["amount"]), datetime.now(UTC))
        assert set(sim.payments) == ({ref} if moment != "before-push" else set())

        rec = Recorder(sim, journal)
        till = make_till(rec, scheduler)
        till.start_background()
        run(scheduler, 400)
        till.shutdown()

        record = journal.get(ref)
        assert record.state is final
        assert rec.export_rows()[ref]["status"] == export
        assert sim.count("initiate") == 0  # the restarted till never pushes again
        assert sim.count("status") >= 1
        if final.is_unresolved:
            assert sim.count("status") >= 3  # still being re-checked, round after round
        else:
            assert any(c is not None and c.order_reference == ref for c, _ in rec.background)
        rec.check()
    finally:
        journal.close()


# -- what the cashier reads, through the real window ----------------------------------------

EXTRA_ROWS = [
    "no-keyring", "keyring-raising-on-write", "keyring-raising-on-read",
    "journal-unwritable", "no-answer-then-stop-waiting",
]


@pytest.fixture
def window_for(qtbot, scheduler, journal, rec):
    from pos_app.settings import Settings
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import QtRunner

    made = []

    def build(credentials: CredentialSource | None = None) -> MainWindow:
        runner = QtRunner()
        w = MainWindow(gateway=rec.gateway(scheduler.now, credentials), journal=journal,
                       settings=Settings(patience_s=PATIENCE_S), training=False,
                       runner=runner, scheduler=scheduler)
        qtbot.addWidget(w)
        w.view_changed.connect(rec.on_view)
        w.show()
        qtbot.waitUntil(lambda: not w.till.starting)  # the journal read at start-up is back
        made.append((w, runner))
        return w

    yield build
    for w, runner in made:
        w.till.shutdown()
        runner.wait()


def _settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.runner.pending == 0)


def _sell(qtbot, window, rec: Recorder, scheduler: ManualScheduler, last_digit: int,
          seconds: int) -> None:
    from PySide6.QtCore import Qt

    qtbot.keyClicks(window.phone_edit, f"0712 345 67{last_digit}")
    qtbot.keyClick(window.phone_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(window.amount_edit, "5000")
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    rec.charges += 1
    # Enter pressed again while the first is under way must not send a second push.
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    _settle(qtbot, window)
    for _ in range(seconds):
        scheduler.advance(1)
        _settle(qtbot, window)


@pytest.mark.parametrize(
    ("row_id", "last_digit", "title", "detail", "advice"),
    [
        ("token-403-invalid-or-expired-api-key", 1, "Not sent — nothing was charged",
         "Authentication failed: Invalid or Expired API-Key", "Check the API key in Settings"),
        ("token-401-unauthorized", 1, "Not sent — nothing was charged",
         "Authentication failed: Unauthorized", "IP whitelist"),
        ("push-400-invalid-unsupported-phone-number", 1, "Not sent — nothing was charged",
         "Payment request failed: Invalid / unsupported phone number",
         "not registered for mobile money"),
        ("push-404-account-has-no-payment-collection", 1, "Not sent — nothing was charged",
         "Payment request failed: Account has no payment collection methods",
         "no active way to collect payments"),
        ("push-409-reference-already-used", 1, "Needs attention",
         "Payment request failed: Order reference X already used", "Do not hand over"),
        ("push-timeout-before-server", 1, "Not sent — nothing was charged",
         "Payment request failed:", "never received the request"),
        ("push-timeout-after-server-received", 1, "Paid", "TZS 5,000 from +255 712 345 671",
         "The money arrived"),
        ("push-timeout-after-server-received-customer-fails", 6, "Failed",
         "ClickPesa says: Insufficient balance", "balance is too low"),
        ("push-timeout-then-status-unreachable", 1, "No answer yet",
         "could not confirm whether the request", "never marks it failed"),
        ("status-unknown-status", 8, "Needs attention", "ClickPesa reports AUTHORISED",
         "Do not hand over"),
    ])
def test_cashier_wording_in_the_window(qtbot, window_for, rec, sim, scheduler, journal,
                                       row_id, last_digit, title, detail, advice):
    row = next(r for r in MATRIX if r.id == row_id)
    if row.endpoint and row.faults:
        sim.inject(row.endpoint, *row.faults)
    if row.id == "push-timeout-then-status-unreachable":
        sim.inject("status", *[_answer(503, "Service Unavailable")] * 40)
    if row.status_body:
        # the reference is made by the till: answer with rows for whatever it asks about
        sim.inject("status", *[Fault(status=200, body=_rows("", ("AUTHORISED",
                                                                 "2026-05-01T10:00:20Z")))] * 40)
    window = window_for()
    _sell(qtbot, window, rec, scheduler, last_digit, row.seconds)
    assert window.till.view.phase is row.phase
    assert window.title.text() == title
    assert detail in window.detail.text()
    assert advice in window.guidance.text()
    assert len({s.reference for s in rec.sent if s.endpoint == "initiate"}) <= 1
    rec.check()


@pytest.mark.parametrize("broken", ["no-keyring", "keyring-raising-on-write"])
def test_keyring_trouble_in_the_window(qtbot, window_for, rec, sim, scheduler, journal,
                                       request, broken):
    if broken == "no-keyring":
        request.getfixturevalue("no_keyring")
        expected = "Authentication failed: No secure keyring is available"
        advice = "Set up the computer's keyring"
    else:
        backend = request.getfixturevalue("memory_keyring")
        backend.fail_writes = True
        with pytest.raises(KeyringUnavailable):
            CredentialStore().save(FAKE_CLIENT_ID, FAKE_API_KEY)
        expected = "Authentication failed: No Client ID or API key is stored"
        advice = "Enter the Client ID and API key in Settings"
    window = window_for(CredentialStore().load)
    _sell(qtbot, window, rec, scheduler, 1, 5)
    assert window.title.text() == "Not sent — nothing was charged"
    assert expected in window.detail.text()
    assert advice in window.guidance.text()
    _nothing_sent(sim, journal)
    rec.check()
