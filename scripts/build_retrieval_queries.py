"""Build the labelled retrieval query set (bench/data/retrieval_queries.json) from real STJ data.

Two kinds of queries, each labelled with the tema it must retrieve (document key ``tema:N``):

* ``tese``: official "Jurisprudência em Teses" statements that name a tema repetitivo, with
  the reference to the tema removed and cut to their first 25 words — a lawyer's paraphrase
  of the thesis, not its text;
* ``identificador``: the tema named as lawyers write it ("Tema 1.076/STJ", "Tema Repetitivo 687").

Only temas present in the bundled sample are used. Deterministic: run it again, get the same file.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "stj" / "derivados" / "jurisprudencia_em_teses_stj.json"
SAMPLE_TEMAS = ROOT / "src" / "jurisgraph" / "sample"
OUT = ROOT / "bench" / "data" / "retrieval_queries.json"
REFERENCE = re.compile(
    r"\s*\((?:[^()]*?)\bTemas?\s+(?:Repetitivos?\s+)?(?:n\.\s*)?(\d[\d.]*)[^()]*\)\.?", re.I
)
WORDS = 25


def sample_temas() -> set[int]:
    """Numbers of the temas repetitivos in the bundled sample's temas.csv."""
    found: set[int] = set()
    for path in SAMPLE_TEMAS.rglob("temas.csv"):
        rows = csv.DictReader(io.StringIO(path.read_bytes().decode("iso-8859-1")), delimiter=";")
        for row in rows:
            if row["tipoPrecedente"].strip().upper() == "TEMA" and row["numeroPrecedente"].strip().isdigit():
                found.add(int(row["numeroPrecedente"]))
    return found


def display(number: int) -> str:
    """1076 → 1.076."""
    return f"{number:,}".replace(",", ".")


def main() -> int:
    temas = sample_temas()
    if not temas:
        print("no temas found in the sample", file=sys.stderr)
        return 1
    data = json.loads(SHARED.read_text(encoding="utf-8"))
    teses = next(v for k, v in data.items() if k != "_meta" and isinstance(v, dict))
    queries: list[dict[str, object]] = []
    seen: set[int] = set()
    for item in sorted(teses.values(), key=lambda t: t["id"]):
        match = REFERENCE.search(item["enunciado"])
        if not match:
            continue
        number = int(match.group(1).replace(".", ""))
        if number not in temas or number in seen:
            continue
        seen.add(number)
        text = REFERENCE.sub("", item["enunciado"]).strip()
        query = " ".join(text.split()[:WORDS])
        queries.append({"id": item["id"], "kind": "tese", "query": query, "expected": f"tema:{number}"})
    rng = random.Random(2026)
    forms = ["Tema {n}/STJ", "Tema Repetitivo {n}", "tese do Tema {n} do STJ", "TEMA(s) {raw}"]
    for index, number in enumerate(sorted(rng.sample(sorted(temas), 30))):
        query = forms[index % len(forms)].format(n=display(number), raw=number)
        queries.append(
            {"id": f"ID_{number}", "kind": "identificador", "query": query, "expected": f"tema:{number}"}
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {"source": "STJ Jurisprudência em Teses + precedentes qualificados (CC-BY)", "queries": queries},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(queries)} queries → {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
