"""Backup, verify and restore times on the ingested bundled sample (SQLite + embedded vectors,
sparse only), against the time of the ingestion that built it.

Prints, for each step, seconds, the backup's size and MB/s, and each step's ratio to the
ingestion: a backup should cost a small fraction of rebuilding the corpus. With
``--database-url`` (two empty MySQL/MariaDB databases, comma-separated: source and target) the
same runs on a server database through ``mariadb-dump``. Usage::

    .venv/bin/python bench/backup.py [--repeat 3] [--database-url URL_SOURCE,URL_TARGET]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import summary

from jurisgraph import migrations
from jurisgraph.backups import service as backups
from jurisgraph.config import Settings, load_settings
from jurisgraph.datasets import service as datasets
from jurisgraph.logging import configure_logging
from jurisgraph.runtime import Container

T = TypeVar("T")


def settings_for(home: Path, database_url: str) -> Settings:
    settings = load_settings()
    settings.app.home = home
    settings.database.url = database_url
    settings.storage.path = None
    settings.vectors.path = None
    settings.vectors.qdrant_url = ""
    settings.llm.provider = "none"
    settings.embedding.provider = "local"
    settings.pipeline.embed_on_start = False
    return settings


def container_for(home: Path, database_url: str) -> Container:
    settings = settings_for(home, database_url)
    home.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.database_url)
    return Container.build(settings)


def timed(fn: Callable[..., T], *args: Any) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="", help="SOURCE_URL,TARGET_URL (empty databases)")
    summary.add_option(parser)
    args = parser.parse_args()
    source_url, target_url = [*args.database_url.split(",", 1), ""][:2] if args.database_url else ("", "")
    configure_logging("WARNING")
    work = Path(tempfile.mkdtemp(prefix="jurisgraph-bench-backup-"))
    try:
        source = container_for(work / "source", source_url)
        try:
            ingest_s, _ = timed(lambda: datasets.load_sample(source, dense=False))
            # a server target can be filled once only (restore wants it empty)
            targets = [target_url] if target_url else [""] * args.repeat
            creates, verifies, restores = [], [], []
            size = disk = 0
            for n in range(args.repeat):
                seconds, entry = timed(backups.create, source, work / "backups")
                creates.append(seconds)
                size = entry.size
                disk = sum(p.stat().st_blocks * 512 for p in entry.path.rglob("*") if p.is_file())
                seconds, problems = timed(backups.verify, source, entry.path)
                assert problems == [], problems
                verifies.append(seconds)
                if n < len(targets):
                    target = container_for(work / f"target-{n}", targets[n])
                    try:
                        seconds, _ = timed(backups.restore, target, entry.path)
                    finally:
                        target.close()
                    restores.append(seconds)
                shutil.rmtree(entry.path)
        finally:
            source.close()
        mb = size / 1e6
        kind = "mysql" if source_url else "sqlite"
        print(
            f"sample ({kind} + embedded vectors): backup {mb:.1f} MB ({disk / 1e6:.1f} MB on disk, "
            f"sparse copies); ingestion {ingest_s:.2f} s"
        )
        print(f"{'step':<8} {'median s':>9} {'MB/s':>8} {'of ingestion':>13}   runs")
        figures: dict[str, float] = {"ingest_s": ingest_s, "backup_mb": mb}
        for name, runs in (("create", creates), ("verify", verifies), ("restore", restores)):
            median = statistics.median(runs)
            print(
                f"{name:<8} {median:>9.2f} {mb / median:>8.1f} {median / ingest_s:>12.1%}   "
                + " ".join(f"{r:.2f}" for r in runs)
            )
            figures |= {f"{name}_s": median, f"{name}_of_ingestion": median / ingest_s}
        summary.write(args.summary, figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
