"""`jurisgraph documents add|list|delete` on a fresh embedded home (the real local embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jurisgraph.cli.main import app
from tests.fixtures import documents as made

PASSWORD = "correct horse battery staple"


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_add_list_and_delete_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    run("users", "create-admin", "--email", "root@example.org", "--password", PASSWORD)
    brief = tmp_path / "recurso especial.pdf"
    brief.write_bytes(made.brief_pdf())
    # without --user: the only user
    added = run("documents", "add", str(brief))
    assert "embedded" in added and "3 pages" in added
    listed = run("documents", "list")
    assert "recurso especial.pdf" in listed and "embedded" in listed and "1 documents" in listed

    # a refused file: its reason, nothing added
    scanned = tmp_path / "digitalizada.pdf"
    scanned.write_bytes(made.image_only_pdf())
    refused = run("documents", "add", str(scanned), code=1)
    assert "no text layer" in refused
    assert "1 documents" in run("documents", "list")

    # with several users, the only admin; with several admins, say whose
    run("users", "create", "--email", "ana@example.org", "--password", PASSWORD)
    assert "1 documents" in run("documents", "list")
    assert "0 documents" in run("documents", "list", "--user", "ana@example.org")
    run("users", "create-admin", "--email", "bia@example.org", "--password", PASSWORD)
    assert "--user" in run("documents", "list", code=1)
    mine = run("documents", "list", "--user", "root@example.org")
    document_id = next(line.split()[1] for line in mine.splitlines() if "recurso especial.pdf" in line)
    assert "deleted document" in run("documents", "delete", document_id)
    assert "0 documents" in run("documents", "list", "--user", "root@example.org")
    assert "not found" in run("documents", "delete", document_id, code=1)
