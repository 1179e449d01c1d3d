"""The bundled real STJ sample: a local mirror folder of the portal (see README.md here)."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent
CATALOG = SAMPLE_DIR / "catalog.json"


def sample_dir() -> Path:
    """The folder to hand to the mirror portal: ``catalog.json`` plus ``<dataset-slug>/<file>``."""
    return SAMPLE_DIR
