"""Deterministic extraction: structured STJ fields and free-text rules → entities, relations, mentions."""

from jurisgraph.engine.extract.builder import ExtractionBuilder, Where, at, in_field
from jurisgraph.engine.extract.structured import extract_document, extract_text

__all__ = ["ExtractionBuilder", "Where", "at", "extract_document", "extract_text", "in_field"]
