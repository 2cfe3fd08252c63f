"""A stand-in for ClickPesa's USSD-push API: training mode, tests and benchmarks.

ClickPesa has no sandbox, so the till carries this. It speaks the documented API (token,
preview, initiate, status, with the documented error bodies) behind `httpx.MockTransport`, or
over loopback HTTP (`python -m pos_app.clickpesa.simulator_http`). No real money moves.

The simulated customer is chosen by the LAST DIGIT of the phone number:

    0–4  pays after 8 + 4×digit seconds (8, 12, 16, 20, 24 s)
    5    pays slowly, after 50 s
    6    fails after 10 s: "Insufficient balance"
    7    fails after 9 s: "Transaction cancelled by the customer"
    8    never answers (stays PROCESSING)
    9    the number is refused at once: 400 "Invalid / unsupported phone number"

Faults can be queued per endpoint (`inject`) for tests: an HTTP status with any body, or a
timeout / connection reset either before or after the server has acted on the request.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from pos_app.clickpesa import api
from pos_app.clickpesa.checksum import ChecksumMode, canonical_checksum, legacy_checksum
from pos_app.domain.phone import Network, Phone, parse_phone
from pos_app.domain.reference import is_valid_reference

_EAT = timedelta(hours=3)  # East Africa Time, UTC+3 all year

_CHANNEL = {
    Network.MPESA: "M-PESA",
    Network.MIXX: "TIGO-PESA",
    Network.AIRTEL: "AIRTEL-MONEY",
    Network.HALOPESA: "HALOPESA",
}


@dataclass(frozen=True)
class CustomerOutcome:
    final_status: str | None  # "SUCCESS", "FAILED", or None for "never answers"
    after_s: float = 0.0
    message: str = ""
    refuse: str | None = None  # refuse the push at once with this 400 message


def customer_by_last_digit(phone: str, amount: int) -> CustomerOutcome:
    digit = int(phone[-1])
    if digit <= 4:
        return CustomerOutcome("SUCCESS", 8 + 4 * digit, "Payment received")
    if digit == 5:
        return CustomerOutcome("SUCCESS", 50, "Payment received")
    if digit == 6:
        return CustomerOutcome("FAILED", 10, "Insufficient balance")
    if digit == 7:
        return CustomerOutcome("FAILED", 9, "Transaction cancelled by the customer")
    if digit == 8:
        return CustomerOutcome(None)
    return CustomerOutcome(None, refuse="Invalid / unsupported phone number")


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour for the next call to an endpoint.

    `status`: answer with this HTTP status and `body` (bytes or JSON-able) instead.
    `error`: raise this httpx exception class instead of answering (timeout, reset).
    `after_acting`: do the real work first (create the payment) and then misbehave — the
    "server received it but the reply was lost" case.
    """

    status: int | None = None
    body: Any = None
    content_type: str = "application/json"
    error: type[Exception] | None = None
    after_acting: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SimPayment:
    id: str
    order_reference: str
    phone: str
    amount: int
    channel: str
    created_at: float
    outcome: CustomerOutcome
    created_wall: datetime

    def status_at(self, now: float) -> tuple[str, str, float | None]:
        """(status, message, time it became final or None)."""
        o = self.outcome
        if o.final_status is None or now < self.created_at + o.after_s:
            return ("PROCESSING", "", None)
        return (o.final_status, o.message, self.created_at + o.after_s)


@dataclass(frozen=True)
class CallRecord:
    endpoint: str
    at: float
    status: int


