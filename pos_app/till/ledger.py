"""The till's memory of the attempts that matter at the counter, kept on the GUI thread.

Every record a job brings back from the journal passes through here, so the window's list of
unconfirmed payments changes the moment any attempt does, and Enter can tell — without
reading the journal on the GUI thread — whether this customer already has a payment under
way, one a person must look at, or one just paid for the same amount.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.domain.evidence import RECENT_PAID_GUARD_S


def created(record: AttemptRecord) -> datetime | None:
    try:
        dt = datetime.fromisoformat(record.created_at)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.astimezone()


class Ledger:
    def __init__(self, wall_clock: Callable[[], datetime]) -> None:
        self._wall_clock = wall_clock
        self._records: dict[str, AttemptRecord] = {}

    def remember(self, record: AttemptRecord | None) -> bool:
        """Keep the newer view of an attempt; True when something changed."""
        if record is None:
            return False
        old = self._records.get(record.order_reference)
        if old == record:
            return False
        self._records[record.order_reference] = record
        return True

    def load(self, records: Iterable[AttemptRecord]) -> None:
        for r in records:
            self.remember(r)

    def get(self, reference: str) -> AttemptRecord | None:
        return self._records.get(reference)

    def unresolved(self, *, exclude: str | None = None) -> list[AttemptRecord]:
        """Attempts still open (NEW, PENDING, UNCERTAIN), oldest first."""
        return sorted((r for r in self._records.values()
                       if r.state.is_unresolved and r.order_reference != exclude),
                      key=lambda r: r.created_at)

    def earlier_for(self, phone: str, amount_tzs: int, *,
                    exclude: str | None = None) -> AttemptRecord | None:
        """An earlier attempt that must be shown before this customer is charged again:
        one still unresolved (any day), one needing attention today, or one paid for the same
        amount in the last RECENT_PAID_GUARD_S seconds. The most recent such one."""
        now = self._wall_clock()
        today = now.date()
        hits: list[AttemptRecord] = []
        for r in self._records.values():
            if r.phone != phone or r.order_reference == exclude:
                continue
            when = created(r)
            if r.state.is_unresolved:
                hits.append(r)
            elif r.state is AttemptState.ATTENTION and when is not None \
                    and when.astimezone(now.tzinfo).date() == today:
                hits.append(r)
            elif r.state is AttemptState.PAID and r.amount_tzs == amount_tzs \
                    and when is not None and 0 <= (now - when).total_seconds() \
                    <= RECENT_PAID_GUARD_S:
                hits.append(r)
        return max(hits, key=lambda r: r.created_at) if hits else None
