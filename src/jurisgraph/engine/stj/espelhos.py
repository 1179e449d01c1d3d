"""Parser for the espelhos de acórdãos (monthly JSON arrays of the ten órgãos julgadores)."""

from __future__ import annotations

import re
from typing import Any

import structlog

from jurisgraph.engine.stj.jsonarray import load_records
from jurisgraph.engine.stj.results import FileError, ParseResult, Skip, dedupe_documents
from jurisgraph.engine.stj.textenc import decode_bytes
from jurisgraph.engine.stj.values import (
    as_str_list,
    clean,
    clean_str,
    format_number,
    parse_date,
    publication_dates,
    unwrap,
)
from jurisgraph.engine.stj.zips import DEFAULT_MAX_TOTAL_BYTES, ZipReport, iter_members
from jurisgraph.engine.types import DocumentMeta, SourceDocument

log = structlog.get_logger(__name__)

KIND = "espelho"
LIST_FIELDS = ("referenciasLegislativas", "acordaosSimilares")
TEXT_SECTIONS = (
    ("ementa", "Ementa", True),
    ("decisao", "Decisão", True),
    ("teseJuridica", "Tese jurídica", True),
    ("informacoesComplementares", "Informações complementares", True),
    ("jurisprudenciaCitada", "Jurisprudência citada", False),
    ("notas", "Notas", True),
)
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")
_JSON_MEMBER = re.compile(r"\.json$", re.IGNORECASE)


def parse_temas(value: Any) -> tuple[int, ...]:
    """Tema numbers in a ``tema`` field ("1076", "1.076", "TEMA(s) 1076, 1077"), in order, unique."""
    text = clean_str(value)
    if text is None:
        return ()
    numbers = (int(found.replace(".", "")) for found in _NUMBER.findall(text))
    return tuple(dict.fromkeys(n for n in numbers if n > 0))


def normalise_fields(record: dict[str, Any]) -> dict[str, Any]:
    """Raw field names kept; placeholders → None; list fields always ``list[str]``."""
    fields: dict[str, Any] = {}
    for name, value in record.items():
        if name in LIST_FIELDS:
            fields[name] = as_str_list(value)
        elif isinstance(value, str):
            fields[name] = clean(value)
        elif isinstance(value, (list, tuple)):
            fields[name] = as_str_list(value)
        else:
            fields[name] = clean(value)
    for name in LIST_FIELDS:
        fields.setdefault(name, [])
    return fields


def _block(text: str, *, prose: bool) -> str:
    if prose:
        return unwrap(text)
    lines = (line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line.strip())


def compose_text(title: str, fields: dict[str, Any], meta: DocumentMeta) -> str:
    """Readable text of one espelho: a heading line, then labelled sections."""
    facts = []
    if meta.relator:
        facts.append(f"Relator: {meta.relator}.")
    if meta.data_decisao:
        facts.append(f"Julgado em {meta.data_decisao:%d/%m/%Y}.")
    if meta.data_publicacao:
        facts.append(f"Publicado em {meta.data_publicacao:%d/%m/%Y}.")
    parts = [title + ("\n" + " ".join(facts) if facts else "")]
    for name, label, prose in TEXT_SECTIONS:
        value = clean_str(fields.get(name))
        if value:
            parts.append(f"{label}:\n{_block(value, prose=prose)}")
    return "\n\n".join(parts)


def espelho_title(classe: str | None, numero: str | None, orgao: str | None, record_id: str) -> str:
    """``REsp 1.872.357 — PRIMEIRA TURMA`` (local formatter; no UF: the espelho has none)."""
    head = " ".join(part for part in (classe, format_number(numero) if numero else None) if part)
    head = head or f"Espelho {record_id}"
    return f"{head} — {orgao}" if orgao else head


