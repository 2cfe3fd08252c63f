"""Property-based tests: whatever is typed or whatever ClickPesa answers, no uncaught exception,
and every refusal is a sentence a person can act on.

Covers phone normalisation, amount parsing, and ClickPesa's replies at three depths: the
parsers in `replies`, the gateway (status code × content type × body), and the till following
a payment through arbitrary status replies.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import httpx
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pos_app.clickpesa import api
from pos_app.clickpesa.errors import ClickPesaError, Rejected, Unclear
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.replies import (
    PaymentStatus,
    PushAccepted,
    ReplyError,
    decode_json,
    error_message,
    payment_status_from,
    push_accepted_from,
    token_from,
)
from pos_app.clickpesa.simulator import Simulator
from pos_app.domain.attempt import Verdict
from pos_app.domain.money import (
    DEFAULT_MAX_TZS,
    DEFAULT_MIN_TZS,
    Amount,
    AmountError,
    AmountProblem,
    format_tzs,
    parse_amount,
)
from pos_app.domain.phone import (
    PREFIX_NETWORK,
    PREFIX_NO_WALLET,
    Phone,
    PhoneError,
    PhoneProblem,
    parse_phone,
)
from pos_app.journal import Journal
from pos_app.till.charge import Phase, Problem, Till
from pos_app.till.fakes import InlineRunner, ManualScheduler
from pos_app.ui import wording

PROPS = settings(max_examples=200, deadline=None)
REF = "M260501100000ABCDEFG"

PAID_STATUSES = frozenset({"SUCCESS", "SETTLED"})  # the documented vocabulary, as the oracle


def assert_clear(message: object, theirs: str | set[str] = "") -> None:
    """A sentence for people: text, not empty, not a Python repr or a traceback.

    ClickPesa's own `message` (`theirs`) is passed on verbatim, whatever it says: the cashier
    reads it after "Payment request failed:" and before the till's own advice."""
    assert isinstance(message, str), message
    text = message.strip()
    if text and text in ({theirs} if isinstance(theirs, str) else theirs):
        return
    assert 3 <= len(text) <= 700, message
    for junk in ("Traceback", " object at 0x", "Error(", "{reason}", "{limit}", "{operator}",
                 "None"):
        assert junk not in text, message


# -- phone numbers ---------------------------------------------------------------------------

phone_like = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789 +-()./\u00a0", max_size=20),
    st.from_regex(r"\A(\+?255|0|00255)?[ -]?[0-9]{2,3}[ -]?[0-9]{3}[ -]?[0-9]{3,4}\Z"),
)


@PROPS
@given(phone_like)
def test_any_typed_phone_is_a_wallet_number_or_a_worded_refusal(text: str) -> None:
    result = parse_phone(text)
    if isinstance(result, PhoneError):
        assert_clear(wording.phone_problem(result))
        if result.problem is PhoneProblem.NO_WALLET:
            assert result.operator
        return
    assert isinstance(result, Phone)
    assert len(result.digits) == 12 and result.digits.startswith("255")
    assert result.network is not None
    # The normalised and the displayed forms read back to the same number.
    assert parse_phone(result.digits) == result
    assert parse_phone(result.display()) == result


@PROPS
@given(prefix=st.sampled_from(sorted(PREFIX_NETWORK)), rest=st.from_regex(r"\A[0-9]{7}\Z"),
       form=st.sampled_from(["0{n}", "{n}", "+255{n}", "255{n}", "+255 {a} {b} {c}",
                             "0{a} {b} {c}", "00255{n}", "(0{a}) {b}-{c}", " 0{a}.{b}.{c} "]))
def test_every_wallet_number_in_every_typed_form(prefix: str, rest: str, form: str) -> None:
    n = prefix + rest
    typed = form.format(n=n, a=n[:3], b=n[3:6], c=n[6:])
    result = parse_phone(typed)
    assert result == Phone("255" + n), (typed, result)
    assert result.network is PREFIX_NETWORK[prefix]


@PROPS
@given(prefix=st.sampled_from(sorted(PREFIX_NO_WALLET)), rest=st.from_regex(r"\A[0-9]{7}\Z"))
def test_numbers_without_a_wallet_are_refused_with_the_operator(prefix: str, rest: str) -> None:
    result = parse_phone("0" + prefix + rest)
    assert isinstance(result, PhoneError)
    assert result.problem is PhoneProblem.NO_WALLET
    assert PREFIX_NO_WALLET[prefix] in wording.phone_problem(result)


