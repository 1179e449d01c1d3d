"""Entity builders: one function per entity type, each returning a ready :class:`Entity`.

Names are the display forms lawyers use; descriptions are one short sentence, except the
enunciado of a súmula and the thesis of a tema.
"""

from __future__ import annotations

from typing import Any

from jurisgraph.engine.legal import normas, orgaos, processos, sumulas
from jurisgraph.engine.legal.ministros import MinistroRef
from jurisgraph.engine.legal.text import ordinal_article, thousands
from jurisgraph.engine.types import Entity, EntityType


def processo_entity(ref: processos.ProcessoRef, *, description: str = "", **attributes: Any) -> Entity:
    """A process (``PRECEDENTE`` when it belongs to another court, such as the STF)."""
    kind = EntityType.PROCESSO if ref.tribunal == "STJ" else EntityType.PRECEDENTE
    info = processos.class_table()
    words = []
    for index, sigla in enumerate(ref.classes):
        entry = info.get(sigla.lower())
        words.append(entry.nome if entry else sigla)
        if index < len(ref.connectors):
            words.append(ref.connectors[index])
    number = thousands(ref.numero) + (f"/{ref.uf}" if ref.uf else "")
    default = f"{' '.join(words)} {number} ({ref.tribunal})."
    data = ref.attributes()
    data.update({k: v for k, v in attributes.items() if v not in (None, "", [], ())})
    return Entity(ref.key, kind, ref.name, description or default, data)


def main_processo_entity(ref: processos.ProcessoRef) -> Entity:
    """The main process of a compound citation (``REsp 1.234`` for ``AgInt no REsp 1.234``)."""
    return processo_entity(ref.main())


def law_entity(key: str) -> Entity:
    """A law-level node: ``"Lei 13.105/2015 (CPC/2015)"``."""
    norma = normas.norma(key)
    description = f"{norma.nome}." if norma.nome and norma.nome != norma.formal else ""
    data: dict[str, Any] = {"nivel": "lei"}
    if norma.url:
        data["url"] = norma.url
    return Entity(key, EntityType.LEGISLACAO, norma.name, description, data)


def article_entity(law_key: str, numero: int, suffix: str = "") -> Entity:
    """An article node: ``"art. 85 do CPC/2015"``."""
    norma = normas.norma(law_key)
    key = normas.article_key(law_key, numero, suffix)
    description = f"Artigo {ordinal_article(numero, suffix)} da norma {norma.name}."
    data = {"nivel": "artigo", "lei": law_key, "artigo": f"{numero}{suffix.upper()}"}
    return Entity(key, EntityType.LEGISLACAO, norma.article_name(numero, suffix), description, data)


def sumula_entity(key: str) -> Entity:
    """A súmula; STJ súmulas carry their enunciado as description and their status."""
    found = sumulas.sumula_enunciado(key)
    data: dict[str, Any] = {"tribunal": key.split(":")[1].split("_")[0].upper()}
    if found:
        data["situacao"] = found[1]
    return Entity(key, EntityType.SUMULA, sumulas.sumula_name(key), found[0] if found else "", data)


def tema_entity(key: str, *, description: str = "", **attributes: Any) -> Entity:
    """A tema (repetitive, STF repercussão geral, controvérsia, IAC, PUIL, SIRDR)."""
    data = {k: v for k, v in attributes.items() if v not in (None, "", [], ())}
    return Entity(key, EntityType.TEMA, sumulas.tema_name(key), description, data)


def ministro_entity(ref: MinistroRef) -> Entity:
    """A minister or convocado judge."""
    description = f"{ref.titulo} no STJ." if ref.titulo else "Ministro do Superior Tribunal de Justiça."
    if not ref.known:
        description = ""
    return Entity(ref.key, EntityType.MINISTRO, ref.name, description, ref.attributes())


def orgao_entity(ref: orgaos.OrgaoRef) -> Entity:
    """A judging body: ``"Primeira Seção"``."""
    data: dict[str, Any] = {"codigo": ref.codigo, "nome_publicado": ref.nome}
    if ref.secao:
        data["secao"] = ref.secao_key
    return Entity(
        ref.key, EntityType.ORGAO_JULGADOR, ref.exibicao, f"Órgão julgador do STJ: {ref.materia}.", data
    )


def assunto_entity(code: str, name: str | None = None) -> Entity:
    """A CNJ TPU subject (``assunto:6060``)."""
    label = name or orgaos.assunto_name(code)
    display = label if label else f"Assunto CNJ {code}"
    return Entity(
        f"assunto:{code}",
        EntityType.ASSUNTO,
        display,
        f"Assunto {code} da Tabela Processual Unificada do CNJ.",
        {"codigo": code},
    )
