"""A question quoting a passage brings the record holding that exact text first."""

from __future__ import annotations

import json

from jurisgraph.ask import service
from jurisgraph.ask.quotes import contains, quoted
from jurisgraph.ask.service import AskOptions, AskResult
from jurisgraph.datasets.service import sample_folder
from jurisgraph.db import session_scope
from tests.fixtures.sample import Sample, flat


def ask(sample: Sample, question: str) -> AskResult:
    container = sample.container
    with session_scope(container.sessions) as session:
        return service.ask(
            session, container.retrieval(), container.name_indexes, question, [sample.workspace], AskOptions()
        )


def ementas() -> list[tuple[str, str]]:
    folder = sample_folder() / "espelhos-de-acordaos-primeira-turma"
    records = []
    for name in ("20220531.json", "20220630.json"):
        records += json.loads((folder / name).read_text(encoding="utf-8"))
    return [(f"espelho:{r['id']}", flat(r["ementa"])) for r in records]


def test_quotes_are_found_and_matched_loosely() -> None:
    assert quoted("qual acórdão tem na ementa o trecho “não há nenhuma anormalidade na transmutação”?") == [
        "não há nenhuma anormalidade na transmutação"
    ]
    assert quoted('em qual tema o STJ firmou a tese de que "os juros de mora incidem"') == [
        "os juros de mora incidem"
    ]
    assert quoted("sem aspas aqui") == []
    text = "Não há nenhuma\nanormalidade na transmutação da natureza jurídica da posse"
    assert contains(text, "NAO HA NENHUMA ANORMALIDADE ... natureza jurídica")
    assert not contains(text, "natureza jurídica ... não há nenhuma anormalidade")


def test_a_quoted_ementa_passage_brings_its_acordao_first(sample: Sample) -> None:
    for key, ementa in ementas():
        words = ementa.split()
        middle = " ".join(words[len(words) // 2 : len(words) // 2 + 12])
        result = ask(sample, f"qual acórdão tem na ementa o trecho “{middle}”?")
        assert result.sources and result.sources[0].source.document_key == key, (key, middle)
        step = next(s for s in result.reasoning_chain if s["step"] == "quotation")
        assert step["verified"][0] == key
