"""Process citations: class siglas, canonical keys, display names and registro numbers.

Key scheme: ``processo:<classe>_<número>`` with the full (possibly compound) class, lower
case, words joined by ``_`` (``processo:agint_nos_edcl_no_resp_1234``); the main class key
drops the incidental prefixes (``processo:resp_1234``). Processes of the STF carry the court
(``processo:stf_re_870947``). A registro number has its own key ``registro:201401650346``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jurisgraph.engine.legal import reference
from jurisgraph.engine.legal.text import thousands
from jurisgraph.engine.text import fold, squash

_UF_LIST = "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO"
UFS = frozenset(_UF_LIST.split())
CONNECTORS = frozenset({"no", "na", "nos", "nas"})
_CONNECTOR_SPLIT = re.compile(r"\s+(no|na|nos|nas)\s+", re.IGNORECASE)
_PROCESSO = re.compile(
    r"^\s*(?:<<\s*)?(?P<classe>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ]*?)\.?\s*(?:[nN](?:[º°oO]|\.\s*[º°]?)\.?\s*)?"
    r"(?P<numero>\d{1,3}(?:\.\d{3})+|\d+)"
    r"\s*(?:>>)?(?:\s*[-/]?\s*(?P<uf>[A-Z]{2})\b)?"
)
_REGISTRO = re.compile(r"^\s*(\d{4})\s*/?\s*(\d{7})\s*-?\s*(\d)\s*$")


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """One known class sigla."""

    sigla: str
    nome: str
    tribunal: str
    ambigua: bool
    incidental: bool


@cache
def class_table() -> dict[str, ClassInfo]:
    """Folded sigla → class info (built once from the bundled table)."""
    table: dict[str, ClassInfo] = {}
    for row in reference.classes():
        info = ClassInfo(row["sigla"], row["nome"], row["tribunal"], row["ambigua"], row["incidental"])
        table[fold(info.sigla)] = info
    return table


def normalize_class(sigla: str) -> str | None:
    """Canonical spelling of a known class sigla, case-insensitively (``"RESP"`` → ``"REsp"``);
    a long class name as lawyers write it counts too (``"Recurso Especial"`` → ``"REsp"``)."""
    folded = " ".join(fold(sigla).split())
    info = class_table().get(folded)
    if info is None and " " in folded:
        long = reference.long_forms().get(folded)
        info = class_table().get(fold(long)) if long else None
    return info.sigla if info else None


@dataclass(frozen=True, slots=True)
class ProcessoRef:
    """A parsed process citation; ``classes`` runs from the outermost incident to the main class."""

    classes: tuple[str, ...]
    connectors: tuple[str, ...]
    numero: int
    uf: str | None = None
    tribunal: str = "STJ"

    @property
    def classe(self) -> str:
        """Full class as written by the STJ: ``"AgInt nos EDcl no REsp"``."""
        parts = [self._display_class(0)]
        for index, connector in enumerate(self.connectors, start=1):
            parts += [connector, self._display_class(index)]
        return " ".join(parts)

    @property
    def classe_principal(self) -> str:
        """The main class (last of the chain): ``"REsp"``."""
        return self.classes[-1]

    @property
    def compound(self) -> bool:
        """True when the citation names an incident of another process."""
        return len(self.classes) > 1

    @property
    def key(self) -> str:
        """Canonical key keeping the full class."""
        return _key(self.tribunal, self.classe, self.numero)

    @property
    def main_key(self) -> str:
        """Canonical key of the main process (incidental prefixes dropped)."""
        return _key(self.tribunal, self.classe_principal, self.numero)

    @property
    def name(self) -> str:
        """Display name as lawyers write it: ``"REsp 1.465.535/SP"``."""
        text = f"{self.classe} {thousands(self.numero)}"
        return f"{text}/{self.uf}" if self.uf else text

    @property
    def main_name(self) -> str:
        """Display name of the main process."""
        text = f"{self.classe_principal} {thousands(self.numero)}"
        return f"{text}/{self.uf}" if self.uf else text

    def main(self) -> ProcessoRef:
        """The main process as its own reference."""
        return ProcessoRef((self.classe_principal,), (), self.numero, self.uf, self.tribunal)

    def with_uf(self, uf: str | None) -> ProcessoRef:
        """A copy with the UF set when ``uf`` is a valid one (otherwise unchanged)."""
        if uf and uf.upper() in UFS:
            return ProcessoRef(self.classes, self.connectors, self.numero, uf.upper(), self.tribunal)
        return self

    def _display_class(self, index: int) -> str:
        sigla = self.classes[index]
        return "PET" if sigla == "Pet" and index < len(self.classes) - 1 else sigla

    def attributes(self) -> dict[str, Any]:
        """Plain attributes for an entity: class, main class, number, UF, court."""
        data: dict[str, Any] = {"classe": self.classe, "numero": self.numero, "tribunal": self.tribunal}
        if self.compound:
            data["classe_principal"] = self.classe_principal
            data["processo_principal"] = self.main_key
        if self.uf:
            data["uf"] = self.uf
        return data


@lru_cache(maxsize=8192)
def _key(tribunal: str, classe: str, numero: int) -> str:
    prefix = "" if tribunal == "STJ" else f"{tribunal.lower()}_"
    return f"processo:{prefix}{'_'.join(fold(classe).split())}_{numero}"


@lru_cache(maxsize=4096)
def parse_classe(text: str, *, strict: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Split ``"AgInt nos EDcl no REsp"`` into classes and connectors.

    With ``strict`` every sigla must be known; otherwise unknown siglas are kept as written.
    """
    pieces = _CONNECTOR_SPLIT.split(squash(text))
    classes: list[str] = []
    connectors: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            connectors.append(piece.lower())
            continue
        canonical = normalize_class(piece)
        if canonical is None:
            if strict or not piece or " " in piece:
                return None
            canonical = piece
        classes.append(canonical)
    if not classes:
        return None
    return tuple(classes), tuple(connectors)


