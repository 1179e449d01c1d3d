"""The storage folder fills up during an ingestion (a size-limited tmpfs, mounted by the test as
root): the resources that do not fit fail with a clear error, no half-written file stays, the
database is consistent, and once space is freed the next run ends as a run that never lacked it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jurisgraph.datasets import service
from jurisgraph.db import session_scope
from jurisgraph.integrations.ckan.files import PART_SUFFIX, hash_file
from jurisgraph.models import Resource
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fakes.openai_server import FakeOpenAIServer
from tests.faults.commands import RUN_TIMEOUT_S, cli, finish, snapshot, variables
from tests.fixtures.homes import container_at
from tests.fixtures.processes import process_env
from tests.fixtures.store import integrity_problems
from tests.jobs.snapshots import table_snapshot, vector_snapshot

pytestmark = pytest.mark.slow

SMALL = "24k"  # two of the small mirror's four files fit, the 38 kB temas.csv never does
ROOMY = "512m"  # the embedded vector engine preallocates about 16 MB of mapped pages per collection
HOME_SIZE = "420k"  # the migrated SQLite database takes about 280 kB


def mount_device(folder: Path, size: str) -> Iterator[Path]:
    """``folder`` on its own tmpfs of ``size`` bytes (root only: skipped otherwise)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def small_device(tmp_path: Path) -> Iterator[Path]:
    """A storage folder of SMALL bytes."""
    yield from mount_device(tmp_path / "device", SMALL)


@pytest.fixture
def small_home(tmp_path: Path) -> Iterator[Path]:
    """A home folder of HOME_SIZE bytes: the migrated database fits, an ingestion does not."""
    yield from mount_device(tmp_path / "home-device", HOME_SIZE)


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_full_storage_folder_fails_cleanly_and_the_next_run_completes(
    tmp_path: Path, small_mirror: Path, small_device: Path
) -> None:
    with container_at(tmp_path / "reference", JURISGRAPH_PORTAL_URL=str(small_mirror)) as reference:
        assert service.ingest(reference, None, ResourceFilter(), dense=False).problems == []
        expected = table_snapshot(reference.engine), vector_snapshot(reference)

    variables = {"JURISGRAPH_PORTAL_URL": str(small_mirror), "JURISGRAPH_STORAGE_PATH": str(small_device)}
    with container_at(tmp_path / "home", **variables) as container:
        report = service.ingest(container, None, ResourceFilter(), dense=False)
        assert report.download is not None and report.download.failed
        assert all("no space left on the device" in failure for failure in report.download.failed)
        with session_scope(container.sessions) as session:
            rows = {
                r.name: (r.status, r.error_message, r.sha256, r.storage_path) for r in session.query(Resource)
            }
        failed = {name for name, (status, *_) in rows.items() if status == "error"}
        assert "temas.csv" in failed
        assert all("no space left on the device" in (rows[name][1] or "") for name in failed)
        # nothing half-written: no part file, and every stored file is whole and recorded
        files = stored_files(small_device)
        assert not [f for f in files if f.name.endswith(PART_SUFFIX)]
        recorded = {Path(path): sha for _, _, sha, path in rows.values() if path}
        for file in files:
            assert recorded.get(file) == hash_file(file)[0], file
        assert integrity_problems(container) == []

        subprocess.run(["mount", "-o", f"remount,size={ROOMY}", str(small_device)], check=True)
        assert service.ingest(container, None, ResourceFilter(), dense=False).problems == []
        assert (table_snapshot(container.engine), vector_snapshot(container)) == expected


def test_a_full_home_stops_the_ingest_command_with_a_clear_error_and_the_next_run_completes(
    tmp_path: Path, small_mirror: Path, small_home: Path, embeddings: FakeOpenAIServer
) -> None:
    finish(cli(process_env(variables(tmp_path / "reference", embeddings, small_mirror)), "ingest"))
    expected = snapshot(tmp_path / "reference")
    env = process_env(
        {
            **variables(small_home, embeddings, small_mirror),
            "JURISGRAPH_STORAGE_PATH": str(tmp_path / "files"),
        }
    )
    finish(cli(env, "db", "upgrade"))
    process = cli(env, "ingest")
    output = process.communicate(timeout=RUN_TIMEOUT_S)[0].decode(errors="replace")
    assert process.returncode == 1, output[-3000:]
    assert "disk is full" in output and "Traceback" not in output, output[-3000:]
    # consistent: whatever was committed is whole (the database only: the embedded vector engine
    # maps its files in memory and must not be opened on a full device)
    with container_at(small_home) as container:
        assert integrity_problems(container) == []

    subprocess.run(["mount", "-o", f"remount,size={ROOMY}", str(small_home)], check=True)
    finish(cli(env, "ingest"))
    assert snapshot(small_home) == expected
