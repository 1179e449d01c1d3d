"""Extractive community reports over real temas, processos and relatores of the STJ."""

from __future__ import annotations

import csv
import random
from collections import Counter

import pytest

from jurisgraph.engine.communities import Community, EdgeInfo, NodeInfo, community_rank, detect_communities
from jurisgraph.engine.communities.reports import (
    ReportLimits,
    extractive_report,
    extractive_reports,
    report_rating,
)
from jurisgraph.engine.types import EntityType, RelationType
from tests.fixtures.paths import SHARED_DATA

PRECEDENTES = SHARED_DATA / "precedentes"
PARTICLES = {"de", "da", "do", "das", "dos", "e"}


def _read(name: str) -> list[dict[str, str]]:
    with (PRECEDENTES / name).open(encoding="iso-8859-1", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


TEMAS = {r["numeroPrecedente"]: r for r in _read("temas.csv") if r["tipoPrecedente"] == "Tema"}
PROCESSOS = [
    r for r in _read("processos.csv") if r["tipoPrecedente"] == "Tema" and r["ministroRelator"].strip()
]


def _tema_name(number: str) -> str:
    return f"Tema {int(number):,}/STJ".replace(",", ".")


def _processo_name(row: dict[str, str]) -> str:
    classe, number = row["Processo"].split()
    return f"{classe} {int(number):,}/{row['origemUF'].strip()}".replace(",", ".")


def _ministro_name(published: str) -> str:
    words = published.strip().split()
    return "Min. " + " ".join(w.lower() if w.lower() in PARTICLES else w.capitalize() for w in words)


def _graph(numbers: set[str]) -> tuple[dict[str, NodeInfo], list[EdgeInfo], list[dict[str, str]]]:
    """Tema -> processos -> relator graph of the given temas, as the official CSVs state it."""
    rows = [r for r in PROCESSOS if r["numeroPrecedente"] in numbers]
    nodes: dict[str, NodeInfo] = {}
    edges: list[EdgeInfo] = []
    for r in rows:
        tema = f"tema:{r['numeroPrecedente']}"
        processo = "processo:" + r["Processo"].lower().replace(" ", "_")
        ministro = "ministro:" + r["ministroRelator"].strip().lower().replace(" ", "_")
        question = TEMAS[r["numeroPrecedente"]]["questaoSubmetidaAJulgamento"]
        nodes[tema] = NodeInfo(tema, EntityType.TEMA, _tema_name(r["numeroPrecedente"]), question, 2)
        nodes[processo] = NodeInfo(processo, EntityType.PROCESSO, _processo_name(r))
        nodes[ministro] = NodeInfo(ministro, EntityType.MINISTRO, _ministro_name(r["ministroRelator"]))
        edges.append(EdgeInfo(processo, tema, RelationType.TRATA_DE))
        edges.append(EdgeInfo(ministro, processo, RelationType.RELATOR_DE))
        if r["leadingCase"] == "S":
            edges.append(EdgeInfo(processo, tema, RelationType.LEADING_CASE_DE))
    return nodes, edges, rows


def _whole(nodes: dict[str, NodeInfo], edges: list[EdgeInfo]) -> Community:
    members = tuple(sorted(nodes))
    weight = sum(e.weight for e in edges)
    mentions = sum(n.mention_count for n in nodes.values())
    rank = community_rank(len(members), weight, mentions)
    return Community("L0-test", 0, None, members, len(members), len(edges), weight, mentions, rank)


def test_report_of_tema_1076_names_its_relator_processos_and_leading_case() -> None:
    nodes, edges, rows = _graph({"1076"})
    passages = {"tema:1076": [TEMAS["1076"]["teseFirmada"]]}
    report = extractive_report(_whole(nodes, edges), nodes, edges, passages)

    # weighted degree counted straight from the CSV rows: one edge per row, two for a leading case
    degree: Counter[str] = Counter()
    for r in rows:
        degree[_tema_name("1076")] += 2 if r["leadingCase"] == "S" else 1
        degree[_ministro_name(r["ministroRelator"])] += 1
        degree[_processo_name(r)] += 2 if r["leadingCase"] == "S" else 1
    top_name, _ = max(degree.items(), key=lambda item: item[1])
    assert top_name == "Tema 1.076/STJ"
    assert top_name in report.title
    assert report.key_entities[0].name == top_name
    assert report.key_entities[0].degree == degree[top_name]

    relator = _ministro_name(rows[0]["ministroRelator"])
    assert relator == "Min. Og Fernandes"
    assert relator in report.title
    processos = [_processo_name(r) for r in rows]
    relator_findings = [f for f in report.findings if f.startswith(relator) and "relator" in f]
    assert len(relator_findings) == 1
    assert all(name in relator_findings[0] for name in processos)
    (leading,) = [_processo_name(r) for r in rows if r["leadingCase"] == "S"]
    assert f"Tema 1.076/STJ teve como leading case {leading}." in report.findings
    assert TEMAS["1076"]["teseFirmada"][:80] in report.full_report
    assert "Trechos representativos" in report.full_report
    assert report.summary.startswith(f"Comunidade de nível 0 com {len(nodes)} entidades")
    assert 0 < report.rating < 10


def test_every_relation_is_written_with_both_endpoints() -> None:
    nodes, edges, _ = _graph({"37", "38", "1076"})
    community = _whole(nodes, edges)
    report = extractive_report(
        community, nodes, edges, limits=ReportLimits(findings=100, objects_per_finding=100)
    )
    for edge in edges:
        source, target = nodes[edge.source].name, nodes[edge.target].name
        assert any(source in f and target in f for f in report.findings), (source, target)
    for finding in report.findings:
        assert finding.endswith(".")
        assert any(verb in finding for verb in ("relator", "trata", "leading case"))


def test_same_input_in_any_order_gives_the_same_report() -> None:
    nodes, edges, _ = _graph({"37", "38", "1076", "1016"})
    passages = {key: [f"{node.name}: {node.description}", node.description] for key, node in nodes.items()}
    community = _whole(nodes, edges)
    first = extractive_report(community, nodes, edges, passages)
    shuffler = random.Random(4)
    shuffled_edges = edges[:]
    shuffler.shuffle(shuffled_edges)
    shuffled_nodes = dict(sorted(nodes.items(), reverse=True))
    shuffled_passages = dict(sorted(passages.items(), reverse=True))
    assert extractive_report(community, shuffled_nodes, shuffled_edges, shuffled_passages) == first
    assert extractive_report(community, nodes, edges, passages) == first


def test_title_holds_the_entities_of_highest_weighted_degree() -> None:
    nodes = {
        "ministro:herman_benjamin": NodeInfo(
            "ministro:herman_benjamin", EntityType.MINISTRO, "Min. Herman Benjamin"
        ),
        "lei:13105_2015:art_85": NodeInfo(
            "lei:13105_2015:art_85", EntityType.LEGISLACAO, "art. 85 do CPC/2015"
        ),
        "tema:1076": NodeInfo("tema:1076", EntityType.TEMA, "Tema 1.076/STJ"),
        "processo:resp_1": NodeInfo("processo:resp_1", EntityType.PROCESSO, "REsp 1.850.512/SP"),
        "processo:resp_2": NodeInfo("processo:resp_2", EntityType.PROCESSO, "REsp 1.877.883/SP"),
        "orgao:ce": NodeInfo("orgao:ce", EntityType.ORGAO_JULGADOR, "Corte Especial"),
    }
    edges = [
        EdgeInfo("ministro:herman_benjamin", "processo:resp_1", RelationType.RELATOR_DE, 3.0),
        EdgeInfo("processo:resp_1", "lei:13105_2015:art_85", RelationType.REFERENCIA, 4.0),
        EdgeInfo("processo:resp_2", "lei:13105_2015:art_85", RelationType.REFERENCIA, 4.0),
        EdgeInfo("processo:resp_1", "tema:1076", RelationType.TRATA_DE, 2.0),
        EdgeInfo("processo:resp_2", "orgao:ce", RelationType.JULGADO_POR, 0.5),
        EdgeInfo("ministro:herman_benjamin", "fora:x", RelationType.RELATOR_DE, 50.0),
    ]
    report = extractive_report(_whole(nodes, edges), nodes, edges)
    # degrees: resp_1 9, art. 85 8, resp_2 4.5, Herman Benjamin 3, tema 2, CE 0.5
    assert report.title == "art. 85 do CPC/2015 · Min. Herman Benjamin · REsp 1.850.512/SP"
    assert [e.name for e in report.key_entities[:2]] == ["REsp 1.850.512/SP", "art. 85 do CPC/2015"]
    assert "Corte Especial" not in report.title
    assert "fora:x" not in report.full_report
    assert "REsp 1.877.883/SP foi julgado por Corte Especial." in report.findings
    assert "art. 85 do CPC/2015 é referido(a) em REsp 1.850.512/SP e REsp 1.877.883/SP." in report.findings


def test_batch_reports_match_single_reports() -> None:
    nodes, edges, _ = _graph({"37", "38", "1076", "1016", "952"})
    communities = detect_communities(list(nodes.values()), edges, max_community_size=5)
    assert len(communities) > 1
    batch = extractive_reports(communities, nodes, edges)
    assert batch == [extractive_report(c, nodes, edges) for c in communities]
    assert [r.community_id for r in batch] == [c.community_id for c in communities]


def test_passages_are_limited_and_clipped() -> None:
    nodes, edges, _ = _graph({"1076"})
    tese = TEMAS["1076"]["teseFirmada"]
    passages = {key: [tese, tese, f"{key} trecho"] for key in nodes}
    limits = ReportLimits(passages=2, passage_chars=120)
    report = extractive_report(_whole(nodes, edges), nodes, edges, passages, limits=limits)
    quoted = report.full_report.split("## Trechos representativos\n", 1)[1].splitlines()
    assert len(quoted) == 2
    assert quoted[0].startswith('- Tema 1.076/STJ: "i) A fixação dos honorários')
    assert all(len(line.split(': "', 1)[1]) <= 120 + 2 for line in quoted)


def test_unknown_members_are_named_by_key() -> None:
    edges = [EdgeInfo("a", "b", "DESCONHECIDA", 1.0)]
    community = Community("L0-x", 0, None, ("a", "b"), 2, 1, 1.0, 0, community_rank(2, 1.0, 0))
    report = extractive_report(community, {}, edges)
    assert report.title == "a · b"
    assert report.findings == ("a está relacionado(a) a b.",)


@pytest.mark.parametrize("rank", [0.0, 1.0, 5.0, 20.0, 1000.0])
def test_rating_grows_with_rank_and_stays_below_ten(rank: float) -> None:
    assert 0 <= report_rating(rank) < 10
    assert report_rating(rank + 1) >= report_rating(rank)
