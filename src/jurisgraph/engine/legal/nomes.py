"""Reading a minister's name after a trigger (``"Rel. Ministro"``, ``"Os Srs. Ministros"``) in free text."""

from __future__ import annotations

import re
from functools import lru_cache

from jurisgraph.engine.legal import cached
from jurisgraph.engine.legal.ministros import parse_ministro, resolve_tokens
from jurisgraph.engine.legal.patterns import NAME_WORD
from jurisgraph.engine.legal.text import PARTICLES
from jurisgraph.engine.legal.types import TextMention
from jurisgraph.engine.text import fold

_STOP_WORDS = (
    "relator relatora presidente presidiu vice corregedor decano substituto revisor aposentado votaram "
    "vencido vencida impedido ausente sr sra srs sras exmo exma ministro ministra ministros turma secao "
    "corte tribunal stj stf dje dj julgado julgada primeira segunda terceira quarta quinta sexta "
    "especial federal desembargador desembargadora juiz juiza convocado convocada o a os as"
)
NAME_STOP = frozenset(_STOP_WORDS.split())
_fold_word = lru_cache(maxsize=8192)(fold)


def minister_mention(text: str, match: re.Match[str], role: str | None) -> TextMention | None:
    """The minister named by the ``name`` (and optional ``paren``) groups of ``match``.

    A known name is cut to its longest known prefix (``"Mauro Campbell, firmou"`` → Mauro
    Campbell Marques); an unknown one needs two words and stops at words such as ``Turma``.
    """
    words = list(NAME_WORD.finditer(match["name"]))
    folded = [_fold_word(word.group()) for word in words]
    if not folded or folded[0] in NAME_STOP:
        return None
    known = resolve_tokens(folded)
    if known:
        used = known[1]
    else:
        used = next((i for i, word in enumerate(folded) if word in NAME_STOP), len(folded))
        while used and folded[used - 1] in PARTICLES:
            used -= 1
        if used < 2:
            return None
    base = match.start("name")
    start, end = base + words[0].start(), base + words[used - 1].end()
    paren = match["paren"] if used == len(words) and match["paren"] else ""
    ref = parse_ministro(text[start:end] + (f" ({paren})" if paren else ""))
    return TextMention(cached.ministro(ref), start, end, role) if ref else None
