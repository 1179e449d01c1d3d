"""Run every benchmark under bench/ and print one table: each key figure beside its target.

Usage: python bench/all.py [--quick] [--only NAME,...] [--json OUT] [--home DIR] [--timeout S]
                           [--logs DIR] [--list]       (or: make bench, make bench ARGS=--quick)

Each benchmark runs as its own process (``python bench/<script> ... --summary FILE``), so one that
fails or times out is reported with its exit code and the others still run. The scripts' arguments,
the figures read from their summaries and the targets, each with the issue it comes from, are in
``bench/targets.py``; ``bench/README.md`` says what every figure means. ``--quick`` gives each
script its smallest sensible arguments (about 10–15 minutes on a 2-core machine once the homes
exist); figures only the full run measures are then left out. ``retrieval_quality``, ``eval`` and
``load`` read the bundled sample ingested with dense vectors under ``--home`` (default
``var/bench-load/home``, what ``bench/load.py`` prepares; prepared once, in minutes, when missing).
Every script's output goes to ``--logs`` (default ``var/bench-all``). Exit status 1 when a benchmark
failed or a figure misses its target. On a machine shared with other work, run it under ``nice``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from targets import BENCHES, Bench, Figure, Target

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
DEFAULT_HOME = ROOT / "var" / "bench-load" / "home"
DEFAULT_LOGS = ROOT / "var" / "bench-all"
READY = ".bench-ready"  # the marker bench/load.py writes once its home is prepared
PREPARE = "import sys; from pathlib import Path; import load; load.prepare(Path(sys.argv[1]))"

MET, MISSED, NONE = "✓", "✗", "—"
SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


@dataclass
class Outcome:
    """How one benchmark run ended and the figures its summary holds."""

    name: str
    exit_code: int | None  # None: it did not run to an exit (timed out, or not started)
    seconds: float = 0.0
    figures: dict[str, float | None] = field(default_factory=dict)
    log: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


@dataclass(frozen=True)
class Row:
    bench: str
    figure: str
    measured: str
    target: str
    status: str
    value: float | None = None


@dataclass
class Options:
    quick: bool = False
    home: Path = DEFAULT_HOME
    logs: Path = DEFAULT_LOGS
    timeout: float = 3600.0
    python: str = sys.executable
    bench_dir: Path = BENCH_DIR
    homes_ready: dict[str, str | None] = field(default_factory=dict)  # home -> error, once per run


def status_of(value: float | None, target: Target | None) -> str:
    """✓ or ✗ against the target; — when there is no target or nothing was measured."""
    if target is None or value is None:
        return NONE
    return MET if target.met(value) else MISSED


def show_value(value: float | None, digits: int) -> str:
    if value is None:
        return NONE
    if isinstance(value, int) or digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def show_target(target: Target | None) -> str:
    if target is None:
        return ""
    return f"{SYMBOLS[target.op]} {target.value:g} ({target.source})"


def rows_for(bench: Bench, outcome: Outcome, *, quick: bool) -> list[Row]:
    """The table rows of one benchmark: a row for a failed run, then one per key figure."""
    rows: list[Row] = []
    if not outcome.ok:
        what = f"exit {outcome.exit_code}" if outcome.exit_code is not None else "no exit"
        measured = f"failed ({what}{'; ' + outcome.note if outcome.note else ''})"
        rows.append(Row(bench.name, "run", measured, "exit 0", MISSED))
    for figure in bench.figures:
        if quick and not figure.quick:
            continue
        rows.append(row_for(bench.name, figure, outcome.figures.get(figure.key)))
    return rows


def row_for(bench: str, figure: Figure, value: float | None) -> Row:
    return Row(
        bench,
        figure.label,
        show_value(value, figure.digits),
        show_target(figure.target),
        status_of(value, figure.target),
        value,
    )


def render(rows: Sequence[Row]) -> str:
    """One markdown table: benchmark | figure | measured | target | ✓/✗/—."""
    header = ("benchmark", "figure", "measured", "target", "✓/✗/—")
    cells = [header] + [(r.bench, r.figure, r.measured, r.target, r.status) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c[i].ljust(widths[i]) for i in range(len(header))) + " |" for c in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def child_env(bench: Bench, options: Options) -> dict[str, str]:
    """This checkout's ``src`` first on the path; the home for the scripts that read one."""
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    for key, value in bench.env.items():
        env.setdefault(key, value)
    if bench.needs_home:
        env["JURISGRAPH_HOME"] = str(options.home)
    return env


def command_for(bench: Bench, options: Options, summary: Path) -> list[str]:
    args = list(bench.quick_args if options.quick else bench.args)
    if bench.home_arg:
        args += ["--home", str(options.home)]
    return [options.python, str(options.bench_dir / bench.script), *args, "--summary", str(summary)]


