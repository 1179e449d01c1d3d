"""Jinja filters of the pages: only http(s) addresses become links, pipeline details as pairs,
byte counts for people."""

from __future__ import annotations

import json

from jinja2 import Environment

from jurisgraph.kit.urls import safe_href


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) address with a host, else None: only such
    addresses become links (see :func:`jurisgraph.kit.urls.safe_href`)."""
    href = safe_href(value)
    return href if href is not None and not href.startswith("/") else None


def log_details(details: str | None) -> list[tuple[str, object]]:
    """The details of a pipeline action as (name, value) pairs (JSON object) or one text value."""
    if not details:
        return []
    try:
        data = json.loads(details)
    except ValueError:
        return [("", details)]
    if isinstance(data, dict):
        return [(str(k), v) for k, v in data.items()]
    return [("", data)]


def filesize(value: int | None) -> str:
    """A byte count for people (pt-BR decimal comma); empty when unknown."""
    if value is None:
        return ""
    size = float(value)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return f"{size:.1f} GB".replace(".", ",")


def install(env: Environment) -> None:
    """Register the filters on ``env``."""
    env.filters["http_url"] = http_url
    env.filters["log_details"] = log_details
    env.filters["filesize"] = filesize
