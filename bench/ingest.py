"""Ingestion throughput on real STJ records (no embedding): parse, chunk+extract+store, graph, communities.

Builds a mirror folder from the real files in ``../shared/data/stj`` (all precedentes
qualificados, every íntegras metadata file, plus the bundled sample's espelhos, the only ones
in the raw portal schema), or from the bundled sample when that folder is absent, and ingests
it into a fresh SQLite home. The process stage (parse, chunk, extract, store, graph) is timed
whole, its graph rebuild also on its own; by default parsing, chunking and extraction run in
the helper process, overlapped with the database writes (``--no-helper``: all in the main
process). Communities and the sparse index are timed on their own (no dense embedding). Usage::

    .venv/bin/python bench/ingest.py [--records N] [--data DIR] [--no-helper] [--profile] [--keep]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jurisgraph import migrations
from jurisgraph.config import Settings, load_settings
from jurisgraph.datasets import service
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

    def patch(self, module: object, name: str, label: str) -> None:
        """Time every call of ``module.name`` from now on (under ``label``)."""
        setattr(module, name, self.wrap(label, getattr(module, name)))


def settings_for(home: Path, helper: bool) -> Settings:
    settings = load_settings()
    settings.pipeline.prepare_in_helper = helper
    settings.app.home = home
    settings.database.url = ""
    settings.storage.path = None
    return settings


def ingest(container: Container, mirror: Path, watch: Stopwatch) -> process.ProcessReport:
    """sync + download, process (parse and graph rebuild timed inside), communities, sparse index."""
    portal = service.open_configured_portal(container, str(mirror))
    ctx = service.context(container)
    try:
        watch.run("sync+download", lambda: (sync.run(ctx, portal), download.run(ctx, portal)))
    finally:
        portal.close()
    watch.patch(graph, "rebuild", "graph")
    report = watch.run("process", lambda: process.run(ctx, ResourceFilter()))
    watch.run("communities", lambda: communities.run(ctx))
    watch.run("index", lambda: index.run(ctx, dense=False))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=None, help="at most this many records (default: all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the real STJ files")
    parser.add_argument("--profile", action="store_true", help="profile the run and print the hotspots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home and mirror")
    parser.add_argument(
        "--no-helper",
        action="store_true",
        help="parse, chunk and extract in the main process instead of a helper process",
    )
    args = parser.parse_args()
    configure_logging("ERROR")
    data = args.data if (args.data / "precedentes" / "temas.csv").is_file() else None
    print(f"source: {data or 'bundled sample (shared data folder not found)'}")
    work = Path(tempfile.mkdtemp(prefix="jurisgraph-bench-"))
    try:
        counts = build_mirror(data, work / "mirror", args.records)
        print("records in the mirror: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        settings = settings_for(work / "home", helper=not args.no_helper)
        settings.home.mkdir(parents=True, exist_ok=True)
        migrations.upgrade(settings.database_url)
        container = Container.build(settings)
        watch = Stopwatch()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        try:
            report = ingest(container, work / "mirror", watch)
        finally:
            if profiler:
                profiler.disable()
            totals = service.corpus_counts(container)
            container.close()
        report_figures(report, watch.seconds, totals, helper=not args.no_helper)
        if profiler:
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(30)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report_figures(
    report: process.ProcessReport, seconds: dict[str, float], totals: dict[str, int], *, helper: bool
) -> None:
    records = report.documents + report.records_skipped
    graph_s = seconds.get("graph", 0.0)
    stages = seconds["process"]
    rate = records / stages if stages else 0.0
    where = "helper process, overlapped with the writes" if helper else "main process"
    print(f"records processed: {report.documents} stored, {report.records_skipped} skipped")
    print(f"corpus: {totals['documents']} documents, {totals['nodes']} nodes, {totals['edges']} edges")
    print(f"sync+download                    {seconds['sync+download']:8.2f} s (not counted)")
    print(f"parse+chunk+extract+store        {stages - graph_s:8.2f} s (preparation in the {where})")
    print(f"graph rebuild                    {graph_s:8.2f} s")
    print(f"communities                      {seconds['communities']:8.2f} s")
    print(f"sparse index                     {seconds['index']:8.2f} s (not counted; no dense vectors)")
    print(
        f"parse+chunk+extract+graph: {rate:,.0f} records/s ({rate / TARGET:.2f}x the {TARGET:,.0f}/s target)"
    )
    if report.failed or report.file_errors:
        print("problems: " + "; ".join(report.failed + report.file_errors))


if __name__ == "__main__":
    main()
