"""Graph queries for lists and counts: the typed query, the Portuguese parser, fuzzy names."""

from jurisgraph.engine.query.graphq.model import (
    Aggregate,
    DateField,
    Filters,
    GraphQuery,
    Relation,
)
from jurisgraph.engine.query.graphq.names import MinisterMatch, MinisterNames
from jurisgraph.engine.query.graphq.parse import Parsed, parse_question

__all__ = [
    "Aggregate",
    "DateField",
    "Filters",
    "GraphQuery",
    "MinisterMatch",
    "MinisterNames",
    "Parsed",
    "Relation",
    "parse_question",
]
