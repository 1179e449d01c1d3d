"""Secrets out of log lines: API keys, bearer tokens and JWTs, Authorization headers, passwords in
URLs (``scheme://user:pass@host`` → ``scheme://user:***@host``), ``key=value`` pairs whose key names
a secret, and any value of a mapping key named like one (password, secret, token, api_key…)."""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any

MASK = "***"

#: mapping keys whose values are secrets, whatever they hold (``tokens_in``, ``max_tokens`` are not)
_SECRET_KEY = re.compile(
    r"(?:^|[_\-.])(?:password|passwd|pwd|secret|token|api[_\-]?key|apikey|authorization|cookie|"
    r"set[_\-]cookie|credentials?|private[_\-]?key)$",
    re.IGNORECASE,
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # user:password@ in a URL (DATABASE_URL, REDIS_URL, proxies)
    (re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:)([^\s@/]+)(@)"), rf"\g<1>{MASK}\g<3>"),
    # Authorization / Proxy-Authorization header values, however quoted
    (
        re.compile(
            r"""(?i)(\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;}]+"""
        ),
        rf"\g<1>{MASK}",
    ),
    # a bearer token anywhere
    (re.compile(r"(?i)(\bbearer\s+)[^\s\"',;}]+"), rf"\g<1>{MASK}"),
    # key=value / "key": "value" where key names a secret (query strings, repr of settings, JSON)
    (
        re.compile(
            r"""(?i)(\b[\w.\-]*(?:password|passwd|secret|token|api[_\-]?key|apikey|client_secret)"""
            r"""["']?\s*[:=]\s*["']?)(?!\*\*\*)([^\s"'&,;}<>]+)"""
        ),
        rf"\g<1>{MASK}",
    ),
    # a provider key in a query string (Gemini's ``?key=``)
    (re.compile(r"(?i)([?&]key=)[^&\s\"']+"), rf"\g<1>{MASK}"),
    # jurisgraph API keys, JWTs, provider keys (Google, OpenAI-style) wherever they appear
    (re.compile(r"\bjg_[A-Za-z0-9_\-]{6,}"), f"jg_{MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*"), MASK),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"), MASK),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"), MASK),
)


def is_secret_key(name: str) -> bool:
    """True when a mapping key names a secret (``password``, ``jwt_secret``, ``api_key``…)."""
    return bool(_SECRET_KEY.search(name))


#: a part of the text every pattern above needs: text without one has nothing to mask
_TRIGGER = re.compile(r"(?i)://|authoriz|bearer|passw|secret|token|api[_\-]?key|apikey|key=|jg_|eyJ|AIza|sk-")


def redact_text(text: str) -> str:
    """``text`` with every recognised secret masked."""
    return mask_patterns(text) if _TRIGGER.search(text) else text


def mask_patterns(text: str) -> str:
    """``text`` through every masking pattern (what :func:`redact_text` does when it must)."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, *, depth: int = 0) -> Any:
    """``value`` with secrets masked: strings through :func:`redact_text`, mappings by key name
    and value, lists and tuples item by item; other values as they are."""
    if depth > 8:
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            k: (MASK if isinstance(k, str) and is_secret_key(k) and v else redact(v, depth=depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        items = [redact(v, depth=depth + 1) for v in value]
        return type(value)(items) if isinstance(value, tuple) else items
    return value


def redact_event(event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A log event (keys → values) with secret values masked; internal keys (``_record``…) kept."""
    for key, value in list(event.items()):
        if key.startswith("_"):
            continue
        if is_secret_key(key) and value:
            event[key] = MASK
        else:
            event[key] = redact(value)
    return event
