"""Build the labelled evaluation sets of `jurisgraph eval` (bench/data/eval/*.jsonl) from real STJ data.

Usage: python scripts/build_eval_sets.py [--out bench/data/eval]

Every question is made HERE from the files of the bundled sample (src/jurisgraph/sample: the
files `make demo` ingests), with the csv and json modules only: nothing of the jurisgraph
package is imported, so the sets check the code under test instead of repeating it.
Deterministic: same files, same bytes. Three sets, one JSON object per line
(``id, question, relevant, facts, kind, split``):

* ``retrieval.jsonl``: the labelled retrieval queries of bench/data/retrieval_queries.json
  (Jurisprudência em Teses statements and tema identifiers; see
  scripts/build_retrieval_queries.py), converted: ``relevant`` = the expected tema, no facts.
* ``temas.jsonl`` (temas repetitivos of temas.csv + processos.csv), five kinds:
  - ``tese_por_numero``: "Qual a tese firmada no Tema 1.076?" → the tema; fact: the opening
    words of its tese;
  - ``tese_por_leading_case``: the tese asked by the tema's leading case ("REsp 1.850.512");
    processes that lead more than one tema are left out;
  - ``tema_por_tese_parafraseada``: the tema asked by its tese rewritten by fixed rules
    (:data:`PARAPHRASES`: synonyms, parentheses and article marks dropped, 30 words at most);
    fact: "Tema N";
  - ``relator``: the relator of the tema's leading case; fact: the name as published;
  - ``sumula_originada``: the tema a súmula came from (sumulaOriginada); fact: "Tema N" of
    each tema that originated it (all of them are relevant).
  At most :data:`PER_KIND` temas per kind, chosen by a stable hash of the tema number.
* ``espelhos.jsonl`` (the espelhos de acórdãos of the sample), three kinds:
  - ``relator_orgao``: relator and órgão julgador of a process; facts: both, as published
    (a convocado's name also without the parenthesis);
  - ``legislacao``: the statutes a decision applies (referenciasLegislativas); one fact per
    statute, any of its number/year, sigla or name; a súmula list gives one fact per súmula;
  - ``precedentes``: the precedents a decision cites (jurisprudenciaCitada ``<<...>>``), at most
    five facts, in order.

Split: ``heldout`` for the ids whose sha256 falls in the first 30 of 100 buckets, ``dev`` for
the rest (the same rule as jurisgraph.evaluation.sets.split_of). Nothing is tuned on heldout.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "jurisgraph" / "sample"
PRECEDENTES = SAMPLE / "precedentes-qualificados"
RETRIEVAL = ROOT / "bench" / "data" / "retrieval_queries.json"
DEFAULT_OUT = ROOT / "bench" / "data" / "eval"
PER_KIND = 40
TESE_WORDS = 8
PARAPHRASE_WORDS = 30
HELDOUT_PERCENT = 30

#: Fixed rewriting rules of a tese into a lawyer's paraphrase, applied in order (case-insensitive,
#: on word boundaries). They change wording, not meaning.
PARAPHRASES: tuple[tuple[str, str], ...] = (
    (r"não é possível", "é vedado"),
    (r"é possível", "admite-se"),
    (r"não é cabível", "não cabe"),
    (r"é cabível", "cabe"),
    (r"não incide", "não se aplica"),
    (r"incide", "aplica-se"),
    (r"devem ser", "hão de ser"),
    (r"deve ser", "há de ser"),
    (r"compete", "cabe"),
    (r"desde que", "contanto que"),
    (r"somente", "apenas"),
    (r"nos termos do", "conforme o"),
    (r"nos termos da", "conforme a"),
    (r"é necessári[ao]", "exige-se"),
    (r"prazo prescricional", "prazo de prescrição"),
    (r"a partir d[ao]", "desde"),
    (r"ajuizamento", "propositura"),
    (r"o segurado", "o beneficiário"),
    (r"legítima", "válida"),
    (r"ilegítima", "inválida"),
)
_PARENS = re.compile(r"\s*\([^()]*\)")
_ARTICLE_MARKS = re.compile(r"\b(?:n[º°o]\.?|n\.)\s*", re.IGNORECASE)
_CITED = re.compile(r"<<([^<>]+)>>")
_DIGITS = re.compile(r"\d+")


def split_of(item_id: str) -> str:
    """``heldout`` for about 30% of ids (first 8 hex digits of sha256, mod 100), else ``dev``."""
    bucket = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "heldout" if bucket < HELDOUT_PERCENT else "dev"


def display(number: int | str) -> str:
    """1076 → 1.076."""
    return f"{int(number):,}".replace(",", ".")


def squash(text: str) -> str:
    return " ".join(text.split())


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a precedentes CSV (ISO-8859-1, ``;``, every value quoted), values stripped."""
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("iso-8859-1")), delimiter=";")
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def stable_order(keys: list[Any], salt: str) -> list[Any]:
    """``keys`` ordered by a hash of (salt, key): a fixed pseudo-random choice."""
    return sorted(keys, key=lambda k: hashlib.sha256(f"{salt}:{k}".encode()).hexdigest())


