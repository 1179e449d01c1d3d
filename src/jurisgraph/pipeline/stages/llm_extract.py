"""llm_extract: entities and relations of each chunk read by an LLM, merged into the graph.

Runs only with an LLM configured. Legal identifiers named by the model are mapped to the
canonical keys of the deterministic scanner (processes, laws, súmulas, temas, ministers,
judging bodies; an unrecognised identifier is dropped); other types get
``<type lower>:<slug of name>``. Structured extraction wins: an LLM entity whose type or name
disagrees with what the rules give the same key in that document adds no contribution.
Each processed document gets ``metadata[MARKER] = prompt version``: re-runs skip it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
import structlog

from jurisgraph.db import Session, session_scope
from jurisgraph.engine.legal.mentions import find_mentions
from jurisgraph.engine.llm import ChatMessage, ChatRequest, Purpose
from jurisgraph.engine.text import slug
from jurisgraph.engine.types import Entity, EntityType, RelationType, relation_key
from jurisgraph.errors import BudgetExhausted
from jurisgraph.gateway import CallContext, Gateway
from jurisgraph.metrics import measured_stage
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.provenance import Targets, edge_id
from jurisgraph.pipeline.repository import documents
from jurisgraph.pipeline.stages import graph
from jurisgraph.prompts import extraction

log = structlog.get_logger(__name__)

MARKER = "llm_extraction"
#: (type the model gave, canonical type) pairs naming the same thing: a precedent cited by number.
SAME_THING = frozenset({("PRECEDENTE", "PROCESSO")})
#: Types whose entities only exist with a canonical identifier: unrecognised names are dropped.
IDENTIFIED = frozenset(
    {
        EntityType.PROCESSO,
        EntityType.TEMA,
        EntityType.SUMULA,
        EntityType.LEGISLACAO,
        EntityType.MINISTRO,
        EntityType.ORGAO_JULGADOR,
    }
)
#: How much of an LLM name a scanner mention must cover to stand for the whole name.
COVERAGE = 0.6
PREFIXES = {EntityType.MINISTRO: "Ministro ", EntityType.ORGAO_JULGADOR: ""}


def canonical_entity(name: str, kind: EntityType) -> Entity | None:
    """The scanner's entity for ``name`` when it names one legal identifier as a whole, else None."""
    text = " ".join(name.split())
    if not text:
        return None
    prefix = PREFIXES.get(kind, "")
    candidates = [(text, 0)] + ([(prefix + text, len(prefix))] if prefix else [])
    for candidate, offset in candidates:
        covering = [
            m for m in find_mentions(candidate) if m.end - max(m.start, offset) >= COVERAGE * len(text)
        ]
        if covering:  # the requested type first, then the longest span
            best = max(covering, key=lambda m: (m.entity.type == kind, m.end - m.start, -m.start))
            return best.entity
    return None


def resolve(name: str, kind: EntityType) -> tuple[str, str, EntityType] | None:
    """``(key, name, type)`` for an LLM entity, or None when an identifier type is not recognised.

    A recognised legal identifier keeps the scanner's name and type (structured wins over the
    model's wording).
    """
    found = canonical_entity(name, kind)
    if found is not None:
        return found.key, found.name, found.type
    if kind in IDENTIFIED:
        return None
    key_slug = slug(name)[:150]
    if not key_slug:
        return None
    return f"{kind.value.lower()}:{key_slug}", " ".join(name.split())[:300], kind


@dataclass
class LlmExtractReport:
    """What an LLM extraction run did; ``status`` is completed, budget_exhausted, stopped or disabled."""

    status: str = "completed"
    documents: int = 0
    chunks: int = 0
    skipped_chunks: list[str] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    conflicts: int = 0
    touched: Targets = field(default_factory=set)


@dataclass
class _Found:
    """LLM facts of one document: node and edge contributions with the chunk that gave them."""

    nodes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    spans: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


