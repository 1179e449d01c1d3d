"""Súmulas and temas: canonical keys, display names and the bundled STJ enunciados.

Keys: ``sumula:stj_7``, ``sumula:stf_282``, ``sumula:stf_vinculante_11``; ``tema:1076`` for
an STJ repetitive tema, ``tema:stf_810`` for an STF repercussão geral tema, and
``tema:<tipo>_<n>`` for the other qualified precedents of the STJ (``tema:controversia_1``,
``tema:iac_5``, ``tema:puil_3``, ``tema:sirdr_2``).
"""

from __future__ import annotations

import re

from jurisgraph.engine.legal import reference
from jurisgraph.engine.legal.text import thousands
from jurisgraph.engine.text import fold

_SUMULA_KEY = re.compile(r"^sumula:(?P<court>stj|stf)_(?P<vinc>vinculante_)?(?P<num>\d+)$")
_TEMA_KEY = re.compile(r"^tema:(?:(?P<kind>stf|controversia|iac|puil|sirdr)_)?(?P<num>\d+)$")
PRECEDENT_KINDS: dict[str, tuple[str, str]] = {
    "tema": ("", "Tema"),
    "tema repetitivo": ("", "Tema"),
    "controversia": ("controversia", "Controvérsia"),
    "iac": ("iac", "IAC"),
    "puil": ("puil", "PUIL"),
    "sirdr": ("sirdr", "SIRDR"),
}


def sumula_key(numero: int, court: str = "STJ", *, vinculante: bool = False) -> str:
    """``sumula:stj_7``; STF binding súmulas are ``sumula:stf_vinculante_N``."""
    court_slug = court.strip().lower()
    return f"sumula:{court_slug}_{'vinculante_' if vinculante else ''}{numero}"


def sumula_name(key: str) -> str:
    """``"Súmula 7/STJ"``, ``"Súmula Vinculante 11/STF"``."""
    match = _SUMULA_KEY.match(key)
    if not match:
        return key
    kind = "Súmula Vinculante" if match["vinc"] else "Súmula"
    return f"{kind} {match['num']}/{match['court'].upper()}"


def sumula_enunciado(key: str) -> tuple[str, str] | None:
    """``(enunciado, status)`` of an STJ súmula from the bundled catalogue, else ``None``."""
    match = _SUMULA_KEY.match(key)
    if not match or match["court"] != "stj" or match["vinc"]:
        return None
    item = reference.sumulas_stj().get(match["num"])
    return (item[0], item[1]) if item else None


def tema_key(numero: int, court: str = "STJ", tipo: str = "tema") -> str | None:
    """``tema:1076`` (STJ repetitive), ``tema:stf_810``, ``tema:controversia_1``.

    ``None`` when ``tipo`` is not a known kind of qualified precedent.
    """
    if court.upper() == "STF":
        return f"tema:stf_{numero}"
    kind = PRECEDENT_KINDS.get(fold(tipo).strip())
    if kind is None:
        return None
    return f"tema:{kind[0]}_{numero}" if kind[0] else f"tema:{numero}"


def tema_name(key: str) -> str:
    """``"Tema 1.076/STJ"``, ``"Tema 810/STF"``, ``"Controvérsia 1/STJ"``."""
    match = _TEMA_KEY.match(key)
    if not match:
        return key
    number = thousands(int(match["num"]))
    kind = match["kind"]
    if kind == "stf":
        return f"Tema {number}/STF"
    label = next((lab for slug_, lab in PRECEDENT_KINDS.values() if slug_ == (kind or "")), "Tema")
    return f"{label} {number}/STJ"
