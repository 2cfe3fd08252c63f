"""What can go wrong talking to ClickPesa, sorted by what it means for the customer's money.

The split that matters is whether a push *may have reached* ClickPesa: `Unclear` means it
might have (so the till asks the status endpoint before anything else); every other error
means nothing was created.

Every error also carries a `Reason` code, decided once, here at the gateway, from ClickPesa's
status code and message. Nothing above the gateway (till core, window, wording) matches
ClickPesa's English: it reads `error.code`.
"""

from __future__ import annotations

import enum

from pos_app.i18n import QT_TRANSLATE_NOOP


class Reason(enum.Enum):
    """Why a ClickPesa call went wrong, as far as the till must act on it."""

    # credentials on this computer
    NO_CREDENTIALS = "no_credentials"  # nothing stored
    NO_KEYRING = "no_keyring"  # no usable keyring, or it could not be read
    NO_CHECKSUM_KEY = "no_checksum_key"  # checksum switched on, no key stored
    BAD_CREDENTIAL_TEXT = "bad_credential_text"  # a key or token that cannot go in a header
    # ClickPesa refused the credentials or the token
    INVALID_CLIENT = "invalid_client"  # "Invalid client details"
    API_KEY_INVALID = "api_key_invalid"  # "Invalid or Expired API-Key"
    API_KEY_NOT_ALLOWED = "api_key_not_allowed"  # "Unauthorized API-Key"
    UNAUTHORIZED = "unauthorized"  # any other 401/403 (IP whitelist, revoked token…)
    # ClickPesa refused the payment request (nothing was created)
    INVALID_PHONE = "invalid_phone"  # "Invalid / unsupported phone number"
    NO_COLLECTION_API = "no_collection_api"  # "Application has no access to COLLECTION API…"
    NO_PAYMENT_METHOD = "no_payment_method"  # "Account has no (valid) payment (collection) method"
    CLIENT_ID_REQUIRED = "client_id_required"  # "Valid Client ID is required"
    BAD_REFERENCE = "bad_reference"  # "Invalid Order Reference…", "…less than or equal to 20…"
    DUPLICATE_REFERENCE = "duplicate_reference"  # 409 "Order reference … already used"
    REFUSED = "refused"  # any other 4xx
    # passing trouble
    RATE_LIMITED = "rate_limited"  # 429 (honour Retry-After)
    OFFLINE = "offline"  # no connection could be made: nothing left this computer
    TIMEOUT = "timeout"  # no answer in time (per read, or the call's total deadline)
    CONNECTION_BROKE = "connection_broke"  # reset / closed mid-call
    SERVER_ERROR = "server_error"  # 5xx
    BAD_REPLY = "bad_reply"  # empty, HTML, not JSON, wrong shape, wrong reference
    UNEXPECTED = "unexpected"


class ClickPesaError(Exception):
    """Base class; `reason` is a short plain sentence (often ClickPesa's own message, scrubbed
    of secrets), `code` what the till must do about it."""

    default_code = Reason.UNEXPECTED

    def __init__(self, reason: str, *, status_code: int | None = None,
                 code: Reason | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code
        self.code = code or self.default_code


class CredentialsMissing(ClickPesaError):
    """No usable Client ID / API key on this computer (none stored, or no keyring)."""

    default_code = Reason.NO_CREDENTIALS


class AuthFailed(ClickPesaError):
    """ClickPesa refused the credentials or the token (after one fresh-token retry)."""

    default_code = Reason.UNAUTHORIZED


class Unavailable(ClickPesaError):
    """ClickPesa could not be reached or could not serve the request; nothing was created."""

    default_code = Reason.SERVER_ERROR

    def __init__(self, reason: str, *, status_code: int | None = None,
                 code: Reason | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(reason, status_code=status_code, code=code)
        self.retry_after_s = retry_after_s


class NotConnected(Unavailable):
    """No connection could be made: the request never left this computer."""

    default_code = Reason.OFFLINE


class Rejected(ClickPesaError):
    """ClickPesa answered and refused the request (4xx): nothing was created."""

    default_code = Reason.REFUSED


class Unclear(ClickPesaError):
    """The call broke or the reply was unusable after the request may have arrived."""

    default_code = Reason.CONNECTION_BROKE

    def __init__(self, reason: str, *, status_code: int | None = None,
                 code: Reason | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(reason, status_code=status_code, code=code)
        self.retry_after_s = retry_after_s


class RateLimited(Unclear):
    """429: too many requests from this shop's address; back off."""

    default_code = Reason.RATE_LIMITED


def credential_text_problem(value: str) -> str | None:
    """Why `value` cannot be a Client ID, API key or checksum key, as the end of a sentence
    ("The API key …"), or None when it can. HTTP headers carry plain ASCII only, and a key
    pasted with a stray space or an accented letter would otherwise fail far from its cause.
    Never quotes the value."""
    if value != value.strip():
        return QT_TRANSLATE_NOOP("Messages", "has spaces or line breaks before or after it")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return QT_TRANSLATE_NOOP("Messages", "contains a control character (such as a tab)")
    if not value.isascii():
        return QT_TRANSLATE_NOOP(
            "Messages", "contains a character that is not plain ASCII (such as an accented "
                        "letter or a curly quote)")
    return None
