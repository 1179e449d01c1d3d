"""``--summary FILE``: the key figures of a benchmark as JSON, for ``bench/all.py``.

The file holds ``{"figures": {name: number or null}}``; names are the ones ``bench/targets.py``
reads (``bench/README.md`` says what each one means).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--summary", type=Path, default=None, help="write the key figures as JSON to FILE (bench/all.py)"
    )


def write(path: Path | None, figures: Mapping[str, float | int | None]) -> None:
    """Write ``figures`` to ``path`` (nothing when no path was asked for)."""
    if path is not None:
        path.write_text(json.dumps({"figures": dict(figures)}, indent=1), encoding="utf-8")
