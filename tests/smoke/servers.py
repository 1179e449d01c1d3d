"""The environment of a `jurisgraph serve` process for smoke tests (the process itself:
:mod:`tests.fixtures.processes`; a relay that can cut a server off: :mod:`tests.fakes.tcp_proxy`)."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.processes import process_env

START_TIMEOUT_S = 120.0
ADMIN_EMAIL = "admin@localhost"
ADMIN_PASSWORD = "Adm1n-Smoke-Pass-9zQx"


def clean_env(home: Path, **variables: str) -> dict[str, str]:
    """The environment of a server process: none of the developer's settings, ``home``, ``variables``."""
    return process_env(
        {
            "JURISGRAPH_HOME": str(home),
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
            "JURISGRAPH_PORTAL_REQUEST_INTERVAL_S": "0",
            "JURISGRAPH_AUTH_QUERY_RATE_LIMIT": "1000/minute",
            "OMP_NUM_THREADS": "1",
            **variables,
        }
    )
