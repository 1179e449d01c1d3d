"""Cards of single legal entities: a processo, a tema, a súmula, each with what a lawyer asks of it
first (relator, órgão, dates, ementa, leading cases, tese, cited precedents and statutes), read
from the graph and the source records of the caller's workspaces only. Reads only; the caller's
session, no commit. The MCP tools and resources show these cards."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jurisgraph.db import Session
from jurisgraph.engine.legal import find_mentions
from jurisgraph.errors import InvalidInput, NotFound
from jurisgraph.graph import query_repository as repo
from jurisgraph.graph import query_service
from jurisgraph.graph.query_repository import EdgeRow, NodeRow, RecordRow

#: the longest ementa excerpt of a process card
EXCERPT = 500
_EMENTA = re.compile(r"Ementa:\s*", re.IGNORECASE)
_TESE = re.compile(r"Tese firmada:\s*(.+?)(?:\n\s*\n|$)", re.IGNORECASE | re.DOTALL)
_DIGITS = re.compile(r"\d+")
_TEMA_NUMBER = re.compile(r"^\s*(?:tema\s*)?(\d[\d.]*)\s*$", re.IGNORECASE)
_SUMULA_NUMBER = re.compile(r"^\s*(?:s[uú]mula\s*)?(\d+)\s*(?:/?\s*stj)?\s*$", re.IGNORECASE)
LAW_TYPES = ("LEGISLACAO",)


def _ref(node: NodeRow | None, key: str) -> dict[str, Any]:
    return {"key": key, "name": node.name if node else key}


def _record(row: RecordRow) -> dict[str, Any]:
    return {
        "document": row.document_key,
        "kind": row.kind,
        "title": row.title,
        "date": row.day.isoformat() if row.day else None,
        "source_url": row.source_url,
    }


def _linked(session: Session, ws: Sequence[int], edges: Sequence[EdgeRow], outward: bool) -> list[NodeRow]:
    """The nodes at the other end of ``edges`` (sorted by key, each once)."""
    keys = sorted({e.target if outward else e.source for e in edges})
    found = repo.nodes(session, ws, keys)
    return [found.get(k) or NodeRow(k, k, "", {}) for k in keys]


def process_key(session: Session, ws: Sequence[int], numero: str, classe: str | None = None) -> str:
    """The canonical key of a processo named by a key (``processo:resp_1850512``), a citation
    (``REsp 1.850.512/SP``), a classe and a number, or a number alone (when one processo has it)."""
    text = numero.strip()
    if text.startswith("processo:"):
        return text
    cited = f"{classe.strip()} {text}" if classe else text
    for mention in find_mentions(cited):
        if str(mention.entity.type) == "PROCESSO":
            return mention.entity.key
    digits = "".join(_DIGITS.findall(text.split("/")[0]))
    if not digits:
        raise InvalidInput(f"not a processo: {cited!r}; send e.g. 'REsp 1.850.512/SP' or classe and número")
    prefix = f"processo:{classe.strip().lower()}_" if classe else "processo:"
    keys = repo.keys_like(session, ws, prefix, f"_{int(digits)}")
    if not keys:
        raise NotFound(f"processo {cited!r} not found")
    if len(keys) > 1:
        raise InvalidInput(f"several processos have the number {digits}: {', '.join(keys)}; send the classe")
    return keys[0]


def _ementa(records: Sequence[RecordRow]) -> str | None:
    for row in records:
        found = _EMENTA.search(row.head)
        if found:
            return row.head[found.end() : found.end() + EXCERPT].strip()
    return None


def process_card(session: Session, ws: Sequence[int], key: str) -> dict[str, Any]:
    """A processo: relator, órgão, dates, ementa excerpt, cited precedents and statutes, temas,
    súmulas and its records (404 when no readable workspace has it)."""
    node = repo.nodes(session, ws, [key]).get(key)
    if node is None or node.type != "PROCESSO":
        raise NotFound(f"processo {key!r} not found")
    meta = node.metadata
    relators = _linked(session, ws, repo.edges_to(session, ws, ["RELATOR_DE"], [key]), outward=False)
    out = repo.edges_from(
        session,
        ws,
        ["JULGADO_POR", "CITA_PRECEDENTE", "REFERENCIA", "APLICA", "LEADING_CASE_DE", "TRATA_DE"],
        [key],
    )
    by_type: dict[str, list[EdgeRow]] = {}
    for edge in out:
        by_type.setdefault(edge.type, []).append(edge)
    targets = _linked(session, ws, out, outward=True)
    kinds = {n.key: n.type for n in targets}
    names = {n.key: n for n in targets}

    def ends(types: Sequence[str], node_types: Sequence[str] | None = None) -> list[dict[str, Any]]:
        keys = sorted({e.target for t in types for e in by_type.get(t, [])})
        return [_ref(names.get(k), k) for k in keys if node_types is None or kinds.get(k) in node_types]

    label = (
        f"{meta.get('classe')} {meta.get('numero')}" if meta.get("classe") and meta.get("numero") else None
    )
    records = repo.process_records(session, ws, label) if label else []
    decided = [r.day for r in records if r.day]
    lead = [e.target for e in by_type.get("LEADING_CASE_DE", [])]
    return {
        "key": key,
        "name": node.name,
        "classe": meta.get("classe"),
        "numero": meta.get("numero"),
        "uf": meta.get("uf"),
        "registro": meta.get("registro"),
        "relator": [_ref(n, n.key) for n in relators],
        "orgao": ends(["JULGADO_POR"]),
        "data_decisao": meta.get("data_decisao") or (min(decided).isoformat() if decided else None),
        "ultima_data": max(decided).isoformat() if decided else None,
        "ementa": _ementa([r for r in records if r.kind == "espelho"]),
        "precedentes_citados": ends(["CITA_PRECEDENTE"]),
        "dispositivos": ends(["REFERENCIA", "APLICA"], LAW_TYPES),
        "sumulas": ends(["CITA_PRECEDENTE", "REFERENCIA", "APLICA"], ("SUMULA",)),
        "temas": [
            {**ref, "leading_case": ref["key"] in lead}
            for ref in ends(["LEADING_CASE_DE", "TRATA_DE", "REFERENCIA", "APLICA"], ("TEMA",))
        ],
        "records": [_record(r) for r in records],
    }


def tema_key(number: str | int) -> str:
    """``tema:1076`` from ``1076``, ``"1.076"``, ``"Tema 1076"`` or the key itself."""
    text = str(number).strip()
    if text.startswith("tema:"):
        return text
    found = _TEMA_NUMBER.match(text)
    if not found:
        raise InvalidInput(f"not a tema number: {text!r}")
    return f"tema:{int(found.group(1).replace('.', ''))}"


def tema_card(session: Session, ws: Sequence[int], key: str) -> dict[str, Any]:
    """A tema: tese, questão, situação, órgão, dates, leading cases with their relator, the
    processos afetados, the súmula it gave rise to and its record (404 when not readable)."""
    node = repo.nodes(session, ws, [key]).get(key)
    if node is None or node.type != "TEMA":
        raise NotFound(f"tema {key!r} not found")
    meta = node.metadata
    cases = repo.edges_to(session, ws, ["LEADING_CASE_DE", "TRATA_DE"], [key])
    case_keys = sorted({e.source for e in cases if e.source.startswith("processo:")})
    lead = {e.source for e in cases if e.type == "LEADING_CASE_DE"}
    relator_edges = repo.edges_to(session, ws, ["RELATOR_DE"], case_keys)
    people = repo.nodes(session, ws, [e.source for e in relator_edges] + case_keys)
    relator_of: dict[str, list[dict[str, Any]]] = {}
    for edge in sorted(relator_edges, key=lambda e: e.source):
        relator_of.setdefault(edge.target, []).append(_ref(people.get(edge.source), edge.source))
    processos = [
        {**_ref(people.get(k), k), "relator": relator_of.get(k, []), "leading_case": k in lead}
        for k in case_keys
    ]
    sumulas = _linked(session, ws, repo.edges_from(session, ws, ["ORIGINOU_SUMULA"], [key]), outward=True)
    orgaos = _linked(session, ws, repo.edges_from(session, ws, ["JULGADO_POR"], [key]), outward=True)
    record = repo.records(session, ws, [key]).get(key)
    found = _TESE.search(record.head) if record is not None else None
    described = repo.description(session, ws, key) or None
    # a judged tema's description is its tese (its questão is in the metadata); else the questão
    questao = meta.get("questao") or described
    tese = found.group(1).strip() if found else (described if meta.get("questao") else None)
    return {
        "key": key,
        "name": node.name,
        "tipo": meta.get("tipo"),
        "numero": meta.get("numero"),
        "situacao": meta.get("situacao"),
        "orgao": [_ref(n, n.key) for n in orgaos],
        "questao": questao,
        "tese": tese,
        "data_afetacao": meta.get("data_afetacao"),
        "data_julgamento": meta.get("data_julgamento"),
        "leading_cases": [p for p in processos if p["leading_case"]],
        "processos": processos,
        "sumulas": [_ref(n, n.key) for n in sumulas],
        "record": _record(record) if record else None,
    }


def sumula_key(number: str | int) -> str:
    """``sumula:stj_7`` from ``7``, ``"Súmula 7/STJ"`` or the key itself."""
    text = str(number).strip()
    if text.startswith("sumula:"):
        return text
    found = _SUMULA_NUMBER.match(text)
    if not found:
        raise InvalidInput(f"not a súmula number: {text!r}")
    return f"sumula:stj_{int(found.group(1))}"


def sumula_card(session: Session, ws: Sequence[int], key: str, cited_limit: int = 20) -> dict[str, Any]:
    """A súmula: enunciado, situação, the temas that gave rise to it and processos that cite it."""
    node = repo.nodes(session, ws, [key]).get(key)
    if node is None or node.type != "SUMULA":
        raise NotFound(f"súmula {key!r} not found")
    origin = _linked(session, ws, repo.edges_to(session, ws, ["ORIGINOU_SUMULA"], [key]), outward=False)
    citing = repo.edges_to(session, ws, ["CITA_PRECEDENTE", "REFERENCIA", "APLICA"], [key])
    citing_keys = sorted({e.source for e in citing})
    shown = repo.nodes(session, ws, citing_keys[:cited_limit])
    return {
        "key": key,
        "name": node.name,
        "enunciado": repo.description(session, ws, key),
        "situacao": node.metadata.get("situacao"),
        "temas": [_ref(n, n.key) for n in origin],
        "citada_por": len(citing_keys),
        "citantes": [_ref(shown.get(k), k) for k in citing_keys[:cited_limit]],
    }


def list_temas(
    session: Session,
    ws: Sequence[int],
    *,
    orgao: str | None = None,
    relator: str | None = None,
    year: int | None = None,
    situacao: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Temas by órgão (code: S1, CE…), relator of a processo of theirs (a name), year of judgment
    and situação (a part of it), oldest first; ``total`` counts them all, ``temas`` shows ``limit``."""
    anchors: list[str] = []
    relation = "temas"
    if relator:
        found = query_service.minister_names(session, ws).find(relator)
        if not found:
            raise NotFound(f"no relator named {relator!r}")
        anchors, relation = [found[0].key], "relator_de"
    filters = {"orgao": orgao, "year_from": year, "year_to": year, "situacao": situacao}
    query = query_service.build_query(
        relation, anchors, {k: v for k, v in filters.items() if v}, "list", limit
    )
    answer = query_service.run(session, ws, query)
    temas = []
    for row in answer.rows[:limit]:
        item = {"key": row.key, "name": row.label, "date": row.day.isoformat() if row.day else None}
        item.update(row.facts)
        item["record"] = row.record.document_key if row.record else None
        temas.append(item)
    return {
        "total": answer.total,
        "answer": answer.sentence,
        "relator": anchors[0] if anchors else None,
        "temas": temas,
    }
