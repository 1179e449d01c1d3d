"""Structured extraction of an íntegra (decision metadata of the íntegras dataset)."""

from __future__ import annotations

from jurisgraph.engine.extract import rules
from jurisgraph.engine.extract.builder import ExtractionBuilder, in_field
from jurisgraph.engine.extract.common import (
    Subject,
    add_processo,
    add_relator,
    decisao_entity,
    list_field,
    orgao_of,
    parse_date,
    text_field,
)
from jurisgraph.engine.legal import entities
from jurisgraph.engine.legal.orgaos import assunto_codes
from jurisgraph.engine.legal.processos import format_registro, normalize_registro, parse_processo
from jurisgraph.engine.legal.votos import classify_resultado
from jurisgraph.engine.types import RelationType, SourceDocument


def extract_integra(doc: SourceDocument, builder: ExtractionBuilder) -> Subject:
    """Process, relator, decision (tipo, teor, recurso, resultado) and CNJ subjects."""
    fields = doc.fields
    ref = parse_processo(text_field(fields, "processo") or doc.meta.processo or "")
    if ref is None:
        return Subject()
    registro = normalize_registro(text_field(fields, "numeroRegistro") or doc.meta.numero_registro or "")
    own = add_processo(
        builder, ref, in_field("processo"), numero_registro=registro, registro=format_registro(registro or "")
    )
    orgao = orgao_of(doc.meta.orgao_julgador)
    relator = add_relator(
        builder, text_field(fields, "ministro") or doc.meta.relator, own, orgao, in_field("ministro")
    )
    subject = Subject(own, {own, ref.main_key}, orgao, relator.key if relator else None)

    tipo = text_field(fields, "tipoDocumento") or doc.meta.tipo or "DECISÃO"
    monocratica = tipo.upper().startswith("DECIS")
    descricao = text_field(fields, "descricaoMonocratica")
    teor = text_field(fields, "teor")
    recurso = text_field(fields, "recurso")
    when = doc.meta.data_publicacao or doc.meta.data_decisao or parse_date(fields.get("dataPublicacao"))
    label = "Decisão monocrática" if monocratica else tipo.capitalize()
    parts = [part for part in (recurso.capitalize() if recurso else None, descricao, teor) if part]
    description = (": ".join(parts[:2]) if parts else label) + "."
    entity = decisao_entity(
        doc,
        label,
        ref.name,
        when,
        description,
        {
            "tipo": tipo,
            "teor": teor,
            "recurso": recurso,
            "descricao": descricao,
            "resultado": classify_resultado(descricao) or classify_resultado(teor),
            "data": when.isoformat() if when else None,
            "seq_documento": text_field(fields, "seqDocumento"),
        },
    )
    builder.entity(entity, in_field("tipoDocumento"))
    builder.relate(
        entity.key,
        RelationType.DECIDIU,
        own,
        rules.STRUCTURED,
        entity.attributes.get("resultado") or "",
        in_field("tipoDocumento"),
    )
    for code in assunto_codes(list_field(fields, "assuntos")):
        key = builder.entity(entities.assunto_entity(code), in_field("assuntos"))
        builder.relate(own, RelationType.TRATA_DE, key, rules.STRUCTURED, "", in_field("assuntos"))
    return subject
