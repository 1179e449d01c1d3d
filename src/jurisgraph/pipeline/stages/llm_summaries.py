"""LLM summaries of entities that gathered many descriptions (only with an LLM configured).

A node's description is the frequency-ranked merge of every description its mentions carry;
once it holds at least ``summary_min_descriptions`` of them, one LLM call condenses them.
The summary is stored in ``entity_summaries`` with the hash of the merged description it
summarises: unchanged entities are never summarised twice, changed ones are redone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import structlog

from jurisgraph.db import session_scope
from jurisgraph.engine.llm import ChatMessage, ChatRequest, Purpose
from jurisgraph.errors import BudgetExhausted
from jurisgraph.gateway import CallContext, Gateway
from jurisgraph.metrics import measured_stage
from jurisgraph.models import EntitySummary
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import graph
from jurisgraph.prompts import entity_summary

log = structlog.get_logger(__name__)


@dataclass
class SummariesReport:
    """What a summary run did; ``status`` is completed, budget_exhausted, stopped or disabled."""

    status: str = "completed"
    written: int = 0
    skipped: list[str] = field(default_factory=list)


def descriptions_hash(description: str) -> str:
    """The hash a summary is valid for."""
    return hashlib.sha256(description.encode("utf-8")).hexdigest()


@measured_stage("llm_summaries")
def run(ctx: PipelineContext, gateway: Gateway) -> SummariesReport:
    """Summarise every entity with many descriptions and no current summary."""
    report = SummariesReport()
    minimum = ctx.container.settings.pipeline.summary_min_descriptions
    if not gateway.enabled or minimum <= 0:
        report.status = "disabled"
        return report
    sessions = ctx.container.sessions
    with session_scope(sessions) as session:
        done = graph.summary_hashes(session, ctx.workspace_id)
        todo = [
            (key, name, kind, description)
            for key, name, kind, description in graph.nodes_by_mentions(
                session, ctx.workspace_id, described=True
            )
            if description
            and len(description.split("\n")) >= minimum
            and done.get(key) != descriptions_hash(description)
        ]
    context = CallContext(job_id=ctx.job_id, workspace_id=ctx.workspace_id)
    with logged_action(sessions, "summarize_entities", job_id=ctx.job_id) as counts:
        for number, (key, name, kind, description) in enumerate(todo):
            ctx.progress("summaries", number, len(todo), name)
            if ctx.should_stop():
                report.status = "stopped"
                break
            request = ChatRequest(
                purpose=Purpose.SUMMARY,
                messages=[
                    ChatMessage("system", entity_summary.SYSTEM),
                    ChatMessage("user", entity_summary.user(name, kind, description.split("\n"))),
                ],
                prompt_version=entity_summary.VERSION,
                max_output_tokens=400,
            )
            try:
                reply = gateway.complete_json(request, entity_summary.SummaryReply, context=context)
            except BudgetExhausted as exc:
                report.status = "budget_exhausted"
                counts.details.append("budget_exhausted")
                counts.error_message = exc.message
                break
            if reply is None:
                report.skipped.append(f"{key}: invalid reply")
                continue
            with session_scope(sessions) as session:
                graph.save_summary(
                    session,
                    EntitySummary(
                        workspace_id=ctx.workspace_id,
                        entity_id=key,
                        descriptions_hash=descriptions_hash(description),
                        summary=reply.resumo.strip(),
                        model=gateway.model_for(Purpose.SUMMARY),
                        prompt_version=entity_summary.VERSION,
                    ),
                )
            report.written += 1
        counts.records_processed = report.written
        counts.details.append(f"entity summaries: {report.written} written, {len(report.skipped)} skipped")
    return report