def make_ref(
    classe: str, numero: int | str, uf: str | None = None, *, strict: bool = False
) -> ProcessoRef | None:
    """Reference from separate class and number fields (structured data); ``None`` if unusable."""
    parsed = parse_classe(classe, strict=strict)
    number = int(re.sub(r"\D", "", str(numero)) or 0)
    if parsed is None or number <= 0:
        return None
    classes, connectors = parsed
    info = class_table().get(fold(classes[-1]))
    tribunal = info.tribunal if info else "STJ"
    ref = ProcessoRef(classes, connectors, number, None, tribunal)
    return ref.with_uf(uf)


def parse_processo(text: str, *, strict: bool = False) -> ProcessoRef | None:
    """Parse one citation: ``"REsp 1.465.535/SP"``, ``"<<REsp 1465535>>-SP"``, ``"REsp 1465535    "``,
    ``"AgInt na ExeMS  18409 DF"``, ``"RESP 1465535"``, ``"Recurso Especial nº 1.465.535 - SP"``.
    ``None`` when it is not a citation.
    """
    match = _PROCESSO.match(text)
    if not match:
        return None
    return make_ref(match["classe"], match["numero"], match["uf"], strict=strict)


def processo_key(text: str) -> str | None:
    """Canonical key of a citation string (full class), or ``None``."""
    ref = parse_processo(text)
    return ref.key if ref else None


def normalize_registro(text: str) -> str | None:
    """``"2014/0165034-6"`` or ``"201401650346"`` → ``"201401650346"``; ``None`` if malformed."""
    match = _REGISTRO.match(text or "")
    return "".join(match.groups()) if match else None


def registro_key(text: str) -> str | None:
    """``registro:201401650346`` for either spelling of a registro number."""
    value = normalize_registro(text)
    return f"registro:{value}" if value else None


def format_registro(text: str) -> str | None:
    """``"201401650346"`` → ``"2014/0165034-6"`` (how citations print it)."""
    value = normalize_registro(text)
    return f"{value[:4]}/{value[4:11]}-{value[11]}" if value else None
