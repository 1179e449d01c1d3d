"""A citation of an uploaded document knows its page, whether it comes from a retrieved passage,
a sentence picked out of one, or a mention of the graph."""

from __future__ import annotations

from jurisgraph.ask.repository import SourceRow
from jurisgraph.ask.sources import from_row
from jurisgraph.engine.query.extractive import pinpoint
from jurisgraph.engine.query.sentences import Supporting

TEXT = "RECURSO ESPECIAL\nA parte recorre.\nDA RENÚNCIA\nO REsp 1.679.185/RS manda converter em renda."
PAGES = [{"number": 1, "start": 0, "end": 33}, {"number": 2, "start": 34, "end": len(TEXT)}]


def row(start: int | None, end: int | None) -> SourceRow:
    return SourceRow(
        target_id="processo:resp_1679185",
        document_key="upload:abc",
        kind="upload",
        title="recurso",
        processo=None,
        orgao_julgador=None,
        relator=None,
        day=None,
        source_url=None,
        head=TEXT * 100,  # long: cited by its chunk
        chunk_id="c1",
        chunk_start=0,
        chunk_end=len(TEXT),
        chunk_text=TEXT,
        start=start,
        end=end,
        field=None,
        document_id=7,
        pages=PAGES,
    )


def test_a_graph_mention_of_an_upload_is_cited_to_its_page() -> None:
    at = TEXT.index("REsp")
    source = from_row(row(at, at + 20))
    assert source.start == 0  # the window around the mention starts at the chunk, on page 1
    assert source.page == 1
    assert source.source_url == "/documentos/7"
    data = source.as_dict()
    assert data["page_url"] == f"/documentos/7?pagina={source.page}"
    assert "pages" not in data


def test_a_sentence_picked_out_of_a_source_takes_the_page_it_starts_on() -> None:
    source = from_row(row(None, None))  # the whole chunk: starts on page 1
    assert source.page == 1
    at = TEXT.index("O REsp")
    narrowed = pinpoint(source, Supporting(source.key, TEXT[at:], start=at, end=len(TEXT), score=1.0))
    assert narrowed.page == 2 and narrowed.text.startswith("O REsp")
