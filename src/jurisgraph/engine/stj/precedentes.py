"""Parser for the precedentes qualificados (``temas.csv`` joined with ``processos.csv``).

One document per precedente (Tema repetitivo, Controvérsia, IAC, PUIL, SIRDR), keyed
``tema:<numero>`` for temas repetitivos (the number lawyers cite, "Tema 1.076/STJ") and
``tema:<tipo>_<numero>`` for the other kinds (``tema:controversia_75``, ``tema:iac_14``).
``temas.csv`` repeats a precedente once per related STF repercussão geral; those rows are
merged and the pairs listed in ``fields["repercussoesGerais"]``.
"""

from __future__ import annotations

import re
from typing import Any

import structlog

from jurisgraph.engine.stj.csvfile import read_csv
from jurisgraph.engine.stj.results import FileError, ParseResult, Skip
from jurisgraph.engine.stj.values import parse_date
from jurisgraph.engine.text import strip_accents
from jurisgraph.engine.types import DocumentMeta, SourceDocument

log = structlog.get_logger(__name__)

KIND = "tema"
REPETITIVO = "Tema"
ORGAOS = {
    "CE": "CORTE ESPECIAL",
    "S1": "PRIMEIRA SEÇÃO",
    "S2": "SEGUNDA SEÇÃO",
    "S3": "TERCEIRA SEÇÃO",
    "T1": "PRIMEIRA TURMA",
    "T2": "SEGUNDA TURMA",
    "T3": "TERCEIRA TURMA",
    "T4": "QUARTA TURMA",
    "T5": "QUINTA TURMA",
    "T6": "SEXTA TURMA",
}
REQUIRED = ("sequencialPrecedente", "tipoPrecedente", "numeroPrecedente")
_RG_COLUMNS = ("numeroRepercussaoGeralSTF", "descricaoRepercussaoGeral")
_CLASSE = re.compile(r"^(.*?)\s*\d+\s*$")


def tema_key(tipo: str, numero: int) -> str:
    """``tema:1076`` for a Tema repetitivo, ``tema:controversia_75`` for other kinds."""
    if tipo == REPETITIVO:
        return f"{KIND}:{numero}"
    slug = strip_accents(tipo, ascii_only=True).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", slug).strip("_") or "precedente"
    return f"{KIND}:{slug}_{numero}"


def _label(tipo: str, numero: int, orgao: str | None) -> str:
    head = f"{tipo} {numero}/STJ"
    return f"{head} — {orgao}" if orgao else head


def _block(value: str | None) -> str | None:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if value else None


def compose_text(title: str, row: dict[str, Any], leading: list[dict[str, Any]]) -> str:
    """Readable text: heading, situação, question submitted, thesis, delimitation, leading cases."""
    facts = []
    if row.get("situacao"):
        facts.append(f"Situação: {row['situacao']}.")
    judged = parse_date(row.get("dataJulgamento"))
    if judged:
        facts.append(f"Julgado em {judged:%d/%m/%Y}.")
    parts = [title + ("\n" + " ".join(facts) if facts else "")]
    for column, label in (
        ("questaoSubmetidaAJulgamento", "Questão submetida a julgamento"),
        ("teseFirmada", "Tese firmada"),
        ("delimitacaoJulgado", "Delimitação do julgado"),
    ):
        block = _block(row.get(column))
        if block:
            parts.append(f"{label}:\n{block}")
    cases = []
    for case in leading:
        relator = case.get("ministroRelator") or case.get("NOME_MINISTRO_AFETACAO")
        cases.append(f"{case['Processo']}" + (f" (relator {relator})" if relator else ""))
    if cases:
        parts.append(("Leading case: " if len(cases) == 1 else "Leading cases: ") + "; ".join(cases) + ".")
    return "\n\n".join(parts)


