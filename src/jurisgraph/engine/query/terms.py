"""Words of a question or a text for keyword matching: folded, stop words dropped, crudely stemmed."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from jurisgraph.engine.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORD_LIST = """
    a o as os um uma uns umas de da do das dos em na no nas nos ao aos por pela pelo pelas pelos
    para pra com sem sob sobre entre ate contra perante apos desde e ou mas que se nao sim como
    qual quais quem onde quando
    porque por que qual e foi sao ser esta estao este esta isso isto essa esse aquele aquela ha tem
    seu sua seus suas meu minha ele ela eles elas lhe lhes ja mais menos muito muitos muita muitas
    ter teve tiveram tem sido seja sejam pode podem deve devem diz dizer fala falam sobre acerca
    stj min ministro ministra ministros rel relator relatora
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())
#: words of a question that ask for a list or an overview rather than one fact
AGGREGATE_WORDS = frozenset(
    {"quais", "principais", "panorama", "tendencia", "tendencias", "overview", "geral", "evolucao"}
)
AGGREGATE_PHRASES = ("temas sobre", "visao geral", "como o stj tem", "de modo geral", "em geral")


def words(text: str) -> list[str]:
    """Folded alphanumeric words of ``text``, in order (stop words kept)."""
    return _WORD.findall(fold(text))


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude Portuguese stem: plural and a few common endings off, at most 7 characters
    (pure, so remembered: the passages of every answer are stemmed word by word)."""
    for ending in ("coes", "soes", "oes", "aes", "ais", "eis", "ns", "es", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            word = word[: -len(ending)]
            break
    return word[:7]


def terms(text: str) -> list[str]:
    """Content-word stems of ``text`` (no stop words, no one-letter words), in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def is_aggregate(question: str) -> bool:
    """Whether a question asks for a list, an overview or a trend."""
    folded = " ".join(words(question))
    return bool(AGGREGATE_WORDS & set(folded.split())) or any(p in folded for p in AGGREGATE_PHRASES)


def overlap_scores(query: str, documents: Sequence[str]) -> list[float]:
    """BM25-like relevance of each document to ``query`` (idf over ``documents`` themselves)."""
    wanted = set(terms(query))
    if not wanted or not documents:
        return [0.0] * len(documents)
    bags = [Counter(terms(doc)) for doc in documents]
    total = len(bags)
    average = sum(sum(bag.values()) for bag in bags) / total or 1.0
    frequency = {term: sum(1 for bag in bags if term in bag) for term in wanted}
    scores = []
    for bag in bags:
        length = sum(bag.values())
        score = 0.0
        for term in wanted & bag.keys():
            idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
            tf = bag[term]
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average))
        scores.append(score)
    return scores


def coverage(query_terms: Iterable[str], text: str) -> float:
    """Share of the distinct ``query_terms`` found in ``text``."""
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    return len(wanted & set(terms(text))) / len(wanted)
