"""Choice of the answering mode by rules (an LLM classifier may refine an undecided choice)."""

from __future__ import annotations

from collections.abc import Sequence

from jurisgraph.engine.query.terms import is_aggregate
from jurisgraph.engine.query.types import LinkedEntity, Mode


def choose_mode(question: str, linked: Sequence[LinkedEntity]) -> tuple[Mode, str]:
    """The mode for ``auto`` and why: entities named exactly → local; a broad or aggregate
    question → global; otherwise naive retrieval."""
    strong = [e for e in linked if e.strong]
    if strong:
        names = ", ".join(e.name for e in strong[:3])
        return Mode.LOCAL, f"entidades nomeadas na pergunta: {names}"
    if is_aggregate(question):
        return Mode.GLOBAL, "pergunta ampla ou agregada (panorama, principais, quais…)"
    return Mode.NAIVE, "sem entidade nomeada nem pedido de panorama: busca nos trechos"


def resolve(requested: str) -> Mode:
    """A mode from its name; unknown names raise ValueError."""
    return Mode(requested.strip().lower())
