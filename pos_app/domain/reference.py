"""Order references: alphanumeric, at most 20 characters, never reused."""

from __future__ import annotations

import random
import re
from datetime import datetime

MAX_LENGTH = 20
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I: read aloud over the phone
_VALID = re.compile(r"[A-Za-z0-9]{1,20}")
# os.urandom underneath, like `secrets`, whose import would load OpenSSL (~4 MB) at start-up.
_RANDOM = random.SystemRandom()


def new_reference(now: datetime, *, random_chars: int = 7) -> str:
    """'M' + yymmddHHMMSS + 7 random characters = 20: sortable and unique forever.

    32**7 ≈ 3.4e10 possibilities per second, so two tills of one account never collide in
    practice; ClickPesa answers 409 if they ever did, and the till reports it.
    """
    stamp = now.strftime("%y%m%d%H%M%S")
    tail = "".join(_RANDOM.choice(_ALPHABET) for _ in range(random_chars))
    ref = f"M{stamp}{tail}"
    assert is_valid_reference(ref), ref
    return ref


def is_valid_reference(ref: object) -> bool:
    return isinstance(ref, str) and _VALID.fullmatch(ref) is not None
