"""Set files: the JSONL lines, the older retrieval query file, splits, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jurisgraph.errors import InvalidInput
from jurisgraph.evaluation.sets import HELDOUT, EvalItem, load_set, split_of, write_set
from tests.fixtures.paths import ROOT

SETS = ROOT / "bench" / "data" / "eval"


def test_split_is_stable_and_holds_out_about_thirty_percent() -> None:
    ids = [f"q-{i}" for i in range(2000)]
    held = [i for i in ids if split_of(i) == HELDOUT]
    assert [split_of(i) for i in ids] == [split_of(i) for i in ids]
    assert 0.25 < len(held) / len(ids) < 0.35


def test_lines_round_trip_with_any_of_facts(tmp_path: Path) -> None:
    items = [
        EvalItem("a", "Qual a tese do Tema 1?", ("tema:1",), ("tese", ("x", "y")), "k", "dev"),
        EvalItem("b", "Quem relatou?", ("espelho:2",), (), "k", HELDOUT),
    ]
    path = tmp_path / "set.jsonl"
    write_set(path, items)
    assert load_set(path) == items
    assert load_set(path, split=HELDOUT) == items[1:]
    assert load_set(path, limit=1) == items[:1]


def test_a_line_without_split_gets_the_hash_split(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "z9", "question": "q", "relevant": []}) + "\n", encoding="utf-8")
    assert load_set(path)[0].split == split_of("z9")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "invalid JSON"),
        ("[1]", "not a JSON object"),
        ('{"question": "q", "relevant": []}', "missing id"),
        ('{"id": "a", "question": " ", "relevant": []}', "missing question"),
        ('{"id": "a", "question": "q", "relevant": "tema:1"}', "relevant"),
        ('{"id": "a", "question": "q", "relevant": [], "facts": [[]]}', "fact"),
        ('{"id": "a", "question": "q", "relevant": [], "facts": "x"}', "facts"),
    ],
)
def test_malformed_lines_are_invalid_input(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_set(path)


def test_repeated_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.jsonl"
    line = json.dumps({"id": "a", "question": "q", "relevant": []})
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="twice"):
        load_set(path)


def test_the_older_retrieval_query_file_reads_as_a_set() -> None:
    items = load_set(ROOT / "bench" / "data" / "retrieval_queries.json")
    assert len(items) > 100
    assert all(len(i.relevant) == 1 and i.relevant[0].startswith("tema:") for i in items)


def test_the_shipped_sets_are_valid_and_hold_out_some_of_every_set() -> None:
    for name in ("retrieval.jsonl", "temas.jsonl", "espelhos.jsonl"):
        items = load_set(SETS / name)
        assert items, name
        assert all(i.relevant for i in items), name
        assert any(i.split == HELDOUT for i in items), name
        assert all(i.split == split_of(i.id) for i in items), name
