"""Ministers (and judges sitting as convocados): canonical keys and display names.

``ministro:<slug>`` where the slug is the name the STJ publishes (``HERMAN BENJAMIN`` →
``ministro:herman_benjamin``). Civil names, spellings without accents, ``Min.``/``Ministro``
prefixes, SCON codes (``"Ministro OG FERNANDES (1139)"``) and unambiguous shortenings
(``"Mauro Campbell"``) all resolve to the same key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jurisgraph.engine.legal import reference
from jurisgraph.engine.legal.text import PARTICLES, title_name
from jurisgraph.engine.text import fold, squash

_PAREN = re.compile(r"\(([^()]*)\)")
_TITLES = re.compile(
    r"^(?:(?:o|a|os|as|exm[oa]s?\.?|sr[as]?\.?|sras?\.?|min\.|ministr[oa]s?(?:\(a\))?|rel\.|relator[a]?\s*:?|"
    r"desembargador[a]?\s+convocad[oa]|juiz[a]?\s+(?:federal\s+)?convocad[oa])(?:\s+|$))+"
)
_PUNCT = re.compile(r"[^\w\s'-]")
_ORIGEM = re.compile(r"\b(tjdft|trf|tjm|tj)\s*[-/]?\s*(\d|[a-z]{2}\b)?")


@dataclass(frozen=True, slots=True)
class MinistroRef:
    """A resolved minister: ``nome`` is the base display name (``"Herman Benjamin"``)."""

    key: str
    nome: str
    known: bool = False
    titulo: str | None = None
    origem: str | None = None
    nome_completo: str | None = None
    uf: str | None = None
    codigo: str | None = None

    @property
    def convocado(self) -> bool:
        """True for a judge sitting in the STJ by convocation."""
        return self.titulo is not None

    @property
    def name(self) -> str:
        """``"Min. Herman Benjamin"``; ``"Manoel Erhardt (Desembargador convocado do TRF5)"``."""
        if self.titulo:
            return (
                f"{self.nome} ({self.titulo} do {self.origem})"
                if self.origem
                else f"{self.nome} ({self.titulo})"
            )
        return f"Min. {self.nome}"

    def attributes(self) -> dict[str, Any]:
        """Entity attributes (only the known facts)."""
        data: dict[str, Any] = {"convocado": self.convocado}
        for name in ("titulo", "origem", "nome_completo", "uf", "codigo"):
            value = getattr(self, name)
            if value:
                data[name] = value
        return data


@cache
def _people() -> dict[str, dict[str, Any]]:
    return {row["slug"]: row for row in reference.ministros()}


@cache
def alias_index() -> dict[str, str]:
    """Folded name → slug: published names, civil names and unambiguous 2+ word shortenings."""
    exact: dict[str, str] = {}
    for slug_, row in _people().items():
        for alias in row["aliases"]:
            exact[alias] = slug_
    partial: dict[str, set[str]] = {}
    for alias, slug_ in exact.items():
        words = alias.split(" ")
        for size in range(2, len(words)):
            for begin in range(len(words) - size + 1):
                part = words[begin : begin + size]
                if part[0] in PARTICLES or part[-1] in PARTICLES:
                    continue
                partial.setdefault(" ".join(part), set()).add(slug_)
    index = {alias: next(iter(slugs)) for alias, slugs in partial.items() if len(slugs) == 1}
    index.update(exact)
    return index


def _convocacao(parenthetical: str) -> tuple[str, str | None] | None:
    folded = fold(parenthetical)
    if "convocad" not in folded:
        return None
    female = "convocada" in folded
    if "juiz" in folded:
        titulo = "Juíza Federal convocada" if female else "Juiz Federal convocado"
    else:
        titulo = "Desembargadora convocada" if female else "Desembargador convocado"
    match = _ORIGEM.search(folded)
    origem = (match.group(1) + (match.group(2) or "")).upper() if match else None
    return titulo, origem


def _from_slug(
    slug_: str, titulo: str | None = None, origem: str | None = None, codigo: str | None = None
) -> MinistroRef:
    row = _people()[slug_]
    return MinistroRef(
        key=f"ministro:{slug_}",
        nome=row["nome"],
        known=True,
        titulo=titulo or row.get("titulo"),
        origem=origem or row.get("origem"),
        nome_completo=row.get("nome_completo"),
        uf=row.get("uf"),
        codigo=row.get("codigo") or codigo,
    )


def resolve_tokens(words: list[str]) -> tuple[str, int] | None:
    """Longest known name at the start of ``words`` (folded): ``(slug, words used)``."""
    index = alias_index()
    for size in range(min(len(words), 8), 1, -1):
        slug_ = index.get(" ".join(words[:size]))
        if slug_:
            return slug_, size
    return None


@lru_cache(maxsize=4096)
def parse_ministro(text: str) -> MinistroRef | None:
    """Resolve a name as published (``"HERMAN BENJAMIN"``, ``"Min. Herman Benjamin"``,
    ``"Ministro OG FERNANDES (1139)"``, ``"MANOEL ERHARDT (DESEMBARGADOR CONVOCADO DO TRF5)"``,
    a civil name). ``None`` for empty strings and non-person labels.
    """
    if not text or not text.strip():
        return None
    titulo = origem = codigo = None
    for paren in _PAREN.findall(text):
        convocacao = _convocacao(paren)
        if convocacao:
            titulo, origem = convocacao
        elif paren.strip().isdigit():
            codigo = paren.strip()
    base = squash(_PAREN.sub(" ", text))
    title = _TITLES.match(fold(base))
    rest = base[title.end() :] if title else base
    folded = squash(_PUNCT.sub(" ", fold(rest)))
    if not folded or folded in reference.not_ministers():
        return None
    slug_ = alias_index().get(folded)
    if slug_:
        return _from_slug(slug_, titulo, origem, codigo)
    display = title_name(_PUNCT.sub(" ", rest))
    return MinistroRef(
        f"ministro:{folded.replace(' ', '_')}", display, False, titulo, origem, None, None, codigo
    )


def ministro_key(text: str) -> str | None:
    """Canonical key of a minister's name, or ``None``."""
    ref = parse_ministro(text)
    return ref.key if ref else None
