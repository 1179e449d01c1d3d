"""Structured extraction of an espelho de acórdão (raw STJ field names in ``doc.fields``)."""

from __future__ import annotations

import re

from jurisgraph.engine.extract import rules
from jurisgraph.engine.extract.builder import ExtractionBuilder, in_field
from jurisgraph.engine.extract.common import (
    Subject,
    add_orgao,
    add_processo,
    add_relator,
    br_date,
    decisao_entity,
    list_field,
    orgao_of,
    parse_date,
    text_field,
)
from jurisgraph.engine.legal import entities
from jurisgraph.engine.legal.citacoes import parse_acordao_similar, parse_jurisprudencia_citada
from jurisgraph.engine.legal.normas import norma
from jurisgraph.engine.legal.orgaos import OrgaoRef
from jurisgraph.engine.legal.processos import format_registro, make_ref, normalize_registro, parse_processo
from jurisgraph.engine.legal.referencias import parse_referencia
from jurisgraph.engine.legal.sumulas import tema_key
from jurisgraph.engine.legal.votos import VOTING_ROLES, parse_votos, resumo_decisao
from jurisgraph.engine.types import RelationType, SourceDocument

_TEMA_NUMBER = re.compile(r"\d{1,2}\.\d{3}|\d+")


def extract_espelho(doc: SourceDocument, builder: ExtractionBuilder) -> Subject:
    """Process, relator, órgão, votes, decision, laws, súmulas, citations, similar acórdãos, temas."""
    fields = doc.fields
    ref = make_ref(text_field(fields, "siglaClasse") or "", text_field(fields, "numeroProcesso") or "0")
    meta_ref = parse_processo(doc.meta.processo or "")
    if ref is None:
        ref = meta_ref
    elif meta_ref is not None and meta_ref.numero == ref.numero:
        ref = ref.with_uf(meta_ref.uf)
    if ref is None:
        return Subject()
    decided = doc.meta.data_decisao or parse_date(fields.get("dataDecisao"))
    orgao = orgao_of(text_field(fields, "nomeOrgaoJulgador"), doc.meta.orgao_julgador)
    registro = normalize_registro(text_field(fields, "numeroRegistro") or doc.meta.numero_registro or "")
    classe_desc = text_field(fields, "descricaoClasse")
    description = (
        f"{(classe_desc or ref.classe).capitalize()} julgado pela {orgao.exibicao if orgao else 'STJ'}"
        f"{' em ' + br_date(decided) if decided else ''}."
    )
    own = add_processo(
        builder,
        ref,
        in_field("numeroProcesso"),
        description=description,
        numero_registro=registro,
        registro=format_registro(registro or ""),
        descricao_classe=classe_desc,
        espelho_id=text_field(fields, "id"),
        data_decisao=decided.isoformat() if decided else None,
    )
    subject = Subject(own, {own, ref.main_key}, orgao)
    if orgao is not None:
        add_orgao(builder, orgao, in_field("nomeOrgaoJulgador"))
        builder.relate(
            own, RelationType.JULGADO_POR, orgao.key, rules.STRUCTURED, "", in_field("nomeOrgaoJulgador")
        )
    relator = add_relator(
        builder,
        text_field(fields, "ministroRelator") or doc.meta.relator,
        own,
        orgao,
        in_field("ministroRelator"),
    )
    subject.relator = relator.key if relator else None
    _votes(builder, text_field(fields, "decisao"), subject)
    _decision(doc, builder, own, ref.name, subject)
    _legislation(builder, list_field(fields, "referenciasLegislativas"), own)
    _citations(builder, text_field(fields, "jurisprudenciaCitada"), own)
    _similar(builder, list_field(fields, "acordaosSimilares"), own)
    _temas(builder, fields.get("tema"), doc.meta.temas, text_field(fields, "teseJuridica"), own)
    return subject


def _votes(builder: ExtractionBuilder, decisao: str | None, subject: Subject) -> None:
    where = in_field("decisao")
    for vote in parse_votos(decisao):
        key = builder.entity(vote.mention.entity, where)
        if vote.papel in VOTING_ROLES and key != subject.relator and subject.key:
            builder.relate(
                key, RelationType.VOTOU_EM, subject.key, rules.VOTE, vote.papel.replace("_", " "), where
            )
        if vote.papel in VOTING_ROLES | {"presidente"} and subject.orgao is not None:
            builder.relate(key, RelationType.PERTENCE_A, subject.orgao.key, rules.MEMBERSHIP, "", where)


