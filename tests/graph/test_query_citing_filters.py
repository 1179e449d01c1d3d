"""The órgão filter of citation walks: the LIKE pattern sent to SQL lets through every spelling
that folds to the órgão's name, and the exact comparison after it keeps only those."""

from __future__ import annotations

import sqlite3
import unicodedata

from jurisgraph.engine.legal.orgaos import _by_code
from jurisgraph.engine.text import fold
from jurisgraph.graph.query_service import _orgao_like


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _matches(value: str, pattern: str) -> bool:
    with sqlite3.connect(":memory:") as db:
        return bool(db.execute("select ? like ?", (value, pattern)).fetchone()[0])


def test_every_spelling_of_an_orgao_passes_its_pattern() -> None:
    for orgao in _by_code().values():
        pattern = _orgao_like(orgao.nome)
        spellings = {orgao.nome, orgao.nome.lower(), orgao.nome.title(), _unaccented(orgao.nome)}
        for spelling in spellings:
            assert fold(spelling) == fold(orgao.nome)
            assert _matches(spelling, pattern), (spelling, pattern)


def test_the_pattern_narrows_the_rows() -> None:
    """Vowels match any letter, so "QUARTA TURMA" passes the pattern of "QUINTA TURMA" (the exact
    comparison drops it), but the pattern lets through at most one other órgão."""
    names = [orgao.nome for orgao in _by_code().values()]
    for name in names:
        others = [n for n in names if fold(n) != fold(name) and _matches(n, _orgao_like(name))]
        assert len(others) <= 1, (name, others)
