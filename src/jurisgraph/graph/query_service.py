"""The graph query mode: run a typed :class:`GraphQuery` over the relational graph tables of the
caller's workspaces and answer with a sentence plus a table, every row citing the source
record that proves it. Reads only; the caller's session, no commit.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from pydantic import ValidationError

from jurisgraph.db import Session
from jurisgraph.engine.legal.orgaos import orgao_by_code
from jurisgraph.engine.query.graphq import (
    Aggregate,
    DateField,
    Filters,
    GraphQuery,
    MinisterNames,
    Parsed,
    Relation,
    parse_question,
)
from jurisgraph.engine.query.graphq.answer import Record, Row, natural_key, sentence
from jurisgraph.engine.text import fold
from jurisgraph.errors import InvalidInput
from jurisgraph.graph import query_repository as repo
from jurisgraph.graph.query_repository import CitingRow, NodeRow, RecordRow

CITES = ("CITA_PRECEDENTE", "REFERENCIA", "APLICA")
TEMA_LINKS = ("LEADING_CASE_DE", "TRATA_DE")
#: a processo is a recurso representativo of a tema when the tema's processos list has it
TEMA_PROCESSOS = ("processos",)
MAX_ROWS = 500
#: the record's own index of statutes (espelhos: referenciasLegislativas), not text matches
STRUCTURED_REFERENCES = ("referenciasLegislativas", "referenciaLegislativa")


@dataclass
class GraphAnswer:
    """The answer of a graph query: sentence, total, table rows (each with its record)."""

    query: GraphQuery
    sentence: str
    total: int
    rows: list[Row]
    value: Any
    citations: list[Record] = field(default_factory=list)
    ms: float = 0.0
    parsed_by: str = "regras"
    """Who built the typed query: ``regras`` (the parser, the CLI, the API) or ``llm``."""

    def keys(self) -> list[str]:
        """The row keys in answer order."""
        return [r.key for r in self.rows]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "query": self.query.describe(),
            "answer": self.sentence,
            "total": self.total,
            "value": self.value,
            "rows": [r.as_dict() for r in self.rows],
            "citations": [{"n": n, **asdict(c)} for n, c in enumerate(self.citations, start=1)],
            "ms": round(self.ms, 1),
        }


def _record(row: RecordRow | None) -> Record | None:
    if row is None:
        return None
    return Record(
        row.document_key,
        row.kind,
        row.title,
        row.processo,
        row.orgao_julgador,
        row.relator,
        row.day.isoformat() if row.day else None,
        row.source_url,
        row.head,
    )


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _tema_day(node: NodeRow, which: DateField) -> date | None:
    name = "data_afetacao" if which == DateField.AFETACAO else "data_julgamento"
    return _day(node.metadata.get(name))


def _tema_ok(node: NodeRow, f: Filters) -> bool:
    meta = node.metadata
    if node.type != "TEMA" or not meta.get("tipo") or node.key.startswith("tema:stf"):
        return False
    if f.tipo and meta.get("tipo") != f.tipo:
        return False
    if f.orgao and meta.get("orgao") != f"orgao:{f.orgao.lower()}":
        return False
    if f.situacao and fold(f.situacao) not in fold(str(meta.get("situacao") or "")):
        return False
    day = _tema_day(node, f.date_field)
    return f.in_years(day.year if day else None)


def _tema_facts(node: NodeRow) -> dict[str, Any]:
    meta = node.metadata
    facts = {
        "tipo": meta.get("tipo"),
        "numero": meta.get("numero"),
        "orgao": meta.get("orgao"),
        "situacao": meta.get("situacao"),
        "afetacao": meta.get("data_afetacao"),
        "julgamento": meta.get("data_julgamento"),
    }
    return {k: v for k, v in facts.items() if v}


def _temas(session: Session, ws: Sequence[int], q: GraphQuery) -> list[Row]:
    f = q.filters
    if q.anchors:
        found = repo.nodes(session, ws, q.anchors)
    elif f.orgao:
        edges = repo.edges_to(session, ws, ["JULGADO_POR"], [f"orgao:{f.orgao.lower()}"])
        found = repo.nodes(session, ws, [e.source for e in edges if e.source.startswith("tema:")])
    else:
        found = repo.nodes_of_type(session, ws, "TEMA")
    chosen = [n for n in found.values() if _tema_ok(n, f)]
    records = repo.records(session, ws, [n.key for n in chosen])
    return [
        Row(n.key, n.name, _tema_day(n, f.date_field), None, _tema_facts(n), _record(records.get(n.key)))
        for n in chosen
    ]


def _relator(session: Session, ws: Sequence[int], q: GraphQuery) -> list[Row]:
    ministro = next(a for a in q.anchors if a.startswith("ministro:"))
    links = repo.relator_links(session, ws, ministro, TEMA_LINKS, "tema:")
    stated = repo.stated_in(session, ws, [e.edge_id for e in links], TEMA_PROCESSOS)
    by_tema: dict[str, set[str]] = {}
    for edge in links:
        if edge.edge_id in stated:
            by_tema.setdefault(edge.target, set()).add(edge.source)
    found = repo.nodes(session, ws, list(by_tema))
    chosen = [n for n in found.values() if _tema_ok(n, q.filters)]
    records = repo.records(session, ws, [n.key for n in chosen])
    names = repo.nodes(session, ws, sorted({p for n in chosen for p in by_tema[n.key]}))
    rows = []
    for n in chosen:
        facts = _tema_facts(n)
        facts["processos_relatados"] = sorted(names[p].name if p in names else p for p in by_tema[n.key])
        rows.append(
            Row(n.key, n.name, _tema_day(n, q.filters.date_field), None, facts, _record(records.get(n.key)))
        )
    return rows


def _origina(session: Session, ws: Sequence[int], q: GraphQuery) -> list[Row]:
    edges = repo.edges_of_type(session, ws, ["ORIGINOU_SUMULA"])
    temas = repo.nodes(session, ws, [e.source for e in edges])
    origins: dict[str, list[NodeRow]] = {}
    for edge in edges:
        tema = temas.get(edge.source)
        if tema is not None and _tema_ok(tema, q.filters):
            origins.setdefault(edge.target, []).append(tema)
    sumulas = repo.nodes(session, ws, list(origins))
    records = repo.records(session, ws, [t.key for ts in origins.values() for t in ts])
    rows = []
    for key, sources in origins.items():
        sources.sort(key=lambda t: natural_key(t.key))
        first = sources[0]
        node = sumulas.get(key)
        facts = {"temas": [t.name for t in sources]}
        if node is not None and node.metadata.get("situacao"):
            facts["situacao"] = node.metadata["situacao"]
        label = node.name if node else key
        rows.append(
            Row(
                key,
                label,
                _tema_day(first, q.filters.date_field),
                None,
                facts,
                _record(records.get(first.key)),
            )
        )
    return rows


def _targets(session: Session, ws: Sequence[int], anchors: Sequence[str]) -> list[str]:
    laws = [
        a for a in anchors if (a.startswith(("lei:", "dl:", "lc:", "cf:", "norma:")) and ":art_" not in a)
    ]
    articles = [e.source for e in repo.edges_to(session, ws, ["PERTENCE_A"], laws)] if laws else []
    return list(dict.fromkeys([*anchors, *articles]))


#: ASCII letters that some accented Latin-1 letter folds to ("é" → "e"): a LIKE pattern keeps
#: any other character of a folded name and lets these match any one character
_FOLDED_TO = frozenset(c for c in (fold(chr(i)) for i in range(128, 256)) if c.isascii() and c.isalpha())


def _orgao_like(nome: str) -> str:
    """A LIKE pattern that every name folding to ``fold(nome)`` matches (and a few others: the
    exact comparison follows in :func:`_citing`)."""
    pattern = []
    for char in fold(nome):
        if char in _FOLDED_TO or not char.isascii() or char in "%_\\":
            pattern.append("_")
        else:
            pattern.append(char)
    return "".join(pattern)


def _citing(
    session: Session,
    ws: Sequence[int],
    targets: Sequence[str],
    f: Filters,
    fields: Sequence[str] | None = None,
) -> dict[str, dict[str, CitingRow]]:
    """target → citing processo → its first record (by key) passing the filters.

    The filters run in SQL; the órgão and classe comparisons are then made exact here on the
    few fields the query returns (accent- and case-insensitive, as for every record)."""
    orgao = orgao_by_code(f.orgao) if f.orgao else None
    if f.orgao and orgao is None:
        return {}
    classe = f.classe if f.classe and f.classe.isascii() else None
    rows = repo.citing(
        session,
        ws,
        CITES,
        targets,
        source_prefix="processo:",
        fields=fields,
        orgao_like=_orgao_like(orgao.nome) if orgao else None,
        classe=classe,
        day_from=date(f.year_from, 1, 1) if f.year_from is not None else None,
        day_to=date(f.year_to, 12, 31) if f.year_to is not None else None,
    )
    wanted = fold(orgao.nome) if orgao else None
    prefix = f.classe.lower() + " " if f.classe else None
    folded: dict[str, str] = {}
    found: dict[str, dict[str, CitingRow]] = {}
    for row in rows:
        if wanted is not None:
            name = row.orgao_julgador or ""
            if name not in folded:
                folded[name] = fold(name)
            if folded[name] != wanted:
                continue
        if prefix and not (row.processo or "").lower().startswith(prefix):
            continue
        if not f.in_years(row.day.year if row.day else None) or not row.source.startswith("processo:"):
            continue
        by_source = found.setdefault(row.target, {})
        best = by_source.get(row.source)
        if best is None or row.document_key < best.document_key:
            by_source[row.source] = row
    return found


@dataclass(frozen=True, slots=True)
class _Citations:
    """The processos citing the targets of a query: each one's first record (by key) passing the
    filters, and target → citing processo → record."""

    first: dict[str, CitingRow]
    by_target: dict[str, dict[str, CitingRow]]

    def row(self, key: str) -> Row:
        """The row of the citing processo ``key``. The record (the órgão and relator it names)
        and the names of the cited targets are read for the rows shown only (see
        :func:`_with_records`): until then ``cita`` holds the targets' keys."""
        first = self.first[key]
        cited = {target for target, by_source in self.by_target.items() if key in by_source}
        return Row(key, first.processo or key, first.day, None, {"cita": cited}, _pending(first.document_key))