def _decision(doc: SourceDocument, builder: ExtractionBuilder, own: str, name: str, subject: Subject) -> None:
    fields = doc.fields
    decisao = text_field(fields, "decisao")
    tipo = text_field(fields, "tipoDeDecisao") or "ACÓRDÃO"
    resumo = resumo_decisao(decisao)
    when = doc.meta.data_decisao or parse_date(fields.get("dataDecisao"))
    votacao = f"Por {resumo.votacao}, " if resumo.votacao else ""
    text = f"{votacao}{resumo.dispositivo}." if resumo.dispositivo else (decisao or "")[:300]
    orgao: OrgaoRef | None = subject.orgao
    entity = decisao_entity(
        doc,
        tipo.capitalize(),
        name,
        when,
        text[:1].upper() + text[1:],
        {
            "tipo": tipo,
            "data": when.isoformat() if when else None,
            "votacao": resumo.votacao,
            "resultado": resumo.resultado,
            "orgao": orgao.key if orgao else None,
        },
    )
    builder.entity(entity, in_field("decisao" if decisao else "tipoDeDecisao"))
    builder.relate(
        entity.key,
        RelationType.DECIDIU,
        own,
        rules.STRUCTURED,
        resumo.resultado or "",
        in_field("decisao" if decisao else "tipoDeDecisao"),
    )


def _legislation(builder: ExtractionBuilder, items: list[str], own: str) -> None:
    where = in_field("referenciasLegislativas")
    for raw in items:
        ref = parse_referencia(raw)
        if ref is None:
            continue
        for key in ref.sumulas:
            builder.entity(entities.sumula_entity(key), where)
            builder.relate(own, RelationType.REFERENCIA, key, rules.STRUCTURED, "", where)
        if ref.law_key is None:
            continue
        law = builder.entity(entities.law_entity(ref.law_key), where)
        if not ref.artigos:
            builder.relate(own, RelationType.REFERENCIA, law, rules.STRUCTURED, "", where)
        label = norma(ref.law_key)
        for article in ref.artigos:
            node = entities.article_entity(ref.law_key, article.numero, article.suffix)
            builder.entity(node, where)
            builder.relate(
                own, RelationType.REFERENCIA, node.key, rules.STRUCTURED, label.cite(article), where
            )
            builder.relate(node.key, RelationType.PERTENCE_A, law, rules.STRUCTURED, "", where)


def _citations(builder: ExtractionBuilder, text: str | None, own: str) -> None:
    where = in_field("jurisprudenciaCitada")
    for cited in parse_jurisprudencia_citada(text):
        key = add_processo(builder, cited.ref, where, repetitivo=cited.repetitivo or None)
        builder.relate(own, RelationType.CITA_PRECEDENTE, key, rules.CITED, cited.topic or "", where)
        for number in cited.temas:
            tema = builder.entity(entities.tema_entity(f"tema:{number}"), where)
            builder.relate(key, RelationType.TRATA_DE, tema, rules.STRUCTURED, cited.note or "", where)


def _similar(builder: ExtractionBuilder, items: list[str], own: str) -> None:
    where = in_field("acordaosSimilares")
    for raw in items:
        similar = parse_acordao_similar(raw)
        if similar is None:
            continue
        key = add_processo(
            builder,
            similar.ref,
            where,
            numero_registro=similar.numero_registro,
            data_decisao=similar.data_decisao.isoformat() if similar.data_decisao else None,
        )
        builder.relate(own, RelationType.SIMILAR_A, key, rules.SIMILAR, "", where)


def _temas(
    builder: ExtractionBuilder, raw: object, meta_temas: tuple[int, ...], tese: str | None, own: str
) -> None:
    numbers: list[int] = []
    values = raw if isinstance(raw, list | tuple) else [raw]
    for value in values:
        numbers += [int(n.replace(".", "")) for n in _TEMA_NUMBER.findall(str(value or ""))]
    numbers += [n for n in meta_temas if n not in numbers]
    where = in_field("tema")
    for number in dict.fromkeys(n for n in numbers if n > 0):
        key = tema_key(number) or f"tema:{number}"
        description = tese if tese and len(set(numbers)) == 1 else ""
        builder.entity(entities.tema_entity(key, description=description), where)
        builder.relate(own, RelationType.TRATA_DE, key, rules.STRUCTURED, "", where)
