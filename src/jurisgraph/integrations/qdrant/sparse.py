"""BM25-style sparse encoder for Portuguese legal text, on qdrant-edge's built-in ``Bm25``.

The built-in model tokenises on word boundaries, folds accents, drops Portuguese stop words,
applies the Snowball Portuguese stemmer and hashes each term to a 32-bit id. Documents get
saturated term-frequency weights (k, b, avg_len); queries get 1.0 per distinct term; the
collection's IDF modifier supplies the inverse document frequency. The vectors are plain
(indices, values) pairs, so the embedded and the server adapters store the same ones.

Before tokenising, legal identifiers are rewritten so that the ways lawyers write them meet:
"Tema 1.076" and "tema 1076" both give ``tem 1076``; "REsp 1.465.535/SP" gives
``resp 1465535 sp``; "Súmula n. 7/STJ" gives ``sumul 7 stj``; "art. 85, § 8º" and
"artigo 85, parágrafo 8" give the same terms. A labelled number also yields one compound term
(``tema1076``, ``sumula7``, ``resp1465535``): documents keep label, number and compound; a
query keeps number and compound but drops the label, so "Súmula 7" asks for that súmula and
not for any text that says "súmula" and "7" apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import qdrant_edge

from jurisgraph.engine.text import strip_accents
from jurisgraph.engine.vectors import SparseVector

ENCODER_NAME = "bm25-pt-legal-v1"

# A thousands-grouped number: 1.076, 1.465.535, 13.105, 1.500,00 (not 1.5 or 2015.1).
_GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?!\d|\.\d)")
# Ordinal marks after a number: 8º, 2ª, 5°, 1.º
_ORDINAL = re.compile(r"(\d)\.?[º°ª]")
# "n.", "nº", "n.º" before a number: a marker, not a term.
_NUMBER_MARK = re.compile(r"\b[nN][.º°]+\s*(?=\d)")
# Abbreviations before a number, spelt out so that "art. 85" meets "artigo 85".
_ABBREVIATIONS = (
    (re.compile(r"\b(?i:arts?)(?:\.\s*|\s+)(?=\d)"), "artigo "),
    (re.compile(r"\b(?i:incs?)(?:\.\s*|\s+)(?=[IVXLC]+\b|\d)"), "inciso "),
    (re.compile(r"§+\s*(?=\d)"), "paragrafo "),
)
# Identifier glued to a slash or dash: 7/STJ, 1850512/SP, CPC/2015, CPC-15.
_GLUE = re.compile(r"[/\-–]")
# A label and its number ("Tema 1076", "Súmula 7", "REsp 1465535", "artigo 85"): the pair also
# becomes one compound term ("tema1076"), rare enough to outweigh the parts when it matches.
_LABELLED = re.compile(
    r"\b(?i:(tema|s[uú]mula|artigo|lei|decreto|resp|aresp|eresp|earesp|hc|rhc|ms|rms|cc|rcl|pet|ag|adi))"
    r"(?:s|\(s\))?\s+(\d+)\b"
)


def normalize_legal_text(text: str, *, query: bool = False) -> str:
    """Rewrite legal identifiers so that equivalent spellings tokenise the same way.

    Documents get compound terms appended; in a query (``query=True``) each labelled
    number is replaced by the number and its compound.
    """
    text = _GROUPED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _ORDINAL.sub(r"\1 ", text)
    text = _NUMBER_MARK.sub("", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = _GLUE.sub(" ", text)
    if query:
        return _LABELLED.sub(lambda m: f"{m.group(2)} {strip_accents(m.group(1).lower())}{m.group(2)}", text)
    compounds = [strip_accents(m.group(1).lower()) + m.group(2) for m in _LABELLED.finditer(text)]
    return " ".join([text, *compounds]) if compounds else text


class Bm25Encoder:
    """``SparseEncoder`` for Portuguese legal text (see the module docstring).

    ``avg_len`` is the expected document length in tokens: set it near the chunk size used
    when indexing (a 1,200-character chunk is about 120 tokens after stop words).
    """

    def __init__(self, *, k: float = 1.2, b: float = 0.75, avg_len: float = 120.0) -> None:
        config = qdrant_edge.Bm25Config(
            k=k,
            b=b,
            avg_len=avg_len,
            language="portuguese",
            lowercase=True,
            ascii_folding=True,
        )
        self._model = qdrant_edge.Bm25(config)
        self._name = f"{ENCODER_NAME}:k={k:g}:b={b:g}:avg_len={avg_len:g}"

    @property
    def name(self) -> str:
        """Identity of the encoding; documents and queries must use the same one."""
        return self._name

    def encode_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        """Term-frequency vectors of texts to index (empty vector for a text without terms)."""
        return [self._convert(self._model.embed_document(normalize_legal_text(t))) for t in texts]

    def encode_query(self, text: str) -> SparseVector:
        """One weight per distinct query term."""
        return self._convert(self._model.embed_query(normalize_legal_text(text, query=True)))

    @staticmethod
    def _convert(vector: qdrant_edge.SparseVector) -> SparseVector:
        return SparseVector.of(vector.indices, vector.values)
