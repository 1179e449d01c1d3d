"""``bench/all.py``: the table of figures beside their targets, and a run of tiny fake benchmarks
(scripts written to a temporary folder, not the real heavy ones): a failing one is reported with its
exit code and the run goes on."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from tests.fixtures.bench import BENCH, bench_module

targets = bench_module("targets")
runner = bench_module("all", "targets")
Bench, Figure, Target = targets.Bench, targets.Figure, targets.Target


@pytest.mark.parametrize(
    ("op", "value", "measured", "met"),
    [
        (">=", 50, 50.0, True),
        (">=", 50, 49.9, False),
        ("<=", 25, 25.0, True),
        ("<=", 25, 25.01, False),
        ("<", 300, 299.9, True),
        ("<", 300, 300.0, False),
        (">", 0, 0.0, False),
        ("==", 0, 0, True),
        ("==", 0, 1, False),
        ("<=", 2, 1.09, True),  # a ratio: background p95 over idle p95
        ("<=", 2, 5.69, False),
    ],
)
def test_target_comparison(op: str, value: float, measured: float, met: bool) -> None:
    target = Target(op, value, "issue 14")
    assert target.met(measured) is met
    assert runner.status_of(measured, target) == (runner.MET if met else runner.MISSED)


def test_an_unknown_comparison_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown comparison"):
        Target("~", 1, "issue 1").met(1)


def test_a_missing_figure_is_a_dash_never_a_tick() -> None:
    bench = Bench(
        "load", "load.py", figures=(Figure("idle.ask.rps", "questions/s", Target(">=", 50, "i14")),)
    )
    (row,) = runner.rows_for(bench, runner.Outcome("load", 0, figures={}), quick=False)
    assert (row.measured, row.status) == ("—", "—")
    assert row.target == "≥ 50 (i14)"
    (row,) = runner.rows_for(bench, runner.Outcome("load", 0, figures={"idle.ask.rps": None}), quick=False)
    assert row.status == "—"


def test_a_figure_without_target_is_shown_with_a_dash() -> None:
    bench = Bench("auth", "auth.py", figures=(Figure("login_ms", "login ms", digits=0),))
    (row,) = runner.rows_for(bench, runner.Outcome("auth", 0, figures={"login_ms": 171.4}), quick=False)
    assert (row.measured, row.target, row.status) == ("171", "", "—")


def test_quick_leaves_out_what_only_the_full_run_measures() -> None:
    bench = Bench(
        "retrieval",
        "retrieval.py",
        figures=(
            Figure("10000.ratio_p95", "10k ratio", Target("<=", 1.3, "i4")),
            Figure("100000.ratio_p95", "100k ratio", Target("<=", 1.3, "i4"), quick=False),
        ),
    )
    outcome = runner.Outcome("retrieval", 0, figures={"10000.ratio_p95": 1.02})
    assert [r.figure for r in runner.rows_for(bench, outcome, quick=True)] == ["10k ratio"]
    full = runner.rows_for(bench, outcome, quick=False)
    assert [(r.measured, r.status) for r in full] == [("1.02", "✓"), ("—", "—")]


def test_the_table_has_one_row_per_figure_with_its_status() -> None:
    rows = [
        runner.Row("embed", "pipeline / raw", "1.045", "≥ 0.9 (issue 4)", "✓"),
        runner.Row("load", "questions/s", "33.3", "≥ 50 (issue 14)", "✗"),
    ]
    lines = runner.render(rows).splitlines()
    assert re.fullmatch(r"\| benchmark +\| figure +\| measured +\| target +\| ✓/✗/— \|", lines[0])
    assert set(lines[1]) <= {"|", "-"}
    assert lines[2].startswith("| embed ") and lines[2].endswith("| ✓     |")
    assert "| 33.3 " in lines[3] and lines[3].endswith("| ✗     |")


def test_every_real_benchmark_exists_writes_a_summary_and_has_valid_targets() -> None:
    names = [b.name for b in targets.BENCHES]
    assert len(names) == len(set(names))
    for bench in targets.BENCHES:
        text = (BENCH / bench.script).read_text(encoding="utf-8")
        assert "--summary" in text or "add_option" in text, bench.name
        keys = [f.key for f in bench.figures]
        assert bench.figures and len(keys) == len(set(keys)), bench.name
        for figure in bench.figures:
            assert figure.target is None or figure.target.op in targets.OPS, (bench.name, figure.key)


SCRIPT = """\
import json, sys
from pathlib import Path
summary = Path(sys.argv[sys.argv.index("--summary") + 1])
"""


def _fake(folder: Path, name: str, body: str) -> str:
    (folder / f"{name}.py").write_text(SCRIPT + textwrap.dedent(body), encoding="utf-8")
    return f"{name}.py"


def test_a_failing_benchmark_is_reported_with_its_exit_code_and_the_run_goes_on(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    fast = Target(">=", 50, "issue 14")
    benches = [
        Bench(
            "broken",
            _fake(scripts, "broken", 'print("working"); raise SystemExit(3)'),
            figures=(Figure("rps", "req/s", fast),),
        ),
        Bench(
            "good",
            _fake(
                scripts,
                "good",
                f"""
                sys.path.insert(0, {str(BENCH)!r})
                import summary as s
                assert sys.argv[1:3] == ["--rate", "fast"], sys.argv
                s.write(summary, {{"rps": 61.5, "p95": 420.0}})
                """,
            ),
            args=("--rate", "fast"),
            figures=(
                Figure("rps", "req/s", fast, digits=1),
                Figure("p95", "p95 ms", Target("<", 300, "i14")),
            ),
        ),
        Bench("silent", _fake(scripts, "silent", 'print("no summary")'), figures=(Figure("x", "x"),)),
    ]
    options = runner.Options(logs=tmp_path / "logs", bench_dir=scripts, timeout=120)
    outcomes, rows = runner.run_all(benches, options)

    assert [o.exit_code for o in outcomes] == [3, 0, 0]
    assert "working" in (tmp_path / "logs" / "broken.log").read_text(encoding="utf-8")
    assert outcomes[2].note == "no summary written"
    table = [(r.bench, r.figure, r.measured, r.status) for r in rows]
    assert table == [
        ("broken", "run", "failed (exit 3)", "✗"),
        ("broken", "req/s", "—", "—"),
        ("good", "req/s", "61.5", "✓"),
        ("good", "p95 ms", "420.00", "✗"),
        ("silent", "x", "—", "—"),
    ]


def test_a_benchmark_over_its_time_is_stopped_and_reported(tmp_path: Path) -> None:
    bench = Bench(
        "stuck", _fake(tmp_path, "stuck", "import time; time.sleep(120)"), figures=(Figure("x", "x"),)
    )
    options = runner.Options(logs=tmp_path / "logs", bench_dir=tmp_path, timeout=1)
    outcome = runner.run_bench(bench, options)
    assert outcome.exit_code is None and outcome.note.startswith("timed out after")
    (row, _) = runner.rows_for(bench, outcome, quick=False)
    assert row.measured.startswith("failed (no exit; timed out") and row.status == "✗"


def test_main_prints_the_table_writes_json_and_fails_on_a_missed_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner, "BENCH_DIR", tmp_path)
    body = 's = float(sys.argv[1]); summary.write_text(json.dumps({"figures": {"ratio": s}}))'
    benches = (
        Bench(
            "a",
            _fake(tmp_path, "a", body),
            args=("0.95",),
            figures=(Figure("ratio", "r", Target(">=", 0.9, "i4")),),
        ),
        Bench(
            "b",
            _fake(tmp_path, "b", body),
            args=("0.5",),
            figures=(Figure("ratio", "r", Target(">=", 0.9, "i4")),),
        ),
    )
    monkeypatch.setattr(runner, "BENCHES", benches)
    out = tmp_path / "out.json"
    logs = ["--logs", str(tmp_path / "logs")]
    assert runner.main(["--only", "a", "--json", str(out), *logs]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["status"] for r in data["rows"]] == ["✓"] and data["benches"][0]["exit_code"] == 0
    assert runner.main(["--only", "a,b", *logs]) == 1
    printed = capsys.readouterr().out
    assert "| b " in printed and "✗" in printed and "1 figure(s) off target" in printed
    with pytest.raises(SystemExit, match="unknown benchmark"):
        runner.main(["--only", "nope"])
