"""Judging bodies (``orgao:s1``) and CNJ subjects (``assunto:6060``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from jurisgraph.engine.legal import reference
from jurisgraph.engine.text import fold, squash

_CODE = re.compile(r"^\s*(ce|s[1-3]|t[1-6])\b")
_NAME = re.compile(
    r"\b(?:(?P<ord>primeira|segunda|terceira|quarta|quinta|sexta|[1-6]a)\s+(?P<kind>turma|secao)|corte\s+especial)\b"
)
ORDINALS = {"primeira": 1, "segunda": 2, "terceira": 3, "quarta": 4, "quinta": 5, "sexta": 6}
_CNJ_CODE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class OrgaoRef:
    """One of the ten judging bodies of the STJ."""

    codigo: str
    nome: str
    exibicao: str
    secao: str | None
    materia: str

    @property
    def key(self) -> str:
        """``orgao:s1``."""
        return f"orgao:{self.codigo.lower()}"

    @property
    def secao_key(self) -> str | None:
        """Key of the section a turma belongs to (``orgao:s1`` for T1/T2)."""
        return f"orgao:{self.secao.lower()}" if self.secao else None


@cache
def _by_code() -> dict[str, OrgaoRef]:
    return {
        row["codigo"]: OrgaoRef(row["codigo"], row["nome"], row["exibicao"], row.get("secao"), row["materia"])
        for row in reference.orgaos()
    }


def code_from_match(ordinal: str | None, kind: str | None) -> str | None:
    """Code for a folded ``(ordinal, "turma"|"secao")`` pair; ``CE`` when both are ``None``."""
    if ordinal is None:
        return "CE"
    number = ORDINALS.get(ordinal) or int(ordinal[0])
    if kind == "turma" and 1 <= number <= 6:
        return f"T{number}"
    if kind == "secao" and 1 <= number <= 3:
        return f"S{number}"
    return None


def parse_orgao(text: str | None) -> OrgaoRef | None:
    """The órgão named by ``"PRIMEIRA SEÇÃO"``, ``"S1 "``, ``"T2 - SEGUNDA TURMA"``, ``"Corte Especial"``."""
    if not text:
        return None
    folded = squash(fold(text))
    code_match = _CODE.match(folded)
    if code_match:
        return _by_code().get(code_match.group(1).upper())
    match = _NAME.search(folded)
    if not match:
        return None
    code = code_from_match(match["ord"], match["kind"])
    return _by_code().get(code) if code else None


def orgao_key(text: str | None) -> str | None:
    """Canonical key of a judging body, or ``None``."""
    ref = parse_orgao(text)
    return ref.key if ref else None


def orgao_by_code(code: str) -> OrgaoRef | None:
    """Órgão from its code (``"T2"``)."""
    return _by_code().get(code.upper())


def assunto_codes(value: str | Iterable[str] | None) -> list[str]:
    """CNJ codes in order of first appearance, deduplicated: ``"6060;6060;5994"`` → ``["6060", "5994"]``."""
    if not value:
        return []
    items = [value] if isinstance(value, str) else list(value)
    seen: dict[str, None] = {}
    for item in items:
        for code in _CNJ_CODE.findall(str(item)):
            seen.setdefault(str(int(code)), None)
    return list(seen)


def assunto_keys(value: str | Iterable[str] | None) -> list[str]:
    """``"6060;6060;5994"`` → ``["assunto:6060", "assunto:5994"]``."""
    return [f"assunto:{code}" for code in assunto_codes(value)]


def assunto_name(code: str) -> str | None:
    """Name of a CNJ subject from the bundled table (codes seen in the precedentes data)."""
    return reference.assuntos().get(str(code))
