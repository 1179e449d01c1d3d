"""The checks of preflight, one function per item; each returns a :class:`Check` and never raises.

A check's status is ``ok`` (✓), ``warn`` (! — worth a look, does not fail the run), ``fail`` (✗ —
the run exits non-zero) or ``skip`` (– — not applicable to this configuration).
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from jurisgraph import migrations
from jurisgraph.auth import service as auth_service
from jurisgraph.backups import service as backups_service
from jurisgraph.config import KNOWN_WEAK_SECRETS, MIN_SECRET_LENGTH
from jurisgraph.db import session_scope
from jurisgraph.engine.llm import ChatMessage, ChatRequest, Purpose
from jurisgraph.engine.vectors import parse_collection_name
from jurisgraph.errors import JurisgraphError
from jurisgraph.jobs import broker
from jurisgraph.runtime import Container

Status = Literal["ok", "warn", "fail", "skip"]
PREFLIGHT_PROMPT = "preflight-v1"


@dataclass(frozen=True)
class Check:
    """The outcome of one item."""

    name: str
    status: Status
    detail: str
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return asdict(self)


@dataclass(frozen=True)
class Options:
    """What the checks are asked to do beyond looking at the configuration."""

    online: bool = False
    backups_dir: Path | None = None
    backup_max_age_hours: float = 26.0
    min_free_gb: float = 2.0


CheckFn = Callable[[Container, Options], Check]


def _ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def _fail(name: str, detail: str) -> Check:
    return Check(name, "fail", detail)


def _error(exc: BaseException) -> str:
    if isinstance(exc, JurisgraphError):
        return exc.message
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip()


# -- configuration, database, secret, admin ------------------------------------------------------


def configuration(container: Container, options: Options) -> Check:
    """The settings pass the checks the server runs at startup."""
    problems = container.settings.problems()
    if problems:
        return _fail("configuration", " ".join(problems))
    env = container.settings.app.env
    return _ok("configuration", f"{env} settings valid")


def database(container: Container, options: Options) -> Check:
    """The database answers and is at the newest shipped revision."""
    try:
        container.check_database()
        current = migrations.current_revision(container.engine)
    except Exception as exc:
        return _fail("database", f"unreachable: {_error(exc)}")
    head = migrations.head_revision()
    if current != head:
        return _fail(
            "database", f"at revision {current or '(empty)'}, head is {head}: run `jurisgraph db upgrade`"
        )
    return _ok("database", f"reachable, migrations at head ({head})")


def jwt_secret(container: Container, options: Options) -> Check:
    """The session-token secret is long and not a known default."""
    secret = container.settings.auth.jwt_secret.get_secret_value()
    if not secret:
        return _fail("jwt_secret", "JWT_SECRET is not set")
    if secret.lower() in KNOWN_WEAK_SECRETS:
        return _fail("jwt_secret", "JWT_SECRET is a known default value")
    if len(secret) < MIN_SECRET_LENGTH:
        return _fail("jwt_secret", f"JWT_SECRET has {len(secret)} chars; at least {MIN_SECRET_LENGTH}")
    if len(set(secret)) < 8:
        return _fail("jwt_secret", "JWT_SECRET repeats a few characters; generate it (openssl rand -hex 32)")
    return _ok("jwt_secret", f"set, {len(secret)} chars")


def admin(container: Container, options: Options) -> Check:
    """At least one active admin account exists."""
    try:
        with session_scope(container.sessions) as session:
            count = auth_service.admin_count(session)
    except Exception as exc:
        return _fail("admin", f"cannot read accounts: {_error(exc)}")
    if count == 0:
        return _fail(
            "admin", "no admin account: `jurisgraph users create --role admin` or start the server once"
        )
    return _ok("admin", f"{count} admin account(s)")


# -- providers ------------------------------------------------------------------------------


def llm(container: Container, options: Options) -> Check:
    """The chat provider's key (and URL) are present; online: one minimal call through the gateway."""
    cfg = container.settings.llm
    if cfg.provider == "none":
        return Check("llm", "skip", "no LLM configured: answers are extractive")
    if cfg.provider == "gemini" and not cfg.gemini_api_key.get_secret_value():
        return _fail("llm", "GEMINI_API_KEY is not set (LLM provider gemini)")
    if cfg.provider == "openai" and not cfg.openai_base_url:
        return _fail("llm", "OPENAI_BASE_URL is not set (LLM provider openai)")
    if not options.online:
        return _ok("llm", f"{cfg.provider} key present (model {cfg.model}); --online calls it")
    request = ChatRequest(
        purpose=Purpose.CLASSIFY,
        messages=[ChatMessage("user", f"Responda apenas: ok ({uuid.uuid4().hex[:8]})")],
        prompt_version=PREFLIGHT_PROMPT,
        max_output_tokens=8,
    )
    try:
        reply = container.gateway().complete(request)
    except Exception as exc:
        return _fail("llm", f"{cfg.provider} call failed: {_error(exc)}")
    return _ok("llm", f"{cfg.provider} answered ({reply.model}, {reply.tokens_in}+{reply.tokens_out} tokens)")


