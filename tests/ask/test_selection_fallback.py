"""When retrieval finds passages but no sentence is selected, the best passages are shown with
their citations instead of "não encontrei", and the fallback is recorded."""

from __future__ import annotations

from jurisgraph.ask import answering
from jurisgraph.ask.gathering import AskOptions, Gathered
from jurisgraph.engine.query import NOTHING, CallLog, Mode, Source, SourceKind


def passage(n: int, text: str) -> Source:
    return Source(
        key=f"chunk-{n}",
        kind=SourceKind.PASSAGE,
        document_key=f"espelho:{n:09d}",
        title=f"REsp {n} — PRIMEIRA TURMA",
        text=text,
        start=0,
        end=len(text),
        chunk_id=f"chunk-{n}",
    )


def gathered(question: str, passages: list[Source]) -> Gathered:
    return Gathered(
        question, Mode.NAIVE, Mode.NAIVE, [], [1], AskOptions(), 0.0, CallLog(), passages=passages
    )


def test_passages_without_a_selected_sentence_are_shown_cited() -> None:
    found = [passage(1, "Embargos rejeitados por ausência de omissão."), passage(2, "Recurso não conhecido.")]
    answered = answering.extractive(gathered("zzqx wvut", found), "nota")
    assert answered.text != NOTHING
    assert "Embargos rejeitados por ausência de omissão." in answered.text
    assert {c.source.key for c in answered.citations} == {"chunk-1", "chunk-2"}
    assert "[1]" in answered.text and "[2]" in answered.text
    assert "selection_fallback" in answered.details


def test_nothing_retrieved_still_says_nothing() -> None:
    answered = answering.extractive(gathered("zzqx wvut", []), "nota")
    assert answered.text == NOTHING and not answered.citations and not answered.details