# -- amounts ---------------------------------------------------------------------------------

limits = st.tuples(st.integers(1, 10**8), st.integers(1, 10**8)).map(sorted)


@PROPS
@given(text=st.one_of(st.text(max_size=30),
                      st.text(alphabet="0123456789,. '-+/=TZSsh\u00a0\u202f", max_size=20)),
       bounds=limits)
def test_any_typed_amount_is_in_range_or_a_worded_refusal(text: str, bounds: list[int]) -> None:
    low, high = bounds
    result = parse_amount(text, minimum=low, maximum=high)
    if isinstance(result, AmountError):
        message = wording.amount_problem(result)
        assert_clear(message)
        if result.problem in (AmountProblem.BELOW_MIN, AmountProblem.ABOVE_MAX):
            assert result.limit is not None and format_tzs(result.limit) in message
        return
    assert isinstance(result, Amount)
    assert low <= result.tzs <= high
    assert parse_amount(result.formatted(), minimum=low, maximum=high) == result


@PROPS
@given(n=st.integers(DEFAULT_MIN_TZS, DEFAULT_MAX_TZS),
       form=st.sampled_from(["{n}", "{g}", "TZS {g}", "{g}/=", "Tsh {g}", "{s}", " {n} ",
                             "TZS{n}", "{g} TZS"]))
def test_every_amount_in_every_typed_form(n: int, form: str) -> None:
    typed = form.format(n=n, g=f"{n:,}", s=f"{n:,}".replace(",", " "))
    assert parse_amount(typed) == Amount(n), typed


@PROPS
@given(n=st.integers(0, 10**12), cents=st.integers(1, 99), bounds=limits)
def test_amounts_out_of_range_or_with_cents_say_why(n: int, cents: int,
                                                    bounds: list[int]) -> None:
    low, high = bounds
    result = parse_amount(str(n), minimum=low, maximum=high)
    if n == 0:
        assert result == AmountError(AmountProblem.NOT_POSITIVE)
    elif n < low:
        assert result == AmountError(AmountProblem.BELOW_MIN, low)
    elif n > high:
        assert result == AmountError(AmountProblem.ABOVE_MAX, high)
    else:
        assert result == Amount(n)
    fractional = parse_amount(f"{n}.{cents:02d}", minimum=low, maximum=high)
    assert fractional == AmountError(AmountProblem.FRACTIONAL)
    assert parse_amount(f"-{max(n, 1)}", minimum=low, maximum=high) == AmountError(
        AmountProblem.NOT_POSITIVE)


# -- ClickPesa's replies ---------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20))
any_json = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)

STATUSES = ["SUCCESS", "SETTLED", "PROCESSING", "PENDING", "FAILED", "ON-HOLD", "REFUNDED",
            "REVERSED", "success", " Settled ", "on_hold", "AUTHORISED", "", "PAID"]
stamps = st.one_of(
    st.none(), st.integers(), st.text(max_size=10),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(["2026-05-01T10:00:00Z", "2026-05-01T10:00:00.123Z", "2026-05-01",
                     "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"]),
)
payment_row = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=12), st.integers(), st.none()),
        "status": st.one_of(st.sampled_from(STATUSES), scalars, any_json),
        "orderReference": st.one_of(st.just(REF), st.just(""), st.just("MOTHERREF1"),
                                    st.none(), st.integers()),
        "collectedAmount": st.one_of(st.integers(), st.floats(), st.text(max_size=10),
                                     st.none()),
        "channel": st.one_of(st.sampled_from(["M-PESA", "TIGO-PESA", ""]), scalars),
        "message": st.one_of(st.text(max_size=40), scalars, any_json),
        "updatedAt": stamps,
        "createdAt": stamps,
        "customer": any_json,
    })
status_reply = st.one_of(
    st.lists(payment_row, max_size=5),
    st.builds(lambda rows, total: {"data": rows, "totalCount": total},
              st.lists(payment_row, max_size=4), scalars),
    payment_row,
    any_json,
)


