"""When to ask ClickPesa about a payment: where customers actually answer.

Customers mostly enter their PIN 8–30 s after the prompt, a few up to a minute. Checking
densely in that window and sparsely elsewhere gives a short lag between "ClickPesa made it
final" and "the till shows it" with far fewer calls than a fixed fast poller. The densest
interval keeps one till under 24 requests a minute, so five tills share ClickPesa's 120/min
per-IP limit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PollPlan:
    first_check_s: float = 8.0  # nobody has read the prompt and typed a PIN sooner
    dense_until_s: float = 32.0
    dense_interval_s: float = 2.75
    middle_until_s: float = 65.0
    middle_interval_s: float = 3.0
    slow_interval_s: float = 8.0
    min_interval_s: float = 2.5  # 24 per minute: never faster, whatever the plan says
    max_backoff_s: float = 60.0
    # While the shop server's stream is up, ClickPesa's webhook tells the till when to look
    # (one status query per hint); polling is only the fallback for a webhook that never
    # comes: a look every 20 s still finds a payment long before the till's patience ends.
    hinted_interval_s: float = 20.0

    def next_delay(self, elapsed_s: float, *, failures_in_row: int = 0,
                   retry_after_s: float | None = None,
                   failure_cap_s: float | None = None, hinted: bool = False) -> float:
        """Seconds from now until the next status check, `elapsed_s` after the push.

        `failure_cap_s` caps the back-off after transient errors (the counter uses
        `evidence.COUNTER_MAX_RETRY_S`: the customer is standing there); it never shortens a
        429's Retry-After. `hinted`: the webhook stream is up, so the plan stretches to the
        slow fallback."""
        if elapsed_s < self.first_check_s:
            delay = self.first_check_s - elapsed_s
        elif elapsed_s < self.dense_until_s:
            delay = self.dense_interval_s
        elif elapsed_s < self.middle_until_s:
            delay = self.middle_interval_s
        else:
            delay = self.slow_interval_s
        if hinted:
            delay = max(delay, self.hinted_interval_s)
        if failures_in_row:
            # A broken connection or a 429: back off exponentially, capped.
            # (exponent capped: a long outage must not overflow the float)
            backoff = min(self.max_backoff_s,
                          self.dense_interval_s * 2.0 ** min(failures_in_row, 32))
            if failure_cap_s is not None:
                backoff = min(backoff, failure_cap_s)
            delay = max(delay, backoff)
        if retry_after_s is not None:
            delay = max(delay, min(self.max_backoff_s * 5, retry_after_s))
        return max(delay, self.min_interval_s) if elapsed_s >= self.first_check_s else delay
