"""Which URLs may become links: absolute ``http``/``https`` URLs with a host, and paths of this
site (``/grafo?…``); anything else (``javascript:``, ``data:``, ``//evil``, ``\\\\host``) is text."""

from __future__ import annotations

from urllib.parse import urlsplit

#: the longest URL rendered as a link
MAX_URL = 2048


def safe_href(url: object) -> str | None:
    """``url`` when it may be a link target, else None."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or len(text) > MAX_URL or any(ord(c) < 0x20 or c in "\\\x7f" for c in text):
        return None
    if text.startswith("/"):
        return None if text.startswith("//") else text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def local_path(value: object, default: str = "/") -> str:
    """``value`` when it is a path of this site (where to go after signing in), else ``default``:
    never another site (``//host``, ``https://…``, ``/\\host``)."""
    href = safe_href(value)
    return href if href is not None and href.startswith("/") else default
