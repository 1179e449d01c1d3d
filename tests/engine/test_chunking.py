"""Chunker properties checked over real STJ texts and legal-citation stress texts."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

import pytest

from jurisgraph.engine.chunking import chunk_text
from jurisgraph.engine.stj import parse_espelhos, parse_precedentes
from jurisgraph.engine.types import Chunk
from jurisgraph.errors import InvalidInput

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "jurisgraph" / "sample"
PROTECTED = re.compile(
    r"""\b(?:arts?|n|min|rel|fls|inc|p|des|sr)\.\s+\S+
    | §+\s*\d+[º°]?
    | \b(?:REsp|AREsp|HC|RHC|MS|RMS|EREsp|Lei|Tema|Súmula|Decreto)\s+\d[\d.,/A-Z]*
    | \d{1,3}(?:\.\d{3})+(?:,\d+)?""",
    re.IGNORECASE | re.VERBOSE,
)
LEGAL = (
    "Conforme o art. 5º, § 2º, inc. III, da Lei 8.078/1990 e o REsp 1.234.567/SP, Rel. Min. HERMAN BENJAMIN, "
    "fls. 23, p. 45, Des. Fulano de Tal, o Sr. Ministro Relator, n. 123, valor de R$ 1.234.567,89 "
    "e Súmula 7/STJ"
)
SIZES = ((1000, 200), (400, 100), (150, 40), (60, 20))


@cache
def real_texts() -> tuple[str, ...]:
    """Composed texts of the bundled espelhos and the longest temas, plus raw hard-wrapped ementas."""
    texts = []
    for path in sorted(SAMPLE.glob("espelhos-*/*.json")):
        for doc in parse_espelhos(path.read_bytes(), source_name=path.name).documents:
            texts.extend([doc.text, str(doc.fields["ementa"])])
    folder = SAMPLE / "precedentes-qualificados"
    temas = parse_precedentes((folder / "temas.csv").read_bytes(), None, source_name="temas.csv").documents
    texts.extend(sorted((d.text for d in temas), key=len)[-25:])
    return tuple(texts)


def check(text: str, chunks: list[Chunk], size: int, overlap: int) -> None:
    """The contract of chunk_text for one text."""
    covered = bytearray(len(text))
    for i, chunk in enumerate(chunks):
        assert chunk.index == i
        assert chunk.text == text[chunk.start : chunk.end]
        assert 0 < len(chunk.text) <= size
        assert not chunk.text[0].isspace() and not chunk.text[-1].isspace()
        covered[chunk.start : chunk.end] = b"\x01" * (chunk.end - chunk.start)
    for before, after in itertools.pairwise(chunks):
        assert after.start > before.start and after.end > before.end
        if after.start >= before.end:
            assert not text[before.end : after.start].strip()
        else:
            assert before.end - after.start <= overlap
    missed = [i for i, char in enumerate(text) if not covered[i] and not char.isspace()]
    assert not missed, f"not covered: {text[missed[0] : missed[0] + 40]!r}"
    cuts = {c.start for c in chunks} | {c.end for c in chunks}
    for match in PROTECTED.finditer(text):
        inside = [cut for cut in cuts if match.start() < cut < match.end()]
        assert not inside, f"split inside {match.group()!r}"


@pytest.mark.parametrize(("size", "overlap"), SIZES)
def test_contract_over_real_texts(size: int, overlap: int) -> None:
    for text in real_texts():
        chunks = chunk_text("doc", text, size=size, overlap=overlap)
        check(text, chunks, size, overlap)
        assert chunks == chunk_text("doc", text, size=size, overlap=overlap)


@pytest.mark.parametrize(("size", "overlap"), SIZES)
def test_legal_references_are_never_split(size: int, overlap: int) -> None:
    one_sentence = " e ".join([LEGAL] * 40) + "."
    sentences = " ".join(f"{LEGAL}. Fls. {n} dos autos." for n in range(40))
    upper = one_sentence.upper()
    for text in (one_sentence, sentences, upper):
        check(text, chunk_text("doc", text, size=size, overlap=overlap), size, overlap)


def test_sentences_are_not_cut_at_abbreviations() -> None:
    text = " ".join(
        ["O recurso foi provido nos termos do art. 85 do CPC, conforme o voto do Rel. Min. HERMAN BENJAMIN."]
        * 30
    )
    for chunk in chunk_text("doc", text, size=250, overlap=120):
        assert chunk.text.startswith("O recurso") and chunk.text.endswith("Min. HERMAN BENJAMIN.")


def test_whole_sentence_overlap() -> None:
    sentences = [f"A frase {n} do acórdão termina aqui." for n in range(200)]
    text = " ".join(sentences)
    chunks = chunk_text("doc", text, size=500, overlap=120)
    longest = max(map(len, sentences))
    for before, after in itertools.pairwise(chunks):
        assert after.text.startswith("A frase") and before.text.endswith("aqui.")
        assert 120 - longest <= before.end - after.start <= 120


def test_paragraph_breaks_are_preferred() -> None:
    paragraph = "Primeira frase do parágrafo. " * 12
    text = "\n\n".join(paragraph.strip() for _ in range(12))
    chunks = chunk_text("doc", text, size=1000, overlap=0)
    for chunk in chunks[:-1]:
        assert text[chunk.end : chunk.end + 2] == "\n\n"


def test_long_sentences_split_at_whitespace_and_words_without_spaces_cut_hard() -> None:
    long_sentence = "palavra " * 400
    chunks = chunk_text("doc", long_sentence, size=100, overlap=20)
    assert all(c.text.split() == ["palavra"] * len(c.text.split()) for c in chunks)
    check(long_sentence, chunks, 100, 20)
    blob = "x" * 2500
    assert [len(c.text) for c in chunk_text("doc", blob, size=1000, overlap=100)] == [1000, 1000, 500]


def test_empty_text_and_bad_parameters() -> None:
    assert chunk_text("doc", "") == [] and chunk_text("doc", " \n\t ") == []
    assert [c.text for c in chunk_text("doc", "  Ementa curta.  ")] == ["Ementa curta."]
    for size, overlap in ((0, 0), (100, 100), (100, -1)):
        with pytest.raises(InvalidInput):
            chunk_text("doc", "texto", size=size, overlap=overlap)


def test_one_megabyte_is_chunked_to_its_end() -> None:
    """A megabyte of real text is chunked whole (its speed: bench/engine.py)."""
    corpus = "\n\n".join(real_texts())
    text = (corpus * (1_000_000 // len(corpus) + 1))[:1_000_000]
    chunks = chunk_text("doc", text)
    assert chunks[-1].end == len(text.rstrip())
    assert all(text[c.start : c.end] == c.text for c in chunks)