@measured_stage("llm_extract")
def run(ctx: PipelineContext, gateway: Gateway) -> LlmExtractReport:
    """LLM-extract the chunks of every document not yet marked with this prompt version.

    A document's mentions (extractor ``llm``) and its marker are written together, so a run
    stopped by a budget or a stop request resumes with the next unmarked document.
    """
    report = LlmExtractReport()
    settings = ctx.container.settings.pipeline
    if not gateway.enabled or not settings.llm_extraction:
        report.status = "disabled"
        return report
    sessions = ctx.container.sessions
    context = CallContext(job_id=ctx.job_id, workspace_id=ctx.workspace_id)
    with logged_action(sessions, "extract_entities", job_id=ctx.job_id) as counts:
        todo = _pending(ctx, settings.llm_extract_kinds)
        for done, document_id in enumerate(todo):
            ctx.progress("llm_extract", done, len(todo), f"document {document_id}")
            if ctx.should_stop():
                report.status = "stopped"
                break
            try:
                _extract_document(ctx, gateway, context, document_id, settings.gleaning_passes, report)
            except BudgetExhausted as exc:
                report.status = "budget_exhausted"
                counts.details.append("budget_exhausted")
                counts.error_message = exc.message
                log.warning("llm_extract.budget_exhausted", scope=exc.scope, documents=report.documents)
                break
        ctx.progress("llm_extract", len(todo), len(todo), report.status)
        if report.touched:
            with session_scope(sessions) as session:
                graph.rebuild(session, ctx.workspace_id, report.touched)
        counts.records_processed = report.documents
        counts.chunks_generated = report.chunks
        counts.entities_extracted = report.entities
        counts.relationships_extracted = report.relations
        counts.details.append(
            f"llm extraction: {report.documents} documents, {report.chunks} chunks, "
            f"{len(report.skipped_chunks)} chunks skipped, {report.conflicts} conflicts with rules"
        )
        counts.details += report.skipped_chunks[:50]
    return report


def _pending(ctx: PipelineContext, kinds: list[str]) -> list[int]:
    with session_scope(ctx.container.sessions) as session:
        rows = documents.documents_with_metadata(session, ctx.workspace_id, kinds)
    return [doc_id for doc_id, meta in rows if (meta or {}).get(MARKER) != extraction.VERSION]


def _extract_document(
    ctx: PipelineContext,
    gateway: Gateway,
    context: CallContext,
    document_id: int,
    passes: int,
    report: LlmExtractReport,
) -> None:
    with session_scope(ctx.container.sessions) as session:
        doc = documents.document(session, document_id)
        title, key = doc.title, doc.key
        chunks = documents.chunks_of_document(session, document_id)
        rules = _rules_nodes(session, document_id)
    found = _Found()
    for chunk_id, chunk_start, text in chunks:
        replies = _ask(gateway, context, title, text, passes)
        if not replies:
            reason = f"{key} chunk {chunk_id[:12]}: invalid LLM reply after repair"
            report.skipped_chunks.append(reason)
            log.warning("llm_extract.chunk_skipped", document=key, chunk=chunk_id, reason="invalid reply")
            continue
        report.chunks += 1
        for reply in replies:
            report.conflicts += _collect(reply, rules, chunk_id, chunk_start, text, found)
    with session_scope(ctx.container.sessions) as session:
        documents.delete_mentions(session, document_id, "llm")
        documents.insert_mentions(session, _mention_rows(ctx.workspace_id, document_id, found))
        doc = documents.document(session, document_id)
        doc.metadata_ = {**(doc.metadata_ or {}), MARKER: extraction.VERSION}
    report.documents += 1
    report.entities += len({k for k, _ in found.nodes})
    report.relations += len({k for k, _ in found.edges})
    report.touched.update(("node", k) for k, _ in found.nodes)
    report.touched.update(("edge", edge_id(k)) for k, _ in found.edges)


