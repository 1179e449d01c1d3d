"""Property tests of the chunker: offsets slice back to the chunk text, no chunk over the limit,
every non-blank character covered, chunks in order, deterministic."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from jurisgraph.engine.chunking import chunk_text

# legal text is where the splitting rules bite: abbreviations, numbers with dots, §, line breaks
PIECES = [
    "art. 5º, inc. XXXV",
    "REsp 1.465.535/SP",
    "Rel. Min. Herman Benjamin.",
    "§ 2º",
    "Lei n. 8.078/1990.",
    "S.A.",
    "fls. 12",
    "1.234.567",
    "Súmula 7/STJ.",
    "EMENTA:",
    "Vistos.",
    "…",
    "!?",
    ".",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    "a",
    "palavra",
    "x" * 40,
]
legal_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=80).map("".join)
limits = st.integers(min_value=1, max_value=300).flatmap(
    lambda size: st.tuples(st.just(size), st.integers(min_value=0, max_value=size - 1))
)


@given(legal_text, limits)
def test_chunks_slice_back_fit_the_limit_and_cover_the_text(text: str, limit: tuple[int, int]) -> None:
    size, overlap = limit
    chunks = chunk_text("doc:1", text, size=size, overlap=overlap)
    for index, chunk in enumerate(chunks):
        assert chunk.index == index and chunk.document_key == "doc:1"
        assert text[chunk.start : chunk.end] == chunk.text
        assert 0 < len(chunk.text) <= size
        assert not chunk.text[0].isspace() and not chunk.text[-1].isspace()
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start and before.end < after.end
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())
    assert chunk_text("doc:1", text, size=size, overlap=overlap) == chunks


@given(st.text(alphabet=" \t\r\n\x0b\x0c", max_size=30), limits)
def test_blank_text_gives_no_chunk(text: str, limit: tuple[int, int]) -> None:
    assert chunk_text("doc:1", text, size=limit[0], overlap=limit[1]) == []
