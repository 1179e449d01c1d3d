"""``POST /api/v1/graph/query``: a typed graph query, or a Portuguese
list/count question, answered exactly with a sentence, a table and the records it cites."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import ConfigDict, Field, model_validator

from jurisgraph.deps import QueryLimitDep, SessionDep, WorkspacesDep
from jurisgraph.engine.query.graphq import GraphQuery
from jurisgraph.graph import query_service
from jurisgraph.kit.inputs import RequestBody

router = APIRouter(prefix="/api/v1/graph", tags=["graph"])


class GraphQueryRequest(RequestBody):
    """Either ``question`` (parsed by the Portuguese patterns) or ``query`` (the typed query)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "quantos temas da Primeira Seção o Min. Sérgio Kukina relatou"},
                {
                    "query": {
                        "relation": "relator_de",
                        "anchors": ["ministro:sergio_kukina"],
                        "filters": {"orgao": "S1", "tipo": "Tema"},
                        "aggregate": "count",
                    }
                },
            ]
        },
    )

    question: str | None = Field(None, min_length=1, max_length=2000)
    query: GraphQuery | None = None

    @model_validator(mode="after")
    def _one(self) -> GraphQueryRequest:
        if (self.question is None) == (self.query is None):
            raise ValueError("send either question or query")
        return self


@router.post("/query", summary="Graph query (lists and counts)")
def graph_query(
    body: GraphQueryRequest, session: SessionDep, workspaces: WorkspacesDep, _: QueryLimitDep
) -> dict[str, Any]:
    """Run a typed graph query (or a mapped question) over the caller's workspaces."""
    if body.query is not None:
        answer = query_service.run(session, workspaces, body.query)
    else:
        answer = query_service.answer_question(session, workspaces, body.question or "")
    return answer.as_dict()
