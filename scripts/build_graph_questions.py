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
    def temas_in(orgao: str, year: int, column: str) -> list[str]:
        keys = [t["key"] for t in repetitivos.values() if t["orgao"] == orgao and t[column][:4] == str(year)]
        return sorted(keys, key=lambda k: int(k.split(":")[1]))

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
        judged = temas_in(orgao, year, "dataJulgamento")
        affected = temas_in(orgao, year, "dataPrimeiraAfetacao")
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
    def originated(pred: Any) -> list[str]:
        found = set()
        for t in repetitivos.values():
            if pred(t):
                found |= {f"sumula:stj_{int(n)}" for n in re.findall(r"\d+", t["sumulaOriginada"])}
        return sorted(found, key=lambda k: int(k.rsplit("_", 1)[1]))

    for i, year in enumerate((2008, 2009, 2010, 2011, 2012, 2013, 2014, 2018)):
        lists = [
            f"que súmulas se originaram de temas afetados em {year}",
            f"quais súmulas resultaram de temas repetitivos afetados em {year}",
        ]
        b.add(
            "sumulas_origem_list",
            lists[i % 2],
            "list",
            originated(lambda t, y=year: t["dataPrimeiraAfetacao"][:4] == str(y)),
        )
    for orgao in ("S1", "S3", "CE"):
        b.add(
            "sumulas_origem_count",
            f"quantas súmulas se originaram de temas da {ORGAO[orgao][0]}",
            "count",
            len(originated(lambda t, o=orgao: t["orgao"] == o)),
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

    # The blind split: new anchors and new phrasings of the same patterns, written before the
    # parser ever saw them; scored once (bench/graph_query.py --split blind).
    def relator_temas(name: str, orgao: str | None) -> list[str]:
        assert name not in ambiguous and name in by_minister, name
        groups = [by_minister[name][orgao]] if orgao else list(by_minister[name].values())
        return sorted({k for keys in groups for k in keys}, key=lambda k: int(k.split(":")[1]))

    for name, orgao, text in (
        (
            "LUIZ FUX",
            "S1",
            "Quais são os temas repetitivos da Primeira Seção cujo relator foi o Ministro Luiz Fux?",
        ),
        (
            "PAULO DE TARSO SANSEVERINO",
            "S2",
            "liste todos os temas relatados pelo Min. Paulo de Tarso Sanseverino na Segunda Seção",
        ),
        (
            "ELIANA CALMON",
            "S1",
            "que temas repetitivos da Primeira Seção foram relatados pela Ministra Eliana Calmon",
        ),
        (
            "MARIA THEREZA DE ASSIS MOURA",
            "S3",
            "quais temas a Terceira Seção julgou sob relatoria da Min. Maria Thereza de Assis Moura",
        ),
        (
            "RICARDO VILLAS BÔAS CUEVA",
            "S2",
            "mostre os temas da Segunda Seção em que o relator foi Ricardo Villas Bôas Cueva",
        ),
        (
            "ASSUSETE MAGALHÃES",
            "S1",
            "quais temas repetitivos da Primeira Seção tiveram como relatora a Min. Assusete Magalhães",
        ),
        (
            "REYNALDO SOARES DA FONSECA",
            "S3",
            "relacione os temas da Terceira Seção relatados pelo Min. Reynaldo Soares da Fonseca",
        ),
        (
            "LUIS FELIPE SALOMÃO",
            "CE",
            "quais temas da Corte Especial tiveram como relator o Min. Luis Felipe Salomão",
        ),
    ):
        b.add("relator_orgao_list", text, "list", relator_temas(name, orgao), blind=True)
    for name, orgao, text in (
        (
            "BENEDITO GONÇALVES",
            "S1",
            "quantos temas repetitivos da Primeira Seção foram relatados pelo Ministro Benedito Gonçalves?",
        ),
        ("CASTRO MEIRA", "S1", "qual o total de temas da Primeira Seção com relatoria do Min. Castro Meira"),
        (
            "TEORI ALBINO ZAVASCKI",
            "S1",
            "quantos temas da Primeira Seção tiveram como relator o Min. Teori Zavascki",
        ),
        (
            "SIDNEI BENETI",
            "S2",
            "número de temas repetitivos da Segunda Seção relatados pelo Min. Sidnei Beneti",
        ),
        ("ARI PARGENDLER", "S2", "Quantos temas da Segunda Seção o Ministro Ari Pargendler relatou?"),
        (
            "FRANCISCO FALCÃO",
            "S1",
            "quantos temas repetitivos da Primeira Seção tiveram recurso representativo relatado "
            "por Francisco Falcão",
        ),
        (
            "RIBEIRO DANTAS",
            "S3",
            "Quantos temas repetitivos da Terceira Seção foram relatados pelo Min. Ribeiro Dantas?",
        ),
        (
            "ANTONIO CARLOS FERREIRA",
            "S2",
            "quantos temas da Segunda Seção tiveram como relator o ministro Antonio Carlos Ferreira",
        ),
        (
            "PAULO DE TARSO SANSEVERINO",
            "CE",
            "quantos temas da Corte Especial foram relatados pelo Min. Paulo de Tarso Sanseverino",
        ),
    ):
        b.add("relator_orgao_count", text, "count", len(relator_temas(name, orgao)), blind=True)
    for name, text in (
        ("HUMBERTO MARTINS", "quantos temas repetitivos o Min. Humberto Martins relatou"),
        (
            "MARCO AURÉLIO BELLIZZE",
            "quantos temas repetitivos tiveram como relator o Ministro Marco Aurélio Bellizze",
        ),
        ("BENEDITO GONÇALVES", "qual o número de temas repetitivos relatados por Benedito Gonçalves"),
    ):
        b.add("relator_count", text, "count", len(relator_temas(name, None)), blind=True)

    for orgao, year, text in (
        ("S2", 2014, "quais foram os temas repetitivos julgados pela Segunda Seção em 2014?"),
        ("S1", 2013, "liste os temas que a Primeira Seção julgou no ano de 2013"),
        ("S3", 2023, "que temas a Terceira Seção julgou em 2023"),
        ("CE", 2013, "quais temas repetitivos da Corte Especial foram julgados em 2013"),
        ("S1", 2020, "Quais temas repetitivos a Primeira Seção decidiu em 2020?"),
    ):
        b.add("orgao_ano_list", text, "list", temas_in(orgao, year, "dataJulgamento"), blind=True)
    for orgao, year, text in (
        ("S2", 2016, "quantos temas repetitivos foram julgados pela Segunda Seção em 2016?"),
        ("S1", 2018, "qual o total de temas julgados pela Primeira Seção em 2018"),
        ("S3", 2010, "quantos temas a Terceira Seção julgou no ano de 2010"),
        ("CE", 2014, "Quantos temas repetitivos a Corte Especial julgou em 2014?"),
        ("S2", 2021, "quantos temas da Segunda Seção foram julgados em 2021"),
    ):
        b.add("orgao_ano_count", text, "count", len(temas_in(orgao, year, "dataJulgamento")), blind=True)
    for orgao, year, text in (
        ("S1", 2019, "quantos temas a Primeira Seção afetou em 2019"),
        ("S2", 2013, "quantos temas repetitivos foram afetados pela Segunda Seção em 2013?"),
        ("S3", 2021, "qual o número de temas afetados pela Terceira Seção no ano de 2021"),
        ("CE", 2022, "quantos temas da Corte Especial foram afetados em 2022"),
    ):
        b.add(
            "orgao_afetacao_count",
            text,
            "count",
            len(temas_in(orgao, year, "dataPrimeiraAfetacao")),
            blind=True,
        )
    for orgao, first, last, text in (
        ("S1", 2019, 2021, "quantos temas a Primeira Seção julgou entre 2019 e 2021"),
        ("S3", 2020, 2023, "quantos temas repetitivos a Terceira Seção julgou desde 2020"),
    ):
        judged = [k for y in range(first, last + 1) for k in temas_in(orgao, y, "dataJulgamento")]
        b.add("orgao_periodo_count", text, "count", len(judged), blind=True)

    b.add(
        "sumulas_origem_list",
        "quais súmulas foram originadas de temas afetados em 2015",
        "list",
        originated(lambda t: t["dataPrimeiraAfetacao"][:4] == "2015"),
        blind=True,
    )
    b.add(
        "sumulas_origem_list",
        "quais súmulas tiveram origem em temas repetitivos afetados entre 2010 e 2011",
        "list",
        originated(lambda t: t["dataPrimeiraAfetacao"][:4] in ("2010", "2011")),
        blind=True,
    )
    b.add(
        "sumulas_origem_list",
        "quais súmulas se originaram de temas da Segunda Seção afetados em 2013",
        "list",
        originated(lambda t: t["orgao"] == "S2" and t["dataPrimeiraAfetacao"][:4] == "2013"),
        blind=True,
    )
    b.add(
        "sumulas_origem_count",
        "quantas súmulas foram originadas de temas repetitivos da Segunda Seção",
        "count",
        len(originated(lambda t: t["orgao"] == "S2")),
        blind=True,
    )
    b.add(
        "sumulas_origem_count",
        "quantas súmulas surgiram de temas afetados em 2009",
        "count",
        len(originated(lambda t: t["dataPrimeiraAfetacao"][:4] == "2009")),
        blind=True,
    )

    def tema_numero(numero: str) -> dict[str, str]:
        return next(t for t in repetitivos.values() if t["numeroPrecedente"] == numero)

    for numero, column, text in (
        ("1000", "dataJulgamento", "em que ano o STJ julgou o Tema 1.000"),
        ("731", "dataPrimeiraAfetacao", "Em que ano foi afetado o Tema Repetitivo 731?"),
        ("106", "dataJulgamento", "qual o ano de julgamento do Tema 106"),
        ("1150", "dataJulgamento", "em que ano o Tema 1.150 foi julgado?"),
    ):
        b.add("em_que_ano", text, "value", int(tema_numero(numero)[column][:4]), blind=True)
    for orgao, column, pattern, text in (
        ("S2", "dataPrimeiraAfetacao", "primeiro", "qual foi o primeiro tema afetado pela Segunda Seção"),
        ("S3", "dataPrimeiraAfetacao", "primeiro", "qual o tema mais antigo afetado pela Terceira Seção"),
        ("S1", "dataJulgamento", "mais_recente", "qual o último tema julgado pela Primeira Seção"),
        ("CE", "dataJulgamento", "mais_recente", "qual o tema julgado mais recentemente pela Corte Especial"),
    ):
        dated = [(t[column], t["key"]) for t in repetitivos.values() if t["orgao"] == orgao and t[column]]
        dated.sort(reverse=pattern == "mais_recente")
        b.add(pattern, text, "list", [k for d, k in dated if d == dated[0][0]], blind=True)

    for target, text in (
        ("processo:agrg_no_aresp_543831", "quais acórdãos citam o AgRg no AREsp 543.831"),
        ("processo:resp_1877883", "que processos mencionam o REsp 1.877.883"),
        ("processo:resp_1906623", "quais julgados citam o REsp 1.906.623"),
        ("processo:agint_no_resp_1451807", "liste os acórdãos que citam o AgInt no REsp 1.451.807"),
        ("processo:resp_1690015", "quais processos invocam o REsp 1.690.015"),
    ):
        b.add("cita_processo_list", text, "list", sorted(cited[target]), blind=True)

    def citing_sumula(n: int, orgao: str | None, years: tuple[int, int]) -> list[str]:
        return sorted(
            e["key"]
            for e in sumulas.get(n, [])
            if (orgao is None or e["orgao"] == orgao) and years[0] <= e["year"] <= years[1]
        )

    for n, orgao, years, text in (
        (
            211,
            "PRIMEIRA TURMA",
            (2022, 2022),
            "quantos acórdãos da Primeira Turma citaram a Súmula 211/STJ em 2022",
        ),
        (7, "PRIMEIRA SEÇÃO", (1900, 2100), "quantos acórdãos da Primeira Seção citam a Súmula 7"),
        (5, None, (1900, 2100), "qual o número de acórdãos que citam a Súmula 5 do STJ"),
    ):
        b.add("cita_sumula_count", text, "count", len(citing_sumula(n, orgao, years)), blind=True)
    for n, orgao, years, text in (
        (182, "PRIMEIRA TURMA", (1900, 2100), "quais acórdãos da Primeira Turma citam a Súmula 182"),
        (7, None, (2022, 2022), "liste os acórdãos que citaram a Súmula 7 do STJ em 2022"),
    ):
        b.add("cita_sumula_list", text, "list", citing_sumula(n, orgao, years), blind=True)

    def top_articles(law: str, n: int) -> list[str]:
        counts: Counter[int] = Counter()
        for e in espelhos:
            if e["orgao"] == "PRIMEIRA TURMA":
                for article in articles_of(e).get(law, ()):
                    counts[article] += 1
        return [f"{law}:art_{a}" for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    for law, n, text in (
        ("lei:10406_2002", 2, "quais os 2 artigos do Código Civil mais citados pela Primeira Turma"),
        ("lei:13105_2015", 5, "quais são os 5 dispositivos do CPC/2015 mais citados pela Primeira Turma?"),
    ):
        b.add("dispositivos_top", text, "top", top_articles(law, n), blind=True)

    for tipo, orgao, situacao, text in (
        ("Controvérsia", "S1", "Pendente", "quantas controvérsias da Primeira Seção estão pendentes"),
        (
            "Tema",
            "S2",
            "Trânsito em Julgado",
            "quantos temas repetitivos da Segunda Seção transitaram em julgado",
        ),
        ("Tema", "S1", "Cancelado", "quantos temas da Primeira Seção foram cancelados"),
    ):
        found = [
            t
            for t in temas.values()
            if t["tipoPrecedente"] == tipo and t["orgao"] == orgao and plain(situacao) in plain(t["situacao"])
        ]
        b.add("situacao_count", text, "count", len(found), blind=True)
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
