"""The whole ingestion run: sync → download → parse/chunk/extract/graph → communities."""

from __future__ import annotations

from dataclasses import dataclass, field

from jurisgraph.integrations.ckan import Portal
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.stages import (
    communities,
    download,
    index,
    llm_extract,
    llm_reports,
    llm_summaries,
    process,
    sync,
)
from jurisgraph.pipeline.stages.selection import ResourceFilter


@dataclass
class IngestReport:
    """Everything an ingestion run did, stage by stage."""

    sync: sync.SyncReport | None = None
    download: download.DownloadReport | None = None
    process: process.ProcessReport | None = None
    llm_extract: llm_extract.LlmExtractReport | None = None
    communities: communities.CommunityReport | None = None
    llm_reports: llm_reports.LlmReportsReport | None = None
    llm_summaries: llm_summaries.SummariesReport | None = None
    index: index.IndexReport | None = None
    problems: list[str] = field(default_factory=list)


def run(
    ctx: PipelineContext,
    portal: Portal | None,
    flt: ResourceFilter | None = None,
    *,
    force: bool = False,
    dense: bool = True,
) -> IngestReport:
    """Ingest the selected resources end to end; ``portal=None`` reprocesses what is stored.

    ``dense=False`` stops after the sparse index (searchable at once); the dense vectors can
    be filled in later by :func:`jurisgraph.pipeline.stages.index.run`. With an LLM configured,
    chunks are also LLM-extracted and the top communities get LLM reports (a reached budget
    stops those stages cleanly: their report says ``budget_exhausted``).
    """
    flt = flt or ResourceFilter()
    report = IngestReport()
    if portal is not None:
        report.sync = sync.run(ctx, portal, [flt.dataset] if flt.dataset else None)
        report.download = download.run(ctx, portal, flt, force=force)
        report.problems += report.download.failed
    report.process = process.run(ctx, flt, force=force)
    report.problems += report.process.failed + report.process.file_errors
    return _after_graph(ctx, report, touched=bool(report.process.touched), force=force, dense=dense)


def finish(
    ctx: PipelineContext, *, changed: bool = False, force: bool = False, dense: bool = True
) -> IngestReport:
    """What runs once after resources were processed separately (``graph_now=False``, possibly
    in several processes): the graph of every pending target, LLM stages when configured,
    communities and the index, as :func:`run` does after its own processing.

    ``changed`` says that some resource was processed: the communities are then rebuilt even
    when no graph target is pending any more (a run of this stage cut short after the graph
    was rebuilt, taken again, must still rebuild them)."""
    report = IngestReport()
    touched = process.rebuild_pending(ctx) > 0 or changed
    return _after_graph(ctx, report, touched=touched, force=force, dense=dense)


def after_graph(ctx: PipelineContext, *, touched: bool, dense: bool = True) -> IngestReport:
    """The stages after the graph for a workspace whose graph the caller rebuilt itself (a
    private workspace after an upload or a delete): LLM stages when configured, communities
    when ``touched`` or none exist, then the index."""
    return _after_graph(ctx, IngestReport(), touched=touched, force=False, dense=dense)


def _after_graph(
    ctx: PipelineContext, report: IngestReport, *, touched: bool, force: bool, dense: bool
) -> IngestReport:
    """The stages after the graph: LLM extraction and summaries when configured, communities
    (and their LLM reports) when the graph changed or none exist, then the index."""
    gateway = ctx.container.gateway()
    if gateway.enabled:
        report.llm_extract = llm_extract.run(ctx, gateway)
        touched = touched or bool(report.llm_extract.touched)
        report.llm_summaries = llm_summaries.run(ctx, gateway)
    if touched or force or not communities.has_communities(ctx):
        report.communities = communities.run(ctx)
        if gateway.enabled:
            report.llm_reports = llm_reports.run(ctx, gateway)
    report.index = index.run(ctx, dense=dense)
    return report
