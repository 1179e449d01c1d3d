"""Numbering of sources on first citation, the context budget, excerpt cuts that keep spans exact."""

from __future__ import annotations

from jurisgraph.engine.query import Citer, Source, SourceKind, render_context, select_sources

DOCUMENT = (
    "Tema 1076/STJ — CORTE ESPECIAL\nSituação: Sobrestado. Julgado em 16/03/2022.\n\nTese firmada:\n"
    "i) A fixação dos honorários por apreciação equitativa não é permitida quando os valores da condenação, "
    "da causa ou o proveito econômico da demanda forem elevados."
)


def source(key: str, start: int, end: int, kind: SourceKind = SourceKind.PASSAGE) -> Source:
    return Source(
        key=key,
        kind=kind,
        document_key="tema:1076",
        title="Tema 1076/STJ",
        text=DOCUMENT[start:end],
        start=start,
        end=end,
    )


def test_numbers_follow_first_citation() -> None:
    citer = Citer([source("a", 0, 30), source("b", 31, 80), source("c", 81, 120)])
    assert citer.marker(["c", "zz", "a", "c"]) == " [1][2]"
    assert citer.cite("b") == 3 and citer.cite("a") == 2 and citer.cite("nope") is None
    assert [c.source.key for c in citer.citations()] == ["c", "a", "b"]
    assert citer.marker([None, "zz"]) == ""


def test_budget_dedupe_and_exact_cuts() -> None:
    whole = source("whole", 0, len(DOCUMENT), SourceKind.RECORD)
    same_span = source("again", 0, len(DOCUMENT))
    chosen = select_sources(
        [whole, same_span, source("tail", 100, len(DOCUMENT))], budget_chars=10_000, max_excerpt=60
    )
    assert [s.key for s in chosen] == ["whole", "tail"]
    for item in chosen:
        assert item.start is not None and item.end is not None
        assert DOCUMENT[item.start : item.end] == item.text and len(item.text) <= 120
    tight = select_sources([whole, source("tail", 100, len(DOCUMENT))], budget_chars=50)
    assert [s.key for s in tight] == ["whole"]


def test_rendered_context_numbers_every_source() -> None:
    citer = Citer([source("a", 0, 30), source("b", 31, 80)])
    citer.number_all()
    text = render_context(citer.citations(), ["Tema 1.076/STJ foi julgado por Corte Especial [1]"])
    assert "[1] Tema 1076/STJ" in text and "[2] Tema 1076/STJ" in text
    assert text.index("Fatos do grafo") < text.index("Fontes numeradas")
