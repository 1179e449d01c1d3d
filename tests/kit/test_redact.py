"""Secrets masked in log text and log events."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jurisgraph.kit.redact import MASK, is_secret_key, mask_patterns, redact, redact_event, redact_text

API_KEY = "jg_ab12cd34_Zx9yW8vU7tS6rQ5pO4nM3lK2"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Authorization: Bearer {API_KEY}", API_KEY),
        (f"authorization={JWT}", JWT),
        (f"sent token {JWT} to the server", JWT),
        (f"key {API_KEY} revoked", API_KEY),
        ("mysql+pymysql://jurisgraph:s3cr3t-Pass@db:3306/jurisgraph", "s3cr3t-Pass"),
        ("redis://:r3dis-pw@cache:6379/0", "r3dis-pw"),
        ("POST https://example.googleapis.com/v1/m?key=AIzaSyA-1234567890abcdefghijk", "AIzaSyA"),
        ("GET /login?next=/&password=hunter2hunter2", "hunter2hunter2"),
        ('{"jwt_secret": "very-long-jwt-secret-value"}', "very-long-jwt-secret-value"),
        ("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrst", "sk-proj-abcdefghijklmnopqrst"),
        ("admin_password='Adm1n-Passw0rd!'", "Adm1n-Passw0rd!"),
    ],
)
def test_secrets_in_text_are_masked(text: str, secret: str) -> None:
    masked = redact_text(text)
    assert secret not in masked
    assert MASK in masked


def test_the_url_keeps_user_and_host() -> None:
    masked = redact_text("connecting to mysql+pymysql://jurisgraph:pw-123@db.internal:3306/jg")
    assert masked == "connecting to mysql+pymysql://jurisgraph:***@db.internal:3306/jg"


def test_ordinary_text_and_token_counts_are_kept() -> None:
    text = "ingested 12 resources; tokens_in=120 tokens_out=40 route=/api/v1/search"
    assert redact_text(text) == text
    assert not is_secret_key("tokens_in") and not is_secret_key("max_tokens")
    assert is_secret_key("password") and is_secret_key("jwt_secret") and is_secret_key("gemini_api_key")
    assert is_secret_key("Authorization") and is_secret_key("metrics_token")


def test_event_values_of_secret_keys_are_masked_at_any_depth() -> None:
    event = redact_event(
        {
            "event": "login",
            "password": "plain-text-password",
            "headers": {"authorization": "Basic dXNlcjpwYXNz", "accept": "text/html"},
            "args": ["x", {"api_key": "k-123"}],
            "tokens_in": 7,
            "_record": object(),
        }
    )
    assert event["password"] == MASK
    assert event["headers"] == {"authorization": MASK, "accept": "text/html"}
    assert event["args"] == ["x", {"api_key": MASK}]
    assert event["tokens_in"] == 7 and event["event"] == "login"
    assert redact(("a", f"Bearer {JWT}")) == ("a", f"Bearer {MASK}")


#: pieces of secrets and of ordinary log text, so generated lines hit every pattern and near misses
_PIECES = st.sampled_from(
    [
        "https://",
        "u:",
        "pw",
        "@host",
        " ",
        "Authorization: ",
        "Bearer ",
        "bearer",
        "token=",
        "api-key",
        "apikey:",
        "?key=",
        "&key=",
        "jg_",
        "abcdef123",
        "eyJhbGciOi",
        ".",
        "AIza",
        "sk-",
        "x" * 20,
        "PASSWORD=",
        "client_secret",
        '"',
        "'",
        "/api/v1/search",
        "ms=12.5",
        "=",
        ":",
        "Passwd",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_skipping_lines_without_a_trigger_masks_exactly_what_every_pattern_masks(text: str) -> None:
    assert redact_text(text) == mask_patterns(text)
