"""What can go wrong talking to ClickPesa, sorted by what it means for the customer's money.

The split that matters is whether a push *may have reached* ClickPesa: `Unclear` means it
might have (so the till asks the status endpoint before anything else); every other error
means nothing was created.
"""

from __future__ import annotations


class ClickPesaError(Exception):
    """Base class; `reason` is a short plain sentence (often ClickPesa's own message)."""

    def __init__(self, reason: str, *, status_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code


class CredentialsMissing(ClickPesaError):
    """No usable Client ID / API key on this computer (none stored, or no keyring)."""


class AuthFailed(ClickPesaError):
    """ClickPesa refused the credentials or the token (after one fresh-token retry)."""


class Unavailable(ClickPesaError):
    """ClickPesa could not be reached or could not serve the request; nothing was created."""


class NotConnected(Unavailable):
    """No connection could be made: the request never left this computer."""


class Rejected(ClickPesaError):
    """ClickPesa answered and refused the request (4xx): nothing was created."""


class Unclear(ClickPesaError):
    """The call broke or the reply was unusable after the request may have arrived."""

    def __init__(self, reason: str, *, status_code: int | None = None,
                 retry_after_s: float | None = None) -> None:
        super().__init__(reason, status_code=status_code)
        self.retry_after_s = retry_after_s


class RateLimited(Unclear):
    """429: too many requests from this shop's address; back off."""
