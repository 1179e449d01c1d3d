"""The GraphRAG query engine (pure): linking, mode choice, graph expansion ranking, context
numbering, extractive composition, LLM steps through the chat port, and the grounding check.

The service layer (``jurisgraph.ask``) reads the database and the vector store and hands the
engine plain values (:mod:`jurisgraph.engine.query.types`).
"""

from jurisgraph.engine.query.context import Citer, estimate_tokens, render_context, select_sources
from jurisgraph.engine.query.expand import GraphView, hop2_frontier, rank_facts
from jurisgraph.engine.query.extractive import (
    COMPOSER_VERSION,
    NOTE,
    NOTE_BUDGET,
    NOTE_FAILED,
    NOTHING,
    compose,
    pinpoint,
    report_source,
    supporting_lines,
)
from jurisgraph.engine.query.generate import CallLog, LlmCall, MapPoint
from jurisgraph.engine.query.global_ import ReportIndex, batches, map_calls, rank_reports
from jurisgraph.engine.query.grounding import check, cited_numbers
from jurisgraph.engine.query.linking import NameIndex, link
from jurisgraph.engine.query.modes import choose_mode
from jurisgraph.engine.query.sentences import Supporting, best_sentences, split_sentences
from jurisgraph.engine.query.types import (
    Citation,
    Fact,
    Grounding,
    LinkedEntity,
    Mode,
    Node,
    Report,
    Source,
    SourceKind,
)

__all__ = [
    "COMPOSER_VERSION",
    "NOTE",
    "NOTE_BUDGET",
    "NOTE_FAILED",
    "NOTHING",
    "CallLog",
    "Citation",
    "Citer",
    "Fact",
    "GraphView",
    "Grounding",
    "LinkedEntity",
    "LlmCall",
    "MapPoint",
    "Mode",
    "NameIndex",
    "Node",
    "Report",
    "ReportIndex",
    "Source",
    "SourceKind",
    "Supporting",
    "batches",
    "best_sentences",
    "check",
    "choose_mode",
    "cited_numbers",
    "compose",
    "estimate_tokens",
    "hop2_frontier",
    "link",
    "map_calls",
    "pinpoint",
    "rank_facts",
    "rank_reports",
    "render_context",
    "report_source",
    "select_sources",
    "split_sentences",
    "supporting_lines",
]
