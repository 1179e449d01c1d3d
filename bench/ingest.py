"""Ingestion throughput on real STJ records (no embedding): parse, chunk+extract+store, graph, communities.

Builds a mirror folder from the real files in ``../shared/data/stj`` (all precedentes
qualificados, every íntegras metadata file, plus the bundled sample's espelhos, the only ones
in the raw portal schema), or from the bundled sample when that folder is absent, and ingests
it into fresh SQLite homes. The process stage (parse, chunk, extract, store, graph) is timed
whole, its graph rebuild also on its own, with parsing, chunking and extraction in the helper
process (overlapped with the database writes) and in the main process, in turn, ``--repeat``
times each; the medians and their ratio are printed (this machine's speed drifts by ±20%
from minute to minute, so one run says little). Communities are timed on their own, the
sparse index with ``--index`` (no dense embedding). Usage::

    .venv/bin/python bench/ingest.py [--records N] [--data DIR] [--repeat 3] [--mode both|helper|main]
                                     [--index] [--profile] [--keep]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from summary import add_option as add_summary_option
from summary import write as write_summary

from jurisgraph import migrations
from jurisgraph.config import Settings, load_settings
from jurisgraph.datasets import service
from jurisgraph.datasets import views as dataset_views
from jurisgraph.db import session_scope
from jurisgraph.logging import configure_logging
from jurisgraph.pipeline.stages import communities, download, graph, index, process, sync
from jurisgraph.pipeline.stages.selection import ResourceFilter
from jurisgraph.runtime import Container

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stj"
TARGET = 1000.0
PRECEDENTES = "precedentes-qualificados"
INTEGRAS = "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica"
T = TypeVar("T")


def csv_records(data: bytes) -> list[bytes]:
    """Whole records of a quoted CRLF CSV (a record may span lines), bytes unchanged."""
    records: list[bytes] = []
    pending: list[bytes] = []
    for line in data.split(b"\r\n"):
        pending.append(line)
        joined = b"\r\n".join(pending)
        if joined.count(b'"') % 2 == 0:
            if joined:
                records.append(joined)
            pending = []
    return records


def cut_temas(data: bytes, limit: int) -> tuple[bytes, int]:
    """``temas.csv`` keeping the rows of its first ``limit`` precedentes; and how many it holds."""
    rows = csv_records(data)
    kept, sequences = [rows[0]], set[bytes]()
    for row in rows[1:]:
        sequence = row.split(b";", 1)[0]
        if sequence not in sequences:
            if len(sequences) >= limit:
                continue
            sequences.add(sequence)
        kept.append(row)
    return b"\r\n".join(kept) + b"\r\n", len(sequences)


def build_mirror(data: Path | None, dest: Path, limit: int | None) -> dict[str, int]:
    """Write the mirror (``<slug>/<file>``) under ``dest``; returns records per dataset."""
    sample = service.sample_folder()
    budget = limit if limit is not None else 10**9
    counts: dict[str, int] = {}
    for folder in sorted(sample.glob("espelhos-*")):
        for path in sorted(folder.glob("*.json")):
            records = json.loads(path.read_text(encoding="utf-8"))[:budget]
            _write(dest / folder.name / path.name, json.dumps(records, ensure_ascii=False).encode())
            counts["espelhos"] = counts.get("espelhos", 0) + len(records)
            budget -= len(records)
    precedentes = (data / "precedentes") if data else sample / PRECEDENTES
    temas, kept = cut_temas((precedentes / "temas.csv").read_bytes(), max(budget, 0))
    _write(dest / PRECEDENTES / "temas.csv", temas)
    shutil.copy(precedentes / "processos.csv", dest / PRECEDENTES / "processos.csv")
    counts["precedentes"] = kept
    budget -= kept
    integras = (data / "integras") if data else sample / INTEGRAS
    for path in sorted(integras.glob("metadados*.json")):
        if budget <= 0:
            break
        records = json.loads(path.read_text(encoding="utf-8"))[:budget]
        _write(dest / INTEGRAS / path.name, json.dumps(records, ensure_ascii=False).encode())
        counts["integras"] = counts.get("integras", 0) + len(records)
        budget -= len(records)
    return counts


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


class Stopwatch:
    """Accumulated seconds of wrapped functions, by label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, label: str, fn: Callable[..., T]) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started

        return timed

    def run(self, label: str, fn: Callable[[], T]) -> T:
        return self.wrap(label, fn)()

    @contextmanager
    def timing(self, module: object, name: str, label: str) -> Iterator[None]:
        """Time every call of ``module.name`` (under ``label``) inside the block."""
        original = getattr(module, name)
        setattr(module, name, self.wrap(label, original))
        try:
            yield
        finally:
            setattr(module, name, original)


def settings_for(home: Path, helper: bool) -> Settings:
    settings = load_settings()
    settings.pipeline.prepare_in_helper = helper
    settings.app.home = home
    settings.database.url = ""
    settings.storage.path = None
    return settings