class Simulator:
    """The simulated ClickPesa. Thread-safe; time comes from `clock` (seconds)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        latency_s: float = 0.0,
        customer: Callable[[str, int], CustomerOutcome] = customer_by_last_digit,
        credentials: tuple[str, str] | None = None,
        checksum: tuple[ChecksumMode, str] | None = None,
        rate_limit_per_min: int | None = None,
        max_page_limit: int = 1000,
    ) -> None:
        self.clock = clock
        self._sleep = sleep or time.sleep
        self.latency_s = latency_s
        self.customer = customer
        self.credentials = credentials  # None: any non-empty client-id / api-key is accepted
        self.checksum = checksum
        self.rate_limit_per_min = rate_limit_per_min
        self.max_page_limit = max_page_limit  # the payment list refuses a larger `limit`
        self.payments: dict[str, SimPayment] = {}
        self.calls: list[CallRecord] = []
        self.bodies: list[dict[str, Any]] = []  # initiate bodies as received
        self._tokens: dict[str, float] = {}  # token -> expiry (clock time)
        self._faults: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()

    # -- control, for tests and benchmarks ---------------------------------------------

    def inject(self, endpoint: str, *faults: Fault) -> None:
        """Queue faults for 'token', 'preview', 'initiate', 'status' or 'list'."""
        with self._lock:
            self._faults.setdefault(endpoint, deque()).extend(faults)

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def count(self, endpoint: str) -> int:
        with self._lock:
            return sum(1 for c in self.calls if c.endpoint == endpoint)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def remember(self, order_reference: str, phone: str, amount: int, *,
                 created_wall: datetime, clickpesa_id: str = "",
                 status: str | None = None, message: str = "") -> None:
        """Hold a payment made before this simulator started, already final.

        Training mode's simulator lives only as long as the process: `pos-app reconcile
        --training` gives it back the pushes the training journal says it sent, so the day
        can be reconciled in training as in live. `status` None: as the customer of that
        number would have ended it (`customer`)."""
        outcome = self.customer(phone, amount)
        if status is not None:
            outcome = CustomerOutcome(status, 0.0, message)
        elif outcome.final_status is not None:
            outcome = CustomerOutcome(outcome.final_status, 0.0, outcome.message)
        network = parse_phone(phone)
        channel = (_CHANNEL.get(network.network, "M-PESA")
                   if isinstance(network, Phone) and network.network else "M-PESA")
        with self._lock:
            self.payments[order_reference] = SimPayment(
                id=clickpesa_id or "SIM" + secrets.token_hex(6).upper(),
                order_reference=order_reference, phone=phone, amount=amount, channel=channel,
                created_at=self.clock() - 86_400.0 * 365, outcome=outcome,
                created_wall=created_wall.astimezone(UTC))

    def final_time(self, order_reference: str) -> float | None:
        with self._lock:
            p = self.payments.get(order_reference)
            return p.status_at(float("inf"))[2] if p and p.outcome.final_status else None

    # -- the API -----------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.latency_s:
            self._sleep(self.latency_s)
        if request.method == "POST" and path.endswith(api.TOKEN_PATH):
            endpoint, fn = "token", self._token
        elif request.method == "POST" and path.endswith(api.INITIATE_PATH):
            endpoint, fn = "initiate", self._initiate
        elif request.method == "POST" and path.endswith(api.PREVIEW_PATH):
            endpoint, fn = "preview", self._preview
        elif request.method == "GET" and path.endswith(api.PAYMENTS_ALL_PATH):
            endpoint, fn = "list", self._list
        elif request.method == "GET" and "/third-parties/payments/" in path:
            endpoint, fn = "status", self._status
        else:
            return self._json(404, {"message": "Not found"})
        with self._lock:
            fault = self._faults.get(endpoint, deque()).popleft() \
                if self._faults.get(endpoint) else None
            now = self.clock()
            if self.rate_limit_per_min is not None:
                recent = [c for c in self.calls if c.at > now - 60]
                if len(recent) >= self.rate_limit_per_min:
                    self.calls.append(CallRecord(endpoint, now, 429))
                    return self._json(429, {"message": "Too many requests"},
                                      headers={"Retry-After": "30"})
            if fault and not fault.after_acting:
                return self._misbehave(endpoint, now, fault, request)
            response = fn(request, now)
            self.calls.append(CallRecord(endpoint, now, response.status_code))
            if fault:
                return self._misbehave(endpoint, now, fault, request)
            return response

    def _misbehave(self, endpoint: str, now: float, fault: Fault,
                   request: httpx.Request) -> httpx.Response:
        if not fault.after_acting:
            self.calls.append(CallRecord(endpoint, now, fault.status or 0))
        if fault.error is not None:
            raise fault.error("simulated fault", request=request)  # type: ignore[call-arg]
        body = fault.body
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(fault.status or 500, content=content,
                              headers={"content-type": fault.content_type, **fault.headers})

    @staticmethod
    def _json(code: int, data: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        return httpx.Response(code, json=data, headers=headers)

    def _token(self, request: httpx.Request, now: float) -> httpx.Response:
        cid, key = request.headers.get("client-id", ""), request.headers.get("api-key", "")
        if not cid or not key:
            return self._json(401, {"message": "Unauthorized"})
        if self.credentials is not None:
            if cid != self.credentials[0]:
                return self._json(403, {"message": "Invalid client details"})
            if key != self.credentials[1]:
                return self._json(403, {"message": "Invalid or Expired API-Key"})
        token = "Bearer SIM" + secrets.token_urlsafe(24)
        self._tokens[token] = now + api.TOKEN_LIFETIME_S
        return self._json(200, {"success": True, "token": token})

    def _authorised(self, request: httpx.Request, now: float) -> bool:
        expiry = self._tokens.get(request.headers.get("authorization", ""))
        return expiry is not None and now < expiry

    def _body(self, request: httpx.Request) -> dict[str, Any] | None:
        try:
            data = json.loads(request.content or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _check_common(self, request: httpx.Request, now: float
                      ) -> tuple[dict[str, Any] | None, httpx.Response | None]:
        if not self._authorised(request, now):
            return None, self._json(401, {"message": "Unauthorized"})
        body = self._body(request)
        if body is None:
            return None, self._json(400, {"message": "Invalid request body"})
        ref = body.get("orderReference")
        if not isinstance(ref, str) or not ref or not ref.isalnum() or not ref.isascii():
            return None, self._json(400, {"message": "Invalid Order Reference, should only "
                                          "contain alphanumeric characters and cannot be blank"})
        if len(ref) > 20:
            return None, self._json(400, {"message": "Order Reference should be less than or "
                                          "equal to 20 characters"})
        if self.checksum is not None:
            mode, key = self.checksum
            fn = canonical_checksum if mode is ChecksumMode.CANONICAL else legacy_checksum
            if body.get("checksum") != fn(body, key):
                return None, self._json(400, {"message": "Invalid checksum"})
        if ref in self.payments:
            return None, self._json(409, {"message": f"Order reference {ref} already used: "
                                          "Create a different reference"})
        return body, None

    def _preview(self, request: httpx.Request, now: float) -> httpx.Response:
        body, error = self._check_common(request, now)
        if error is not None:
            return error
        return self._json(200, {"activeMethods": [
            {"name": ch, "status": "AVAILABLE", "fee": 0, "message": ""}
            for ch in _CHANNEL.values()]})

    def _initiate(self, request: httpx.Request, now: float) -> httpx.Response:
        body, error = self._check_common(request, now)
        if error is not None:
            return error
        assert body is not None
        self.bodies.append(body)
        phone = parse_phone(str(body.get("phoneNumber", "")))
        amount = body.get("amount")
        if not isinstance(phone, Phone):
            return self._json(400, {"message": "Invalid / unsupported phone number"})
        if not isinstance(amount, str) or not amount.isdigit() or int(amount) <= 0:
            return self._json(400, {"message": "Invalid amount"})
        if body.get("currency") != api.CURRENCY:
            return self._json(400, {"message": "Invalid currency"})
        outcome = self.customer(phone.digits, int(amount))
        if outcome.refuse:
            return self._json(400, {"message": outcome.refuse})
        channel = _CHANNEL.get(phone.network, "M-PESA") if phone.network else "M-PESA"
        payment = SimPayment(
            id="SIM" + secrets.token_hex(6).upper(), order_reference=body["orderReference"],
            phone=phone.digits, amount=int(amount), channel=channel,
            created_at=now, outcome=outcome, created_wall=datetime.now(UTC))
        self.payments[payment.order_reference] = payment
        return self._json(200, {
            "id": payment.id, "status": "PROCESSING", "channel": channel,
            "orderReference": payment.order_reference, "collectedAmount": amount,
            "collectedCurrency": "TZS", "createdAt": payment.created_wall.isoformat(),
            "clientId": "SIMULATOR"})

    def _row(self, payment: SimPayment, now: float) -> dict[str, Any]:
        status, message, final_at = payment.status_at(now)
        updated = payment.created_wall + timedelta(
            seconds=(final_at - payment.created_at) if final_at is not None else 0)
        return {
            "id": payment.id, "status": status, "paymentReference": payment.id,
            "paymentPhoneNumber": payment.phone, "orderReference": payment.order_reference,
            "collectedAmount": payment.amount, "collectedCurrency": "TZS", "message": message,
            "channel": payment.channel, "updatedAt": updated.isoformat(),
            "createdAt": payment.created_wall.isoformat(),
            "customer": {"customerName": "TRAINING CUSTOMER",
                         "customerPhoneNumber": payment.phone, "customerEmail": ""},
            "clientId": "SIMULATOR"}

    def _list(self, request: httpx.Request, now: float) -> httpx.Response:
        """`GET /third-parties/payments/all`: dates are days in East Africa Time (the docs do
        not say; the till asks a day either side, so either reading is covered)."""
        if not self._authorised(request, now):
            return self._json(401, {"message": "Unauthorized"})
        q = request.url.params
        try:
            start = datetime.strptime(q.get("startDate", ""), "%Y-%m-%d").date()
            end = datetime.strptime(q.get("endDate", ""), "%Y-%m-%d").date()
            skip = int(q.get("skip", "0"))
            limit = int(q.get("limit", "20"))
        except ValueError:
            return self._json(400, {"message": "Invalid query parameters"})
        if skip < 0 or limit <= 0 or limit > self.max_page_limit:
            return self._json(400, {"message": "Invalid limit"})
        listed = sorted((p for p in self.payments.values()
                         if start <= (p.created_wall + _EAT).date() <= end),
                        key=lambda p: (p.created_wall, p.id))
        if q.get("orderBy", "ASC").upper() == "DESC":
            listed.reverse()
        page = listed[skip:skip + limit]
        return self._json(200, {"data": [self._row(p, now) for p in page],
                                "totalCount": len(listed)})

    def _status(self, request: httpx.Request, now: float) -> httpx.Response:
        if not self._authorised(request, now):
            return self._json(401, {"message": "Unauthorized"})
        ref = request.url.path.rsplit("/", 1)[-1]
        payment = self.payments.get(ref) if is_valid_reference(ref) else None
        if payment is None:
            return self._json(404, {"message": f"Invalid or missing payment: {ref}"})
        return self._json(200, [self._row(payment, now)])
