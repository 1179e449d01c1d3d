"""Benchmark of what the OpenAI-compatible API and the MCP server add to a question.

Ingests the bundled sample into a temporary home (sparse vectors only, about 20 s; no LLM), then
times, in-process over HTTP (Starlette's test client), with an API key: ``POST /api/v1/ask``, the
same question as ``POST /v1/chat/completions`` (whole, and streamed: first content chunk and
end), the MCP tool ``ask`` over ``POST /mcp`` (JSON-RPC, stateless), and the MCP cards
``get_tema`` and ``get_process`` and ``tools/list``. Prints the median per request and the ratio of
each question to ``/api/v1/ask``.
Run: ``python bench/chat_protocols.py [--requests N] [--mode local]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import summary
from fastapi.testclient import TestClient

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth import service
from jurisgraph.config import load_settings
from jurisgraph.datasets import service as datasets
from jurisgraph.db import session_scope
from jurisgraph.runtime import Container

TEMA = 1076
PROCESSO = "REsp 1.850.512/SP"
QUESTION = f"Qual a tese do Tema {TEMA}?"
ACCEPT = {"Accept": "application/json, text/event-stream"}


def timed(call: Callable[[], object], n: int) -> float:
    """Median milliseconds of ``n`` calls (after 3 warm-up calls)."""
    for _ in range(3):
        call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--mode", default="local")
    summary.add_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["JURISGRAPH_HOME"] = str(Path(folder) / "home")
        os.environ["JURISGRAPH_AUTH_QUERY_RATE_LIMIT"] = "1000000/minute"
        os.environ["JURISGRAPH_LLM_PROVIDER"] = "none"
        os.environ["JURISGRAPH_PIPELINE_EMBED_ON_START"] = "false"
        os.environ["JURISGRAPH_APP_LOG_LEVEL"] = "WARNING"
        settings = load_settings()
        settings.home.mkdir(parents=True, exist_ok=True)
        migrations.upgrade(settings.database_url)
        started = time.perf_counter()
        container = Container.build(settings)
        datasets.load_sample(container, dense=False)
        with session_scope(container.sessions) as session:
            user = service.create_user(session, email="bench@example.org", password="bench password 1")
            _, key = service.create_key(session, user.id, name="bench")
        container.close()
        print(f"sample ingested in {time.perf_counter() - started:.1f} s")

        with TestClient(create_app(settings)) as client:
            auth = {"Authorization": f"Bearer {key}"}
            chat = {"model": f"jurisgraph-{args.mode}", "messages": [{"role": "user", "content": QUESTION}]}

            def rpc(method: str, params: dict[str, Any]) -> Any:
                body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
                return ok(client.post("/mcp", json=body, headers={**auth, **ACCEPT}))

            def first_chunk() -> None:
                with client.stream(
                    "POST", "/v1/chat/completions", json={**chat, "stream": True}, headers=auth
                ) as r:
                    for line in r.iter_lines():
                        if '"content":"' in line and '"content":""' not in line:
                            break

            def whole_stream() -> None:
                ok(client.post("/v1/chat/completions", json={**chat, "stream": True}, headers=auth))

            n = args.requests
            rows = {
                "POST /api/v1/ask": timed(
                    lambda: ok(
                        client.post(
                            "/api/v1/ask", json={"question": QUESTION, "mode": args.mode}, headers=auth
                        )
                    ),
                    n,
                ),
                "POST /v1/chat/completions": timed(
                    lambda: ok(client.post("/v1/chat/completions", json=chat, headers=auth)), n
                ),
                "  streamed: first content chunk": timed(first_chunk, n),
                "  streamed: whole": timed(whole_stream, n),
                "MCP tools/call ask": timed(
                    lambda: rpc(
                        "tools/call", {"name": "ask", "arguments": {"question": QUESTION, "mode": args.mode}}
                    ),
                    n,
                ),
                "MCP tools/call get_tema": timed(
                    lambda: rpc("tools/call", {"name": "get_tema", "arguments": {"numero": TEMA}}), n
                ),
                "MCP tools/call get_process": timed(
                    lambda: rpc("tools/call", {"name": "get_process", "arguments": {"numero": PROCESSO}}), n
                ),
                "MCP tools/list": timed(lambda: rpc("tools/list", {}), n),
            }
    base = rows["POST /api/v1/ask"]
    print(f"mode {args.mode}, {args.requests} requests each, median ms (ratio to /api/v1/ask)")
    for name, ms in rows.items():
        print(f"{name:36} {ms:8.1f} ms   {ms / base:5.2f}x")
    keys = {
        "POST /api/v1/ask": "ask",
        "POST /v1/chat/completions": "chat",
        "  streamed: first content chunk": "chat_stream_first",
        "  streamed: whole": "chat_stream",
        "MCP tools/call ask": "mcp_ask",
        "MCP tools/call get_tema": "mcp_get_tema",
        "MCP tools/call get_process": "mcp_get_process",
        "MCP tools/list": "mcp_tools_list",
    }
    figures = {f"{keys[name]}_ms": ms for name, ms in rows.items()}
    summary.write(
        args.summary,
        figures | {"chat_ratio": figures["chat_ms"] / base, "mcp_ask_ratio": figures["mcp_ask_ms"] / base},
    )


if __name__ == "__main__":
    main()
