"""Removing a resource: its documents, chunks, mentions and exactly the graph they alone built."""

from __future__ import annotations

from pathlib import Path

from jurisgraph.db import session_scope
from jurisgraph.errors import NotFound
from jurisgraph.pipeline.context import PipelineContext
from jurisgraph.pipeline.logs import logged_action
from jurisgraph.pipeline.repository import catalogue, documents
from jurisgraph.pipeline.stages import communities, graph, index, process
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.pipeline.store import delete_documents


def remove_resource(ctx: PipelineContext, resource_id: str, *, delete_file: bool = True) -> int:
    """Delete the resource ``resource_id`` (CKAN id) and everything derived from it.

    Returns the number of documents removed. Nodes and edges that other documents also
    support stay, with their aggregates recomputed from the remaining mentions.
    """
    sessions = ctx.container.sessions
    with logged_action(sessions, "process_json", resource_id=resource_id, job_id=ctx.job_id) as counts:
        with session_scope(sessions) as session:
            row = catalogue.resource_by_portal_id(session, resource_id)
            if row is None:
                raise NotFound(f"resource {resource_id!r} not found")
            slug = catalogue.dataset_slug(session, row.dataset_id)
            doc_ids = documents.document_ids_of_resource(session, row.id)
            touched = delete_documents(session, doc_ids)
            graph.rebuild(session, ctx.workspace_id, touched)
            path = row.storage_path
            catalogue.delete_resource(session, row)
            # before the commit: if the vector store fails, the rows stay and removing again
            # finishes the job; after it, a crash would leave points no row names any more
            index.delete_documents(ctx, doc_ids)
        if delete_file and path:
            Path(path).unlink(missing_ok=True)
        counts.records_processed = len(doc_ids)
        counts.details.append(
            f"removed resource {resource_id}: {len(doc_ids)} documents, {len(touched)} graph targets"
        )
    if slug:
        # records the removed file shared with its siblings (a month republished in the next
        # one, temas.csv without its processos.csv companion) come back from what remains
        process.run(ctx, ResourceFilter(dataset=slug), force=True)
    communities.run(ctx)
    return len(doc_ids)