def embedding(container: Container, options: Options) -> Check:
    """The embedding provider's key (and URL) are present; online: one query embedded."""
    cfg = container.settings.embedding
    llm_cfg = container.settings.llm
    if cfg.provider == "gemini" and not llm_cfg.gemini_api_key.get_secret_value():
        return _fail("embedding", "GEMINI_API_KEY is not set (embedding provider gemini)")
    if cfg.provider == "openai" and not (cfg.base_url or llm_cfg.openai_base_url):
        return _fail("embedding", "no OpenAI-compatible URL for the embedding provider openai")
    what = f"{cfg.provider} {cfg.model} ({cfg.dim}d)"
    if not options.online:
        return _ok("embedding", f"{what} configured; --online embeds a query")
    try:
        vector = container.embedder().embed_query("preflight")
    except Exception as exc:
        return _fail("embedding", f"{what} failed: {_error(exc)}")
    if vector.shape != (cfg.dim,):
        return _fail("embedding", f"{what} returned {vector.shape[-1]} dimensions")
    return _ok("embedding", f"{what} answered")


# -- stores ---------------------------------------------------------------------------------


def vectors(container: Container, options: Options) -> Check:
    """The vector store answers and every collection in use has the embedder's dimension."""
    dim = container.settings.embedding.dim
    try:
        container.check_vector_store()
        index = container.vector_index()
        aliases = index.aliases()
        names = index.list_collections()
    except Exception as exc:
        return _fail("vectors", f"unreachable: {_error(exc)}")
    live = sorted(set(aliases.values())) if aliases else names
    wrong = []
    for name in live:
        parsed = parse_collection_name(name)
        if parsed is not None and parsed[2] != dim:
            wrong.append(f"{name} ({parsed[2]}d)")
    where = "server" if container.settings.vectors.qdrant_url else "embedded"
    if wrong:
        return _fail(
            "vectors",
            f"{', '.join(wrong)} in use but the embedder gives {dim}d: re-index "
            "(`jurisgraph vectors reindex`) or point the aliases back",
        )
    return _ok("vectors", f"{where} reachable, {len(live)} collection(s) in use, all {dim}d")


def storage(container: Container, options: Options) -> Check:
    """The document storage (local folder or S3 bucket) takes, gives back and deletes an object."""
    probe = f"jurisgraph preflight {uuid.uuid4().hex}".encode()
    try:
        store = container.storage()
        stored = store.put(probe)
        try:
            if store.get(stored.key) != probe:
                return _fail("storage", f"{store.root} returned other bytes than were written")
        finally:
            store.delete(stored.key)
    except Exception as exc:
        return _fail("storage", f"{_where(container)} is not writable: {_error(exc)}")
    return _ok("storage", f"{store.root} writable ({store.kind})")


def _where(container: Container) -> str:
    cfg = container.settings.storage
    return f"s3://{cfg.s3_bucket}" if cfg.backend == "s3" else str(container.settings.storage_path)


def redis(container: Container, options: Options) -> Check:
    """Redis answers (only when REDIS_URL is set)."""
    url = container.settings.redis.url
    if not url:
        return Check("redis", "skip", "not configured: jobs and rate limits in process")
    try:
        broker.ping(url)
    except Exception as exc:
        return _fail("redis", f"unreachable: {_error(exc)}")
    return _ok("redis", "reachable")


def workers(container: Container, options: Options) -> Check:
    """Something runs the jobs: in-process when embedded, else workers that beat in the broker."""
    redis_cfg = container.settings.redis
    if not redis_cfg.url:
        return _ok("workers", "in-process")
    try:
        alive = broker.live_workers(redis_cfg.url, redis_cfg.key_prefix)
    except Exception as exc:
        return _fail("workers", f"cannot read the broker: {_error(exc)}")
    if alive == 0:
        return _fail(
            "workers", "no worker heartbeat in the broker in the last minute: start `jurisgraph worker`"
        )
    return _ok("workers", f"{alive} broker process(es) with a recent heartbeat")


def backups(container: Container, options: Options) -> Check:
    """The newest verified backup is recent enough."""
    if options.backups_dir is None:
        return Check(
            "backups", "warn", "no backup folder given (--backups or JURISGRAPH_BACKUP_DIR): not checked"
        )
    found = backups_service.last_verified(options.backups_dir)
    if found is None:
        return _fail("backups", f"no verified backup in {options.backups_dir}: `jurisgraph backup verify`")
    path, created = found
    hours = (datetime.now(UTC) - created).total_seconds() / 3600
    if hours > options.backup_max_age_hours:
        return _fail(
            "backups",
            f"newest verified backup {path.name} is {hours:.1f} h old"
            f" (max {options.backup_max_age_hours:g} h)",
        )
    return _ok("backups", f"{path.name} verified, {hours:.1f} h old")


def disk(container: Container, options: Options) -> Check:
    """Free space where the home (and local storage) live."""
    folders = {container.settings.home}
    if container.settings.storage.backend == "local":
        folders.add(container.settings.storage_path)
    lowest: tuple[float, Path] | None = None
    for folder in folders:
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        free = shutil.disk_usage(existing).free / 1e9
        if lowest is None or free < lowest[0]:
            lowest = (free, folder)
    assert lowest is not None
    free, folder = lowest
    if free < options.min_free_gb:
        return _fail("disk", f"{free:.1f} GB free under {folder} (min {options.min_free_gb:g} GB)")
    return _ok("disk", f"{free:.1f} GB free under {folder}")


ALL: tuple[CheckFn, ...] = (
    configuration,
    database,
    jwt_secret,
    admin,
    llm,
    embedding,
    vectors,
    storage,
    redis,
    workers,
    backups,
    disk,
)


def timed(fn: CheckFn, container: Container, options: Options) -> Check:
    """Run one check; an unexpected error is its failure, never the run's."""
    start = time.perf_counter()
    try:
        check = fn(container, options)
    except Exception as exc:  # a check must not take the others down
        check = _fail(fn.__name__, f"check crashed: {_error(exc)}")
    return Check(check.name, check.status, check.detail, round(time.perf_counter() - start, 3))
