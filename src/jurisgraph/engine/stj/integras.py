"""Parser for the íntegras daily metadata files (``metadadosYYYYMMDD.json``).

Field names are normalised to the current spelling (``seqDocumento``, ``dataDistribuicao``,
``ministro``) whatever variant the file uses (2021: ``SeqDocumento``, ``dataDistribuição``,
``NM_MINISTRO``, ISO date strings). ``fields`` holds the normalised names with dates as ISO
strings, ``processo`` stripped and ``assuntos`` as a list of unique CNJ codes.
"""

from __future__ import annotations

import re
from typing import Any

import structlog

from jurisgraph.engine.stj.jsonarray import load_records
from jurisgraph.engine.stj.results import ParseResult, Skip
from jurisgraph.engine.stj.textenc import decode_bytes
from jurisgraph.engine.stj.values import clean_str, format_number, parse_date
from jurisgraph.engine.text import strip_accents
from jurisgraph.engine.types import DocumentMeta, SourceDocument

log = structlog.get_logger(__name__)

KIND = "integra"
#: ``meta.extra`` key set to True when the document's text is the íntegra's full text from its ZIP
FULL_TEXT = "full_text"
DATE_FIELDS = ("dataPublicacao", "dataRecebimento", "dataDistribuicao")
CANONICAL = (
    "seqDocumento",
    "dataPublicacao",
    "tipoDocumento",
    "numeroRegistro",
    "processo",
    "dataRecebimento",
    "dataDistribuicao",
    "ministro",
    "recurso",
    "teor",
    "descricaoMonocratica",
    "assuntos",
)
_ALIASES = {"nmministro": "ministro", "ministrorelator": "ministro", "seqdocumentos": "seqDocumento"}
_PROCESSO = re.compile(r"^(?P<classe>.*?)\s*(?P<numero>\d+)\s*$")


def _name_key(name: str) -> str:
    """A field name without accents, underscores, spaces or case: how old and new spellings meet."""
    return strip_accents(name, ascii_only=True).replace("_", "").replace(" ", "").lower()


_BY_FOLDED = {_name_key(name): name for name in CANONICAL} | _ALIASES


def canonical_name(name: str) -> str:
    """The current spelling of a metadata field name (unknown names are returned unchanged)."""
    return _BY_FOLDED.get(_name_key(name), name)


def split_assuntos(value: Any) -> list[str]:
    """``"6060;6060;5994"`` → ``["6060", "5994"]`` (order kept, repeats dropped)."""
    text = clean_str(value)
    if text is None:
        return []
    return list(dict.fromkeys(code.strip() for code in re.split(r"[;,]", text) if code.strip()))


def normalise_metadata(record: dict[str, Any]) -> dict[str, Any]:
    """Canonical field names and clean values (see the module docstring)."""
    fields: dict[str, Any] = {}
    for raw_name, value in record.items():
        name = canonical_name(raw_name)
        if name in DATE_FIELDS:
            day = parse_date(value)
            fields[name] = day.isoformat() if day else None
        elif name == "assuntos":
            fields[name] = split_assuntos(value)
        elif name == "seqDocumento":
            fields[name] = _seq(value)
        else:
            fields[name] = clean_str(value) if not isinstance(value, (int, float)) else value
    return fields


def _seq(value: Any) -> str | None:
    text = clean_str(value)
    if text is None:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    return text if text.isdigit() else None


def describe(fields: dict[str, Any]) -> str:
    """A short Portuguese description of one decision, built from its metadata."""
    processo = fields.get("processo") or "Processo sem número"
    tipo = str(fields.get("tipoDocumento") or "Documento")
    published = _dmy(fields)
    participle = "publicada" if tipo.upper().startswith("DECIS") else "publicado"
    sentences = [
        f"{tipo.capitalize()} no {processo}" + (f", {participle} em {published}." if published else ".")
    ]
    if fields.get("ministro"):
        sentences.append(f"Ministro: {fields['ministro']}.")
    if fields.get("recurso"):
        sentences.append(f"Recurso: {fields['recurso']}.")
    if fields.get("teor"):
        sentences.append(f"Teor: {fields['teor']}.")
    if fields.get("descricaoMonocratica"):
        sentences.append(f"Decisão: {str(fields['descricaoMonocratica']).rstrip('.')}.")
    return " ".join(sentences)


