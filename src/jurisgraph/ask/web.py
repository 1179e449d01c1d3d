"""What the ``/perguntar`` page shows: the answer as HTML with clickable citations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from jurisgraph.ask import service
from jurisgraph.ask.service import AskOptions
from jurisgraph.db import Session
from jurisgraph.engine.llm import ChatModel
from jurisgraph.engine.query import Mode
from jurisgraph.errors import JurisgraphError
from jurisgraph.runtime import NameIndexCache, Retrieval
from jurisgraph.search.service import SearchFilters

_MARK = re.compile(r"\[(\d+)\]")
MODE_LABELS = {
    Mode.AUTO.value: "automático",
    Mode.NAIVE.value: "trechos (naive)",
    Mode.LOCAL.value: "entidades do grafo (local)",
    Mode.GLOBAL.value: "panorama das comunidades (global)",
    Mode.HYBRID.value: "local + global (híbrido)",
    Mode.GRAPH.value: "consulta ao grafo (listas e contagens)",
}


def _line(text: str, numbers: set[int]) -> Markup:
    escaped = str(escape(text))

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in numbers:
            return f'<span class="cite-missing" title="fonte inexistente">[{n}]</span>'
        return f'<a class="cite-ref" href="#fonte-{n}" data-n="{n}">[{n}]</a>'

    return Markup(_MARK.sub(link, escaped))


def answer_html(text: str, numbers: Sequence[int]) -> Markup:
    """Paragraphs and lists of an answer, every ``[n]`` a link to source ``n`` of the page."""
    known = set(numbers)
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        items: list[str] = []
        out: list[str] = []
        for line in lines:
            if line.lstrip().startswith("- "):
                items.append(f"<li>{_line(line.lstrip()[2:], known)}</li>")
                continue
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            out.append(f"<p>{_line(line, known)}</p>")
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
        blocks.append("".join(out))
    return Markup("".join(blocks))


def page_context(
    session: Session,
    retrieval: Retrieval,
    names: NameIndexCache,
    workspaces: Sequence[int],
    question: str | None,
    mode: str,
    orgao: str | None,
    relator: str | None,
    classe: str | None,
    *,
    chat: ChatModel | None = None,
    rerank: bool = False,
    user_id: int | None = None,
) -> dict[str, Any]:
    """Template values of the page: the form's state, and the answer when a question was asked
    (answered with ``chat``, extractive when None; ``rerank`` as configured)."""
    context: dict[str, Any] = {
        "q": question or "",
        "modo": mode if mode in MODE_LABELS else Mode.AUTO.value,
        "orgao": orgao or "",
        "relator": relator or "",
        "classe": classe or "",
        "modes": MODE_LABELS,
        "result": None,
        "answer_html": None,
        "error": None,
    }
    if not question or not question.strip():
        return context
    filters = SearchFilters(orgao_julgador=orgao or None, relator=relator or None, classe=classe or None)
    options = AskOptions(mode=context["modo"], filters=filters, rerank=rerank)
    try:
        result = service.ask(
            session, retrieval, names, question, workspaces, options, chat=chat, user_id=user_id
        )
    except JurisgraphError as exc:
        context["error"] = exc.message
        return context
    context["result"] = result.as_dict()
    context["answer_html"] = answer_html(result.answer, [c.n for c in result.sources])
    return context