def _paid_row_for_us(data: Any) -> bool:
    items = data.get("data", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return False
    return any(isinstance(i, dict) and isinstance(i.get("status"), str)
               and i["status"].strip().upper() in PAID_STATUSES
               and i.get("orderReference") in (REF, "", None) for i in items)


@PROPS
@given(st.one_of(any_json, status_reply))
def test_reply_parsers_return_values_or_worded_reply_errors(data: Any) -> None:
    for parse in (token_from, lambda d: push_accepted_from(d, REF),
                  lambda d: payment_status_from(d, REF)):
        try:
            value = parse(data)
        except ReplyError as exc:
            assert_clear(str(exc))
            continue
        assert isinstance(value, (str, PushAccepted, PaymentStatus))
    assert isinstance(error_message(data), str)


@PROPS
@given(status_reply)
def test_status_reply_never_hides_a_payment(data: Any) -> None:
    """Paid only from a paid row of ours; never failed or waiting while one of ours is paid."""
    try:
        status = payment_status_from(data, REF)
    except ReplyError as exc:
        assert_clear(str(exc))
        return
    if status.verdict is Verdict.PAID:
        assert status.row is not None and status.row.status in PAID_STATUSES
        assert _paid_row_for_us(data)
    if _paid_row_for_us(data):
        assert status.verdict in (Verdict.PAID, Verdict.ATTENTION), status
    if status.verdict is Verdict.ATTENTION:
        assert_clear(status.note)


@PROPS
@given(content=st.one_of(st.binary(max_size=60), any_json.map(lambda d: json.dumps(d).encode()),
                         st.just(b"<html><body>Bad gateway</body></html>")),
       content_type=st.sampled_from(["application/json", "text/html", "", "text/plain"]))
def test_decoding_any_bytes_gives_json_or_a_worded_reply_error(content: bytes,
                                                               content_type: str) -> None:
    try:
        decode_json(content, content_type)
    except ReplyError as exc:
        assert_clear(str(exc))


class Scripted:
    """A ClickPesa that issues tokens normally and answers the next call as scripted."""

    def __init__(self) -> None:
        self.reply = httpx.Response(200)
        self.token_reply: httpx.Response | None = None
        self.gateway = Gateway(api.DEFAULT_BASE_URL, lambda: Credentials("IDprop", "SKprop"),
                               transport=httpx.MockTransport(self.handle))

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(api.TOKEN_PATH):
            return self.token_reply or httpx.Response(200, json={"success": True,
                                                                 "token": "Bearer prop"})
        return self.reply


_scripted = Scripted()

codes = st.one_of(st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500,
                                   502, 503, 504]), st.integers(200, 599))
bodies = st.one_of(status_reply.map(lambda d: json.dumps(d).encode()),
                   any_json.map(lambda d: json.dumps(d).encode()), st.binary(max_size=40),
                   st.just(b"<!DOCTYPE html><html>proxy</html>"), st.just(b""))
content_types = st.sampled_from(["application/json", "application/json; charset=utf-8",
                                 "text/html", ""])
headers = st.one_of(st.just({}), st.builds(lambda v: {"Retry-After": v},
                                           st.sampled_from(["30", "-5", "soon", "1e9", "nan"])))


def _reply(code: int, body: bytes, content_type: str, extra: dict[str, str]) -> httpx.Response:
    return httpx.Response(code, content=body, headers={"content-type": content_type, **extra})


def _their_words(body: bytes, content_type: str) -> str:
    try:
        return error_message(decode_json(body, content_type))
    except ReplyError:
        return ""


