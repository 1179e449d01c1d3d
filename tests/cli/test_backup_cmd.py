"""`jurisgraph backup ...` end to end in process: create, list, verify (and a tampered copy),
restore into a new home (then `db current` is the backup's revision), refusal, prune."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from jurisgraph import migrations
from jurisgraph.backups import service
from jurisgraph.cli.main import app
from tests.fixtures.homes import container_at
from tests.fixtures.vectors import SPEC, read_temas, tema_points

runner = CliRunner()


@pytest.fixture(autouse=True)
def _quiet_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep logging as it is (warnings only) so outputs hold just the command's text."""
    monkeypatch.setattr("jurisgraph.cli.common.configure_logging", lambda *args, **kwargs: None)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    yield
    structlog.reset_defaults()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["backup", *args])
    return result.exit_code, result.output


def test_every_backup_command_has_help() -> None:
    for command in ("create", "verify", "restore", "list", "prune"):
        code, output = invoke(command, "--help")
        assert code == 0 and "Usage" in output, (command, output)
    code, output = invoke("restore", "--help")
    assert "--force" not in output


def test_backup_commands_end_to_end(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with container_at(home) as container:
        index = container.vector_index()
        index.ensure_collection(SPEC)
        index.upsert(SPEC, tema_points(read_temas(12)))
        index.set_alias("chunks", SPEC)
    backups = tmp_path / "backups"

    code, output = invoke("create", str(backups))
    assert code == 0, output
    assert "12 vector points" in output
    (folder,) = [p for p in backups.iterdir()]
    code, output = invoke("list", str(backups))
    assert code == 0 and folder.name in output and "12 points" in output

    assert service.last_verified(backups) is None
    code, output = invoke("verify", str(folder))
    assert code == 0 and "verified" in output, output
    verified = service.last_verified(backups)
    assert verified is not None and verified[0] == folder

    tampered = tmp_path / "tampered" / folder.name
    shutil.copytree(folder, tampered)
    with (tampered / "database" / "jurisgraph.sqlite3").open("r+b") as fh:
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 0xFF]))
    code, output = invoke("verify", str(tampered))
    assert code == 1
    assert "mismatch: checksum mismatch database/jurisgraph.sqlite3" in output and "FAILED" in output
    assert service.last_verified(tampered.parent) is None

    monkeypatch.setenv("JURISGRAPH_HOME", str(tmp_path / "new-home"))
    code, output = invoke("restore", str(folder))
    assert code == 0 and "12 vector points" in output, output
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 0 and f"current: {migrations.head_revision()}" in result.output
    code, output = invoke("restore", str(folder))
    assert code == 1 and "restore needs an empty target" in output

    code, output = invoke("create", str(backups))
    assert code == 0, output
    code, output = invoke("prune", str(backups), "--keep", "1")
    assert code == 0 and f"deleted {folder}" in output
    assert len(list(backups.iterdir())) == 1
    code, output = invoke("prune", str(backups), "--keep", "0")
    assert code != 0
