"""The two things the till needs from its host: run a job off the GUI thread, and a timer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from pos_app.clickpesa.replies import PaymentStatus, PushAccepted
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import Phone

T = TypeVar("T")


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Runner(Protocol):
    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        """Run `job` off the caller's thread; call back on the caller's thread."""


class PaymentGateway(Protocol):
    """What the till needs from ClickPesa (pos_app.clickpesa.gateway.Gateway provides it)."""

    def ensure_token(self, *, fresh: bool = False) -> str: ...

    def test_connection(self) -> None: ...

    def initiate(self, order_reference: str, phone: Phone, amount: Amount) -> PushAccepted: ...

    def status(self, order_reference: str) -> PaymentStatus | None: ...

    def close(self) -> None: ...


class Scheduler(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> Cancellable: ...
