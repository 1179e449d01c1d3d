"""Which entities get a dense vector: substantive descriptions, never an identifier's template."""

from __future__ import annotations

from jurisgraph.engine.types import EntityType
from jurisgraph.pipeline.stages.index_graph import IDENTIFIER_NAMED, MIN_DESCRIPTION, wants_dense

THESIS = "É válida a cláusula de reajuste por faixa etária em plano de saúde individual, desde que prevista."


def test_themes_and_summaries_with_text_are_embedded() -> None:
    assert wants_dense("TEMA", THESIS)
    assert wants_dense("SUMULA", THESIS)
    assert not wants_dense("TEMA", "curta")
    assert not wants_dense("TEMA", None)


def test_identifier_named_entities_are_sparse_only() -> None:
    template = "Agravo interno no agravo em recurso especial julgado pela Primeira Turma em 09/05/2022."
    assert len(template) >= MIN_DESCRIPTION
    for kind in ("PROCESSO", "DECISAO", "LEGISLACAO", "PRECEDENTE", "MINISTRO", "ORGAO_JULGADOR", "PARTE"):
        assert not wants_dense(kind, template)


def test_identifier_named_types_exist() -> None:
    known = {t.value for t in EntityType}
    assert known >= IDENTIFIER_NAMED