def _build(
    seq: str,
    row: dict[str, Any],
    processos: list[dict[str, Any]],
    repercussoes: list[dict[str, str | None]],
    *,
    source_name: str,
    source_url: str | None,
) -> SourceDocument:
    tipo = str(row["tipoPrecedente"])
    numero = int(str(row["numeroPrecedente"]))
    code = row.get("orgaoJulgador")
    orgao = ORGAOS.get(code, code) if code else None
    leading = [case for case in processos if case.get("leadingCase") == "S" and case.get("Processo")]
    lead = leading[0] if leading else None
    processo = lead.get("Processo") if lead else None
    match = _CLASSE.match(processo) if processo else None
    title = _label(tipo, numero, orgao)
    fields = {**row, "processos": processos, "repercussoesGerais": repercussoes}
    meta = DocumentMeta(
        processo=processo,
        classe=(match.group(1) or None) if match else None,
        numero_registro=lead.get("numeroRegistro") if lead else None,
        relator=(lead.get("ministroRelator") or lead.get("NOME_MINISTRO_AFETACAO")) if lead else None,
        orgao_julgador=orgao,
        data_decisao=parse_date(row.get("dataJulgamento")),
        data_publicacao=parse_date(row.get("dataPublicacaoAcordao")),
        temas=(numero,) if tipo == REPETITIVO else (),
        tipo=tipo.upper(),
        source_url=source_url,
        extra={
            "source_name": source_name,
            "sequencial": seq,
            "tipo_precedente": tipo,
            "numero": numero,
            "situacao": row.get("situacao"),
            "leading_cases": [case["Processo"] for case in leading],
        },
    )
    return SourceDocument(
        key=tema_key(tipo, numero),
        kind=KIND,
        title=title,
        text=compose_text(title, row, leading),
        meta=meta,
        fields=fields,
    )


def _group_processos(data: bytes | None, result: ParseResult) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    if data is None:
        return grouped
    table = read_csv(data, name="processos.csv")
    result.errors.extend(FileError(e.code, f"processos.csv: {e.message}") for e in table.errors)
    result.skipped.extend(table.skipped)
    for index, row in table.rows:
        seq = row.get("sequencialPrecedente")
        if not seq:
            what = " ".join(filter(None, (row.get("tipoPrecedente"), row.get("numeroPrecedente"))))
            result.skipped.append(Skip(index, what or None, "processos.csv row without sequencialPrecedente"))
            continue
        grouped.setdefault(seq, []).append(row)
    return grouped


def parse_precedentes(
    temas: bytes,
    processos: bytes | None = None,
    *,
    source_name: str,
    source_url: str | None = None,
) -> ParseResult:
    """Parse ``temas.csv`` (and join ``processos.csv`` on ``sequencialPrecedente`` when given).

    Skipped: temas rows without a sequencial or a numeric number, a (tipo, número) already
    used by another sequencial, and processos rows that match no tema.
    """
    table = read_csv(temas, name="temas.csv")
    result = ParseResult(errors=list(table.errors), skipped=list(table.skipped), encoding=table.encoding)
    absent = [column for column in REQUIRED if column not in table.columns]
    if absent and table.columns:
        result.errors.append(FileError("missing_columns", f"temas.csv lacks column(s) {', '.join(absent)}"))
        return result
    by_processo = _group_processos(processos, result)
    rows: dict[str, dict[str, Any]] = {}
    repercussoes: dict[str, list[dict[str, str | None]]] = {}
    owner: dict[str, str] = {}
    for index, row in table.rows:
        seq, tipo, numero = (row.get(column) for column in REQUIRED)
        # isdigit() alone admits "²" and other digits int() refuses
        if not seq or not tipo or not numero or not (numero.isascii() and numero.isdigit()):
            result.skipped.append(
                Skip(index, seq, "temas.csv row without sequencial, tipo or numeric número")
            )
            continue
        pair = {"numero": row.get(_RG_COLUMNS[0]), "descricao": row.get(_RG_COLUMNS[1])}
        if seq in rows:
            if pair["numero"] and pair not in repercussoes[seq]:
                repercussoes[seq].append(pair)
            continue
        key = tema_key(tipo, int(numero))
        if owner.setdefault(key, seq) != seq:
            result.skipped.append(Skip(index, seq, f"{key} already defined by sequencial {owner[key]}"))
            continue
        rows[seq] = row
        repercussoes[seq] = [pair] if pair["numero"] else []
    for seq, row in rows.items():
        result.documents.append(
            _build(
                seq,
                row,
                by_processo.pop(seq, []),
                repercussoes[seq],
                source_name=source_name,
                source_url=source_url,
            )
        )
    for seq, orphans in by_processo.items():
        result.skipped.append(Skip(-1, seq, f"{len(orphans)} processos.csv row(s) match no tema"))
    if result.errors:
        log.warning(
            "precedentes_file_problems", source=source_name, errors=[e.message for e in result.errors]
        )
    return result
