"""API keys: ``jg_<prefix>_<secret>``, high-entropy, so a sha256 of the whole key is stored (never the
key); the prefix, shown in listings, tells keys apart."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

KEY_MARK = "jg_"


@dataclass(frozen=True)
class NewKey:
    """A freshly generated key: ``plaintext`` is shown once, only ``key_hash`` is stored."""

    plaintext: str
    prefix: str
    key_hash: str


def hash_key(key: str) -> str:
    """The stored form of ``key`` (sha256, hex)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate() -> NewKey:
    """A new random key (256 bits of secret)."""
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_MARK}{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(plaintext, prefix, hash_key(plaintext))


def looks_like_key(token: str) -> bool:
    """True when ``token`` has the shape of an API key (a JWT never starts with ``jg_``)."""
    return token.startswith(KEY_MARK) and token.count("_") >= 2
