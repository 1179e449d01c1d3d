"""Extractive answers on the real sample: graph facts stated with lawyer-style names, every
citation resolving to the record that states them, and the audit row of each question."""

from __future__ import annotations

import json
import re

import pytest

from jurisgraph.ask import service
from jurisgraph.ask.service import AskOptions, AskResult
from jurisgraph.db import session_scope
from jurisgraph.engine.query import NOTE
from jurisgraph.errors import InvalidInput
from jurisgraph.search import service as search
from jurisgraph.search.service import SearchFilters
from tests.fixtures.sample import Sample, flat, sample_tema


def ask(sample: Sample, question: str, **options: object) -> AskResult:
    container = sample.container
    with session_scope(container.sessions) as session:
        return service.ask(
            session,
            container.retrieval(),
            container.name_indexes,
            question,
            [sample.workspace],
            AskOptions(**options),  # type: ignore[arg-type]
        )


def numbers_after(answer: str, needle: str) -> list[int]:
    """Citation numbers on the line of ``answer`` that contains ``needle``."""
    line = next(line for line in answer.splitlines() if needle in line)
    return [int(n) for n in re.findall(r"\[(\d+)\]", line)]


def check_spans(sample: Sample, result: AskResult) -> None:
    """Every cited source is the exact slice of its document it claims to be (or the community,
    or the catalogue description of the entity)."""
    for citation in result.citations:
        source = citation.source
        key = source.document_key
        if source.kind == "comunidade":
            assert sample.rows("select 1 from communities where community_id = :c", c=key.split(":", 1)[1])
        elif source.start is None:
            (description,) = sample.rows("select description from graph_nodes where entity_id = :k", k=key)[0]
            assert description == source.text
        else:
            (content,) = sample.rows("select text_content from documents where key = :k", k=key)[0]
            assert content[source.start : source.end] == source.text, citation.n


def test_hybrid_search_without_dense_vectors_falls_back_to_sparse(sample: Sample) -> None:
    assert sample.rows("select count(*) from chunks where embedded_at is not null")[0][0] == 0
    passages = search.search(
        sample.container.retrieval(), "Tema 1.076", [sample.workspace], mode="hybrid", k=5
    )
    assert passages and passages[0].document_key == "tema:1076"


def test_tema_thesis_is_stated_with_orgao_leading_case_and_citation(sample: Sample) -> None:
    result = ask(sample, "Qual a tese do Tema 1.076?")
    thesis = flat(sample_tema(1076)["teseFirmada"])
    assert result.mode == "local" and result.answer_kind == "extractive" and result.note == NOTE
    assert "Tema 1.076/STJ" in result.answer and "Corte Especial" in result.answer
    assert thesis[:400] in flat(result.answer)
    thesis_line = numbers_after(result.answer, thesis[:60])
    assert thesis_line and result.sources[thesis_line[0] - 1].source.document_key == "tema:1076"
    (relator,) = sample.rows(
        "select n.name from graph_edges e join graph_nodes n on n.entity_id = e.source_entity_id "
        "where e.relationship_type = 'RELATOR_DE' and e.target_entity_id = 'processo:resp_1850512'"
    )
    assert f"leading case REsp 1.850.512/SP, Rel. {relator[0]}" in result.answer
    assert result.grounding.ok and result.grounding.cited == tuple(range(1, len(result.sources) + 1))
    check_spans(sample, result)


def test_relator_of_a_process_comes_from_the_graph(sample: Sample) -> None:
    result = ask(sample, "Quem é o relator do REsp 1.850.512/SP?")
    relators = sample.rows(
        "select n.name, e.edge_id from graph_edges e join graph_nodes n on n.entity_id = e.source_entity_id "
        "where e.relationship_type = 'RELATOR_DE' and e.target_entity_id = 'processo:resp_1850512'"
    )
    assert len(relators) == 1
    name, edge_id = relators[0]
    assert f"relator do REsp 1.850.512/SP é o {name}" in result.answer
    stated_in = {
        row[0]
        for row in sample.rows(
            "select d.key from mentions m join documents d on d.id = m.document_id where m.target_id = :e",
            e=edge_id,
        )
    }
    (n,) = numbers_after(result.answer, name)[:1]
    assert result.sources[n - 1].source.document_key in stated_in
    check_spans(sample, result)


def test_temas_of_a_law_article_are_listed_each_with_its_record(sample: Sample) -> None:
    result = ask(sample, "Quais temas tratam do art. 85 do CPC/2015?")
    temas = sample.rows(
        "select n.entity_id, n.name from graph_edges e "
        "join graph_nodes n on n.entity_id = e.source_entity_id "
        "where e.relationship_type = 'REFERENCIA' and e.target_entity_id = 'lei:13105_2015:art_85' "
        "and n.entity_type = 'TEMA'"
    )
    assert len(temas) >= 2
    for key, name in temas:
        cited = numbers_after(result.answer, f"- {name}")
        assert key in {result.sources[n - 1].source.document_key for n in cited}, name
    check_spans(sample, result)


