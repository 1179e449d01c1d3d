"""Entities with many descriptions get one LLM summary, redone only when the descriptions change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update

from jurisgraph.datasets import service
from jurisgraph.engine.llm import ChatRequest, Purpose
from jurisgraph.errors import BudgetExhausted
from jurisgraph.graph import service as graph_service
from jurisgraph.models import EntitySummary, GraphNode
from jurisgraph.pipeline.stages import llm_summaries
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fixtures.homes import container_at


class FakeGateway:
    """Stands in for the gateway: counts calls, answers with a summary naming the entity."""

    enabled = True

    def __init__(self, *, budget_after: int | None = None) -> None:
        self.requests: list[ChatRequest] = []
        self.budget_after = budget_after

    def model_for(self, purpose: Purpose) -> str:
        return "fake-model"

    def complete_json(self, request: ChatRequest, model_cls: type[BaseModel], **_: Any) -> BaseModel | None:
        if self.budget_after is not None and len(self.requests) >= self.budget_after:
            raise BudgetExhausted("global/day", 1.0, 1.0)
        self.requests.append(request)
        first_line = request.messages[-1].content.splitlines()[0]
        return model_cls.model_validate({"resumo": f"Resumo de {first_line}"})


PRECEDENTES_ONLY = ResourceFilter(dataset="precedentes-qualificados")


def test_summaries_written_once_and_redone_on_change(tmp_path: Path) -> None:
    with container_at(tmp_path / "home", JURISGRAPH_PIPELINE_SUMMARY_MIN_DESCRIPTIONS="2") as container:
        # the sample's temas: some temas and processes gather several distinct descriptions
        service.ingest(container, str(service.sample_folder()), PRECEDENTES_ONLY, dense=False)
        ctx = service.context(container)
        with container.sessions() as session:
            many = {
                key
                for key, description in session.execute(select(GraphNode.entity_id, GraphNode.description))
                if description and len(description.split("\n")) >= 2
            }
        assert many, "the corpus must have entities with several descriptions"
        gateway = FakeGateway()
        report = llm_summaries.run(ctx, gateway)  # type: ignore[arg-type]
        assert report.status == "completed" and report.written == len(many) == len(gateway.requests)
        assert all(r.purpose == Purpose.SUMMARY for r in gateway.requests)

        again = FakeGateway()
        assert llm_summaries.run(ctx, again).written == 0 and again.requests == []  # type: ignore[arg-type]

        key = sorted(many)[0]
        with container.sessions() as session:
            detail = graph_service.entity_detail(session, [ctx.workspace_id], key)
            assert detail["summary"] and detail["summary"].startswith("Resumo de Entidade:")
            session.execute(
                update(GraphNode)
                .where(GraphNode.entity_id == key)
                .values(description="nova\ndescrição\nmudou")
            )
            session.commit()
            assert graph_service.entity_detail(session, [ctx.workspace_id], key)["summary"] is None
        redo = FakeGateway()
        assert llm_summaries.run(ctx, redo).written == 1  # type: ignore[arg-type]
        with container.sessions() as session:
            assert session.scalar(select(EntitySummary.summary).where(EntitySummary.entity_id == key))


def test_budget_stops_cleanly(tmp_path: Path) -> None:
    with container_at(tmp_path / "home", JURISGRAPH_PIPELINE_SUMMARY_MIN_DESCRIPTIONS="2") as container:
        service.ingest(container, str(service.sample_folder()), PRECEDENTES_ONLY, dense=False)
        report = llm_summaries.run(service.context(container), FakeGateway(budget_after=1))  # type: ignore[arg-type]
        assert report.status == "budget_exhausted" and report.written == 1
