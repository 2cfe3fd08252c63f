"""The simulator's side of ClickPesa's webhooks: when a simulated payment becomes final, POST a
signed PAYMENT RECEIVED / PAYMENT FAILED to a URL — so the whole loop (simulator → shop server
→ till) runs on one computer. `python -m pos_app.clickpesa.simulator_http --webhook-url URL
--checksum-key-file FILE` starts one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.simulator import Simulator
from pos_app.clickpesa.webhooks import signed
from pos_app.domain.attempt import Verdict, verdict_for

log = logging.getLogger(__name__)

TICK_S = 0.05  # how often the sender looks for payments that became final


def webhook_payload(sim_payment: object, status: str, message: str) -> dict[str, object]:
    p = sim_payment
    paid = verdict_for(status) is Verdict.PAID
    event = "PAYMENT RECEIVED" if paid else "PAYMENT FAILED"
    return {
        "event": event,
        "data": {
            "id": p.id,  # type: ignore[attr-defined]
            "status": status,
            "orderReference": p.order_reference,  # type: ignore[attr-defined]
            "collectedAmount": p.amount,  # type: ignore[attr-defined]
            "collectedCurrency": "TZS",
            "channel": p.channel,  # type: ignore[attr-defined]
            "paymentPhoneNumber": p.phone,  # type: ignore[attr-defined]
            "message": message,
            "updatedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    }


class WebhookSender:
    """Looks at the simulator's payments; posts one webhook per payment that became final."""

    def __init__(self, sim: Simulator, url: str, key: str,
                 mode: ChecksumMode = ChecksumMode.CANONICAL, *,
                 transport: httpx.BaseTransport | None = None,
                 wait: Callable[[float], bool] | None = None,
                 on_sent: Callable[[str, float, int], None] | None = None) -> None:
        self.sim, self.url, self.key, self.mode = sim, url, key, mode
        self._client = httpx.Client(transport=transport, timeout=5.0, trust_env=False)
        self._sent: set[str] = set()
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None
        self.on_sent = on_sent or (lambda ref, final_at, status: None)
        self.failures = 0

    def tick(self) -> list[str]:
        """Post the webhooks due now; the references posted."""
        now = self.sim.clock()
        due = []
        for ref, payment in list(self.sim.payments.items()):
            if ref in self._sent:
                continue
            status, message, final_at = payment.status_at(now)
            if final_at is None:
                continue
            due.append((ref, payment, status, message, final_at))
        posted = []
        for ref, payment, status, message, final_at in due:
            body = signed(webhook_payload(payment, status, message), self.key, self.mode)
            try:
                reply = self._client.post(self.url, json=body)
            except httpx.HTTPError as exc:
                self.failures += 1
                log.warning("webhook for %s not delivered: %s", ref, type(exc).__name__)
                continue  # tried again on the next tick, as ClickPesa retries
            self._sent.add(ref)
            posted.append(ref)
            self.on_sent(ref, final_at, reply.status_code)
        return posted

    def start(self) -> WebhookSender:
        self._thread = threading.Thread(target=self._run, name="webhook-sender", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._wait(TICK_S):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 — a sender bug must not end the simulator
                log.exception("webhook sender")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        self._client.close()
