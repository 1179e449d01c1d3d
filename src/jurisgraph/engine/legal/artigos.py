"""Turn the article list of a text citation (``"85, §§ 3º e 4º, I"``) into :class:`ArticleRef` items."""

from __future__ import annotations

from jurisgraph.engine.legal.normas import ArticleRef
from jurisgraph.engine.legal.patterns import ART_TOKEN

_MAX_RANGE = 20
_CONNECTORS = frozenset({"e", "o", "ou"})


class _Article:
    __slots__ = ("alineas", "incisos", "numero", "paragrafos", "suffix")

    def __init__(self, numero: int, suffix: str) -> None:
        self.numero = numero
        self.suffix = suffix
        self.paragrafos: list[str] = []
        self.incisos: list[str] = []
        self.alineas: list[str] = []

    def freeze(self) -> ArticleRef:
        return ArticleRef(
            self.numero, self.suffix, tuple(self.paragrafos), tuple(self.incisos), tuple(self.alineas)
        )


def parse_article_list(folded: str) -> list[ArticleRef]:
    """Articles of a folded list such as ``"86 e 1.022"``, ``"1.039 a 1.041"``, ``"5o, xxxv"``.

    Numbers after ``§`` are paragraphs; roman numerals are incisos; single letters are alíneas;
    ``"a"`` between two article numbers is a range (expanded up to 20 articles).
    """
    articles: list[_Article] = []
    mode = "art"
    pending_range = False
    last_comma_end = -1
    for token in ART_TOKEN.finditer(folded):
        kind = token.lastgroup
        if kind in {"num", "suf"}:
            number = int(token["num"].replace(".", ""))
            suffix = (token["suf"] or "").upper()
            if mode == "par" and articles:
                value = str(number)
                if value not in articles[-1].paragrafos:
                    articles[-1].paragrafos.append(value)
                continue
            if token.start() == last_comma_end and articles:
                continue
            if pending_range and articles and 0 < number - articles[-1].numero <= _MAX_RANGE:
                articles.extend(_Article(n, "") for n in range(articles[-1].numero + 1, number))
            pending_range = False
            articles.append(_Article(number, suffix))
            mode = "art"
        elif kind == "comma":
            last_comma_end = token.end()
        elif not articles:
            continue
        elif kind == "par":
            mode = "par"
        elif kind == "unico":
            if "único" not in articles[-1].paragrafos:
                articles[-1].paragrafos.append("único")
        elif kind in {"inc", "ali"}:
            mode = kind
        elif kind == "roman":
            value = token.group().upper()
            if value not in articles[-1].incisos:
                articles[-1].incisos.append(value)
            mode = "inc"
        elif kind in {"letter", "range"}:
            letter = token.group().strip("\"“”'()")
            if letter == "a" and mode == "art":
                pending_range = True
            elif letter not in _CONNECTORS and mode in {"inc", "ali"} and letter not in articles[-1].alineas:
                articles[-1].alineas.append(letter)
    return [article.freeze() for article in articles]
