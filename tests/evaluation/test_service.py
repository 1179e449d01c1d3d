"""`jurisgraph eval` on the bundled sample: the report's shape and sane values on a small split.

The shared sample is indexed sparse-only (its query vectors are pseudo-random), so the floors
below are those of sparse retrieval; bench/eval.py measures every mode on a densely embedded
corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from jurisgraph.cli import eval_cmd
from jurisgraph.cli.main import app
from jurisgraph.errors import InvalidInput
from jurisgraph.evaluation import service
from jurisgraph.evaluation.service import Clients, EvalReport
from jurisgraph.evaluation.sets import EvalItem, load_set
from jurisgraph.runtime import Container
from tests.fakes.openai_server import CHAT, FakeOpenAIServer
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.paths import ROOT
from tests.fixtures.sample import Sample

SETS = ROOT / "bench" / "data" / "eval"
MODES = ["naive-sparse", "naive", "local", "auto"]
# Floors under what was measured on the dev split below (first 8 questions of each set, 24 in
# all), sparse-only sample, 2026-12: recall@10 naive-sparse 1.00, naive 0.96 (0.75 before its
# answers cited the record the question names), local 0.92, auto 0.88; correctness of local
# answers 0.84, auto 0.91. A broken retrieval scores 0 on all of them.
RECALL_FLOORS = {"naive-sparse": 0.9, "naive": 0.85, "local": 0.8, "auto": 0.75}
CORRECTNESS_FLOOR = 0.7


def small_split() -> list[EvalItem]:
    return [
        i
        for name in ("retrieval", "temas", "espelhos")
        for i in load_set(SETS / f"{name}.jsonl", split="dev", limit=8)
    ]


def clients(sample: Sample) -> Clients:
    c = sample.container
    return Clients(c.sessions, c.retrieval(), c.name_indexes, c.report_indexes, c.configured_gateway())


@pytest.fixture(scope="module")
def report(sample: Sample) -> EvalReport:
    return service.run(clients(sample), small_split(), [sample.workspace], modes=MODES, k=10, split="dev")


def test_report_has_every_mode_and_metric_within_bounds(report: EvalReport) -> None:
    data = report.as_dict()
    assert list(data["modes"]) == MODES
    assert data["llm"] == "none" and data["questions"] == len(small_split())
    assert len(data["items"]) == len(MODES) * data["questions"]
    for name, mode in data["modes"].items():
        assert mode["errors"] == 0, name
        for metric in ("recall", "mrr", "ndcg"):
            assert 0.0 <= mode[metric] <= 1.0, (name, metric)
        assert 0 < mode["p50_ms"] <= mode["p95_ms"], name
        assert mode["llm_calls_per_answer"] == 0 and mode["cost_per_answer_usd"] == 0, name
        if name == "naive-sparse":  # retrieval only: no answer metrics
            assert mode["correctness"] is None and mode["groundedness"] is None
        else:
            assert 0.0 <= mode["correctness"] <= 1.0 and 0.0 <= mode["groundedness"] <= 1.0
            assert 0.0 <= mode["citation_precision"] <= 1.0
    assert sum(report.mode("auto").chosen_modes.values()) == report.questions


def test_sane_values_on_the_small_split(report: EvalReport) -> None:
    print({m.mode: (round(m.recall, 3), m.correctness and round(m.correctness, 3)) for m in report.modes})
    for mode, floor in RECALL_FLOORS.items():
        assert report.mode(mode).recall >= floor, mode
    for mode in ("local", "auto"):
        assert (report.mode(mode).correctness or 0) >= CORRECTNESS_FLOOR, mode
    # extractive answers are grounded by construction: every sentence cites its source
    assert (report.mode("naive").groundedness or 0) >= 0.9


def test_a_broken_retrieval_falls_below_the_floors(sample: Sample) -> None:
    broken = service.run(clients(sample), small_split()[:6], [987654], modes=["naive-sparse", "local"])
    assert all(m.recall < RECALL_FLOORS[m.mode] for m in broken.modes)
    assert (broken.mode("local").correctness or 0) < CORRECTNESS_FLOOR


def test_unknown_modes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown mode"):
        service.check_modes(["naive", "telepathy"])


def test_the_command_prints_the_table_and_writes_the_report(
    sample: Sample, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    @contextmanager
    def shared(settings: object = None) -> Iterator[Container]:
        yield sample.container  # the embedded vector store opens once per process

    monkeypatch.setattr(eval_cmd, "container_scope", shared)
    monkeypatch.setattr(eval_cmd.console, "width", 220)  # the table's thirteen columns, unwrapped
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "run",
            str(SETS / "espelhos.jsonl"),
            "--mode",
            "naive-sparse",
            "--mode",
            "local",
            "--split",
            "dev",
            "--limit",
            "3",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "recall@k" in result.output and "naive-sparse" in result.output and "local" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["modes"]) == {"naive-sparse", "local"} and data["questions"] == 3
    bad = CliRunner().invoke(app, ["eval", "run", str(SETS / "espelhos.jsonl"), "--mode", "nope"])
    assert bad.exit_code == 2 and "unknown mode" in bad.output


def test_llm_calls_and_cost_come_from_the_ledger_rows_of_the_run(sample: Sample) -> None:
    """With an LLM (a local OpenAI-protocol server), each generated answer is one ledger row
    booked to the run's job: calls and tokens per answer are read back from them."""
    items = load_set(SETS / "espelhos.jsonl", split="dev", limit=2)
    with FakeOpenAIServer() as server:
        settings = sample.settings.model_copy(deep=True)
        settings.llm.provider = "openai"
        settings.llm.openai_base_url = server.base_url
        settings.llm.openai_api_key = SecretStr(server.api_key)
        container = Container.build(settings)
        container.provide(vector_index=sample.container.vector_index(), embedder=sample.container.embedder())
        try:
            for _ in items:
                server.answer_chat(ChatTurn("O relator consta da fonte [1].", 700, 11))
            c = container
            llm = Clients(c.sessions, c.retrieval(), c.name_indexes, c.report_indexes, c.configured_gateway())
            report = service.run(llm, items, [sample.workspace], modes=["local"])
        finally:
            closer = getattr(container.chat_model(), "close", None)
            if callable(closer):
                closer()
            container.engine.dispose()
        chats = len(server.requests(CHAT))
    local = report.mode("local")
    assert report.llm == "openai" and chats == len(items)
    assert local.llm_calls_per_answer == 1.0 and local.answer_llm_calls == len(items)
    assert (local.tokens_in, local.tokens_out) == (700 * len(items), 11 * len(items))
    assert local.groundedness == 1.0