def _dmy(fields: dict[str, Any]) -> str | None:
    iso = fields.get("dataPublicacao")
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if isinstance(iso, str) and len(iso) == 10 else None


def build_integra(
    fields: dict[str, Any], *, source_name: str, source_url: str | None, text: str | None = None
) -> SourceDocument:
    """Metadata fields (already normalised, with ``seqDocumento``) → SourceDocument."""
    processo = clean_str(fields.get("processo"))
    match = _PROCESSO.match(processo) if processo else None
    classe = (match.group("classe") or None) if match else None
    tipo = clean_str(fields.get("tipoDocumento"))
    relator = clean_str(fields.get("ministro"))
    number = format_number(match.group("numero")) if match else None
    shown = f"{classe} {number}" if classe and number else processo or f"Documento {fields['seqDocumento']}"
    title = " — ".join(part for part in (shown, tipo, relator) if part)
    meta = DocumentMeta(
        processo=processo,
        classe=classe,
        numero_registro=clean_str(fields.get("numeroRegistro")),
        relator=relator,
        data_publicacao=parse_date(fields.get("dataPublicacao")),
        tipo=tipo,
        source_url=source_url,
        extra={
            "source_name": source_name,
            "seq_documento": fields["seqDocumento"],
            "assuntos": list(fields.get("assuntos") or []),
            "full_text": text is not None,
        },
    )
    return SourceDocument(
        key=f"{KIND}:{fields['seqDocumento']}",
        kind=KIND,
        title=title,
        text=text if text is not None else describe(fields),
        meta=meta,
        fields=fields,
    )


def merge_fields(first: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """Fold a repeated record into ``first``; return the names of the fields that differed.

    Real files repeat a ``seqDocumento`` when one acórdão has several outcomes (``teor``
    "Negando" and "Não Conhecendo"): differing texts are joined with ``"; "``, lists united.
    """
    differing = []
    for name, value in other.items():
        current = first.get(name)
        if value is None or value == current:
            continue
        differing.append(name)
        if current is None:
            first[name] = value
        elif isinstance(current, list) and isinstance(value, list):
            first[name] = list(dict.fromkeys([*current, *value]))
        elif isinstance(current, str) and isinstance(value, str):
            first[name] = "; ".join(dict.fromkeys([*current.split("; "), value]))
    return differing


def parse_integra_metadata(data: bytes, *, source_name: str, source_url: str | None = None) -> ParseResult:
    """Parse one daily metadata file; records without a numeric ``seqDocumento`` are skipped.

    A repeated ``seqDocumento`` is merged into its first record (see :func:`merge_fields`) and
    the repetition is listed in ``skipped``.
    """
    decoded = decode_bytes(data, "utf-8")
    records, json_errors = load_records(decoded.text)
    result = ParseResult(errors=[*decoded.errors, *json_errors], encoding=decoded.encoding)
    by_seq: dict[str, dict[str, Any]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            result.skipped.append(Skip(index, None, f"not a JSON object ({type(record).__name__})"))
            continue
        fields = normalise_metadata(record)
        seq = fields.get("seqDocumento")
        if not seq:
            result.skipped.append(Skip(index, None, "missing or non-numeric seqDocumento"))
            continue
        if seq in by_seq:
            differing = merge_fields(by_seq[seq], fields)
            detail = f" ({', '.join(differing)} merged)" if differing else " (identical)"
            result.skipped.append(
                Skip(index, seq, f"repeated seqDocumento folded into the first record{detail}")
            )
            continue
        by_seq[seq] = fields
    result.documents = [
        build_integra(fields, source_name=source_name, source_url=source_url) for fields in by_seq.values()
    ]
    if result.errors:
        log.warning("integras_file_problems", source=source_name, errors=[e.message for e in result.errors])
    return result
