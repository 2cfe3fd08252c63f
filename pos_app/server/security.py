"""Secrets of the shop server, and how each is kept: only ever as a hash.

- Owners' passwords: argon2id (argon2-cffi), slow on purpose.
- Enrolment codes (`XXXX-XXXX`, 40 bits, one use, 24 h): argon2id too — a stolen database
  must not hand out codes still waiting to be used.
- Till secrets and session cookies: 256 random bits, stored as SHA-256. They cannot be
  guessed, so a slow hash adds nothing but ~50 ms per request; SHA-256 lets the server look
  the till up by its hash in one index read (the way API-token stores do it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Crockford's base32 without I, L, O, U: nothing a shopkeeper can misread on a screen.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("no such owner: equalise the time a wrong e-mail takes")
TILL_SECRET_PREFIX = "mpt_"  # so a leaked till secret is recognisable in a scan


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the owner exists (`stored_hash` None)."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    """What the owner reads out, as the till's cashier might type it: any case, spaces, O/0."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{text[:4]}-{text[4:]}" if len(text) == 8 else text


def hash_code(code: str) -> str:
    return _hasher.hash(normalise_code(code))


def verify_code(stored_hash: str, code: str) -> bool:
    try:
        return _hasher.verify(stored_hash, normalise_code(code))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_till_secret() -> str:
    return TILL_SECRET_PREFIX + secrets.token_urlsafe(32)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
