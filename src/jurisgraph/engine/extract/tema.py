"""Structured extraction of a qualified precedent (a ``temas.csv`` row and its ``processos.csv`` rows)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jurisgraph.engine.extract import rules
from jurisgraph.engine.extract.builder import ExtractionBuilder, in_field
from jurisgraph.engine.extract.common import (
    Subject,
    add_orgao,
    add_processo,
    add_relator,
    field_where,
    orgao_of,
    parse_date,
    text_field,
)
from jurisgraph.engine.legal import entities
from jurisgraph.engine.legal.orgaos import OrgaoRef
from jurisgraph.engine.legal.processos import format_registro, normalize_registro, parse_processo
from jurisgraph.engine.legal.sumulas import sumula_key, tema_key
from jurisgraph.engine.types import RelationType, SourceDocument

_ASSUNTO = re.compile(r"(\d+)\s*-\s*([^,]+)")
_NUMBER = re.compile(r"\d+")
AFETADO = 0.8


def _iso(value: object) -> str | None:
    day = parse_date(value) if value else None
    return day.isoformat() if day else None


def extract_tema(doc: SourceDocument, builder: ExtractionBuilder) -> Subject:
    """Tema (thesis as description), órgão, processes (leading cases), relators, súmulas, laws, subjects."""
    fields = doc.fields
    number = text_field(fields, "numeroPrecedente", "numero")
    tipo = text_field(fields, "tipoPrecedente") or "Tema"
    key = tema_key(int(number), "STJ", tipo) if number and number.isdigit() else None
    if key is None:
        return Subject()
    tese = text_field(fields, "teseFirmada", "tese")
    questao = text_field(fields, "questaoSubmetidaAJulgamento")
    orgao = orgao_of(text_field(fields, "orgaoJulgador"), doc.meta.orgao_julgador)
    builder.entity(
        entities.tema_entity(
            key,
            description=tese or questao or "",
            tipo=tipo,
            numero=int(number or 0),
            situacao=text_field(fields, "situacao"),
            questao=questao if tese else None,
            orgao=orgao.key if orgao else None,
            data_afetacao=_iso(fields.get("dataPrimeiraAfetacao")),
            data_julgamento=_iso(fields.get("dataJulgamento")),
            sequencial=text_field(fields, "sequencialPrecedente"),
            repercussao_geral_stf=text_field(fields, "numeroRepercussaoGeralSTF"),
        ),
        in_field("numeroPrecedente"),
    )
    subject = Subject(key, {key}, orgao)
    if orgao is not None:
        add_orgao(builder, orgao, in_field("orgaoJulgador"))
        builder.relate(
            key, RelationType.JULGADO_POR, orgao.key, rules.STRUCTURED, "", in_field("orgaoJulgador")
        )
    for row in fields.get("processos") or []:
        case = add_processo_row(builder, row, key, orgao)
        if case:
            subject.exclude.add(case)
    _sumulas(
        builder, key, text_field(fields, "sumulaOriginada"), RelationType.ORIGINOU_SUMULA, "sumulaOriginada"
    )
    _sumulas(
        builder, key, text_field(fields, "referenciaSumular"), RelationType.REFERENCIA, "referenciaSumular"
    )
    legislacao = text_field(fields, "referenciaLegislativa")
    if legislacao:
        offset, _ = field_where(doc, "referenciaLegislativa", legislacao)
        rules.apply_text_rules(
            builder,
            legislacao,
            subject=key,
            exclude=frozenset({key}),
            offset=offset,
            field="referenciaLegislativa",
            structured=True,
        )
    for code, name in _ASSUNTO.findall(text_field(fields, "Assuntos", "assuntos") or ""):
        node = builder.entity(entities.assunto_entity(str(int(code)), name.strip()), in_field("Assuntos"))
        builder.relate(key, RelationType.TRATA_DE, node, rules.STRUCTURED, "", in_field("Assuntos"))
    pairs = [dict(item) for item in fields.get("repercussoesGerais") or [] if isinstance(item, Mapping)]
    pairs.append(
        {
            "numeroRepercussaoGeralSTF": fields.get("numeroRepercussaoGeralSTF"),
            "descricaoRepercussaoGeral": fields.get("descricaoRepercussaoGeral"),
        }
    )
    for pair in pairs:
        _repercussao(
            builder,
            key,
            text_field(pair, "numeroRepercussaoGeralSTF"),
            text_field(pair, "descricaoRepercussaoGeral"),
        )
    return subject


def _repercussao(builder: ExtractionBuilder, tema: str, number: str | None, description: str | None) -> None:
    if not number or not number.isdigit():
        return
    where = in_field("numeroRepercussaoGeralSTF")
    stf = tema_key(int(number), "STF") or f"tema:stf_{number}"
    builder.entity(entities.tema_entity(stf, description=description or ""), where)
    builder.relate(tema, RelationType.REFERENCIA, stf, rules.CITED, "repercussão geral correlata", where)


def add_processo_row(
    builder: ExtractionBuilder, row: Mapping[str, Any], tema: str | None, orgao: OrgaoRef | None
) -> str | None:
    """One ``processos.csv`` row: the process, its relator and its link to the tema."""
    where = in_field("processos")
    ref = parse_processo(str(row.get("Processo") or row.get("processo") or ""))
    if ref is None:
        return None
    ref = ref.with_uf(str(row.get("origemUF") or "").strip())
    leading = str(row.get("leadingCase") or "").strip().upper() == "S"
    desafetado = bool(str(row.get("Desafeta__o") or row.get("Desafetação") or "").strip())
    registro = normalize_registro(str(row.get("numeroRegistro") or ""))
    own = add_processo(
        builder,
        ref,
        where,
        numero_registro=registro,
        registro=format_registro(registro or ""),
        tribunal_origem=str(row.get("siglaTribunalOrigem") or "").strip() or None,
        leading_case=leading or None,
        data_julgamento=_iso(row.get("dataJulgamento")),
        desafetado=desafetado or None,
    )
    if tema:
        if leading:
            builder.relate(own, RelationType.LEADING_CASE_DE, tema, rules.STRUCTURED, "leading case", where)
        else:
            weight = rules.WEAK if desafetado else AFETADO
            builder.relate(
                own, RelationType.TRATA_DE, tema, weight, "desafetado" if desafetado else "afetado", where
            )
    if orgao is not None and leading:
        builder.relate(own, RelationType.JULGADO_POR, orgao.key, rules.STRUCTURED, "", where)
    add_relator(builder, str(row.get("ministroRelator") or ""), own, orgao, where)
    return own


def _sumulas(
    builder: ExtractionBuilder, tema: str, value: str | None, type_: RelationType, field: str
) -> None:
    if not value:
        return
    court = "STF" if "STF" in value.upper() else "STJ"
    for number in _NUMBER.findall(value):
        key = builder.entity(entities.sumula_entity(sumula_key(int(number), court)), in_field(field))
        builder.relate(tema, type_, key, rules.STRUCTURED, "", in_field(field))
