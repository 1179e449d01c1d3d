"""Deterministic extraction of one document: structured fields first, then the free-text rules.

``extract_document`` reads ``doc.fields`` according to ``doc.kind`` (``espelho``,
``integra``, ``tema``, ``precedente_processo``; anything else only gets the text rules) and
returns entities, weighted relations and mentions. Facts from fields carry
``Mention.field``; facts from ``doc.text`` carry ``Mention.start/end``. Free-text fields that
are not part of ``doc.text`` (ementa, decisao, notas...; compared with white space collapsed,
since parsers may join hard line breaks) are scanned too, with field mentions.

Edges, by source:
* espelho: relator RELATOR_DE processo; processo JULGADO_POR órgão; turma PERTENCE_A seção;
  ministro PERTENCE_A órgão; voter VOTOU_EM processo; decisão DECIDIU processo; processo
  REFERENCIA artigo/lei/súmula; artigo PERTENCE_A lei; processo CITA_PRECEDENTE citado;
  citado TRATA_DE tema; processo SIMILAR_A similar; processo TRATA_DE tema; incidente
  PERTENCE_A processo principal.
* integra: relator RELATOR_DE processo; decisão DECIDIU processo; processo TRATA_DE assunto.
* tema: processo LEADING_CASE_DE tema (or TRATA_DE for the other affected processes);
  tema JULGADO_POR órgão; tema ORIGINOU_SUMULA / REFERENCIA súmula; tema REFERENCIA lei/artigo;
  tema TRATA_DE assunto; tema REFERENCIA tema STF (repercussão geral).
* text: subject REFERENCIA artigo/lei, APLICA súmula, TRATA_DE tema, CITA_PRECEDENTE processo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from jurisgraph.engine.extract import rules
from jurisgraph.engine.extract.builder import ExtractionBuilder, in_field
from jurisgraph.engine.extract.common import Subject, add_processo, text_field
from jurisgraph.engine.extract.espelho import extract_espelho
from jurisgraph.engine.extract.integra import extract_integra
from jurisgraph.engine.extract.tema import add_processo_row, extract_tema
from jurisgraph.engine.legal.processos import parse_processo
from jurisgraph.engine.legal.sumulas import tema_key
from jurisgraph.engine.text import squash
from jurisgraph.engine.types import Extraction, SourceDocument

_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "espelho": (
        "ementa",
        "decisao",
        "informacoesComplementares",
        "notas",
        "teseJuridica",
        "termosAuxiliares",
    ),
    "integra": ("descricaoMonocratica",),
    "tema": (
        "questaoSubmetidaAJulgamento",
        "teseFirmada",
        "anotacoesNUGEPNAC",
        "informacoesComplementares",
        "delimitacaoJulgado",
        "entendimentoAnterior",
    ),
}


def _precedente_processo(doc: SourceDocument, builder: ExtractionBuilder) -> Subject:
    fields = doc.fields
    number = text_field(fields, "numeroPrecedente")
    tema = (
        tema_key(int(number), "STJ", text_field(fields, "tipoPrecedente") or "Tema")
        if number and number.isdigit()
        else None
    )
    key = add_processo_row(builder, fields, tema, None)
    return Subject(key, {key} if key else set())


def _generic(doc: SourceDocument, builder: ExtractionBuilder) -> Subject:
    ref = parse_processo(doc.meta.processo or "")
    if ref is None:
        return Subject()
    key = add_processo(builder, ref, in_field("processo"))
    return Subject(key, {key, ref.main_key})


_EXTRACTORS: dict[str, Callable[[SourceDocument, ExtractionBuilder], Subject]] = {
    "espelho": extract_espelho,
    "integra": extract_integra,
    "tema": extract_tema,
    "precedente_processo": _precedente_processo,
}


def extract_document(doc: SourceDocument) -> Extraction:
    """Entities, relations (weights in (0, 1]) and mentions of one document; pure and deterministic."""
    builder = ExtractionBuilder()
    subject = _EXTRACTORS.get(doc.kind, _generic)(doc, builder)
    when = doc.meta.data_decisao or doc.meta.data_publicacao
    exclude = frozenset(subject.exclude)
    if doc.text:
        rules.apply_text_rules(builder, doc.text, subject=subject.key, exclude=exclude, reference_date=when)
    covered = squash(doc.text)
    for name in _TEXT_FIELDS.get(doc.kind, ()):
        value = text_field(doc.fields, name)
        if value and squash(value) not in covered:
            rules.apply_text_rules(
                builder,
                value,
                subject=subject.key,
                exclude=exclude,
                reference_date=when,
                offset=None,
                field=name,
            )
    return builder.build()


def extract_text(text: str, *, reference_date: date | None = None, subject: str | None = None) -> Extraction:
    """Text rules only (uploads, chunks, questions): entities, the links the text states and,
    with ``subject`` (the key of a node the caller owns, such as an uploaded document), the
    subject's edges to what the text cites.
    """
    builder = ExtractionBuilder(frozenset({subject}) if subject else frozenset())
    rules.apply_text_rules(
        builder,
        text,
        subject=subject,
        exclude=frozenset({subject} if subject else ()),
        reference_date=reference_date,
    )
    return builder.build()
