"""The blind split of the structured-question set: new anchors and new phrasings of the same
patterns, written before the parser ever saw them and scored once
(``bench/graph_query.py --split blind``). Standard library only, like the rest of the set."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph_questions_sources import Builder, articles_of, originated, plain, temas_in


def add_blind(
    b: Builder,
    temas: dict[str, dict[str, str]],
    repetitivos: dict[str, dict[str, str]],
    ambiguous: set[str],
    by_minister: dict[str, dict[str, set[str]]],
    cited: dict[str, set[str]],
    sumulas: dict[int, list[dict[str, Any]]],
    espelhos: list[dict[str, Any]],
) -> None:
    """Add the blind questions to ``b`` from the indexes :func:`build_graph_questions.build` made."""

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
        b.add(
            "orgao_ano_list", text, "list", temas_in(repetitivos, orgao, year, "dataJulgamento"), blind=True
        )
    for orgao, year, text in (
        ("S2", 2016, "quantos temas repetitivos foram julgados pela Segunda Seção em 2016?"),
        ("S1", 2018, "qual o total de temas julgados pela Primeira Seção em 2018"),
        ("S3", 2010, "quantos temas a Terceira Seção julgou no ano de 2010"),
        ("CE", 2014, "Quantos temas repetitivos a Corte Especial julgou em 2014?"),
        ("S2", 2021, "quantos temas da Segunda Seção foram julgados em 2021"),
    ):
        b.add(
            "orgao_ano_count",
            text,
            "count",
            len(temas_in(repetitivos, orgao, year, "dataJulgamento")),
            blind=True,
        )
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
            len(temas_in(repetitivos, orgao, year, "dataPrimeiraAfetacao")),
            blind=True,
        )
    for orgao, first, last, text in (
        ("S1", 2019, 2021, "quantos temas a Primeira Seção julgou entre 2019 e 2021"),
        ("S3", 2020, 2023, "quantos temas repetitivos a Terceira Seção julgou desde 2020"),
    ):
        judged = [
            k for y in range(first, last + 1) for k in temas_in(repetitivos, orgao, y, "dataJulgamento")
        ]
        b.add("orgao_periodo_count", text, "count", len(judged), blind=True)

    b.add(
        "sumulas_origem_list",
        "quais súmulas foram originadas de temas afetados em 2015",
        "list",
        originated(repetitivos, lambda t: t["dataPrimeiraAfetacao"][:4] == "2015"),
        blind=True,
    )
    b.add(
        "sumulas_origem_list",
        "quais súmulas tiveram origem em temas repetitivos afetados entre 2010 e 2011",
        "list",
        originated(repetitivos, lambda t: t["dataPrimeiraAfetacao"][:4] in ("2010", "2011")),
        blind=True,
    )
    b.add(
        "sumulas_origem_list",
        "quais súmulas se originaram de temas da Segunda Seção afetados em 2013",
        "list",
        originated(repetitivos, lambda t: t["orgao"] == "S2" and t["dataPrimeiraAfetacao"][:4] == "2013"),
        blind=True,
    )
    b.add(
        "sumulas_origem_count",
        "quantas súmulas foram originadas de temas repetitivos da Segunda Seção",
        "count",
        len(originated(repetitivos, lambda t: t["orgao"] == "S2")),
        blind=True,
    )
    b.add(
        "sumulas_origem_count",
        "quantas súmulas surgiram de temas afetados em 2009",
        "count",
        len(originated(repetitivos, lambda t: t["dataPrimeiraAfetacao"][:4] == "2009")),
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
