"""Parsers for the STJ open-data records: espelhos, íntegras, precedentes qualificados.

Every parser is a pure function over bytes returning a :class:`ParseResult`: the documents,
the records skipped (with a reason) and file-level errors. A bad record never aborts a file;
a broken file still yields every record that can be recovered.
"""

from jurisgraph.engine.stj.dispatch import (
    COMPANION_KINDS,
    ResourceKind,
    guess_kind,
    parse_path,
    parse_resource,
    resource_date,
)
from jurisgraph.engine.stj.espelhos import parse_espelhos, parse_espelhos_zip
from jurisgraph.engine.stj.integra_texts import AttachResult, attach_integra_texts, read_integra_texts
from jurisgraph.engine.stj.integras import parse_integra_metadata
from jurisgraph.engine.stj.precedentes import parse_precedentes, tema_key
from jurisgraph.engine.stj.results import FileError, ParseResult, Skip, dedupe_documents
from jurisgraph.engine.stj.textenc import Decoded, decode_bytes

__all__ = [
    "COMPANION_KINDS",
    "AttachResult",
    "Decoded",
    "FileError",
    "ParseResult",
    "ResourceKind",
    "Skip",
    "attach_integra_texts",
    "decode_bytes",
    "dedupe_documents",
    "guess_kind",
    "parse_espelhos",
    "parse_espelhos_zip",
    "parse_integra_metadata",
    "parse_path",
    "parse_precedentes",
    "parse_resource",
    "read_integra_texts",
    "resource_date",
    "tema_key",
]
