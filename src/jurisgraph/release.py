"""What is running: the app version, the git revision it was built from, the database's schema
revision and the embedding signature (``jurisgraph version`` and ``/health/ready`` show them).

The git revision comes from ``JURISGRAPH_GIT_REVISION`` (baked into the image at build time), else
from ``git rev-parse HEAD`` when the package runs from a checkout, else ``"unknown"``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from jurisgraph import __version__, migrations
from jurisgraph.config import Settings
from jurisgraph.db import Engine
from jurisgraph.engine.embedding import ModelSignature

GIT_REVISION_ENV = "JURISGRAPH_GIT_REVISION"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class BuildInfo:
    """The identity of a running deployment."""

    version: str
    git_revision: str
    schema_revision: str
    schema_head: str
    embedding_signature: str

    def as_dict(self) -> dict[str, str]:
        """Plain data for JSON."""
        return asdict(self)


def git_revision() -> str:
    """The baked-in revision, else the checkout's ``HEAD``, else ``"unknown"``."""
    baked = os.environ.get(GIT_REVISION_ENV, "").strip()
    if baked:
        return baked
    return _checkout_revision(Path(__file__).resolve().parent)


@lru_cache(maxsize=4)
def _checkout_revision(folder: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    revision = done.stdout.strip()
    return revision if done.returncode == 0 and revision else UNKNOWN


def embedding_signature(settings: Settings) -> str:
    """The slug of the configured embedding space (vectors of different slugs are incomparable)."""
    cfg = settings.embedding
    return ModelSignature(cfg.provider, cfg.model, cfg.dim).slug


def schema_revision(engine: Engine) -> str:
    """The database's revision, ``"empty"`` when never migrated, ``"unknown"`` when unreachable."""
    try:
        return migrations.current_revision(engine) or "empty"
    except Exception:  # the database does not answer: the identity is still worth showing
        return UNKNOWN


def build_info(settings: Settings, engine: Engine | None) -> BuildInfo:
    """Everything ``jurisgraph version`` prints (``engine`` None: the schema revision is not read)."""
    return BuildInfo(
        version=__version__,
        git_revision=git_revision(),
        schema_revision=schema_revision(engine) if engine is not None else UNKNOWN,
        schema_head=migrations.head_revision() or "empty",
        embedding_signature=embedding_signature(settings),
    )
