"""LLM extraction and LLM community reports in the ingestion pipeline, through the real gateway
and the real OpenAI SDK against a local OpenAI-compatible server.

The corpus is the real íntegras metadata of 4 January 2023 (12 decisions, one chunk each).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.models import Community, Document, ExtractionLog, GraphEdge, Mention
from jurisgraph.models.ops import LlmCall
from jurisgraph.pipeline.ingest import IngestReport
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.prompts import extraction
from jurisgraph.runtime import Container
from tests.fakes.openai_server import CHAT, FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn, Recorded
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import INTEGRAS, SAMPLE, write_mirror
from tests.fixtures.store import graph_state

METADATA = "metadados20230104.json"
RECORDS = json.loads((SAMPLE / INTEGRAS / METADATA).read_text(encoding="utf-8"))
CONCEPT = "decisão monocrática terminativa"
CONCEPT_KEY = "conceito_juridico:decisao_monocratica_terminativa"
#: The decision whose extraction replies are never valid JSON.
BROKEN = "HC 794.880"
TITLE = re.compile(r"DOCUMENTO: (.+?) — ")
TOKENS_OUT = 40


@dataclass
class Script:
    """Replies of the local server: a valid extraction per decision (its process named with a
    conflicting type, a concept, a relation), nothing new on gleaning, a report per community."""

    served: list[ChatTurn] = field(default_factory=list)

    def __call__(self, request: Recorded) -> ChatTurn:
        messages = FakeOpenAIServer.chat_messages(request)
        text = "\n".join(str(m.get("content")) for m in messages)
        if messages[0]["content"] == extraction.SYSTEM:
            reply = self._extraction(messages[-1]["content"], text)
        else:
            first = re.search(r"^- (.+?) \(", text, re.MULTILINE)
            reply = json.dumps(
                {
                    "title": f"Relatório: {first.group(1) if first else '?'}",
                    "summary": "Resumo da comunidade.",
                    "full_report": "Relatório completo da comunidade.",
                    "findings": ["Constatação um.", "Constatação dois."],
                    "rating": 6.5,
                }
            )
        turn = ChatTurn(reply, 200 + len(text) // 20, TOKENS_OUT)
        self.served.append(turn)
        return turn

    @staticmethod
    def _extraction(last: str, text: str) -> str:
        processo = TITLE.search(text)
        if processo is None:
            return "?"
        if processo.group(1) == BROKEN:
            return "isto não é JSON"
        if last == extraction.GLEANING:
            return '{"entities": [], "relations": []}'
        return json.dumps(
            {
                "entities": [
                    {"name": processo.group(1), "type": "PARTE", "description": "nome trocado"},
                    {"name": CONCEPT, "type": "CONCEITO_JURIDICO", "description": "Decisão do relator."},
                ],
                "relations": [
                    {"source": processo.group(1), "target": CONCEPT, "type": "TRATA_DE", "strength": 0.8}
                ],
            }
        )


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    return write_mirror(
        tmp_path / "mirror", {INTEGRAS: {METADATA: (SAMPLE / INTEGRAS / METADATA).read_bytes()}}
    )


def llm_env(server: FakeOpenAIServer, **extra: str) -> dict[str, str]:
    return {
        "JURISGRAPH_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": server.api_key,
        "JURISGRAPH_LLM_MODEL": "fake-model",
        "JURISGRAPH_LLM_RETRY_INITIAL_WAIT_S": "0.05",
        **extra,
    }


def ingest(container: Container, mirror: Path, *, force: bool = False) -> IngestReport:
    return service.ingest(container, str(mirror), ResourceFilter(), force=force, dense=False)


def ledger(container: Container) -> list[tuple[str, int, int, float]]:
    with session_scope(container.sessions) as session:
        rows = session.execute(
            select(LlmCall.status, LlmCall.tokens_in, LlmCall.tokens_out, LlmCall.cost_usd).order_by(
                LlmCall.id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def log_rows(container: Container, action: str) -> list[tuple[str, str | None, str | None]]:
    with session_scope(container.sessions) as session:
        rows = session.execute(
            select(ExtractionLog.status, ExtractionLog.details, ExtractionLog.error_message)
            .where(ExtractionLog.action == action)
            .order_by(ExtractionLog.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_llm_extraction_and_reports(server: FakeOpenAIServer, mirror: Path, tmp_path: Path) -> None:
    with container_at(tmp_path / "rules") as plain:
        ingest(plain, mirror)
        rules_nodes = graph_state(plain).nodes
    script = Script()
    server.chat_responder = script
    env = llm_env(server, JURISGRAPH_PIPELINE_LLM_REPORTS_MAX="3")
    with container_at(tmp_path / "llm", **env) as container:
        report = ingest(container, mirror)
        assert report.llm_extract is not None and report.llm_reports is not None
        assert report.llm_extract.status == "completed" and report.llm_reports.status == "completed"

        rows = ledger(container)
        assert sum(r[1] for r in rows) == sum(t.tokens_in for t in script.served)
        assert sum(r[2] for r in rows) == len(script.served) * TOKENS_OUT
        assert {r[0] for r in rows} == {"ok"}

        # the broken decision is skipped (two invalid replies) with its reason logged
        broken = [r for r in RECORDS if r["processo"].startswith("HC 794880")]
        assert len(broken) == 1
        assert report.llm_extract.chunks == len(RECORDS) - 1
        assert [s for s in report.llm_extract.skipped_chunks if "invalid LLM reply" in s] == [
            s for s in report.llm_extract.skipped_chunks
        ]
        assert len(report.llm_extract.skipped_chunks) == 1
        assert any("invalid LLM reply" in (d or "") for _, d, _ in log_rows(container, "extract_entities"))

        state = graph_state(container)
        name, kind, description, mentions, _ = state.nodes[CONCEPT_KEY]
        assert (name, kind, mentions) == (CONCEPT, "CONCEITO_JURIDICO", len(RECORDS) - 1)
        assert description == "Decisão do relator."
        with session_scope(container.sessions) as session:
            extractors = set(
                session.scalars(select(Mention.extractor).where(Mention.target_id == CONCEPT_KEY))
            )
            assert extractors == {"llm"}
            processos = set(
                session.scalars(
                    select(GraphEdge.source_entity_id).where(
                        GraphEdge.target_entity_id == CONCEPT_KEY, GraphEdge.relationship_type == "TRATA_DE"
                    )
                )
            )
            conflicting = session.scalar(
                select(func.count())
                .select_from(Mention)
                .where(Mention.extractor == "llm", Mention.target_id.in_(processos))
            )
        assert len(processos) == len(RECORDS) - 1 and all(p.startswith("processo:") for p in processos)
        assert conflicting == 0
        for key, values in rules_nodes.items():  # names and types of rules keys are untouched
            assert state.nodes[key][:2] == values[:2], key

        with session_scope(container.sessions) as session:
            ranked = session.execute(
                select(Community.report_source, Community.title, Community.rating).order_by(
                    Community.rank.desc(), Community.community_id
                )
            ).all()
        assert [r[0] for r in ranked[:3]] == ["llm"] * 3
        assert {r[0] for r in ranked[3:]} == {"extractive"}
        assert all((r[1] or "").startswith("Relatório: ") and r[2] == 6.5 for r in ranked[:3])

        requests = len(server.requests(CHAT))
        again = ingest(container, mirror, force=True)
        assert again.llm_extract is not None and again.llm_extract.documents == 0
        assert len(server.requests(CHAT)) == requests
        new_rows = ledger(container)[len(rows) :]
        assert new_rows and {r[0] for r in new_rows} == {"cached"}
        assert sum(r[1] + r[2] for r in new_rows) == 0
        with session_scope(container.sessions) as session:
            sources = list(session.scalars(select(Community.report_source).order_by(Community.rank.desc())))
        assert sources[:3] == ["llm"] * 3


def test_budget_cap_stops_cleanly_and_resumes(server: FakeOpenAIServer, mirror: Path, tmp_path: Path) -> None:
    script = Script()
    server.chat_responder = script
    prices = '{"fake-model": [1000.0, 1000.0]}'  # USD per 1M tokens: a call costs about 0.25 USD
    env = llm_env(server, JURISGRAPH_LLM_PRICES=prices, JURISGRAPH_PIPELINE_GLEANING_PASSES="0")
    with container_at(tmp_path / "home", **env, JURISGRAPH_LLM_BUDGET_DAILY_USD="1.0") as container:
        report = ingest(container, mirror)
        assert report.llm_extract is not None and report.llm_extract.status == "budget_exhausted"
        assert report.llm_reports is not None and report.llm_reports.status == "budget_exhausted"
        rows = ledger(container)
        spent = [r[3] for r in rows if r[0] == "ok"]
        assert 1.0 <= sum(spent) < 1.0 + max(spent)
        assert "budget_exhausted" in {r[0] for r in rows}
        done = report.llm_extract.documents
        assert 0 < done < len(RECORDS)
        status, details, error = log_rows(container, "extract_entities")[-1]
        assert status == "completed" and "budget_exhausted" in (details or "")
        assert error is not None and "budget" in error
        with session_scope(container.sessions) as session:
            marked = [m for m in session.scalars(select(Document.metadata_)) if m and "llm_extraction" in m]
        assert len(marked) == done
    with container_at(tmp_path / "home", **env, JURISGRAPH_LLM_BUDGET_DAILY_USD="100") as container:
        resumed = service.ingest(container, None, ResourceFilter(), offline=True, dense=False)
        assert resumed.llm_extract is not None and resumed.llm_extract.status == "completed"
        assert resumed.llm_extract.documents == len(RECORDS) - done


def test_a_429_storm_slows_but_every_chunk_is_extracted(
    server: FakeOpenAIServer, mirror: Path, tmp_path: Path
) -> None:
    script = Script()
    server.chat_responder = script
    server.rate_limit(3, retry_after="0.05", route=CHAT)
    env = llm_env(server, JURISGRAPH_PIPELINE_GLEANING_PASSES="0", JURISGRAPH_PIPELINE_LLM_REPORTS="false")
    with container_at(tmp_path / "home", **env) as container:
        report = ingest(container, mirror)
        assert report.llm_extract is not None and report.llm_extract.status == "completed"
        assert report.llm_extract.documents == len(RECORDS)
        assert report.llm_extract.chunks == len(RECORDS) - 1  # the broken decision only
        assert len(server.requests(CHAT)) == len(script.served) + 3
        assert {r[0] for r in ledger(container)} == {"ok"}
        assert graph_state(container).nodes[CONCEPT_KEY][3] == len(RECORDS) - 1
