"""The source files of the structured-question set, read with the standard library only, and
the builder that numbers questions and assigns their split (see build_graph_questions.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "stj"
DEFAULT_OUT = ROOT / "bench" / "data" / "graph_questions.jsonl"
ORGAO = {
    "CE": ("Corte Especial", "CORTE ESPECIAL"),
    "S1": ("Primeira Seção", "PRIMEIRA SEÇÃO"),
    "S2": ("Segunda Seção", "SEGUNDA SEÇÃO"),
    "S3": ("Terceira Seção", "TERCEIRA SEÇÃO"),
    "T1": ("Primeira Turma", "PRIMEIRA TURMA"),
}
LAWS = {  # STJ referenciasLegislativas header → (canonical key, how a lawyer names it)
    ("LEI", "013105", "2015"): ("lei:13105_2015", "CPC/2015"),
    ("LEI", "010406", "2002"): ("lei:10406_2002", "Código Civil de 2002"),
    ("LEI", "005869", "1973"): ("lei:5869_1973", "CPC/1973"),
    ("LEI", "005172", "1966"): ("lei:5172_1966", "CTN"),
}


def plain(text: str) -> str:
    """Lower case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def dotted(number: int) -> str:
    """1465535 → 1.465.535"""
    return f"{number:,}".replace(",", ".")


def read_semicolon_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("iso-8859-1")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def tema_key(tipo: str, numero: str) -> str:
    if tipo == "Tema":
        return f"tema:{int(numero)}"
    slug = re.sub(r"[^a-z0-9]+", "_", plain(tipo)).strip("_")
    return f"tema:{slug}_{int(numero)}"


def processo_key(classe: str, numero: str | int) -> str:
    return "processo:" + re.sub(r"[^a-z0-9]+", "_", plain(classe)).strip("_") + f"_{int(numero)}"


def load_precedentes(source: Path) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """Temas by sequencial (first sequencial of a (tipo, número) wins) and their processos rows."""
    temas: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    for row in read_semicolon_csv(source / "precedentes" / "temas.csv"):
        seq, tipo, numero = row["sequencialPrecedente"], row["tipoPrecedente"], row["numeroPrecedente"]
        if not seq or not tipo or not numero.isdigit() or seq in temas:
            continue
        key = tema_key(tipo, numero)
        if owner.setdefault(key, seq) != seq:
            continue
        temas[seq] = {**row, "key": key, "orgao": row["orgaoJulgador"].strip()}
    processos = [
        r
        for r in read_semicolon_csv(source / "precedentes" / "processos.csv")
        if r["sequencialPrecedente"] in temas
    ]
    return temas, processos


def load_espelhos(source: Path) -> list[dict[str, Any]]:
    """The seven real espelhos in one shape: processo key, órgão, date, ementa, citations, references."""
    out = []
    for line in (
        (source / "espelhos" / "wikijuridica_stj_espelhos_sample_6.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ):
        r = json.loads(line)
        out.append(
            {
                "key": processo_key(r["classe"], r["numero_processo"]),
                "orgao": r["orgao_julgador"],
                "year": int(r["data_julgamento"][:4]),
                "ementa": r["ementa"],
                "citada": r.get("jurisprudencia_citada") or "",
                "refs": r["referencias_legislativas_brutas"],
            }
        )
    for r in json.loads(
        (source / "espelhos" / "espelho_raw_000389583_primeira-secao_MS15_1989.json").read_text(
            encoding="utf-8"
        )
    ):
        out.append(
            {
                "key": processo_key(r["siglaClasse"], r["numeroProcesso"]),
                "orgao": r["nomeOrgaoJulgador"],
                "year": int(r["dataDecisao"][:4]),
                "ementa": r["ementa"],
                "citada": r.get("jurisprudenciaCitada") or "",
                "refs": r.get("referenciasLegislativas") or [],
            }
        )
    return out


def sumulas_of(espelho: dict[str, Any]) -> set[int]:
    found: set[int] = set()
    for ref in espelho["refs"]:
        if "SUM(STJ)" in ref:
            found |= {int(n) for n in re.findall(r"SUM:(\d+)", ref)}
    for match in re.finditer(r"S[úu]mulas?\s+((?:\d+(?:\s*,\s*|\s+e\s+))*\d+)\s*/\s*STJ", espelho["ementa"]):
        found |= {int(n) for n in re.findall(r"\d+", match.group(1))}
    return found


def articles_of(espelho: dict[str, Any]) -> dict[str, set[int]]:
    """law key → article numbers listed in the espelho's referenciasLegislativas."""
    found: dict[str, set[int]] = defaultdict(set)
    for ref in espelho["refs"]:
        head = re.match(r"LEG:FED (\w+):(\d+) ANO:(\d{4})", ref)
        if not head or tuple(head.groups()) not in LAWS:
            continue
        law = LAWS[tuple(head.groups())][0]
        found[law] |= {int(n) for n in re.findall(r"ART:(\d+)", ref)}
    return found


class Builder:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.counts: Counter[str] = Counter()
        self.blind: Counter[str] = Counter()

    def add(self, pattern: str, question: str, kind: str, expected: Any, blind: bool = False) -> None:
        counter = self.blind if blind else self.counts
        n = counter[pattern]
        counter[pattern] += 1
        split = "blind" if blind else "dev" if n % 2 == 0 else "heldout"
        self.items.append(
            {
                "id": f"{pattern}-{'b' if blind else ''}{n:02d}",
                "pattern": pattern,
                "split": split,
                "question": question,
                "kind": kind,
                "expected": expected,
            }
        )


def temas_in(repetitivos: dict[str, dict[str, str]], orgao: str, year: int, column: str) -> list[str]:
    """Keys of the temas repetitivos of ``orgao`` whose ``column`` date falls in ``year``, by number."""
    keys = [t["key"] for t in repetitivos.values() if t["orgao"] == orgao and t[column][:4] == str(year)]
    return sorted(keys, key=lambda k: int(k.split(":")[1]))


def originated(repetitivos: dict[str, dict[str, str]], pred: Any) -> list[str]:
    """Keys of the súmulas originated by the temas repetitivos that satisfy ``pred``, by number."""
    found = set()
    for t in repetitivos.values():
        if pred(t):
            found |= {f"sumula:stj_{int(n)}" for n in re.findall(r"\d+", t["sumulaOriginada"])}
    return sorted(found, key=lambda k: int(k.rsplit("_", 1)[1]))
