"""A name index built from the bundled reference tables (ministers, órgãos, CNJ subjects)."""

from __future__ import annotations

import pytest

from jurisgraph.engine.legal import parse_ministro, parse_orgao, reference
from jurisgraph.engine.legal.orgaos import assunto_keys, assunto_name
from jurisgraph.engine.query import NameIndex


def reference_rows() -> list[tuple[str, str, str, int]]:
    """(key, display name, type, weight) of every minister, órgão and CNJ subject in the tables."""
    rows: list[tuple[str, str, str, int]] = []
    for person in reference.ministros():
        ref = parse_ministro(person["nome"].upper())
        if ref is not None:
            rows.append((ref.key, ref.name, "MINISTRO", 1))
    for orgao in reference.orgaos():
        found = parse_orgao(orgao["nome"])
        if found is not None:
            rows.append((found.key, found.exibicao, "ORGAO_JULGADOR", 1))
    for code in reference.assuntos():
        name = assunto_name(code)
        if name:
            rows.append((assunto_keys(code)[0], name, "ASSUNTO", 1))
    return rows


@pytest.fixture(scope="module")
def name_rows() -> list[tuple[str, str, str, int]]:
    return reference_rows()


@pytest.fixture(scope="module")
def names() -> NameIndex:
    return NameIndex(reference_rows())