@PROPS
@given(code=codes, body=bodies, content_type=content_types, extra=headers)
def test_gateway_status_reads_anything_into_an_answer_or_a_worded_error(
        code: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
    _scripted.reply = _reply(code, body, content_type, extra)
    try:
        status = _scripted.gateway.status(REF)
    except ClickPesaError as exc:
        assert_clear(exc.reason, _their_words(body, content_type))
        retry = getattr(exc, "retry_after_s", None)
        assert retry is None or (math.isfinite(retry) and 0 <= retry <= 600)
        return
    if status is None:
        assert code == 404
    else:
        assert code == 200 and isinstance(status, PaymentStatus)


@PROPS
@given(code=codes, body=bodies, content_type=content_types, extra=headers)
def test_gateway_push_reply_never_reads_as_refused_when_it_may_have_arrived(
        code: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
    _scripted.reply = _reply(code, body, content_type, extra)
    try:
        accepted = _scripted.gateway.initiate(REF, Phone("255712345671"), Amount(5000))
    except ClickPesaError as exc:
        assert_clear(exc.reason, _their_words(body, content_type))
        if 200 <= code < 300 or code >= 500:
            # ClickPesa may have created it: only "unclear" sends the till to reconcile.
            assert isinstance(exc, Unclear), (code, exc)
        if isinstance(exc, Rejected):
            assert 400 <= code < 500
        return
    assert 200 <= code < 300 and isinstance(accepted, PushAccepted)


@PROPS
@given(code=codes, body=bodies, content_type=content_types)
def test_gateway_token_reply_gives_one_bearer_token_or_a_worded_error(
        code: int, body: bytes, content_type: str) -> None:
    _scripted.token_reply = _reply(code, body, content_type, {})
    try:
        token = _scripted.gateway.ensure_token(fresh=True)
    except ClickPesaError as exc:
        assert_clear(exc.reason, _their_words(body, content_type))
        return
    finally:
        _scripted.token_reply = None
    assert code == 200
    assert token.startswith("Bearer ") and not token[7:].lower().startswith("bearer")
    assert token[7:].strip()


# -- the till, following a payment through arbitrary status replies --------------------------

served_reply = st.tuples(codes, st.one_of(status_reply.map(json.dumps),
                                          st.just("[]"), st.just("<html>x</html>")),
                         content_types)


class TillRig:
    """One gateway for every example (building one costs a TLS context); its clock and its
    ClickPesa are swapped per example."""

    def __init__(self) -> None:
        self.scheduler = ManualScheduler()
        self.handle: Any = None
        self.gateway = Gateway(api.DEFAULT_BASE_URL, lambda: Credentials("IDprop", "SKprop"),
                               transport=httpx.MockTransport(lambda r: self.handle(r)),
                               clock=lambda: self.scheduler.now())


_rig = TillRig()


@PROPS
@given(replies=st.lists(served_reply, min_size=1, max_size=12))
def test_till_follows_any_status_replies_without_claiming_too_much(
        replies: list[tuple[int, str, str]]) -> None:
    scheduler = _rig.scheduler = ManualScheduler()
    _rig.gateway.forget_token()
    sim = Simulator(clock=scheduler.now)  # the customer (last digit 8) never answers
    queue = list(replies)
    served: list[Any] = []
    theirs: set[str] = set()

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if queue and "/payments/" in path and not path.endswith(api.INITIATE_PATH):
            code, text, content_type = queue.pop(0)
            ref = path.rsplit("/", 1)[-1]
            text = text.replace(REF, ref)
            theirs.add(_their_words(text.encode(), content_type))
            if "html" not in content_type:  # the till rightly refuses a web page's body
                try:
                    served.append((code, json.loads(text)))
                except ValueError:
                    pass
            return httpx.Response(code, content=text.encode(),
                                  headers={"content-type": content_type})
        return sim.handle(request)

    journal = Journal(Path(":memory:"), mode="live")
    _rig.handle, gateway = handle, _rig.gateway
    views = []
    till = Till(gateway, journal, InlineRunner(), scheduler, patience_s=90,
                on_view=views.append)
    try:
        assert till.charge(Phone("255712345678"), Amount(5000))
        ref = till.view.reference
        for _ in range(100):
            scheduler.advance(1)
    finally:
        till.shutdown()

    def ours(data: Any) -> Any:
        return json.loads(json.dumps(data).replace(ref, REF))

    phases = {v.phase for v in views}
    assert Phase.NOT_SENT not in phases  # the push was accepted: never "nothing was charged"
    assert all(v.problem is not Problem.UNEXPECTED and v.trouble is not Problem.UNEXPECTED
               for v in views), [v for v in views if Problem.UNEXPECTED in (v.problem,
                                                                            v.trouble)]
    for v in views:
        if v.trouble is not None:
            assert_clear(v.trouble_reason, theirs)
    if Phase.PAID in phases:
        assert any(code == 200 and _paid_row_for_us(ours(data)) for code, data in served)
    if Phase.FAILED in phases:
        assert any(code == 200 and "FAILED" in json.dumps(data).upper()
                   for code, data in served)
        assert not any(code == 200 and _paid_row_for_us(ours(data)) for code, data in served)
    record = journal.get(ref)
    assert record is not None and sim.count("initiate") == 1
    final = views[-1].phase
    assume(final is not Phase.SENDING)
    assert final in (Phase.PAID, Phase.FAILED, Phase.ATTENTION, Phase.NO_ANSWER,
                     Phase.WAITING), final
    journal.close()
