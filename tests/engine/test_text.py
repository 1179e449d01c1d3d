"""The engine's text helpers: both accent foldings, clipping variants, Portuguese lists."""

from __future__ import annotations

import pytest

from jurisgraph.engine.text import (
    SAFE_FILENAME_MAX,
    clip,
    fold,
    join_list,
    safe_filename,
    slug,
    squash,
    strip_accents,
)


def test_fold_keeps_offsets_and_lowers() -> None:
    for text in ("AÇÃO Nº 5", "Súmula 7/STJ", "art. 1º-F", "São Paulo\xa0– “SP”", "ǅ İ ß"):
        folded = fold(text)
        assert len(folded) == len(text)
    assert fold("AÇÃO Nº 5") == "acao no 5"
    assert fold("“SP”") == "?sp?"
    assert slug("Herman  Benjamin, Min.") == "herman_benjamin_min"


def test_strip_accents_keeps_case_and_the_ascii_variant_drops_the_rest() -> None:
    assert strip_accents("Controvérsia Nº 5") == "Controversia No 5"
    assert strip_accents("straße – ﬁm") == "straße – fim"
    assert strip_accents("straße – ﬁm", ascii_only=True) == "strae  fim"
    assert strip_accents("seqDocumento_Ç", ascii_only=True) == "seqDocumento_C"


def test_clip_squashes_and_cuts_at_a_word() -> None:
    assert clip("  a\n b\tc ", 10) == "a b c" == squash("  a\n b\tc ")
    assert clip("uma frase longa demais, de verdade", 20) == "uma frase longa…"
    assert clip("abcdefghij klmnop", 12) == "abcdefghij…"
    assert clip("ab cdefghijklmnopqrstu", 10) == "ab cdefghi…"


def test_clip_variants_differ_only_where_asked() -> None:
    text = "termo-chave composto-longo e mais"
    assert clip(text, 20) == "termo-chave…"
    assert clip("aaaa bbbb- cccc dddd", 15) == "aaaa bbbb…"
    assert clip("aaaa bbbb- cccc dddd", 15, trim=" ,;:.") == "aaaa bbbb-…"
    sentence = "ab " + "c" * 30
    assert clip(sentence, 20) == "ab " + "c" * 17 + "…"
    assert clip(sentence, 20, mark=" (…)", trim=",;: ", word_cut_from=0) == "ab (…)"


@pytest.mark.parametrize(
    ("items", "limit", "expected"),
    [
        ([], None, ""),
        (["a"], None, "a"),
        (["a", "b"], None, "a e b"),
        (["a", "b", "c"], None, "a, b e c"),
        (["a", "b", "c"], 3, "a, b e c"),
        (["a", "b", "c", "d", "e"], 3, "a, b, c e mais 2"),
        (["a", "b"], 1, "a e mais 1"),
    ],
)
def test_join_list(items: list[str], limit: int | None, expected: str) -> None:
    assert join_list(items, limit) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("petição inicial.pdf", "petição inicial.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\Recurso Especial.docx", "Recurso Especial.docx"),
        (".bashrc", "bashrc"),
        ("...", "document"),
        ("", "document"),
        ("a\x00b\x1fc\x7f.txt", "a b c .txt"),
        ("peti\u0301c\u0327a\u0303o.txt", "petíção.txt"),
        ("   espaços   demais .html ", "espaços demais .html"),
        ("nome:com*curingas?.pdf", "nome com curingas .pdf"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_caps_the_length_and_keeps_the_extension() -> None:
    long = "a" * 500 + ".pdf"

    result = safe_filename(long)

    assert len(result) == SAFE_FILENAME_MAX
    assert result.endswith(".pdf")
    assert "/" not in safe_filename("x/" * 300)