def item(item_id: str, question: str, relevant: list[str], facts: list[Any], kind: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "question": question,
        "relevant": relevant,
        "facts": facts,
        "kind": kind,
        "split": split_of(item_id),
    }


def tese_fact(tese: str) -> str:
    """The opening words of a tese (parentheses dropped), what a correct answer states."""
    words = squash(_PARENS.sub("", tese)).split()
    return " ".join(words[:TESE_WORDS]).rstrip(",;:.")


def paraphrase(tese: str) -> str:
    """The tese rewritten by :data:`PARAPHRASES`, parentheses and ``nº`` marks dropped, cut to
    :data:`PARAPHRASE_WORDS` words, first letter in lower case."""
    text = squash(_ARTICLE_MARKS.sub("", _PARENS.sub("", tese)))
    for pattern, replacement in PARAPHRASES:
        text = re.sub(rf"(?<!\w){pattern}(?!\w)", replacement, text, flags=re.IGNORECASE)
    words = text.split()[:PARAPHRASE_WORDS]
    text = " ".join(words).rstrip(",;:.")
    return text[:1].lower() + text[1:]


def temas_items() -> list[dict[str, Any]]:
    temas: dict[int, dict[str, str]] = {}
    for row in read_csv(PRECEDENTES / "temas.csv"):
        if row["tipoPrecedente"].upper() == "TEMA" and row["numeroPrecedente"].isdigit():
            temas.setdefault(int(row["numeroPrecedente"]), row)
    leading: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(PRECEDENTES / "processos.csv"):
        number = row["numeroPrecedente"]
        is_lead = row["tipoPrecedente"].upper() == "TEMA" and number.isdigit() and row["leadingCase"] == "S"
        if is_lead and row["Processo"]:
            known = leading[int(number)]
            if all(r["Processo"] != row["Processo"] for r in known):
                known.append(row)
    leads_of: dict[str, set[int]] = defaultdict(set)
    for number, rows in leading.items():
        for row in rows:
            leads_of[row["Processo"]].add(number)
    with_tese = [n for n, row in temas.items() if row["teseFirmada"]]
    items: list[dict[str, Any]] = []
    forms = (
        "Qual a tese firmada no Tema {n} do STJ?",
        "O que o STJ decidiu no Tema Repetitivo {n}?",
        "Qual o entendimento fixado no Tema {n}/STJ?",
    )
    for index, number in enumerate(sorted(stable_order(with_tese, "numero")[:PER_KIND])):
        question = forms[index % len(forms)].format(n=display(number))
        fact = tese_fact(temas[number]["teseFirmada"])
        items.append(item(f"tese_numero-{number}", question, [f"tema:{number}"], [fact], "tese_por_numero"))
    single_lead = [
        n for n in with_tese if len(leading.get(n, [])) >= 1 and len(leads_of[leading[n][0]["Processo"]]) == 1
    ]
    for number in sorted(stable_order(single_lead, "leading")[:PER_KIND]):
        processo = leading[number][0]["Processo"]
        classe, _, digits = processo.rpartition(" ")
        shown = f"{classe} {display(digits)}" if digits.isdigit() else processo
        question = f"Qual a tese fixada pelo STJ no julgamento do {shown} como recurso repetitivo?"
        fact = tese_fact(temas[number]["teseFirmada"])
        items.append(
            item(f"tese_leading-{number}", question, [f"tema:{number}"], [fact], "tese_por_leading_case")
        )
    for number in sorted(stable_order(with_tese, "parafrase")[:PER_KIND]):
        rewritten = paraphrase(temas[number]["teseFirmada"])
        question = f"Qual tema repetitivo do STJ firmou a tese de que {rewritten}?"
        items.append(
            item(
                f"tema_parafrase-{number}",
                question,
                [f"tema:{number}"],
                [f"Tema {number}"],
                "tema_por_tese_parafraseada",
            )
        )
    with_relator = [n for n in temas if any(r["ministroRelator"] for r in leading.get(n, []))]
    for number in sorted(stable_order(with_relator, "relator")[:PER_KIND]):
        relator = next(r["ministroRelator"] for r in leading[number] if r["ministroRelator"])
        question = f"Quem foi o relator do recurso representativo do Tema {display(number)} do STJ?"
        items.append(item(f"relator-{number}", question, [f"tema:{number}"], [relator], "relator"))
    origins: dict[int, list[int]] = defaultdict(list)
    for number, row in temas.items():
        for sumula in _DIGITS.findall(row["sumulaOriginada"]):
            origins[int(sumula)].append(number)
    for sumula in sorted(stable_order(list(origins), "sumula")[:PER_KIND]):
        numbers = sorted(origins[sumula])
        question = f"Qual tema repetitivo deu origem à Súmula {sumula} do STJ?"
        items.append(
            item(
                f"sumula-{sumula}",
                question,
                [f"tema:{n}" for n in numbers],
                [f"Tema {n}" for n in numbers],
                "sumula_originada",
            )
        )
    return items


