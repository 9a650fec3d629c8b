"""Tokens that connected systems (a telephone switch, the 110 system) send as
``Authorization: Bearer <token>``: issued once, shown once, kept only as a digest."""

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_BYTES = 24
HINT_LENGTH = 6
# Longer than any token issued here: refused before hashing.
TOKEN_MAX = 200


@dataclass(frozen=True)
class NewToken:
    token: str  # shown once
    digest: str  # kept
    hint: str  # kept, to tell tokens apart in lists


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> NewToken:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return NewToken(token=token, digest=token_digest(token), hint=token[:HINT_LENGTH])
