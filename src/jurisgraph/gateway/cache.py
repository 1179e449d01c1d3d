"""The reply cache in the database (``llm_cache``): an identical call is answered once.

The key is the sha256 of provider, model, messages, JSON schema and prompt version, so a
new prompt version or model asks again. Rows written concurrently by several workers are
harmless: the first one stays.
"""

from __future__ import annotations

import hashlib
import json

from jurisgraph.db import SessionFactory, session_scope
from jurisgraph.engine.llm import ChatRequest, ChatResponse
from jurisgraph.errors import Conflict
from jurisgraph.gateway import repository
from jurisgraph.models.ops import LlmCacheEntry

PROMPT_VERSION_LENGTH = 64


def cache_key(provider: str, model: str, request: ChatRequest) -> str:
    """The sha256 hex digest identifying ``request`` sent to ``model`` of ``provider``."""
    payload = {
        "provider": provider,
        "model": model,
        "messages": [[m.role, m.content] for m in request.messages],
        "json_schema": request.json_schema,
        "prompt_version": request.prompt_version,
    }
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class ResponseCache:
    """Stored replies keyed by :func:`cache_key`."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def get(self, key: str) -> ChatResponse | None:
        """The stored reply (with the token counts of the original call), or None."""
        with session_scope(self._sessions) as session:
            row = repository.cached_reply(session, key)
            if row is None:
                return None
            return ChatResponse(
                text=row.response,
                model=row.model,
                provider=row.provider,
                tokens_in=row.tokens_in,
                tokens_out=row.tokens_out,
                cached=True,
            )

    def put(self, key: str, request: ChatRequest, response: ChatResponse) -> None:
        """Store ``response`` under ``key`` unless a reply is already stored there."""
        entry = LlmCacheEntry(
            cache_key=key,
            provider=response.provider,
            model=response.model,
            purpose=str(request.purpose),
            prompt_version=request.prompt_version[:PROMPT_VERSION_LENGTH],
            response=response.text,
            tokens_in=response.tokens_in,
            tokens_out=response.tokens_out,
        )
        try:
            with session_scope(self._sessions) as session:
                repository.add_cached_reply(session, entry)
        except Conflict:
            return

    def forget(self, key: str) -> None:
        """Drop the reply stored under ``key`` (a reply found unusable)."""
        with session_scope(self._sessions) as session:
            repository.delete_cached_reply(session, key)
