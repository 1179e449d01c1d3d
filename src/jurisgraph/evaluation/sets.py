"""Labelled evaluation sets: one JSON object per line.

A line: ``{"id", "question", "relevant": [document keys], "facts": [strings or any-of lists],
"kind", "split"}``; ``facts`` is optional. The older retrieval query file
(``{"queries": [{"id", "kind", "query", "expected"}]}``) is read as a set too. The split of a
line that has none is :func:`split_of` its id: a stable hash puts about 30% in ``heldout``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jurisgraph.errors import InvalidInput
from jurisgraph.evaluation.metrics import Fact

HELDOUT = "heldout"
DEV = "dev"
HELDOUT_PERCENT = 30


@dataclass(frozen=True)
class EvalItem:
    """One labelled question."""

    id: str
    question: str
    relevant: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    kind: str = ""
    split: str = DEV
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON line of the item."""
        return {
            "id": self.id,
            "question": self.question,
            "relevant": list(self.relevant),
            "facts": [f if isinstance(f, str) else list(f) for f in self.facts],
            "kind": self.kind,
            "split": self.split,
            **self.extra,
        }


def split_of(item_id: str) -> str:
    """``heldout`` for about 30% of ids (by sha256 of the id, so stable across runs), else ``dev``."""
    bucket = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return HELDOUT if bucket < HELDOUT_PERCENT else DEV


def _facts(value: Any, where: str) -> tuple[Fact, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidInput(f"{where}: facts must be a list")
    facts: list[Fact] = []
    for fact in value:
        if isinstance(fact, str):
            facts.append(fact)
        elif isinstance(fact, list) and fact and all(isinstance(o, str) for o in fact):
            facts.append(tuple(fact))
        else:
            raise InvalidInput(f"{where}: a fact is a string or a non-empty list of strings")
    return tuple(facts)


def parse_item(data: Any, where: str) -> EvalItem:
    """One set line (already decoded) as an item; :class:`InvalidInput` when malformed."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: not a JSON object")
    item_id, question, relevant = data.get("id"), data.get("question"), data.get("relevant")
    if not isinstance(item_id, str) or not item_id:
        raise InvalidInput(f"{where}: missing id")
    if not isinstance(question, str) or not question.strip():
        raise InvalidInput(f"{where}: missing question")
    if not isinstance(relevant, list) or not all(isinstance(k, str) for k in relevant):
        raise InvalidInput(f"{where}: relevant must be a list of keys")
    known = {"id", "question", "relevant", "facts", "kind", "split"}
    return EvalItem(
        id=item_id,
        question=question,
        relevant=tuple(relevant),
        facts=_facts(data.get("facts"), where),
        kind=str(data.get("kind") or ""),
        split=str(data.get("split") or split_of(item_id)),
        extra={k: v for k, v in data.items() if k not in known},
    )


def _legacy(data: dict[str, Any], path: Path) -> list[EvalItem]:
    items = []
    for index, query in enumerate(data["queries"]):
        where = f"{path.name}: query {index}"
        if not isinstance(query, dict) or not isinstance(query.get("expected"), str):
            raise InvalidInput(f"{where}: needs query and expected")
        items.append(
            parse_item(
                {
                    "id": query.get("id"),
                    "question": query.get("query"),
                    "relevant": [query["expected"]],
                    "kind": query.get("kind"),
                },
                where,
            )
        )
    return items


def load_set(path: Path, *, split: str | None = None, limit: int | None = None) -> list[EvalItem]:
    """The items of a set file (JSONL, or the older retrieval query JSON), of one split when
    given, the first ``limit`` when given; ids must be unique."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the set {path}: {exc}") from exc
    items: list[EvalItem]
    stripped = text.lstrip()
    if stripped.startswith("{") and '"queries"' in stripped[:200]:
        try:
            items = _legacy(json.loads(text), path)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidInput(f"{path.name}: not a query set ({exc})") from exc
    else:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path.name}:{number}: invalid JSON ({exc.msg})") from exc
            items.append(parse_item(data, f"{path.name}:{number}"))
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise InvalidInput(f"{path.name}: id {item.id!r} appears twice")
        seen.add(item.id)
    chosen = [i for i in items if split is None or i.split == split]
    return chosen[:limit] if limit is not None else chosen


def write_set(path: Path, items: Sequence[EvalItem]) -> None:
    """Write ``items`` as JSONL (UTF-8, one line each, keys in a fixed order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(item.as_dict(), ensure_ascii=False) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
