"""Broken portal files go through the whole pipeline: the run completes, the problem is named on
the resource and in its ``process_json`` log, and every recoverable record is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.models import Document
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import CORTE_ESPECIAL, PRECEDENTES, PRIMEIRA_TURMA, SAMPLE, read_csv, write_mirror
from tests.fixtures.paths import BROKEN
from tests.fixtures.store import PROCESSED, document_keys, integrity_problems, process_logs, resource_row


def recoverable(data: bytes) -> list[dict[str, object]]:
    """The whole objects of a broken JSON array, decoded one by one: a stray ``}`` or ``,``
    between elements is stepped over; a cut element ends the file."""
    decoder = json.JSONDecoder()
    text = data.decode("utf-8")
    position, found = text.index("[") + 1, []
    while (start := text.find("{", position)) >= 0:
        try:
            record, position = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            break
        found.append(record)
    return found


def espelho_keys(*files: bytes) -> set[str]:
    return {f"espelho:{r['id']}" for data in files for r in recoverable(data) if r.get("id")}


def assert_reported(container: Container, name: str, slug: str, *words: str) -> None:
    """The resource row and its last ``process_json`` log carry a message with every word."""
    row = resource_row(container, name, slug)
    assert row.status in PROCESSED and row.processed_at is not None
    assert row.error_message is not None
    logs = process_logs(container, row.resource_id)
    assert logs and logs[-1].error_message is not None
    for word in words:
        assert word in row.error_message, row.error_message
        assert word in logs[-1].error_message, logs[-1].error_message
    assert name in (logs[-1].details or "")


def test_malformed_months_keep_every_complete_record(tmp_path: Path, empty_db_url: str) -> None:
    extra_brace = (BROKEN / "espelhos_extra_brace_20220531.json").read_bytes()
    empty_month = (BROKEN / "espelhos_empty_month_extra_brace.json").read_bytes()
    june = (SAMPLE / PRIMEIRA_TURMA / "20220630.json").read_bytes()
    july = (SAMPLE / PRIMEIRA_TURMA / "20220731.json").read_bytes()
    mirror = write_mirror(
        tmp_path / "mirror",
        {
            PRIMEIRA_TURMA: {"20220531.json": extra_brace, "20220630.json": june, "20220731.json": july},
            CORTE_ESPECIAL: {"20220531.json": empty_month},
        },
        catalog=False,
    )
    expected = espelho_keys(extra_brace, june, july)
    assert len(expected) == 3 + 2 + 1
    with container_at(tmp_path / "home", empty_db_url) as container:
        report = service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        assert report.process is not None
        assert report.process.failed == []
        assert (report.process.resources, report.process.documents) == (4, len(expected))
        assert report.process.records_skipped == 1
        assert any("20220531.json" in problem and "malformed_json" in problem for problem in report.problems)
        assert document_keys(container, "espelho") == expected

        assert_reported(container, "20220531.json", PRIMEIRA_TURMA, "invalid JSON", "unexpected '}'")
        month = resource_row(container, "20220531.json", PRIMEIRA_TURMA)
        assert (month.record_count, month.skipped_count) == (3, 0)
        assert_reported(container, "20220531.json", CORTE_ESPECIAL, "invalid JSON")
        empty = resource_row(container, "20220531.json", CORTE_ESPECIAL)
        assert (empty.record_count, empty.skipped_count) == (0, 1)
        good = resource_row(container, "20220630.json", PRIMEIRA_TURMA)
        assert good.status in PROCESSED
        assert (good.error_message, good.record_count) == (None, 2)
        assert integrity_problems(container) == []


@pytest.mark.parametrize(
    ("temas_file", "words"),
    [
        ("temas_subset_utf8.csv", ("iso-8859-1", "UTF-8")),
        ("temas_subset_mixed.csv", ("mixed encodings",)),
        # the byte replaced is in the row's informacoesComplementares, not in its question
        ("temas_subset_invalid_bytes.csv", ("invalid bytes", "line(s) 10", "U+FFFD")),
    ],
)
def test_truncated_month_and_badly_encoded_temas(
    tmp_path: Path, temas_file: str, words: tuple[str, ...]
) -> None:
    truncated = (BROKEN / "espelhos_truncated_20220531.json").read_bytes()
    mirror = write_mirror(
        tmp_path / "mirror",
        {
            PRIMEIRA_TURMA: {"20220531.json": truncated},
            PRECEDENTES: {
                "temas.csv": (BROKEN / temas_file).read_bytes(),
                "processos.csv": (BROKEN / "processos_subset_latin1.csv").read_bytes(),
            },
        },
        catalog=False,
    )
    reference = read_csv(BROKEN / "temas_subset_latin1.csv")
    with container_at(tmp_path / "home") as container:
        report = service.ingest(container, str(mirror), ResourceFilter(), dense=False)
        assert report.process is not None and report.process.failed == []
        assert document_keys(container, "espelho") == espelho_keys(truncated)
        assert len(espelho_keys(truncated)) == 2
        assert_reported(container, "20220531.json", PRIMEIRA_TURMA, "cut short", "2 complete record(s)")

        assert document_keys(container, "tema") == {f"tema:{row['numeroPrecedente']}" for row in reference}
        assert_reported(container, "temas.csv", PRECEDENTES, *words)
        texts = dict(_texts(container, "tema"))
        for row in reference:
            key = f"tema:{row['numeroPrecedente']}"
            question = " ".join(row["questaoSubmetidaAJulgamento"].split())
            assert question in " ".join(texts[key].split()), key
        leading = {row["numeroPrecedente"] for row in read_csv(BROKEN / "processos_subset_latin1.csv")}
        assert leading == {row["numeroPrecedente"] for row in reference}
        assert integrity_problems(container) == []


def _texts(container: Container, kind: str) -> list[tuple[str, str]]:
    with session_scope(container.sessions) as session:
        query = select(Document.key, Document.text_content).where(Document.kind == kind)
        return [(key, text) for key, text in session.execute(query)]