def _citations(session: Session, ws: Sequence[int], q: GraphQuery) -> _Citations:
    found = _citing(session, ws, _targets(session, ws, q.anchors), q.filters)
    if len(found) == 1:
        return _Citations(next(iter(found.values())), found)
    first: dict[str, CitingRow] = {}
    for by_source in found.values():
        for source, record in by_source.items():
            held = first.get(source)
            if held is None or record.document_key < held.document_key:
                first[source] = record
    return _Citations(first, found)


def _cita(session: Session, ws: Sequence[int], q: GraphQuery) -> list[Row]:
    citations = _citations(session, ws, q)
    return [citations.row(key) for key in citations.first]


def _pending(document_key: str) -> Record:
    """A stand-in for the record ``document_key``, read later for the rows shown only."""
    return Record(document_key, "", "")


def _with_records(session: Session, ws: Sequence[int], rows: list[Row], relation: Relation) -> list[Row]:
    """``rows`` with their stand-in records read (and, for citing acórdãos, the órgão and relator
    those records name put first among the facts)."""
    pending = [r.record.document_key for r in rows if r.record and not r.record.kind]
    records = repo.records(session, ws, pending)
    cited: set[str] = set()
    if relation == Relation.CITA:
        cited = {c for r in rows if r.record and not r.record.kind for c in r.facts["cita"]}
    names = repo.nodes(session, ws, sorted(cited)) if cited else {}
    done = []
    for row in rows:
        if row.record is None or row.record.kind:
            done.append(row)
            continue
        found = records.get(row.record.document_key)
        if relation == Relation.CITA:
            facts = {
                "orgao": found.orgao_julgador if found else None,
                "relator": found.relator if found else None,
                **row.facts,
                "cita": sorted(names[c].name if c in names else c for c in row.facts["cita"]),
            }
            row = replace(row, facts=facts)
        done.append(replace(row, record=_record(found)))
    return done