def test_sumula_originated_by_a_tema_is_said_both_ways(sample: Sample) -> None:
    tema_name, sumula_name, enunciado = sample.rows(
        "select t.name, s.name, s.description from graph_edges e "
        "join graph_nodes t on t.entity_id = e.source_entity_id "
        "join graph_nodes s on s.entity_id = e.target_entity_id "
        "where e.relationship_type = 'ORIGINOU_SUMULA' order by e.source_entity_id limit 1"
    )[0]
    about_sumula = ask(sample, f"O que diz a {sumula_name}?")
    assert f"A {sumula_name} originou-se do {tema_name}" in about_sumula.answer
    assert flat(enunciado)[:100] in flat(about_sumula.answer)
    check_spans(sample, about_sumula)
    about_tema = ask(sample, f"Qual a tese do {tema_name}?")
    assert f"deu origem à {sumula_name}" in about_tema.answer
    assert about_tema.grounding.ok and about_sumula.grounding.ok


def test_filters_restrict_graph_records_and_passages(sample: Sample) -> None:
    result = ask(sample, "Qual a tese do Tema 1.076?", filters=SearchFilters(orgao_julgador="PRIMEIRA TURMA"))
    thesis = flat(sample_tema(1076)["teseFirmada"])
    assert thesis[:200] not in flat(result.answer)
    assert result.citations
    assert {c.source.orgao_julgador for c in result.citations} == {"PRIMEIRA TURMA"}


def test_broad_question_uses_community_reports(sample: Sample) -> None:
    result = ask(sample, "Panorama da jurisprudência sobre tráfico de drogas")
    assert result.mode == "global"
    reports = [c for c in result.citations if c.source.kind == "comunidade"]
    assert reports and result.communities
    for citation in reports:
        (title,) = sample.rows(
            "select title from communities where community_id = :c",
            c=citation.source.document_key.split(":", 1)[1],
        )[0]
        assert title in result.answer
    check_spans(sample, result)


def test_naive_question_quotes_supporting_sentences(sample: Sample) -> None:
    result = ask(sample, "honorários por equidade quando o proveito econômico é elevado", mode="naive")
    assert result.mode == "naive" and result.citations
    for citation in result.citations:
        assert flat(citation.source.text)[:80] in flat(result.answer)
    check_spans(sample, result)


def test_naive_answer_cites_the_record_the_question_names_first(sample: Sample) -> None:
    # the evaluation (bench/README.md) found naive answers built from other temas' sentences
    result = ask(sample, "O que o STJ decidiu no Tema Repetitivo 624?", mode="naive")
    assert result.mode == "naive" and result.grounding.ok
    assert result.answer.startswith("Registro nomeado na pergunta:")
    first = result.citations[0]
    assert first.source.document_key == "tema:624" and numbers_after(result.answer, "Tema 624/STJ") == [
        first.n
    ]
    check_spans(sample, result)
    other = ask(sample, "honorários por equidade quando o proveito econômico é elevado", mode="naive")
    assert "Registro nomeado na pergunta" not in other.answer  # no identifier, no such line


def test_every_question_is_on_the_audit_trail(sample: Sample) -> None:
    result = ask(sample, "Qual a tese do Tema 1.076?")
    (row,) = sample.rows(
        "select query, query_type, answer_kind, query_entities, sources_used, reasoning_chain, "
        "prompt_versions, total_chunks_retrieved, total_entities_retrieved, duration_ms, workspace_ids "
        "from rag_queries where id = :i",
        i=result.query_id,
    )

    query, kind, answer_kind, entities, sources, chain, versions, chunks, nodes, duration, workspaces = row
    assert (query, kind, answer_kind) == ("Qual a tese do Tema 1.076?", "local", "extractive")
    assert [e["key"] for e in json.loads(entities)] == ["tema:1076"]
    assert "tema:1076" in {s["document_key"] for s in json.loads(sources)}
    steps = {step["step"]: step for step in json.loads(chain)}
    assert list(steps) == [
        "linking",
        "mode",
        "retrieval",
        "graph_expansion",
        "communities",
        "selection",
        "answer",
        "grounding",
    ]
    assert (
        steps["linking"]["count"] == 1
        and steps["retrieval"]["passages"] == chunks - steps["graph_expansion"]["entity_passages"]
    )
    assert steps["graph_expansion"]["nodes"] == nodes > 1 and steps["answer"]["llm_calls"] == 0
    assert steps["grounding"]["ok"] is True and json.loads(versions) == {
        "extractive": "extractive-2026-11-v1"
    }
    assert duration >= 0 and json.loads(workspaces) == [sample.workspace]


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_invalid_questions_are_refused(sample: Sample, question: str) -> None:
    with pytest.raises(InvalidInput):
        ask(sample, question)
