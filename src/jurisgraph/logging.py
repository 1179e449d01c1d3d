"""structlog configuration: a quiet console, a log file under the home, JSON lines in production.

A request id (and any other bound context) is carried through ``structlog.contextvars`` and
appears on every line logged while handling that request or job (``job_id`` in jobs). Secrets
(API keys, bearer tokens and JWTs, Authorization headers, URL passwords, values of secret-named
keys) are masked in every line, ours and the standard library's (:mod:`jurisgraph.kit.redact`).

Where lines go (:func:`configure_logging`):

- the console (stderr) shows ``console_level`` and above — warnings for CLI commands unless
  ``--verbose``; the configured level for servers and in production (JSON lines for collectors);
- the log file, when given, keeps every line at the configured level as JSON, rotated by size.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from dataclasses import dataclass
from io import TextIOWrapper
from pathlib import Path

import structlog

from jurisgraph.kit.redact import redact_event

#: The longest traceback text of one log line: its head and its end are kept.
MAX_TRACEBACK_CHARS = 8000

#: Size of the log file before it is rotated, and how many rotated files are kept.
LOG_FILE_BYTES = 10 * 1024 * 1024
LOG_FILE_BACKUPS = 5


@dataclass(frozen=True)
class LogSetup:
    """What :func:`configure_logging` was asked for; a helper process repeats it."""

    level: str = "INFO"
    json: bool = False
    console_level: str | None = None
    log_file: Path | None = None

    def to_argv(self) -> list[str]:
        """Four command-line words that :meth:`from_argv` reads back."""
        return [self.level, "1" if self.json else "0", self.console_level or "-", str(self.log_file or "-")]

    @classmethod
    def from_argv(cls, argv: list[str]) -> LogSetup:
        """The setup written by :meth:`to_argv`."""
        level, json, console, path = argv
        return cls(
            level, json == "1", None if console == "-" else console, None if path == "-" else Path(path)
        )


_current = LogSetup(level="WARNING")


def current_setup() -> LogSetup:
    """The setup of the last :func:`configure_logging` call (warnings only before any)."""
    return _current


def _level(name: str | None, default: int) -> int:
    numeric = logging.getLevelName(name.upper()) if name else default
    return numeric if isinstance(numeric, int) else default


def configure_logging(
    level: str = "INFO", *, json: bool = False, console_level: str | None = None, log_file: Path | None = None
) -> None:
    """Configure structlog and the standard library's logging, at startup of a process.

    ``console_level`` (default: ``level``) filters what reaches stderr; ``log_file`` receives
    everything at ``level`` (created, with its folder, at the first line written to it).
    """
    global _current
    _current = LogSetup(level, json, console_level, log_file)
    numeric = _level(level, logging.INFO)
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(_formatter(shared, json=json))
    console.setLevel(max(numeric, _level(console_level, numeric)))
    handlers: list[logging.Handler] = [console]
    if log_file is not None:
        to_file = _LogFile(
            log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8", delay=True
        )
        to_file.setFormatter(_formatter(shared, json=True))
        to_file.setLevel(numeric)
        handlers.append(to_file)
    root = logging.getLogger()
    for old in root.handlers:
        old.close()
    root.handlers[:] = handlers
    root.setLevel(numeric)
    for noisy in ("httpx", "httpcore", "alembic", "multipart"):
        logging.getLogger(noisy).setLevel(max(numeric, logging.WARNING))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class _LogFile(logging.handlers.RotatingFileHandler):
    """A rotating log file whose folder is made when the first line is written. A line that
    cannot be written (a full disk) is reported once on stderr, in one line, and lost; the
    process goes on."""

    _reported = False
    _regular: bool | None = None

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 (logging's name)
        """Roll over once the file has reached its size. The standard handler formats every line
        a second time to predict its size and looks the path up on disk for each line; a file
        may here exceed its size by one line instead."""
        if self.stream is None:
            self.stream = self._open()
        if self._regular is None:
            self._regular = Path(self.baseFilename).is_file()
        return self._regular and self.maxBytes > 0 and self.stream.tell() >= self.maxBytes

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if self._reported:
            return
        self._reported = True
        error = sys.exc_info()[1]
        sys.stderr.write(f"log file {self.baseFilename} cannot be written ({error}); its lines are lost\n")

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def compact_traceback(exc_info: BaseException | tuple[object, ...] | bool | None) -> str | None:
    """A plain traceback (no local variables), at most :data:`MAX_TRACEBACK_CHARS` long."""
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        error: BaseException | None = exc_info
    elif isinstance(exc_info, tuple) and len(exc_info) == 3 and isinstance(exc_info[1], BaseException):
        error = exc_info[1]
    else:
        error = None
    if error is None:
        return None
    text = "".join(traceback.format_exception(error, limit=30)).rstrip("\n")
    if len(text) > MAX_TRACEBACK_CHARS:
        half = MAX_TRACEBACK_CHARS // 2
        text = f"{text[:half]}\n… ({len(text) - 2 * half} characters left out) …\n{text[-half:]}"
    return text


def _compact_exc_info(
    logger: object, method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """Replace ``exc_info`` by a compact plain ``exception`` text: rendering a traceback with its
    local variables in a request path took seconds and hundreds of kilobytes per error."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        text = compact_traceback(exc_info)
        if text:
            event_dict["exception"] = text
    return event_dict


def _redact_secrets(
    logger: object, method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """Mask secrets in every line, ours and the standard library's (uvicorn, httpx): API keys,
    bearer tokens and JWTs, Authorization headers, URL passwords, values of secret-named keys."""
    return redact_event(event_dict)


def _formatter(shared: list[structlog.types.Processor], *, json: bool) -> logging.Formatter:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _compact_exc_info,
            _redact_secrets,
            renderer,
        ],
    )