def _named(session: Session, ws: Sequence[int], rows: list[Row]) -> list[Row]:
    """``rows`` labelled with their nodes' names (read for the rows shown only)."""
    names = repo.nodes(session, ws, [r.key for r in rows])
    return [replace(r, label=names[r.key].name) if r.key in names else r for r in rows]


def _dispositivos(session: Session, ws: Sequence[int], q: GraphQuery) -> list[Row]:
    articles = [t for t in _targets(session, ws, q.anchors) if ":art_" in t]
    found = _citing(session, ws, articles, q.filters, STRUCTURED_REFERENCES)
    names = repo.nodes(session, ws, list(found))
    rows = []
    for key, by_source in found.items():
        citing = sorted(by_source)
        first = min(c.document_key for c in by_source.values())
        label = names[key].name if key in names else key
        rows.append(Row(key, label, None, len(citing), {"acordaos": citing}, _pending(first)))
    return rows


WALKS = {
    Relation.TEMAS: _temas,
    Relation.RELATOR: _relator,
    Relation.ORIGINA: _origina,
    Relation.CITA: _cita,
    Relation.DISPOSITIVOS: _dispositivos,
}


def _order(q: GraphQuery, rows: list[Row]) -> tuple[list[Row], Any]:
    """Rows in answer order and the answer's value (count, year or keys)."""
    rows.sort(key=lambda r: natural_key(r.key))
    agg = q.aggregate
    if agg == Aggregate.TOP:
        rows.sort(key=lambda r: (-(r.count or 0), natural_key(r.key)))
        rows = rows[: q.limit]
        return rows, [r.key for r in rows]
    if agg in (Aggregate.EARLIEST, Aggregate.LATEST, Aggregate.YEAR):
        dated = sorted((r for r in rows if r.day), key=lambda r: (r.day or date.min, natural_key(r.key)))
        if agg == Aggregate.LATEST:
            dated.sort(key=lambda r: r.day or date.min, reverse=True)
        if not dated:
            return rows[:1], None
        best = dated[0].day
        ties = [r for r in dated if r.day == best]
        if agg == Aggregate.YEAR:
            return ties, best.year if best else None
        return ties, [r.key for r in ties]
    if agg == Aggregate.COUNT:
        return rows, len(rows)
    return rows, [r.key for r in rows]