def _ask(
    gateway: Gateway, context: CallContext, title: str, text: str, passes: int
) -> list[extraction.ExtractionReply]:
    """The first reply and the gleaning replies; empty when the first one is invalid."""
    messages = [ChatMessage("system", extraction.SYSTEM), ChatMessage("user", extraction.user(title, text))]
    replies: list[extraction.ExtractionReply] = []
    for _ in range(1 + passes):
        request = ChatRequest(
            purpose=Purpose.EXTRACTION, messages=list(messages), prompt_version=extraction.VERSION
        )
        reply = gateway.complete_json(request, extraction.ExtractionReply, context=context)
        if reply is None or (replies and not reply.entities and not reply.relations):
            break
        replies.append(reply)
        messages += [
            ChatMessage("assistant", reply.model_dump_json()),
            ChatMessage("user", extraction.GLEANING),
        ]
    return replies


def _rules_nodes(session: Session, document_id: int) -> dict[str, tuple[str, str]]:
    """(name, type) the rules gave each node of the document."""
    found: dict[str, tuple[str, str]] = {}
    for target, contribution in documents.node_contributions(session, document_id, "rules"):
        c = contribution or {}
        found.setdefault(target, (str(c.get("n") or ""), str(c.get("t") or "")))
    return found


def _collect(
    reply: extraction.ExtractionReply,
    rules: dict[str, tuple[str, str]],
    chunk_id: str,
    chunk_start: int,
    text: str,
    found: _Found,
) -> int:
    """Add one reply's facts to ``found``; returns how many entities conflicted with the rules."""
    conflicts = 0
    keys: dict[str, str] = {}
    for entity in reply.entities:
        resolved = resolve(entity.name, EntityType(entity.type))
        if resolved is None:
            continue
        key, name, kind = resolved
        ruled = rules.get(key)
        agrees = kind.value == entity.type or (entity.type, kind.value) in SAME_THING
        if (ruled is not None and ruled != (name, kind.value)) or not agrees:
            conflicts += 1  # the rules' (or the identifier's) version stands; no contribution
            if ruled is not None:
                keys[_fold(entity.name)] = key
            continue
        keys[_fold(entity.name)] = key
        found.nodes.setdefault(
            (key, chunk_id), {"n": name, "t": kind.value, "d": entity.description.strip(), "a": {}}
        )
        at = text.casefold().find(entity.name.casefold())
        if at >= 0:
            found.spans.setdefault((key, chunk_id), (chunk_start + at, chunk_start + at + len(entity.name)))
    present = {k for k, _ in found.nodes} | set(rules)
    for rel in reply.relations:
        source, target = keys.get(_fold(rel.source)), keys.get(_fold(rel.target))
        if source is None or target is None or source == target or not {source, target} <= present:
            continue
        rel_type = RelationType(rel.type)
        found.edges.setdefault(
            (relation_key(source, rel_type, target), chunk_id),
            {"s": source, "o": target, "t": rel_type.value, "w": rel.strength, "d": rel.description.strip()},
        )
    return conflicts


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _mention_rows(workspace_id: int, document_id: int, found: _Found) -> list[tuple[Any, ...]]:
    """Mention rows in :data:`~jurisgraph.pipeline.repository.documents.MENTION_COLUMNS` order."""
    rows: list[tuple[Any, ...]] = []
    for kind, facts in (("node", found.nodes), ("edge", found.edges)):
        for (key, chunk_id), contribution in sorted(facts.items()):
            start, end = found.spans.get((key, chunk_id), (None, None)) if kind == "node" else (None, None)
            target = key if kind == "node" else edge_id(key)
            contribution_text = orjson.dumps(contribution).decode()
            rows.append(
                (
                    workspace_id,
                    document_id,
                    chunk_id,
                    kind,
                    target,
                    start,
                    end,
                    None,
                    1,
                    "llm",
                    contribution_text,
                )
            )
    return rows
