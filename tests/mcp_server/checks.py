"""What every MCP transport must show: every tool listed with its schemas, and every tool (and both
resource templates) called with results that match the graph of the bundled sample, looked up
in its database here (never written down)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from tests.fixtures.sample import Sample

TOOLS = {
    "search_jurisprudence",
    "ask",
    "get_process",
    "get_tema",
    "get_sumula",
    "entity_neighbourhood",
    "list_temas",
}
TEMPLATES = {"jurisgraph://processo/{key}", "jurisgraph://tema/{numero}"}


@dataclass(frozen=True)
class Facts:
    """A real tema of the sample with one leading case, its relator, and a súmula a tema originated."""

    tema: int
    orgao: str
    year: int
    leading_case: str
    leading_case_name: str
    relator: str
    relator_name: str
    sumula: int
    sumula_tema: str
    enunciado: str


def facts(sample: Sample) -> Facts:
    """The facts, from the sample's database."""
    tema, case, case_name, relator, relator_name, orgao, judged = sample.rows(
        """
        SELECT t.entity_id, p.entity_id, p.name, m.entity_id, m.name, o.target_entity_id,
               json_extract(t.metadata, '$.data_julgamento')
        FROM graph_edges lc
        JOIN graph_nodes t ON t.entity_id = lc.target_entity_id AND t.entity_type = 'TEMA'
        JOIN graph_nodes p ON p.entity_id = lc.source_entity_id
        JOIN graph_edges r ON r.target_entity_id = p.entity_id AND r.relationship_type = 'RELATOR_DE'
        JOIN graph_nodes m ON m.entity_id = r.source_entity_id
        JOIN graph_edges o ON o.source_entity_id = t.entity_id AND o.relationship_type = 'JULGADO_POR'
        WHERE lc.relationship_type = 'LEADING_CASE_DE'
          AND json_extract(t.metadata, '$.data_julgamento') IS NOT NULL
          AND (SELECT count(*) FROM graph_edges x
               WHERE x.target_entity_id = t.entity_id AND x.relationship_type = 'LEADING_CASE_DE') = 1
        ORDER BY t.entity_id DESC LIMIT 1
        """
    )[0]
    sumula_tema, sumula, enunciado = sample.rows(
        """
        SELECT e.source_entity_id, e.target_entity_id, s.description FROM graph_edges e
        JOIN graph_nodes s ON s.entity_id = e.target_entity_id
        WHERE e.relationship_type = 'ORIGINOU_SUMULA' AND s.entity_id LIKE 'sumula:stj_%'
        ORDER BY e.target_entity_id LIMIT 1
        """
    )[0]
    return Facts(
        tema=int(tema.split(":")[1]),
        orgao=orgao.split(":")[1].upper(),
        year=int(judged[:4]),
        leading_case=case,
        leading_case_name=case_name,
        relator=relator,
        relator_name=relator_name,
        sumula=int(sumula.rsplit("_", 1)[1]),
        sumula_tema=sumula_tema,
        enunciado=enunciado,
    )


async def call(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The structured result of a tool call (which must not fail)."""
    result = await client.call_tool(name, arguments)
    assert not result.is_error, (name, result.content)
    assert isinstance(result.structured_content, dict), (name, result)
    return result.structured_content


def keys(items: list[dict[str, Any]]) -> set[str]:
    return {item["key"] for item in items}


async def exercise(client: Client, f: Facts) -> None:
    """List every tool and template; call each tool and both resources; check against ``f``."""
    listed = (await client.list_tools()).tools
    assert {t.name for t in listed} == TOOLS
    for tool in listed:
        assert tool.description, tool.name
        assert tool.input_schema["type"] == "object", tool.name
        assert tool.output_schema and tool.output_schema.get("properties"), tool.name
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (tool.name, name)
    templates = (await client.list_resource_templates()).resource_templates
    assert {t.uri_template for t in templates} == TEMPLATES

    tema = await call(client, "get_tema", {"numero": f.tema})
    assert tema["key"] == f"tema:{f.tema}"
    assert keys(tema["leading_cases"]) == {f.leading_case}
    assert keys(tema["leading_cases"][0]["relator"]) == {f.relator}
    assert tema["leading_cases"][0]["relator"][0]["name"] == f.relator_name
    assert tema["tese"] and keys(tema["orgao"]) == {f"orgao:{f.orgao.lower()}"}

    process = await call(client, "get_process", {"numero": f.leading_case_name})
    assert process["key"] == f.leading_case
    assert keys(process["relator"]) == {f.relator}
    assert f"tema:{f.tema}" in keys(process["temas"])
    assert any(t["leading_case"] for t in process["temas"] if t["key"] == f"tema:{f.tema}")

    sumula = await call(client, "get_sumula", {"numero": f.sumula})
    assert sumula["enunciado"] == f.enunciado
    assert f.sumula_tema in keys(sumula["temas"])

    listed_temas = await call(client, "list_temas", {"orgao": f.orgao, "year": f.year, "limit": 500})
    assert f"tema:{f.tema}" in keys(listed_temas["temas"])
    assert listed_temas["total"] == len(listed_temas["temas"])
    by_relator = await call(client, "list_temas", {"relator": f.relator_name.removeprefix("Min. ")})
    assert by_relator["relator"] == f.relator and f"tema:{f.tema}" in keys(by_relator["temas"])

    around = await call(client, "entity_neighbourhood", {"entity": f"tema:{f.tema}", "depth": 1})
    assert around["center"] == f"tema:{f.tema}"
    assert f.leading_case in {n["id"] for n in around["nodes"]}
    assert any(e["source"] == f.leading_case and e["type"] == "LEADING_CASE_DE" for e in around["edges"])

    found = await call(client, "search_jurisprudence", {"query": f"Tema {f.tema}", "k": 5})
    assert found["passages"] and found["passages"][0]["document_key"] == f"tema:{f.tema}"

    answered = await call(client, "ask", {"question": f"Qual a tese do Tema {f.tema}?", "mode": "local"})
    assert "[1]" in answered["answer"] and answered["query_id"] > 0
    assert f"tema:{f.tema}" in {c["document_key"] for c in answered["citations"]}

    read = await client.read_resource(f"jurisgraph://tema/{f.tema}")
    assert json.loads(read.contents[0].text)["leading_cases"][0]["key"] == f.leading_case  # type: ignore[union-attr]
    key = f.leading_case.split(":", 1)[1]
    read = await client.read_resource(f"jurisgraph://processo/{key}")
    assert json.loads(read.contents[0].text)["relator"][0]["key"] == f.relator  # type: ignore[union-attr]

    # what is not there: a tool's error result and a resource's error, each saying so
    missing = await client.call_tool("get_tema", {"numero": 99_999})
    assert missing.is_error and "not_found: tema 'tema:99999' not found" in str(missing.content)
    with pytest.raises(MCPError, match="not found"):
        await client.read_resource("jurisgraph://tema/99999")