def ingest(
    container: Container, mirror: Path, watch: Stopwatch, *, with_index: bool
) -> process.ProcessReport:
    """sync + download, process (graph rebuild timed inside), communities, optionally the sparse index."""
    portal = service.open_configured_portal(container, str(mirror))
    ctx = service.context(container)
    try:
        watch.run("sync+download", lambda: (sync.run(ctx, portal), download.run(ctx, portal)))
    finally:
        portal.close()
    with watch.timing(graph, "rebuild", "graph"):
        report = watch.run("process", lambda: process.run(ctx, ResourceFilter()))
    watch.run("communities", lambda: communities.run(ctx))
    if with_index:
        watch.run("index", lambda: index.run(ctx, dense=False))
    return report


@dataclass
class Run:
    """One timed ingest into a fresh home."""

    helper: bool
    records: int
    seconds: dict[str, float]
    totals: dict[str, int]
    problems: list[str]

    @property
    def rate(self) -> float:
        return self.records / self.seconds["process"]


def one_run(work: Path, mirror: Path, number: int, *, helper: bool, with_index: bool, profile: bool) -> Run:
    settings = settings_for(work / f"home-{number}", helper=helper)
    settings.home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    container = Container.build(settings)
    watch = Stopwatch()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    try:
        report = ingest(container, mirror, watch, with_index=with_index)
    finally:
        if profiler:
            profiler.disable()
        with session_scope(container.sessions) as session:
            totals = dataset_views.corpus_counts(session)
        container.close()
    if profiler:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
    records = report.documents + report.records_skipped
    return Run(helper, records, watch.seconds, totals, report.failed + report.file_errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=None, help="at most this many records (default: all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the real STJ files")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each mode (default 3)")
    parser.add_argument(
        "--mode",
        choices=("both", "helper", "main"),
        default="both",
        help="prepare in the helper process, in the main process, or both in turn (default)",
    )
    parser.add_argument("--index", action="store_true", help="also time the sparse index (first run)")
    parser.add_argument("--profile", action="store_true", help="profile each run and print the hotspots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary homes and mirror")
    add_summary_option(parser)
    args = parser.parse_args()
    configure_logging("ERROR")
    data = args.data if (args.data / "precedentes" / "temas.csv").is_file() else None
    print(f"source: {data or 'bundled sample (shared data folder not found)'}")
    modes = {"both": [True, False], "helper": [True], "main": [False]}[args.mode]
    work = Path(tempfile.mkdtemp(prefix="jurisgraph-bench-"))
    try:
        counts = build_mirror(data, work / "mirror", args.records)
        print("records in the mirror: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        runs: list[Run] = []
        for _ in range(args.repeat):
            for helper in modes:  # alternating, so a slow spell of the machine hits both modes
                number = len(runs)
                run = one_run(
                    work,
                    work / "mirror",
                    number,
                    helper=helper,
                    with_index=args.index and number == 0,
                    profile=args.profile,
                )
                runs.append(run)
                print_run(run, first=number == 0)
        figures = summary(runs)
        write_summary(args.summary, figures | {"records": runs[0].records})
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def print_run(run: Run, *, first: bool) -> None:
    seconds = run.seconds
    if first:
        totals = run.totals
        print(
            f"records processed: {run.records}; corpus: {totals['documents']} documents, "
            f"{totals['nodes']} nodes, {totals['edges']} edges"
        )
        if "index" in seconds:
            print(f"sparse index (not counted, no dense vectors): {seconds['index']:.2f} s")
    where = "helper" if run.helper else "main  "
    graph_s = seconds.get("graph", 0.0)
    print(
        f"[{where}] parse+chunk+extract+store {seconds['process'] - graph_s:6.2f} s, graph {graph_s:5.2f} s"
        f" -> {run.rate:7,.0f} records/s; communities {seconds['communities']:5.2f} s"
    )
    if run.problems:
        print("problems: " + "; ".join(run.problems))


def summary(runs: list[Run]) -> dict[str, float]:
    print("parse+chunk+extract+graph, median of the runs (min-max):")
    figures: dict[str, float] = {}
    medians: dict[bool, float] = {}
    for helper in (True, False):
        rates = [run.rate for run in runs if run.helper == helper]
        if not rates:
            continue
        medians[helper] = statistics.median(rates)
        label = "helper process" if helper else "main process  "
        print(
            f"  {label} {medians[helper]:7,.0f} records/s ({min(rates):,.0f}-{max(rates):,.0f}), "
            f"{medians[helper] / TARGET:.2f}x the {TARGET:,.0f}/s target"
        )
        figures[f"{'helper' if helper else 'main'}_records_per_s"] = medians[helper]
    if len(medians) == 2:
        print(f"  helper / main process: {medians[True] / medians[False]:.2f}x")
        figures["helper_main_ratio"] = medians[True] / medians[False]
    communities_s = statistics.median(run.seconds["communities"] for run in runs)
    print(f"communities: median {communities_s:.2f} s")
    return figures | {"communities_s": communities_s}


if __name__ == "__main__":
    main()
