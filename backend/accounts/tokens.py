"""Personal API tokens: how a secret is made, shown and checked.

A token is `tdk_` followed by 32 random bytes (URL-safe base64). Its first `PREFIX_LENGTH`
characters are stored in clear (the visible prefix, and the lookup key); the whole token only as
a SHA-256 hash. A slow password hash is not needed: the secret has 256 bits of entropy, so the
hash cannot be brute-forced, and a fast one keeps token-authenticated requests fast.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME_PREFIX = "tdk_"
SECRET_BYTES = 32
# "tdk_" plus 8 random characters: 48 bits, so two tokens sharing a prefix is negligible.
PREFIX_LENGTH = len(SCHEME_PREFIX) + 8


@dataclass(frozen=True)
class NewToken:
    token: str
    prefix: str
    key_hash: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generate() -> NewToken:
    token = SCHEME_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    return NewToken(token=token, prefix=token[:PREFIX_LENGTH], key_hash=hash_token(token))


def looks_like_token(raw: str) -> bool:
    return raw.startswith(SCHEME_PREFIX) and len(raw) > PREFIX_LENGTH


def matches(token: str, key_hash: str) -> bool:
    """Whether `token` hashes to `key_hash`, compared in constant time."""
    return hmac.compare_digest(hash_token(token), key_hash)