def run_process(
    command: list[str], *, env: dict[str, str], log: Path, timeout: float, cwd: Path = BENCH_DIR
) -> tuple[int | None, str]:
    """Run ``command`` with its output in ``log``; (exit code, note). A process that outlives
    ``timeout`` is stopped with its whole process group: (None, "timed out ...")."""
    with log.open("w", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
        )
        try:
            return proc.wait(timeout=timeout), ""
        except subprocess.TimeoutExpired:
            _stop(proc)
            return None, f"timed out after {timeout:.0f} s"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


def ensure_home(options: Options) -> str | None:
    """Prepare the shared sample home once (bench/load.py's ``prepare``); an error or None."""
    key = str(options.home)
    if key not in options.homes_ready:
        if (options.home / READY).exists():
            options.homes_ready[key] = None
        else:
            print(f"preparing {options.home} (the sample, dense vectors included; minutes) ...", flush=True)
            log = options.logs / "prepare-home.log"
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
            )
            command = [options.python, "-c", PREPARE, str(options.home)]
            code, note = run_process(
                command, env=env, log=log, timeout=options.timeout, cwd=options.bench_dir
            )
            options.homes_ready[key] = (
                None if code == 0 else f"home not prepared ({note or f'exit {code}'}; {log})"
            )
    return options.homes_ready[key]


def run_bench(bench: Bench, options: Options) -> Outcome:
    """Run one benchmark as its own process and read its summary."""
    options.logs.mkdir(parents=True, exist_ok=True)
    log = options.logs / f"{bench.name}.log"
    summary = options.logs / f"{bench.name}.json"
    summary.unlink(missing_ok=True)
    if bench.needs_home or bench.home_arg:
        problem = ensure_home(options)
        if problem is not None:
            return Outcome(bench.name, None, log=str(log), note=problem)
    started = time.perf_counter()
    code, note = run_process(
        command_for(bench, options, summary),
        env=child_env(bench, options),
        log=log,
        timeout=options.timeout,
        cwd=options.bench_dir,
    )
    outcome = Outcome(bench.name, code, time.perf_counter() - started, log=str(log), note=note)
    if summary.exists():
        try:
            outcome.figures = dict(json.loads(summary.read_text(encoding="utf-8"))["figures"])
        except (ValueError, KeyError, TypeError) as exc:
            outcome.note = f"unreadable summary: {exc}"
    elif code == 0:
        outcome.note = "no summary written"
    return outcome


def select(names: str | None, benches: Sequence[Bench]) -> list[Bench]:
    if not names:
        return list(benches)
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {b.name: b for b in benches}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in wanted]


def run_all(benches: Sequence[Bench], options: Options) -> tuple[list[Outcome], list[Row]]:
    """Run each benchmark in turn (a failure does not stop the run); the outcomes and the table rows."""
    outcomes: list[Outcome] = []
    rows: list[Row] = []
    for n, bench in enumerate(benches, 1):
        print(f"[{n}/{len(benches)}] {bench.name} ...", flush=True)
        outcome = run_bench(bench, options)
        state = "ok" if outcome.ok else f"FAILED (exit {outcome.exit_code}) {outcome.note}".rstrip()
        print(
            f"[{n}/{len(benches)}] {bench.name}: {state} in {outcome.seconds:.0f} s; log {outcome.log}",
            flush=True,
        )
        outcomes.append(outcome)
        rows += rows_for(bench, outcome, quick=options.quick)
    return outcomes, rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="each script's smallest sensible arguments")
    parser.add_argument("--only", default=None, help="comma-separated benchmark names (see --list)")
    parser.add_argument("--json", type=Path, default=None, help="write the outcomes and the table as JSON")
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME, help="the prepared sample home")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed to each benchmark")
    parser.add_argument("--logs", type=Path, default=DEFAULT_LOGS, help="folder of each script's output")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their commands")
    args = parser.parse_args(argv)
    benches = select(args.only, BENCHES)
    options = Options(
        quick=args.quick,
        home=args.home.resolve(),
        logs=args.logs.resolve(),
        timeout=args.timeout,
        bench_dir=BENCH_DIR,
    )
    if args.list:
        for bench in benches:
            command = command_for(bench, options, Path("FILE"))[1:]
            command[0] = str(Path(command[0]).relative_to(ROOT))
            print(f"{bench.name:<18} python {' '.join(command)}")
        return 0
    started = time.perf_counter()
    outcomes, rows = run_all(benches, options)
    print()
    print(render(rows))
    failed = [o.name for o in outcomes if not o.ok]
    missed = sum(r.status == MISSED for r in rows) - len(failed)
    names = f" ({', '.join(failed)})" if failed else ""
    print(
        f"\n{len(outcomes)} benchmark(s) in {time.perf_counter() - started:.0f} s"
        f"{' (quick)' if args.quick else ''}: {len(failed)} failed{names}, "
        f"{missed} figure(s) off target; logs in {options.logs}"
    )
    if args.json:
        data = {
            "quick": args.quick,
            "benches": [asdict(o) for o in outcomes],
            "rows": [asdict(r) for r in rows],
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failed or missed else 0


if __name__ == "__main__":
    sys.exit(main())
