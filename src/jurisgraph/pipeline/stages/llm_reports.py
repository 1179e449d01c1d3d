"""llm_reports: LLM-written reports for the top-ranked communities (replacing extractive ones).

Runs only with an LLM configured. Each report is built from the community's members (names,
types, descriptions), its strongest relations as sentences and a few passages; an invalid
reply leaves the extractive report in place. A reached budget stops the stage cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog

from jurisgraph.db import Session, session_scope
from jurisgraph.engine.llm import ChatMessage, ChatRequest, Purpose
from jurisgraph.errors import BudgetExhausted
from jurisgraph.gateway import CallContext, Gateway
from jurisgraph.metrics import measured_stage
from jurisgraph.models import utcnow
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import communities, graph
from jurisgraph.prompts import community_report

log = structlog.get_logger(__name__)

MEMBERS = 30
RELATIONS = 20
PASSAGES = 3
PASSAGE_CHARS = 500
DESCRIPTION_CHARS = 300


@dataclass
class LlmReportsReport:
    """What an LLM report run did; ``status`` is completed, budget_exhausted, stopped or disabled."""

    status: str = "completed"
    written: int = 0
    skipped: list[str] = field(default_factory=list)


@measured_stage("llm_reports")
def run(ctx: PipelineContext, gateway: Gateway) -> LlmReportsReport:
    """Write LLM reports (``report_source = "llm"``) for the top ``llm_reports_max`` communities by rank."""
    report = LlmReportsReport()
    settings = ctx.container.settings.pipeline
    if not gateway.enabled or not settings.llm_reports or settings.llm_reports_max <= 0:
        report.status = "disabled"
        return report
    sessions = ctx.container.sessions
    context = CallContext(job_id=ctx.job_id, workspace_id=ctx.workspace_id)
    with logged_action(sessions, "community_reports", job_id=ctx.job_id) as counts:
        with session_scope(sessions) as session:
            top = [row[0] for row in communities.ranked(session, ctx.workspace_id, settings.llm_reports_max)]
            children = _children(session, ctx.workspace_id)
        for done, community_id in enumerate(top):
            ctx.progress("llm_reports", done, len(top), community_id)
            if ctx.should_stop():
                report.status = "stopped"
                break
            try:
                _report_one(ctx, gateway, context, community_id, children, report)
            except BudgetExhausted as exc:
                report.status = "budget_exhausted"
                counts.details.append("budget_exhausted")
                counts.error_message = exc.message
                log.warning("llm_reports.budget_exhausted", scope=exc.scope, written=report.written)
                break
        ctx.progress("llm_reports", len(top), len(top), report.status)
        counts.records_processed = report.written
        counts.details.append(f"llm reports: {report.written} written, {len(report.skipped)} skipped")
        counts.details += report.skipped[:50]
    return report


def _children(session: Session, workspace_id: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for cid, parent in communities.parents(session, workspace_id):
        if parent:
            found.setdefault(parent, []).append(cid)
    return found


def _subtree(community_id: str, children: dict[str, list[str]]) -> list[str]:
    found, pending = [], [community_id]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def _report_one(
    ctx: PipelineContext,
    gateway: Gateway,
    context: CallContext,
    community_id: str,
    children: dict[str, list[str]],
    report: LlmReportsReport,
) -> None:
    with session_scope(ctx.container.sessions) as session:
        prompt = _prompt(session, ctx.workspace_id, _subtree(community_id, children))
    if prompt is None:
        report.skipped.append(f"community {community_id}: no members")
        return
    request = ChatRequest(
        purpose=Purpose.REPORT,
        messages=[ChatMessage("system", community_report.SYSTEM), ChatMessage("user", prompt)],
        prompt_version=community_report.VERSION,
    )
    reply = gateway.complete_json(request, community_report.CommunityReportReply, context=context)
    if reply is None:
        report.skipped.append(f"community {community_id}: invalid LLM reply after repair")
        log.warning("llm_reports.skipped", community=community_id, reason="invalid reply")
        return
    with session_scope(ctx.container.sessions) as session:
        row = communities.community(session, ctx.workspace_id, community_id)
        row.title = reply.title[:512]
        row.summary = reply.summary
        row.full_report = reply.full_report
        row.findings = [f for f in reply.findings if f.strip()]
        row.rating = reply.rating
        row.report_source = "llm"
        row.updated_at = utcnow()
    report.written += 1


def _prompt(session: Session, workspace_id: int, community_ids: list[str]) -> str | None:
    members = graph.nodes_by_mentions(session, workspace_id, community_ids=community_ids, limit=MEMBERS)
    if not members:
        return None
    names = {key: name for key, name, _, _ in members}
    lines = [
        f"{name} ({kind})" + (f": {(desc or '')[:DESCRIPTION_CHARS]}" if desc else "")
        for _, name, kind, desc in members
    ]
    edges = graph.edges_within(session, workspace_id, list(names), RELATIONS)
    sentences = [
        f"{names[s]} {kind} {names[o]}" + (f" ({(desc or '')[:DESCRIPTION_CHARS]})" if desc else "")
        for s, kind, o, desc in edges
    ]
    return community_report.user(lines, sentences, _passages(session, workspace_id, list(names)[:PASSAGES]))


def _passages(session: Session, workspace_id: int, keys: list[str]) -> list[str]:
    found: list[str] = []
    for key in keys:
        text = graph.first_chunk_text(session, workspace_id, key)
        passage = " ".join((text or "").split())[:PASSAGE_CHARS]
        if passage and passage not in found:
            found.append(passage)
    return found