def build_espelho(record: dict[str, Any], *, source_name: str, source_url: str | None) -> SourceDocument:
    """One espelho record (raw STJ schema) → SourceDocument; the caller checked ``id``."""
    fields = normalise_fields(record)
    record_id = str(clean_str(fields.get("id")))
    classe = clean_str(fields.get("siglaClasse"))
    numero = clean_str(fields.get("numeroProcesso"))
    orgao = clean_str(fields.get("nomeOrgaoJulgador"))
    published = publication_dates(fields.get("dataPublicacao"))
    meta = DocumentMeta(
        processo=f"{classe} {numero}" if classe and numero else None,
        classe=classe,
        numero_registro=clean_str(fields.get("numeroRegistro")),
        relator=clean_str(fields.get("ministroRelator")),
        orgao_julgador=orgao,
        data_decisao=parse_date(fields.get("dataDecisao")),
        data_publicacao=published[0] if published else None,
        temas=parse_temas(fields.get("tema")),
        tipo=clean_str(fields.get("tipoDeDecisao")),
        source_url=source_url,
        extra={
            "source_name": source_name,
            "descricao_classe": clean_str(fields.get("descricaoClasse")),
            "datas_publicacao": [item.isoformat() for item in published],
        },
    )
    title = espelho_title(classe, numero, orgao, record_id)
    return SourceDocument(
        key=f"{KIND}:{record_id}",
        kind=KIND,
        title=title,
        text=compose_text(title, fields, meta),
        meta=meta,
        fields=fields,
    )


def parse_espelhos(data: bytes, *, source_name: str, source_url: str | None = None) -> ParseResult:
    """Parse one monthly espelhos file (JSON array, UTF-8).

    Records without an ``id`` or that are not objects are skipped with a reason; duplicates
    within the file keep the last one (see :func:`dedupe_documents` across files).
    """
    decoded = decode_bytes(data, "utf-8")
    records, json_errors = load_records(decoded.text)
    result = ParseResult(errors=[*decoded.errors, *json_errors], encoding=decoded.encoding)
    position: dict[str, int] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            result.skipped.append(Skip(index, None, f"not a JSON object ({type(record).__name__})"))
            continue
        record_id = clean_str(record.get("id"))
        if record_id is None:
            result.skipped.append(Skip(index, None, "empty id"))
            continue
        try:
            document = build_espelho(record, source_name=source_name, source_url=source_url)
        except (TypeError, ValueError, AttributeError) as exc:
            result.skipped.append(Skip(index, record_id, f"unreadable record: {exc}"))
            continue
        if record_id in position:
            earlier = position[record_id]
            result.skipped.append(Skip(earlier, record_id, "duplicate id in file; the later record is kept"))
            result.documents[earlier] = document
            continue
        position[record_id] = len(result.documents)
        result.documents.append(document)
    if result.errors:
        log.warning("espelhos_file_problems", source=source_name, errors=[e.message for e in result.errors])
    return result


def parse_espelhos_zip(
    zip_bytes: bytes,
    *,
    source_name: str,
    source_url: str | None = None,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
) -> ParseResult:
    """Parse the historical ZIP of an espelhos dataset: every ``*.json`` member, deduped by id.

    Members are read in archive order and the last record of an id wins. Skips and errors of a
    member carry its name in their reason or message.
    """
    report = ZipReport()
    result = ParseResult(encoding="utf-8")
    documents: list[SourceDocument] = []
    for _index, name, data in iter_members(zip_bytes, _JSON_MEMBER, report, max_total_bytes=max_total_bytes):
        part = parse_espelhos(data, source_name=f"{source_name}!{name}", source_url=source_url)
        documents.extend(part.documents)
        result.skipped.extend(Skip(s.index, s.record_id, f"{name}: {s.reason}") for s in part.skipped)
        result.errors.extend(FileError(e.code, f"{name}: {e.message}") for e in part.errors)
    result.documents = dedupe_documents(documents)
    result.skipped.extend(report.skipped)
    result.errors.extend(report.errors)
    return result
