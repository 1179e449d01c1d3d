"""Acceptance: two API processes and two workers share one LLM calls-per-minute limit through Redis.

Each process alone would be allowed ``RPM`` calls a minute. The workers extract the entities of
an ingested espelhos dataset with the LLM while both API processes answer questions with it; the
local OpenAI-protocol server counts the chat calls it receives, and in no 60-second window does
it see more than ``RPM``, although the demand stays above it (questions still wait at the end).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from jurisgraph.datasets import service
from tests.fakes.openai_server import CHAT, FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import PRIMEIRA_TURMA, write_mirror
from tests.fixtures.paths import SAMPLE
from tests.fixtures.processes import process_env, serve_process, stop, worker_process
from tests.fixtures.qdrant import qdrant_process

pytestmark = [pytest.mark.slow, pytest.mark.mariadb]

RPM = 4
WINDOW_S = 60.0
REACH_TIMEOUT_S = 150.0
HOLD_S = 6.0
EXTRACTION = '{"entities": [], "relations": []}'


def most_in_a_window(times: list[float], window: float) -> int:
    """The largest number of ``times`` inside any ``window``-second interval."""
    ordered = sorted(times)
    most = 0
    first = 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


@pytest.fixture
def llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(dim=32) as server:
        server.chat_responder = lambda request: ChatTurn(EXTRACTION, tokens_in=10, tokens_out=5)
        yield server


def ask_later(url: str, question: str, done: list[str]) -> threading.Thread:
    """Ask ``question`` in a thread; its status goes into ``done`` when an answer comes."""

    def run() -> None:
        try:
            response = httpx.post(
                f"{url}/api/v1/ask", json={"question": question, "mode": "naive"}, timeout=WINDOW_S * 2
            )
        except httpx.HTTPError:
            return
        done.append(f"{response.status_code}")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_api_processes_and_workers_share_one_llm_rate_limit(
    tmp_path: Path,
    llm: FakeOpenAIServer,
    mariadb_url: str,
    redis_prefix: tuple[str, str],
) -> None:
    redis_url, prefix = redis_prefix
    months = {p.name: p.read_bytes() for p in sorted((SAMPLE / PRIMEIRA_TURMA).glob("2022*.json"))[:1]}
    mirror = write_mirror(tmp_path / "mirror", {PRIMEIRA_TURMA: months})
    home = tmp_path / "home"
    with ExitStack() as stack:
        _, qdrant_url = stack.enter_context(qdrant_process(tmp_path / "qdrant"))
        variables = {
            "JURISGRAPH_HOME": str(home),
            "DATABASE_URL": mariadb_url,
            "REDIS_URL": redis_url,
            "JURISGRAPH_REDIS_KEY_PREFIX": prefix,
            "QDRANT_URL": qdrant_url,
            "JWT_SECRET": secrets.token_hex(32),
            "JURISGRAPH_PORTAL_URL": str(mirror),
            "JURISGRAPH_PORTAL_REQUEST_INTERVAL_S": "0",
            "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
            "JURISGRAPH_EMBEDDING_BASE_URL": llm.base_url,
            "JURISGRAPH_EMBEDDING_DIM": "32",
            "JURISGRAPH_LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_API_KEY": llm.api_key,
            "JURISGRAPH_LLM_MODELS": json.dumps({"extraction": "m-extraction", "answer": "m-answer"}),
            "JURISGRAPH_LLM_RPM": str(RPM),
            "JURISGRAPH_LLM_CACHE": "false",
            "JURISGRAPH_AUTH_QUERY_RATE_LIMIT": "1000/minute",
            "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
            "JURISGRAPH_APP_LOG_LEVEL": "WARNING",
        }
        container = stack.enter_context(container_at(home, mariadb_url, **variables))
        env = process_env(variables)
        urls = [stack.enter_context(serve_process(env, tmp_path / f"api-{n}.log")) for n in (1, 2)]
        workers = [worker_process(env, tmp_path / f"worker-{n}.log") for n in (1, 2)]
        for worker in workers:
            stack.callback(stop, worker)

        service.submit_ingest(container)
        answered: list[str] = []
        first = [
            ask_later(url, f"o que decidiu a Primeira Turma, pergunta {n}?", answered)
            for n, url in enumerate(urls)
        ]
        deadline = time.monotonic() + REACH_TIMEOUT_S
        while len(llm.requests(CHAT)) < RPM:
            assert time.monotonic() < deadline, (
                f"the limit was never reached: {len(llm.requests(CHAT))} calls"
            )
            assert all(w.poll() is None for w in workers), "a worker exited"
            time.sleep(0.2)

        # the limit is used up: every process, API or worker, now waits for the same window
        later = [
            ask_later(urls[n % 2], f"qual o relator do caso, pergunta {n}?", answered) for n in range(2, 6)
        ]
        time.sleep(HOLD_S)
        calls = llm.requests(CHAT)
        times = [c.at for c in calls]
        assert most_in_a_window(times, WINDOW_S) <= RPM, [(c.body.get("model"), c.at) for c in calls]
        assert any(t.is_alive() for t in first + later), "no question was kept waiting by the limit"
        # both sides drew from the one limit: the API processes' answers, the workers' extraction
        assert {c.body.get("model") for c in calls} == {"m-extraction", "m-answer"}


def test_the_window_count_is_the_busiest_minute() -> None:
    assert most_in_a_window([0.0, 1.0, 59.0, 60.0, 61.0, 200.0], 60.0) == 3
    assert most_in_a_window([], 60.0) == 0
