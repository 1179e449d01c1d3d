"""The LLM and embedding server answer 429, 500 and too slowly for a while during an ingestion with
LLM extraction: the run slows down and completes with the state of a run that met no fault, and
the ledger holds exactly the calls the server answered, with their tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from jurisgraph.datasets import service
from jurisgraph.models import LlmCall
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fakes.openai_server import CHAT, EMBEDDINGS, FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.gateway import ledger_rows
from tests.fixtures.homes import container_at
from tests.jobs.snapshots import table_snapshot, vector_snapshot

pytestmark = pytest.mark.slow

DIM = 32
TOKENS_IN, TOKENS_OUT = 11, 7
EXTRACTION = '{"entities": [], "relations": []}'
CHAT_FAULTS = 5  # two 429s, two 500s, one reply slower than the timeout


def variables(server: FakeOpenAIServer, mirror: Path) -> dict[str, str]:
    return {
        "JURISGRAPH_PORTAL_URL": str(mirror),
        "JURISGRAPH_EMBEDDING_PROVIDER": "openai",
        "JURISGRAPH_EMBEDDING_BASE_URL": server.base_url,
        "JURISGRAPH_EMBEDDING_DIM": str(DIM),
        "OPENAI_API_KEY": server.api_key,
        "JURISGRAPH_EMBEDDING_MAX_RETRIES": "6",
        "JURISGRAPH_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.base_url,
        "JURISGRAPH_LLM_TIMEOUT_S": "1",
        "JURISGRAPH_LLM_MAX_RETRIES": "8",
        "JURISGRAPH_LLM_RETRY_INITIAL_WAIT_S": "0.05",
        "JURISGRAPH_LLM_RETRY_MAX_WAIT_S": "0.2",
        "JURISGRAPH_PIPELINE_LLM_REPORTS": "false",
        "JURISGRAPH_PIPELINE_GLEANING_PASSES": "0",
        "JURISGRAPH_PIPELINE_SUMMARY_MIN_DESCRIPTIONS": "100000",
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
    }


Snapshot = dict[str, tuple[int, str]]


def ingest(home: Path, server: FakeOpenAIServer, mirror: Path) -> tuple[Snapshot, Snapshot, list[LlmCall]]:
    with container_at(home, **variables(server, mirror)) as container:
        report = service.ingest(container, None, ResourceFilter(), dense=True)
        assert report.problems == []
        assert report.llm_extract is not None
        return table_snapshot(container.engine), vector_snapshot(container), ledger_rows(container.sessions)


def test_an_ingestion_outlives_llm_and_embedding_faults(tmp_path: Path, small_mirror: Path) -> None:
    with FakeOpenAIServer(dim=DIM) as server:
        server.chat_responder = lambda request: ChatTurn(EXTRACTION, TOKENS_IN, TOKENS_OUT)
        rows, points, calm_ledger = ingest(tmp_path / "calm", server, small_mirror)
        assert calm_ledger, "the reference run made no LLM call"

        server.reset()
        server.chat_responder = lambda request: ChatTurn(EXTRACTION, TOKENS_IN, TOKENS_OUT)
        server.rate_limit(2, retry_after="0.1", route=CHAT)
        server.server_error(2, route=CHAT)
        server.slow(1, 3.0, route=CHAT)
        server.rate_limit(2, retry_after="0.1", route=EMBEDDINGS)
        server.server_error(2, route=EMBEDDINGS)
        faulty_rows, faulty_points, ledger = ingest(tmp_path / "faulty", server, small_mirror)
        assert server.pending(CHAT) == server.pending(EMBEDDINGS) == 0  # every fault was met

    assert faulty_rows == rows
    assert faulty_points == points
    answered = len(server.requests(CHAT)) - CHAT_FAULTS
    called = [row for row in ledger if row.status == "ok"]
    assert len(called) == answered == len([r for r in calm_ledger if r.status == "ok"])
    assert [row for row in ledger if row.status not in ("ok", "cached")] == []
    assert sum(row.tokens_in for row in called) == TOKENS_IN * answered
    assert sum(row.tokens_out for row in called) == TOKENS_OUT * answered
