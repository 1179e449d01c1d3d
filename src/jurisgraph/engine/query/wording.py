"""Portuguese wording of graph facts as lawyers write them (articles, verbs, sentences)."""

from __future__ import annotations

from jurisgraph.engine.text import fold

#: first names of ministras and judges of the STJ (for "a relatora … é a Min. …")
_FEMININE_LIST = """
    nancy maria regina assusete laurita daniela marluce eliana denise fatima alderita marga marisa isabel
    diva thereza jane susana liliane salete marilza simone luciana ana vera marcia rosa eva
"""
_FEMININE_FIRST_NAMES = frozenset(_FEMININE_LIST.split())
VERBS = {
    "RELATOR_DE": "é relator(a) de",
    "JULGADO_POR": "foi julgado por",
    "LEADING_CASE_DE": "é leading case de",
    "ORIGINOU_SUMULA": "originou a",
    "REFERENCIA": "referencia",
    "CITA_PRECEDENTE": "cita como precedente",
    "TRATA_DE": "trata de",
    "PERTENCE_A": "pertence a",
    "VOTOU_EM": "votou em",
    "DECIDIU": "é decisão em",
    "SIMILAR_A": "é similar a",
    "APLICA": "aplica",
    "CONTRARIA": "contraria",
    "CONFIRMA": "confirma",
    "FUNDAMENTA": "fundamenta",
    "PARTE_EM": "é parte em",
}


def feminine(name: str) -> bool:
    """Whether a minister's or judge's display name is a woman's (from the first name or title)."""
    folded = fold(name)
    if "desembargadora" in folded or "juiza" in folded:
        return True
    words = [w for w in folded.replace(".", " ").split() if w not in {"min", "ministra", "ministro"}]
    return bool(words) and words[0] in _FEMININE_FIRST_NAMES


def relator_phrase(processo: str, ministro: str) -> str:
    """``"O relator do REsp 1.850.512/SP é o Min. Og Fernandes"`` (feminine when the name is)."""
    woman = feminine(ministro)
    subject = "A relatora" if woman else "O relator"
    article = ("a " if woman else "o ") if ministro.startswith("Min.") else ""
    return f"{subject} do {processo} é {article}{ministro}"


def orgao_by(orgao: str) -> str:
    """``"pela Corte Especial"`` (every órgão of the STJ is feminine: Corte, Seção, Turma)."""
    return f"pela {orgao}"


def sentence(text: str) -> str:
    """``text`` ending with a full stop unless it already ends with punctuation."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…", ":")) else text + "."