def statute_facts(reference: str) -> list[Any]:
    """Facts of one referenciasLegislativas string: a súmula list gives one per súmula; a law
    gives one any-of (number/year, sigla, name)."""
    lines = [line.strip() for line in reference.split("\n") if line.strip()]
    head = lines[0].split()
    sigla = name = None
    for line in lines[1:]:
        if line.startswith("*****"):
            parts = line.strip("* ").split(None, 1)
            sigla = parts[0]
            name = parts[1] if len(parts) > 1 else None
    if sigla == "SUM(STJ)":
        return [[f"Súmula {int(n)}"] for n in re.findall(r"SUM:(\d+)", reference)]
    options: list[str] = []
    law = next((h for h in head if h.startswith("LEI:") or h.startswith("DEC:")), None)
    year = next((h[4:] for h in head if h.startswith("ANO:")), None)
    if law and year and year.isdigit():
        options.append(f"{display(law[4:])}/{year}")
    if sigla:
        options.append(sigla)
    if name:
        options.append(name)
    if sigla and sigla.startswith("CF-"):
        options.append("Constituição Federal")
    return [options] if options else []


def espelhos_items() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in sorted(SAMPLE.glob("espelhos-*/*.json")):
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    items: list[dict[str, Any]] = []
    for record in sorted(records, key=lambda r: r["id"]):
        key = f"espelho:{record['id']}"
        processo = f"{record['siglaClasse']} {display(record['numeroProcesso'])}"
        relator = record["ministroRelator"].strip()
        names = list(dict.fromkeys([relator, relator.split("(")[0].strip()]))
        relator_facts: list[Any] = [names if len(names) > 1 else relator, record["nomeOrgaoJulgador"]]
        items.append(
            item(
                f"espelho_relator-{record['id']}",
                f"Quem foi o relator do {processo} e qual órgão julgador o decidiu?",
                [key],
                relator_facts,
                "relator_orgao",
            )
        )
        statutes = [f for ref in record.get("referenciasLegislativas") or [] for f in statute_facts(ref)]
        if statutes:
            items.append(
                item(
                    f"espelho_legislacao-{record['id']}",
                    f"Quais dispositivos legais o acórdão do {processo} aplica?",
                    [key],
                    statutes,
                    "legislacao",
                )
            )
        citations = _CITED.findall(record.get("jurisprudenciaCitada") or "")
        cited = list(dict.fromkeys(squash(c) for c in citations))
        if cited:
            items.append(
                item(
                    f"espelho_precedentes-{record['id']}",
                    f"Quais precedentes o acórdão do {processo} cita?",
                    [key],
                    cited[:5],
                    "precedentes",
                )
            )
    return items


def retrieval_items() -> list[dict[str, Any]]:
    data = json.loads(RETRIEVAL.read_text(encoding="utf-8"))
    return [
        item(f"retrieval-{q['id']}", q["query"], [q["expected"]], [], f"busca_{q['kind']}")
        for q in data["queries"]
    ]


def write(path: Path, items: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    held = sum(1 for i in items if i["split"] == "heldout")
    print(f"{path}: {len(items)} questions ({held} heldout)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    write(args.out / "retrieval.jsonl", retrieval_items())
    write(args.out / "temas.jsonl", temas_items())
    write(args.out / "espelhos.jsonl", espelhos_items())


if __name__ == "__main__":
    main()
