"""Session tokens: what they carry, and the ones that must be refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from jurisgraph.auth import keys, tokens
from jurisgraph.errors import Unauthorized

SECRET = "s" * 64


def test_a_token_carries_the_user_its_version_and_expiry() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    token = tokens.issue(7, 3, secret=SECRET, ttl=timedelta(days=30), now=now)
    claims = tokens.decode(token, secret=SECRET)
    assert (claims.user_id, claims.version, claims.expires_at) == (7, 3, now + timedelta(days=30))
    raw = jwt.decode(token, SECRET, algorithms=["HS256"], issuer="jurisgraph")
    assert raw["sub"] == "7" and raw["ver"] == 3 and raw["iat"] == int(now.timestamp())


def test_an_expired_token_is_refused() -> None:
    issued = datetime.now(UTC) - timedelta(days=2)
    token = tokens.issue(1, 0, secret=SECRET, ttl=timedelta(days=1), now=issued)
    with pytest.raises(Unauthorized) as caught:
        tokens.decode(token, secret=SECRET)
    assert caught.value.code == "token_expired"


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: tokens.issue(1, 0, secret="other" * 10, ttl=timedelta(days=1)),  # another key
        lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),  # signature changed
        lambda t: jwt.encode({"sub": "1", "ver": 0}, SECRET, algorithm="HS256"),  # no exp, iat
        lambda t: jwt.encode(
            {"sub": "1", "ver": 0, "exp": datetime.now(UTC) + timedelta(days=1), "iat": datetime.now(UTC)},
            SECRET,
            algorithm="HS384",
        ),  # another algorithm
        lambda t: "not-a-token",
    ],
)
def test_a_forged_or_malformed_token_is_refused(forge: object) -> None:
    good = tokens.issue(1, 0, secret=SECRET, ttl=timedelta(days=1))
    assert tokens.decode(good, secret=SECRET).user_id == 1
    with pytest.raises(Unauthorized) as caught:
        tokens.decode(forge(good), secret=SECRET)  # type: ignore[operator]
    assert caught.value.code == "invalid_token"


def test_api_keys_are_random_and_only_their_hash_is_kept() -> None:
    first, second = keys.generate(), keys.generate()
    assert first.plaintext != second.plaintext and first.key_hash != second.key_hash
    assert first.plaintext.startswith(f"jg_{first.prefix}_") and len(first.plaintext) > 40
    assert first.key_hash == keys.hash_key(first.plaintext) and first.plaintext not in first.key_hash
    assert keys.looks_like_key(first.plaintext) and not keys.looks_like_key("eyJhbGciOi.x.y")
