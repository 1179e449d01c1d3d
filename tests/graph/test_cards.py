"""Cards of a processo, a tema and a súmula on the bundled sample: how they are named, what they
hold (checked against the sample's rows), and that a workspace without them has none."""

from __future__ import annotations

import pytest

from jurisgraph.db import session_scope
from jurisgraph.errors import InvalidInput, NotFound
from jurisgraph.graph import cards
from tests.fixtures.sample import Sample
from tests.mcp_server.checks import facts


def test_a_processo_is_named_by_key_citation_classe_and_number_or_number(sample: Sample) -> None:
    f = facts(sample)
    classe, numero = f.leading_case.split(":")[1].split("_")
    with session_scope(sample.container.sessions) as session:
        ws = [sample.workspace]
        assert cards.process_key(session, ws, f.leading_case) == f.leading_case
        assert cards.process_key(session, ws, f.leading_case_name) == f.leading_case
        assert cards.process_key(session, ws, numero, classe) == f.leading_case
        assert cards.process_key(session, ws, f"{int(numero):,}".replace(",", "."), classe) == f.leading_case
        with pytest.raises(NotFound):
            cards.process_key(session, ws, "987654321", "REsp")
        with pytest.raises(InvalidInput):
            cards.process_key(session, ws, "sem número")


def test_tema_and_sumula_numbers() -> None:
    assert [cards.tema_key(x) for x in (1076, "1.076", "Tema 1076", "tema:1076")] == ["tema:1076"] * 4
    assert [cards.sumula_key(x) for x in (7, "7", "Súmula 7/STJ", "sumula 7 stj", "sumula:stj_7")] == [
        "sumula:stj_7"
    ] * 5
    for bad in ("mil", "1076a"):
        with pytest.raises(InvalidInput):
            cards.tema_key(bad)


def test_cards_hold_the_graphs_facts(sample: Sample) -> None:
    f = facts(sample)
    with session_scope(sample.container.sessions) as session:
        ws = [sample.workspace]
        tema = cards.tema_card(session, ws, f"tema:{f.tema}")
        process = cards.process_card(session, ws, f.leading_case)
        sumula = cards.sumula_card(session, ws, f"sumula:stj_{f.sumula}")
    (record_text,) = sample.rows("SELECT text_content FROM documents WHERE key = :k", k=f"tema:{f.tema}")[0]
    assert tema["tese"] and tema["tese"] in record_text
    assert [c["key"] for c in tema["leading_cases"]] == [f.leading_case]
    assert tema["record"]["document"] == f"tema:{f.tema}"
    assert [r["key"] for r in process["relator"]] == [f.relator]
    assert process["numero"] == int(f.leading_case.rsplit("_", 1)[1])
    assert sumula["enunciado"] == f.enunciado and f.sumula_tema in {t["key"] for t in sumula["temas"]}


def test_a_workspace_without_the_entity_has_no_card(sample: Sample) -> None:
    f = facts(sample)
    other = sample.workspace + 1000
    with session_scope(sample.container.sessions) as session:
        for read in (
            lambda: cards.tema_card(session, [other], f"tema:{f.tema}"),
            lambda: cards.process_card(session, [other], f.leading_case),
            lambda: cards.sumula_card(session, [other], f"sumula:stj_{f.sumula}"),
            lambda: cards.process_key(session, [other], f.leading_case.rsplit("_", 1)[1]),
            lambda: cards.tema_card(session, [sample.workspace], f.leading_case),  # not a tema
        ):
            with pytest.raises(NotFound):
                read()
        listed = cards.list_temas(session, [other], orgao=f.orgao)
        assert listed["total"] == 0 and listed["temas"] == []
