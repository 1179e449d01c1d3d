"""Build the labelled set of structured (list / count) questions of the graph query mode.

Usage: python scripts/build_graph_questions.py [--source ../shared/data/stj]
       [--out bench/data/graph_questions.jsonl]

The expected answers are computed HERE, from the source files themselves (temas.csv,
processos.csv and the seven real espelhos), with the csv and json modules only: nothing of
the jurisgraph package is imported, so the set checks the code under test instead of
repeating it. Deterministic: same files, same bytes. Each line: id, pattern, split (dev |
heldout, alternating within a pattern; blind: new anchors and phrasings written after the
parser was tuned, scored once), question, kind (count | list | value) and expected
(an integer, a year, or entity keys; a top-N list is ordered).

Semantics (what the questions mean, written down once):
- a tema "has as relator" minister M when one of its processos (recursos representativos,
  leading or not) is relatado by M in processos.csv (the relator of a processo is read from
  any of its rows);
- "temas" are temas repetitivos (tipoPrecedente = Tema); a year is that of dataJulgamento,
  or of dataPrimeiraAfetacao when the question says "afetado";
- an acórdão "cita a Súmula N" when its referenciasLegislativas list SUM:N under SUM(STJ) or
  its ementa names "Súmula N/STJ"; it "cita o REsp X" when jurisprudenciaCitada has <<REsp X>>;
- the dispositivos of a law "mais citados" by an órgão: articles listed in the
  referenciasLegislativas of its acórdãos, counted once per acórdão, ties by article number;
- a súmula "se originou" of a tema when temas.csv lists it in sumulaOriginada.
Ministers with more than one published spelling and convocados are left out.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from graph_questions_blind import add_blind
from graph_questions_sources import (
    DEFAULT_OUT,
    DEFAULT_SOURCE,
    LAWS,
    ORGAO,
    Builder,
    articles_of,
    dotted,
    load_espelhos,
    load_precedentes,
    originated,
    plain,
    processo_key,
    sumulas_of,
    temas_in,
)


def build(source: Path) -> list[dict[str, Any]]:
    temas, processos = load_precedentes(source)
    b = Builder()
    repetitivos = {s: t for s, t in temas.items() if t["tipoPrecedente"] == "Tema"}

    # relator: processo → relator names (any row), minister → temas
    spellings: dict[str, set[str]] = defaultdict(set)
    relatores: dict[str, set[str]] = defaultdict(set)
    for row in processos:
        name = row["ministroRelator"].strip()
        if name:
            relatores[plain(row["Processo"])].add(name)
            spellings[plain(name).split(" ")[0] + " " + plain(name).split(" ")[-1]].add(name)
    ambiguous = {n for names in spellings.values() if len(names) > 1 for n in names}
    by_minister: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in processos:
        tema = temas[row["sequencialPrecedente"]]
        if tema["tipoPrecedente"] != "Tema":
            continue
        for name in relatores.get(plain(row["Processo"]), ()):
            by_minister[name][tema["orgao"]].add(tema["key"])
    chosen = [
        ("MOURA RIBEIRO", "S2"),
        ("SÉRGIO KUKINA", "S1"),
        ("NANCY ANDRIGHI", "S2"),
        ("OG FERNANDES", "S1"),
        ("LAURITA VAZ", "S3"),
        ("ROGERIO SCHIETTI CRUZ", "S3"),
        ("REGINA HELENA COSTA", "S1"),
        ("MARCO BUZZI", "S2"),
        ("HERMAN BENJAMIN", "S1"),
        ("LUIS FELIPE SALOMÃO", "S2"),
        ("MAURO CAMPBELL MARQUES", "S1"),
        ("RAUL ARAÚJO", "S2"),
        ("JOEL ILAN PACIORNIK", "S3"),
        ("GURGEL DE FARIA", "S1"),
        ("NAPOLEÃO NUNES MAIA FILHO", "S1"),
        ("MARIA ISABEL GALLOTTI", "S2"),
    ]
    for i, (name, orgao) in enumerate(chosen):
        assert name not in ambiguous and name in by_minister, name
        expected = sorted(by_minister[name][orgao], key=lambda k: int(k.split(":")[1]))
        title = " ".join(w.capitalize() if w not in ("de", "da", "do") else w for w in name.lower().split())
        org, _ = ORGAO[orgao]
        lists = [
            f"quais temas repetitivos da {org} tiveram como relator o Min. {title}",
            f"liste os temas da {org} relatados pelo ministro {name}",
            f"quais temas repetitivos da {org} tiveram recurso representativo relatado por "
            f"{plain(title).title()}",
            f"Quais os temas da {org} com relatoria do Min. {title}?",
        ]
        counts = [
            f"quantos temas da {org} tiveram recurso representativo relatado pelo Min. {title}",
            f"qual o número de temas repetitivos da {org} relatados por {name}",
            f"quantos temas repetitivos da {org} o Min. {title} relatou?",
            f"Quantos temas da {org} tiveram como relator {plain(title)}",
        ]
        b.add("relator_orgao_list", lists[i % len(lists)], "list", expected)
        b.add("relator_orgao_count", counts[i % len(counts)], "count", len(expected))
        short = {
            "SÉRGIO KUKINA": "Kukina",
            "NANCY ANDRIGHI": "Andrighi",
            "LAURITA VAZ": "Laurita Vaz",
            "MOURA RIBEIRO": "Moura Ribeiro",
        }
        if name in short:
            total = sorted({k for keys in by_minister[name].values() for k in keys})
            b.add(
                "relator_count",
                f"quantos temas repetitivos tiveram como relator o Min. {short[name]}",
                "count",
                len(total),
            )

    # órgão + year (julgamento / afetação)
    combos = [
        ("S3", 2015),
        ("S1", 2010),
        ("S2", 2019),
        ("CE", 2017),
        ("S1", 2021),
        ("S3", 2009),
        ("S2", 2012),
        ("CE", 2011),
        ("S1", 2016),
        ("S3", 2022),
    ]
    for i, (orgao, year) in enumerate(combos):
        org, caps = ORGAO[orgao]
        judged = temas_in(repetitivos, orgao, year, "dataJulgamento")
        affected = temas_in(repetitivos, orgao, year, "dataPrimeiraAfetacao")
        lists = [
            f"quais temas a {org} julgou em {year}",
            f"liste os temas repetitivos julgados pela {org} em {year}",
            f"Quais temas repetitivos foram julgados pela {caps} no ano de {year}?",
        ]
        b.add("orgao_ano_list", lists[i % len(lists)], "list", judged)
        counts = [
            f"quantos temas a {org} julgou em {year}",
            f"qual o número de temas repetitivos julgados pela {org} em {year}",
        ]
        b.add("orgao_ano_count", counts[i % len(counts)], "count", len(judged))
        b.add(
            "orgao_afetacao_count",
            f"quantos temas repetitivos a {org} afetou em {year}",
            "count",
            len(affected),
        )

    # súmulas originadas de temas
    for i, year in enumerate((2008, 2009, 2010, 2011, 2012, 2013, 2014, 2018)):
        lists = [
            f"que súmulas se originaram de temas afetados em {year}",
            f"quais súmulas resultaram de temas repetitivos afetados em {year}",
        ]
        b.add(
            "sumulas_origem_list",
            lists[i % 2],
            "list",
            originated(repetitivos, lambda t, y=year: t["dataPrimeiraAfetacao"][:4] == str(y)),
        )
    for orgao in ("S1", "S3", "CE"):
        b.add(
            "sumulas_origem_count",
            f"quantas súmulas se originaram de temas da {ORGAO[orgao][0]}",
            "count",
            len(originated(repetitivos, lambda t, o=orgao: t["orgao"] == o)),
        )

    # em que ano; primeiro / mais recente
    picks = ["1076", "990", "692", "1", "600", "246", "1198", "905"]
    for i, numero in enumerate(picks):
        t = next(t for t in repetitivos.values() if t["numeroPrecedente"] == numero)
        if i % 2 == 0 and t["dataJulgamento"]:
            b.add(
                "em_que_ano",
                f"em que ano foi julgado o Tema {dotted(int(numero))}",
                "value",
                int(t["dataJulgamento"][:4]),
            )
        elif t["dataPrimeiraAfetacao"]:
            b.add(
                "em_que_ano",
                f"em que ano o Tema {numero}/STJ foi afetado?",
                "value",
                int(t["dataPrimeiraAfetacao"][:4]),
            )
    for orgao in ("CE", "S1", "S2", "S3"):
        for column, word, pattern in (
            ("dataPrimeiraAfetacao", "afetado", "primeiro"),
            ("dataJulgamento", "julgado", "mais_recente"),
        ):
            dated = [(t[column], t["key"]) for t in repetitivos.values() if t["orgao"] == orgao and t[column]]
            dated.sort(reverse=pattern == "mais_recente")
            ties = [k for d, k in dated if d == dated[0][0]]
            if len(ties) > 1:
                continue
            text = (
                f"qual o primeiro tema {word} pela {ORGAO[orgao][0]}"
                if pattern == "primeiro"
                else f"qual o tema mais recente {word} pela {ORGAO[orgao][0]}"
            )
            b.add(f"{pattern}", text, "list", ties)

    # espelhos: citations of precedents and súmulas, dispositivos mais citados
    espelhos = load_espelhos(source)
    cited: dict[str, set[str]] = defaultdict(set)
    for e in espelhos:
        for classe, numero in re.findall(r"<<([^<>]*?)\s+(\d+)>>", e["citada"]):
            cited[processo_key(classe, numero)].add(e["key"])
    for target in (
        "processo:resp_1465535",
        "processo:resp_815810",
        "processo:resp_1850512",
        "processo:resp_255762",
        "processo:agrg_no_resp_1099758",
    ):
        classe, numero = target.split(":")[1].rsplit("_", 1)
        label = {"resp": "REsp", "agrg_no_resp": "AgRg no REsp"}[classe]
        b.add(
            "cita_processo_list",
            f"quais processos citam o {label} {dotted(int(numero))}",
            "list",
            sorted(cited[target]),
        )
    sumulas: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e in espelhos:
        for n in sumulas_of(e):
            sumulas[n].append(e)
    for n in [*sorted(sumulas), 83]:
        citing = sumulas.get(n, [])
        t1_2020 = sorted(e["key"] for e in citing if e["orgao"] == "PRIMEIRA TURMA" and e["year"] >= 2020)
        b.add(
            "cita_sumula_count",
            f"quantos acórdãos da Primeira Turma citam a Súmula {n} desde 2020",
            "count",
            len(t1_2020),
        )
        b.add(
            "cita_sumula_list",
            f"quais acórdãos citam a Súmula {n}/STJ",
            "list",
            sorted(e["key"] for e in citing),
        )
    for i, ((law, name)) in enumerate(LAWS.values()):
        counts: Counter[int] = Counter()
        for e in espelhos:
            if e["orgao"] == "PRIMEIRA TURMA":
                for article in articles_of(e).get(law, ()):
                    counts[article] += 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        expected = [f"{law}:art_{a}" for a, _ in top]
        texts = [
            f"quais os 3 dispositivos do {name} mais citados pela Primeira Turma",
            f"quais os 3 artigos do {name} são mais citados pela Primeira Turma?",
        ]
        b.add("dispositivos_top", texts[i % 2], "top", expected)

    add_blind(b, temas, repetitivos, ambiguous, by_minister, cited, sumulas, espelhos)
    return b.items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    items = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    patterns = Counter(i["pattern"] for i in items)
    print(f"{len(items)} questions -> {args.out}")
    for pattern, n in sorted(patterns.items()):
        print(f"  {pattern:<24} {n}")


if __name__ == "__main__":
    main()
