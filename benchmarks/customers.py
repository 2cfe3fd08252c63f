"""The simulated shop: who the customers are, how fast they answer, how the cashier paces.

One seeded sequence serves both the till and the baseline, so both see exactly the same
customers. The distribution (times from the moment ClickPesa accepts the push):

- 70 % pay within 8–30 s: triangular(8, 13, 30), median ≈ 16 s — reading the USSD prompt
  and typing a PIN takes at least ~8 s;
- 12 % pay late: uniform 30–60 s (a phone in a bag, a second attempt at the PIN);
- 10 % fail: uniform 6–30 s, "Insufficient balance" (2/3) or "Transaction cancelled by the
  customer" (1/3);
- 8 % never answer: the payment stays PROCESSING for the whole run. ClickPesa does not
  document when an unanswered push expires, so the simulator never makes it final — the
  worst case for the till, which gives up after its patience (120 s); the cashier then presses
  "Stop waiting" 5 s later.

The cashier starts the next sale 20–60 s (uniform) after the previous outcome; amounts are
500–50,000 TZS.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pos_app.clickpesa.simulator import CustomerOutcome

PAY, PAY_LATE, FAIL, NEVER = "pays 8-30 s", "pays 30-60 s", "fails", "never answers"
SHARES = ((PAY, 0.70), (PAY_LATE, 0.12), (FAIL, 0.10), (NEVER, 0.08))
CASHIER_GAP_S = (20.0, 60.0)
STOP_WAITING_AFTER_S = 5.0
_PREFIXES = ("74", "75", "76", "71", "65", "68", "78", "62")  # the four wallets


@dataclass(frozen=True)
class Customer:
    index: int
    phone: str  # 255 + 9 digits, unique per customer
    amount_tzs: int
    kind: str
    outcome: CustomerOutcome
    gap_before_s: float  # the cashier's time between the previous outcome and this Enter


def _outcome(kind: str, rng: random.Random) -> CustomerOutcome:
    if kind == PAY:
        return CustomerOutcome("SUCCESS", rng.triangular(8.0, 30.0, 13.0), "Payment received")
    if kind == PAY_LATE:
        return CustomerOutcome("SUCCESS", rng.uniform(30.0, 60.0), "Payment received")
    if kind == FAIL:
        message = ("Insufficient balance" if rng.random() < 2 / 3
                   else "Transaction cancelled by the customer")
        return CustomerOutcome("FAILED", rng.uniform(6.0, 30.0), message)
    return CustomerOutcome(None)


def make_customers(count: int, seed: int = 20261127) -> list[Customer]:
    rng = random.Random(seed)
    kinds = [k for k, _ in SHARES]
    weights = [w for _, w in SHARES]
    out = []
    for i in range(count):
        kind = rng.choices(kinds, weights)[0]
        phone = f"255{_PREFIXES[i % len(_PREFIXES)]}{i:07d}"
        out.append(Customer(i, phone, rng.randrange(5, 501) * 100, kind, _outcome(kind, rng),
                            rng.uniform(*CASHIER_GAP_S)))
    return out


class CustomerBook:
    """The simulator's `customer` callable: looks the customer up by phone number."""

    def __init__(self, customers: list[Customer]) -> None:
        self._by_phone = {c.phone: c for c in customers}

    def __call__(self, phone: str, amount: int) -> CustomerOutcome:
        return self._by_phone[phone].outcome


def describe() -> str:
    return ("70% pay after triangular(8, mode 13, 30) s; 12% pay after uniform(30, 60) s; "
            "10% fail after uniform(6, 30) s; 8% never answer (stay PROCESSING); cashier gap "
            "uniform(20, 60) s; 'Stop waiting' 5 s after the till gives up (120 s)")
