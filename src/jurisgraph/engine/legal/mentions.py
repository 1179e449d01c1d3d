"""Rule extraction from free text: processes, laws and articles, súmulas, temas, ministers, órgãos.

:func:`scan_text` returns every mention with exact character offsets (``text[start:end]`` is
the cited surface form) plus the links the text itself states: an article belongs to its
law, a compound process to its main process, and in a citation such as
``"REsp 1.465.535/SP, Rel. Ministro LUIS FELIPE SALOMÃO, QUARTA TURMA"`` the minister is the
relator of the cited process, which was judged by that turma.

Speed: the text is folded once and cut into words; each rule is only tried where one of
its trigger words starts (``art``, ``lei``, ``súmula``, a class sigla...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from jurisgraph.engine.legal import cached, normas, orgaos, patterns, processos
from jurisgraph.engine.legal.artigos import parse_article_list
from jurisgraph.engine.legal.citelinks import citation_links
from jurisgraph.engine.legal.nomes import minister_mention
from jurisgraph.engine.legal.reference import long_forms
from jurisgraph.engine.legal.sumulas import sumula_key, tema_key
from jurisgraph.engine.legal.types import TextLink, TextMention, TextScan
from jurisgraph.engine.text import fold, squash
from jurisgraph.engine.types import Entity, RelationType

__all__ = ["TextLink", "TextMention", "TextScan", "find_mentions", "scan_ministros", "scan_text"]

_SHORT_TYPES = frozenset({"lc", "dl", "mp", "ec", "l."})
_PLURAL = re.compile(r"ministr[oa](?:s|\(s\))$")
_LAW_END_GROUPS = ("alias", "gnum", "gsuf", "gyear", "gyear2", "gyear3")
_OPEN = re.compile(r"<<\s*$")


@lru_cache(maxsize=2048)
def _word_re(word: str) -> re.Pattern[str]:
    # starts with the literal word, so the search runs at C speed
    return re.compile(rf"{re.escape(word)}(?<![a-z0-9]{re.escape(word)})(?![a-z0-9])")


def _trigger_positions(folded: str, only: str | None = None) -> dict[str, list[int]]:
    """Start of every trigger word, by rule kind (``only`` restricts to one kind)."""
    table = patterns.triggers()
    where: dict[str, list[int]] = {}
    for word in table.keys() & set(patterns.TOKEN.findall(folded)):
        kinds = table[word] if only is None else table[word] & {only}
        if not kinds:
            continue
        positions = [match.start() for match in _word_re(word).finditer(folded)]
        for kind in kinds:
            where.setdefault(kind, []).extend(positions)
    for positions in where.values():
        positions.sort()
    return where


def _sumula_key(number: int, *, court: str, vinculante: bool) -> str:
    return sumula_key(number, court, vinculante=vinculante)


def _tema_key(number: int, *, court: str) -> str:
    return tema_key(number, court) or f"tema:{number}"


@dataclass(frozen=True, slots=True)
class _LawHit:
    start: int
    end: int
    key: str | None
    standalone_key: str | None


class _Scanner:
    def __init__(self, text: str, reference_date: date | None, only: str | None = None) -> None:
        self.text = text
        self.folded = fold(text)
        self.reference_date = reference_date
        self.mentions: list[TextMention] = []
        self.links: list[TextLink] = []
        self.claimed: list[tuple[int, int]] = []
        self.minister_starts: set[int] = set()
        self.where = _trigger_positions(self.folded, only)

    def add(self, entity: Entity, start: int, end: int, role: str | None = None) -> None:
        self.mentions.append(TextMention(entity, start, end, role))

    def add_minister(self, mention: TextMention | None) -> None:
        # "Rel. Min. X" is reached from both triggers: the first (with its role) wins
        if mention is not None and mention.start not in self.minister_starts:
            self.minister_starts.add(mention.start)
            self.mentions.append(mention)

    def link(self, source: str, type_: RelationType, target: str, start: int, end: int) -> None:
        if source != target:
            self.links.append(TextLink(source, type_, target, start, end))

    def overlaps(self, start: int, end: int) -> bool:
        return any(start < c_end and c_start < end for c_start, c_end in self.claimed)

    def law_key(self, match: re.Match[str], *, standalone: bool) -> str | None:
        alias_text = match["alias"]
        if alias_text:
            alias = normas.aliases().get(squash(alias_text))
            if alias is None or (standalone and not alias.standalone):
                return None
            original = self.text[match.start("alias") : match.end("alias")]
            if alias.sigla and standalone and any(ch.islower() for ch in original):
                return None
            return normas.resolve_bare(alias.key, self.reference_date)
        gtype = match["gtype"]
        if gtype is None:
            return None
        if gtype in _SHORT_TYPES:
            original = self.text[match.start("gtype") : match.end("gtype")]
            if original != original.upper():
                return None
        qualifier = self.folded[match.end("gtype") : match.start("gnum")]
        if any(word in qualifier for word in ("estadual", "municipal", "distrital")):
            return None
        year = match["gyear"] or match["gyear2"] or match["gyear3"]
        return normas.generic_law_key(gtype, match["gnum"], match["gsuf"], year)

    @staticmethod
    def law_span(match: re.Match[str]) -> tuple[int, int]:
        group = "alias" if match["alias"] else "gtype"
        return match.start(group), max(match.end(g) for g in _LAW_END_GROUPS if match[g] is not None)

    def laws_found(self) -> list[_LawHit]:
        hits: list[_LawHit] = []
        law_re = patterns.law_re()
        last_end = -1
        for position in self.where.get("law", []):
            match = law_re.match(self.folded, position) if position >= last_end else None
            if match:
                start, end = self.law_span(match)
                last_end = end
                hits.append(
                    _LawHit(
                        start,
                        end,
                        self.law_key(match, standalone=False),
                        self.law_key(match, standalone=True),
                    )
                )
        return hits

    def find_articles(self, laws: list[_LawHit]) -> None:
        article_re = patterns.article_re()
        used_heads: set[int] = set()
        for position in self.where.get("art", []):
            match = article_re.match(self.folded, position)
            if match is None:
                continue
            key = self.law_key(match, standalone=False)
            if key and self.add_articles(
                key, self.law_span(match), match["list"], match.start(), match.end()
            ):
                used_heads.add(position)
        ends = {hit.end: hit for hit in laws if hit.key}
        for position in self.where.get("art", []):
            if position in used_heads:
                continue
            listed = patterns.ART_LIST_RE.match(self.folded, position)
            hit = self._law_before(position, ends)
            if listed and hit and hit.key:
                self.add_articles(hit.key, (hit.start, hit.end), listed["list"], hit.start, listed.end())

    def _law_before(self, head: int, ends: dict[int, _LawHit]) -> _LawHit | None:
        for end in range(head, max(head - 6, -1), -1):
            hit = ends.get(end)
            if hit and patterns.LAW_FIRST_GAP.fullmatch(self.folded, end, head):
                return hit
        return None

    def add_articles(
        self, law_key: str, law_span: tuple[int, int], listed: str, start: int, end: int
    ) -> bool:
        items = parse_article_list(listed)
        if not items:
            return False
        self.add(cached.law(law_key), *law_span)
        for item in items:
            article = cached.article(law_key, item.numero, item.suffix)
            self.add(article, start, end)
            self.link(article.key, RelationType.PERTENCE_A, law_key, start, end)
        self.claimed.append((start, end))
        return True

    def standalone_laws(self, laws: list[_LawHit]) -> None:
        for hit in laws:
            if hit.standalone_key and not self.overlaps(hit.start, hit.end):
                self.add(cached.law(hit.standalone_key), hit.start, hit.end)

    def find_sumulas(self) -> None:
        for position in self.where.get("sumula", []):
            match = patterns.SUMULA_RE.match(self.folded, position)
            if match is None:
                continue
            trigger, tail, court_text = match["trig"], match["tail"] or "", match["court"] or ""
            if (
                trigger.startswith(("enunciado", "verbete"))
                and "sumul" not in trigger + tail
                and not court_text
            ):
                continue
            if (
                court_text
                and court_text not in {"stj", "stf"}
                and not court_text.startswith(("superior", "supremo"))
            ):
                continue
            court = "STF" if court_text.startswith(("stf", "supremo")) else "STJ"
            vinculante = "vinculante" in trigger
            self.numbered(match, partial(_sumula_key, court=court, vinculante=vinculante), cached.sumula)

    def find_temas(self) -> None:
        for position in self.where.get("tema", []):
            match = patterns.TEMA_RE.match(self.folded, position)
            if match is not None:
                court = "STF" if match["court"] and match["court"] != "stj" else "STJ"
                self.numbered(match, partial(_tema_key, court=court), cached.tema)

    def numbered(
        self, match: re.Match[str], key_of: Callable[[int], str], build: Callable[[str], Entity]
    ) -> None:
        numbers = list(patterns.NUM_IN_LIST.finditer(match["nums"]))
        offset = match.start("nums")
        for index, number in enumerate(numbers):
            value = int(number.group().replace(".", ""))
            if value > 0:
                start = match.start() if index == 0 else offset + number.start()
                end = match.end() if index == len(numbers) - 1 else offset + number.end()
                self.add(build(key_of(value)), start, end)

    def find_processos(self) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        processo_re = patterns.processo_re()
        last_end = -1
        for position in self.where.get("processo", []):
            match = processo_re.match(self.folded, position) if position >= last_end else None
            ref = self.processo_ref(match) if match else None
            if match is None or ref is None:
                continue
            end = match.end("close") if match["close"] else match.end("num")
            uf_end = self.uf_end(match, "uf")
            if uf_end:
                ref = ref.with_uf(self.text[match.start("uf") : uf_end])
                end = uf_end
            found.append(self.add_processo(ref, position, end))
            while (more := patterns.PROCESSO_MORE_RE.match(self.folded, end)) and self.uf_end(more, "uf"):
                number = int(more["num"].replace(".", ""))
                other = processos.ProcessoRef(ref.classes, ref.connectors, number, None, ref.tribunal)
                other = other.with_uf(self.text[more.start("uf") : more.end("uf")])
                found.append(self.add_processo(other, more.start("num"), more.end()))
                end = more.end()
            last_end = end
        return found

    def uf_end(self, match: re.Match[str], group: str) -> int | None:
        if match[group] is None:
            return None
        original = self.text[match.start(group) : match.end(group)]
        return match.end(group) if original in processos.UFS else None

    def processo_ref(self, match: re.Match[str]) -> processos.ProcessoRef | None:
        number = int(match["num"].replace(".", ""))
        if match["long"]:
            sigla = long_forms().get(" ".join(match["long"].split()))
            return processos.make_ref(sigla, number, strict=True) if sigla else None
        text = self.text[match.start("cls") : match.end("cls")]
        ref = processos.make_ref(text, number, strict=True)
        if ref is None:
            return None
        info = processos.class_table()[fold(ref.classe_principal)]
        if info.ambigua and not ref.compound:
            opened = _OPEN.search(self.folded, max(0, match.start() - 4), match.start())
            strong = "." in match["num"] or match["n"] or opened or self.uf_end(match, "uf")
            if not strong or (text != info.sigla and text != text.upper()):
                return None
        return ref

    def add_processo(self, ref: processos.ProcessoRef, start: int, end: int) -> tuple[int, int, str]:
        self.add(cached.processo(ref), start, end)
        if ref.compound:
            self.add(cached.processo(ref.main()), start, end, "principal")
            self.link(ref.key, RelationType.PERTENCE_A, ref.main_key, start, end)
        self.claimed.append((start, end))
        return start, end, ref.key

    def find_ministros(self) -> None:
        for position in self.where.get("ministro", []):
            match = patterns.MINISTRO_RE.match(self.text, position)
            if match is None:
                continue
            trigger = fold(match["trig"])
            role = "relator" if trigger.startswith("rel") or "relator" in trigger else None
            self.add_minister(minister_mention(self.text, match, role))
            if _PLURAL.match(trigger):
                end = match.end()
                while more := patterns.MINISTRO_MORE_RE.match(self.text, end):
                    self.add_minister(minister_mention(self.text, more, None))
                    end = more.end()

    def find_orgaos(self) -> None:
        for position in self.where.get("orgao", []):
            match = patterns.ORGAO_RE.match(self.folded, position)
            code = orgaos.code_from_match(match["ord"], match["kind"]) if match else None
            ref = orgaos.orgao_by_code(code) if code else None
            if match and ref:
                self.add(cached.orgao(ref), match.start(), match.end())


def scan_text(text: str, *, reference_date: date | None = None) -> TextScan:
    """Find every rule-based mention in ``text``, with the relations the text states.

    ``reference_date`` (the judgment date) decides what a bare ``CPC`` or ``Código Civil``
    means: before 18/03/2016 ``CPC`` is the CPC/1973, before 11/01/2003 ``Código Civil`` is
    the CC/1916; without a date the codes in force today are used.
    """
    if not text or not text.strip():
        return TextScan((), ())
    scanner = _Scanner(text, reference_date)
    laws = scanner.laws_found()
    scanner.find_articles(laws)
    scanner.standalone_laws(laws)
    scanner.find_sumulas()
    scanner.find_temas()
    cited = scanner.find_processos()
    scanner.find_ministros()
    scanner.find_orgaos()
    mentions = sorted(scanner.mentions, key=lambda m: (m.start, m.end, m.entity.key))
    links = scanner.links + citation_links(text, mentions, cited)
    ordered = sorted(set(links), key=lambda k: (k.start, k.end, k.source, k.type, k.target))
    return TextScan(tuple(mentions), tuple(ordered))


def scan_ministros(text: str) -> list[TextMention]:
    """Only the ministers named in ``text`` (used to read the votes of a decision)."""
    if not text or not text.strip():
        return []
    scanner = _Scanner(text, None, "ministro")
    scanner.find_ministros()
    return sorted(scanner.mentions, key=lambda m: (m.start, m.end, m.entity.key))


def find_mentions(text: str, *, reference_date: date | None = None) -> list[TextMention]:
    """Mentions only (see :func:`scan_text`), sorted by position."""
    return list(scan_text(text, reference_date=reference_date).mentions)
