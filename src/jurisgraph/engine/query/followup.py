"""A follow-up question of a conversation made self-contained, deterministically.

"e qual foi o relator?" names nothing: it is about what the conversation was about. When the
last question names no processo, tema or súmula, the ones named in the previous turns are carried
into it: those of the latest earlier user question that names any, else the first ones named by
the latest answer that names any ("e qual foi o relator (Tema 1.076)?"). A question that names
its own subject, or the first question of a conversation, is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jurisgraph.engine.legal import find_mentions

#: what a follow-up may be about: the entities with an identifier
SUBJECT_TYPES = frozenset({"PROCESSO", "TEMA", "SUMULA"})
#: the most subjects carried from an answer (it names its sources too)
MAX_FROM_ANSWER = 2
#: the most subjects carried from a question
MAX_FROM_QUESTION = 4
#: where an answer's list of references starts (its text before it is what it says)
REFERENCES_MARK = "\n\nReferências:"


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of a conversation: ``user`` or ``assistant`` (others are ignored)."""

    role: str
    text: str


def subjects(text: str, limit: int) -> list[str]:
    """The processos, temas and súmulas ``text`` names, as written, in order, each once."""
    found: list[str] = []
    keys: set[str] = set()
    last_end = -1
    for mention in find_mentions(text):
        if str(mention.entity.type) not in SUBJECT_TYPES or mention.entity.key in keys:
            continue
        if mention.start < last_end:  # implied by a longer citation already taken
            continue
        keys.add(mention.entity.key)
        found.append(text[mention.start : mention.end])
        last_end = mention.end
        if len(found) >= limit:
            break
    return found


def _said(turn: Turn) -> str:
    """What a turn says (an answer without its list of references)."""
    return turn.text.split(REFERENCES_MARK, 1)[0] if turn.role == "assistant" else turn.text


def carried(question: str, history: Sequence[Turn]) -> list[str]:
    """The subjects a follow-up ``question`` inherits from ``history`` (earlier turns, oldest
    first); none when the question names its own or nothing earlier names any."""
    if subjects(question, 1):
        return []
    for role, limit in (("user", MAX_FROM_QUESTION), ("assistant", MAX_FROM_ANSWER)):
        for turn in reversed(history):
            named = subjects(_said(turn), limit) if turn.role == role else []
            if named:
                return named
    return []


def resolve(question: str, history: Sequence[Turn]) -> str:
    """``question`` with the subjects it inherits appended in parentheses (unchanged when none)."""
    named = carried(question, history)
    text = question.strip()
    if not named:
        return text
    subject = "; ".join(named)
    if text.endswith("?"):
        return f"{text[:-1].rstrip()} ({subject})?"
    return f"{text} ({subject})"
