"""Where log lines go: a quiet console, every line in the log file, a helper process that repeats it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from jurisgraph.logging import LogSetup, configure_logging, current_setup


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_quiet_console_keeps_info_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log_file = tmp_path / "home" / "logs" / "jurisgraph.log"
    configure_logging("INFO", console_level="WARNING", log_file=log_file)
    log = structlog.get_logger("jurisgraph.test")
    log.info("resource_downloaded", slug="espelhos")
    log.warning("resource_skipped", slug="atas")

    console = capsys.readouterr().err
    assert "resource_skipped" in console
    assert "resource_downloaded" not in console
    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert [(line["event"], line["level"]) for line in lines] == [
        ("resource_downloaded", "info"),
        ("resource_skipped", "warning"),
    ]
    assert lines[0]["slug"] == "espelhos"


def test_verbose_console_shows_info(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    structlog.get_logger("jurisgraph.test").info("resource_downloaded")
    assert "resource_downloaded" in capsys.readouterr().err


def test_the_file_is_made_only_when_a_line_is_written(tmp_path: Path) -> None:
    log_file = tmp_path / "home" / "logs" / "jurisgraph.log"
    configure_logging("WARNING", console_level="WARNING", log_file=log_file)
    structlog.get_logger("jurisgraph.test").info("below_the_level")
    assert not log_file.parent.exists()


def test_a_helper_process_repeats_the_setup(tmp_path: Path) -> None:
    configure_logging("DEBUG", json=True, console_level="ERROR", log_file=tmp_path / "j.log")
    setup = current_setup()
    assert (
        LogSetup.from_argv(setup.to_argv()) == setup == LogSetup("DEBUG", True, "ERROR", tmp_path / "j.log")
    )
    configure_logging("INFO")
    assert LogSetup.from_argv(current_setup().to_argv()) == LogSetup("INFO", False, None, None)


def test_secrets_are_masked_in_structlog_and_stdlib_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "logs" / "jurisgraph.log"
    configure_logging("INFO", json=True, log_file=log_file)
    structlog.get_logger("jurisgraph.test").info(
        "connected", url="mysql+pymysql://jg:db-pass-123@db/jg", password="pw-login-456"
    )
    logging.getLogger("uvicorn.access").warning(
        "%s %s", "GET /x?token=tok-789-secret", "Authorization: Bearer jg_abcdef_0123456789"
    )
    written = log_file.read_text(encoding="utf-8") + capsys.readouterr().err
    for secret in ("db-pass-123", "pw-login-456", "tok-789-secret", "jg_abcdef_0123456789"):
        assert secret not in written
    assert "connected" in written and "GET /x?token=***" in written


def test_the_file_rolls_over_at_its_size_and_keeps_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jurisgraph.logging.LOG_FILE_BYTES", 2000)
    log_file = tmp_path / "logs" / "jurisgraph.log"
    configure_logging("INFO", console_level="ERROR", log_file=log_file)
    log = structlog.get_logger("rollover")
    for n in range(60):
        log.info("line", n=n, padding="x" * 40)
    files = sorted(log_file.parent.glob("jurisgraph.log*"))
    assert len(files) > 2
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    longest_line = max(len(line) + 1 for line in lines)
    assert all(f.stat().st_size < 2000 + longest_line for f in files)
    numbers = sorted(json.loads(line)["n"] for line in lines)
    assert numbers == list(range(60 - len(numbers), 60))  # the oldest rotated file is dropped first
