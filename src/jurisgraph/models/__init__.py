"""SQLAlchemy models: importing this package registers every table on ``Base.metadata``."""

from jurisgraph.models.accounts import ApiKey, User, Workspace
from jurisgraph.models.base import Base, utcnow
from jurisgraph.models.catalog import Dataset, Resource
from jurisgraph.models.documents import Chunk, Document
from jurisgraph.models.graph import Community, EntitySummary, GraphEdge, GraphNode, Mention
from jurisgraph.models.ops import ExtractionLog, Job, LlmCall, RagQuery
from jurisgraph.models.vectors import EmbeddingCacheEntry

__all__ = [
    "ApiKey",
    "Base",
    "Chunk",
    "Community",
    "Dataset",
    "Document",
    "EmbeddingCacheEntry",
    "EntitySummary",
    "ExtractionLog",
    "GraphEdge",
    "GraphNode",
    "Job",
    "LlmCall",
    "Mention",
    "RagQuery",
    "Resource",
    "User",
    "Workspace",
    "utcnow",
]