def run(session: Session, workspace_ids: Sequence[int], query: GraphQuery) -> GraphAnswer:
    """Run ``query`` over the readable workspaces."""
    started = time.perf_counter()
    ws = list(workspace_ids)
    if query.relation == Relation.CITA and query.aggregate in (Aggregate.LIST, Aggregate.COUNT):
        # thousands of citing processos: sort their keys, build the rows shown only
        citing = _citations(session, ws, query) if ws else _Citations({}, {})
        keys = sorted(citing.first, key=natural_key)
        total = len(keys)
        value: Any = total if query.aggregate == Aggregate.COUNT else keys
        shown = [citing.row(key) for key in keys[:MAX_ROWS]]
    else:
        rows = WALKS[query.relation](session, ws, query) if ws else []
        rows, value = _order(query, rows)
        total = len(rows)
        shown = rows[:MAX_ROWS]
    if query.relation in (Relation.CITA, Relation.DISPOSITIVOS):
        shown = _with_records(session, ws, shown, query.relation)
    if query.relation == Relation.CITA:
        shown = _named(session, ws, shown)
    citations: list[Record] = []
    numbers: dict[str, int] = {}
    by_document: dict[str, int] = {}
    for row in shown:
        if row.record is None:
            continue
        n = by_document.get(row.record.document_key)
        if n is None:
            citations.append(row.record)
            n = by_document[row.record.document_key] = len(citations)
        numbers[row.key] = n
    names = {k: v.name for k, v in repo.nodes(session, ws, query.anchors).items()} if query.anchors else {}
    text = sentence(query, shown, total, names, numbers)
    ms = (time.perf_counter() - started) * 1000
    return GraphAnswer(query, text, total, shown, value, citations, ms)


def answer_question(session: Session, workspace_ids: Sequence[int], question: str) -> GraphAnswer:
    """Parse and run a question; a question outside the patterns is an :class:`InvalidInput`."""
    parsed = parse(session, workspace_ids, question)
    if parsed.query is None:
        raise InvalidInput(f"pergunta não mapeada para uma consulta ao grafo: {parsed.reason}")
    return run(session, workspace_ids, parsed.query)


def build_query(
    relation: str,
    anchors: Sequence[str],
    filters: dict[str, Any],
    aggregate: str,
    limit: int = 10,
) -> GraphQuery:
    """A validated typed query from plain values (CLI); invalid values are :class:`InvalidInput`."""
    try:
        return GraphQuery.model_validate(
            {
                "relation": relation,
                "anchors": list(anchors),
                "filters": filters,
                "aggregate": aggregate,
                "limit": limit,
            }
        )
    except ValidationError as exc:
        raise InvalidInput(f"consulta inválida: {exc.errors()[0]['msg']}") from exc


def minister_names(session: Session, workspace_ids: Sequence[int]) -> MinisterNames:
    """Fuzzy minister names of the readable workspaces."""
    return _minister_names(tuple(repo.ministers(session, list(workspace_ids))))


@functools.lru_cache(maxsize=16)
def _minister_names(ministers: tuple[tuple[str, str], ...]) -> MinisterNames:
    """The index of these (key, name) pairs, built once (read-only; the same few hundred ministers
    come back with every question)."""
    return MinisterNames(ministers)


def parse(session: Session, workspace_ids: Sequence[int], question: str) -> Parsed:
    """The typed graph query of a Portuguese question (or why there is none)."""
    return parse_question(question, minister_names(session, workspace_ids))
