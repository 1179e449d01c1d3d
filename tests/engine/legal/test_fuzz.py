"""Property tests of the legal rules: canonical keys stable under the ways lawyers write a
process, and the finders and the citation resolver never crash on garbage."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jurisgraph.engine.legal import (
    find_mentions,
    parse_acordao_similar,
    parse_jurisprudencia_citada,
    parse_processo,
    processo_key,
)
from jurisgraph.engine.types import EntityType

UFS = ["SP", "RJ", "MG", "RS", "DF", "CE", "PR"]
numbers = st.integers(min_value=1, max_value=9_999_999)


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def resp_variants(draw: st.DrawFn) -> tuple[int, str]:
    """A Recurso Especial number and one way of writing it: "REsp 1.465.535/SP", "RESP 1465535",
    "REsp. 1.465.535", "Recurso Especial nº 1.465.535 - SP" and their mixes."""
    n = draw(numbers)
    sigla = draw(
        st.sampled_from(["REsp", "RESP", "Resp", "REsp.", "RESP.", "Recurso Especial", "RECURSO ESPECIAL"])
    )
    mark = draw(st.sampled_from(["", "nº ", "n. ", "n.º ", "Nº "]))
    shown = draw(st.sampled_from([dotted(n), str(n)]))
    uf = draw(st.sampled_from(["", "/{}", " - {}", "-{}", " / {}"])).format(draw(st.sampled_from(UFS)))
    return n, f"{sigla} {mark}{shown}{uf}"


@given(
    resp_variants(),
    st.sampled_from(["", "Veja o ", "conforme decidido no ", "("]),
    st.sampled_from(["", ".", ",", ")", " e outros"]),
)
def test_every_way_of_writing_a_resp_gives_one_canonical_key(
    variant: tuple[int, str], before: str, after: str
) -> None:
    n, written = variant
    keys = [
        m.entity.key for m in find_mentions(before + written + after) if m.entity.type is EntityType.PROCESSO
    ]
    assert keys == [f"processo:resp_{n}"], written


@given(resp_variants())
def test_processo_key_reads_every_variant(variant: tuple[int, str]) -> None:
    n, written = variant
    assert processo_key(written) == f"processo:resp_{n}", written


@given(st.text(max_size=200))
def test_finders_never_crash_and_spans_point_into_the_text(text: str) -> None:
    for mention in find_mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.entity.key
    parse_processo(text)
    processo_key(text)


citation_items = st.tuples(
    st.sampled_from(["REsp", "AgRg no REsp", "AgInt no AREsp", "HC", "RMS", "EDcl no AgInt no REsp"]),
    numbers,
    st.sampled_from(UFS),
)


@given(st.lists(citation_items, min_size=1, max_size=5), st.text(max_size=30))
def test_the_citation_resolver_finds_every_cited_process(
    items: list[tuple[str, int, str]], topic: str
) -> None:
    lines = [f"({topic.replace('(', '').replace(')', '').replace('<', '').replace('>', '')})", "   STJ - "]
    lines.append(",\n         ".join(f"<<{classe} {n}>>-{uf}" for classe, n, uf in items))
    found = parse_jurisprudencia_citada("\n".join(lines))
    assert [(c.ref.numero, c.ref.uf) for c in found] == [(n, uf) for _, n, uf in items]


@given(st.text(max_size=300))
def test_the_citation_resolver_never_crashes_on_garbage(text: str) -> None:
    for cited in parse_jurisprudencia_citada(text):
        assert cited.ref.numero > 0
    parse_acordao_similar(text)
