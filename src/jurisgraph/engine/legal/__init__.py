"""Deterministic legal rules: canonical keys, display names and free-text citation finding.

Reference tables (classes, ministers, órgãos, norms, súmulas, CNJ subjects) are bundled in
``jurisgraph.engine.legal.data`` and loaded lazily on first use.
"""

from jurisgraph.engine.legal.citacoes import (
    CitedPrecedent,
    SimilarAcordao,
    parse_acordao_similar,
    parse_jurisprudencia_citada,
)
from jurisgraph.engine.legal.mentions import find_mentions, scan_text
from jurisgraph.engine.legal.ministros import MinistroRef, ministro_key, parse_ministro
from jurisgraph.engine.legal.normas import ArticleRef, Norma, article_key, law_key_for, norma
from jurisgraph.engine.legal.orgaos import OrgaoRef, assunto_keys, orgao_key, parse_orgao
from jurisgraph.engine.legal.processos import (
    ProcessoRef,
    format_registro,
    normalize_class,
    parse_processo,
    processo_key,
    registro_key,
)
from jurisgraph.engine.legal.referencias import ReferenciaLegislativa, parse_referencia
from jurisgraph.engine.legal.sumulas import sumula_key, sumula_name, tema_key, tema_name
from jurisgraph.engine.legal.types import TextLink, TextMention, TextScan
from jurisgraph.engine.legal.votos import Resumo, Voto, parse_votos, resumo_decisao

__all__ = [
    "ArticleRef",
    "CitedPrecedent",
    "MinistroRef",
    "Norma",
    "OrgaoRef",
    "ProcessoRef",
    "ReferenciaLegislativa",
    "Resumo",
    "SimilarAcordao",
    "TextLink",
    "TextMention",
    "TextScan",
    "Voto",
    "article_key",
    "assunto_keys",
    "find_mentions",
    "format_registro",
    "law_key_for",
    "ministro_key",
    "norma",
    "normalize_class",
    "orgao_key",
    "parse_acordao_similar",
    "parse_jurisprudencia_citada",
    "parse_ministro",
    "parse_orgao",
    "parse_processo",
    "parse_referencia",
    "parse_votos",
    "processo_key",
    "registro_key",
    "resumo_decisao",
    "scan_text",
    "sumula_key",
    "sumula_name",
    "tema_key",
    "tema_name",
]
