"""Configuration from environment variables (pydantic-settings), one section per concern.

Every field has one default and a description. The environment names of the original
system are kept (``DATABASE_URL``, ``JWT_SECRET``, ``GEMINI_API_KEY``, ``QDRANT_URL``,
``EMBEDDING_BATCH_SIZE``…); every other field reads ``JURISGRAPH_<SECTION>_<FIELD>``. With
nothing set, everything runs embedded under ``JURISGRAPH_HOME`` (default ``./var``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr

from jurisgraph.config.sections import (
    AppSettings,
    AuthSettings,
    DatabaseSettings,
    EmbeddingSettings,
    LlmSettings,
    PipelineSettings,
    PortalSettings,
    RedisSettings,
    StorageSettings,
    VectorSettings,
)
from jurisgraph.db import mask_url
from jurisgraph.errors import ConfigError

KNOWN_WEAK_SECRETS = frozenset(
    {
        "",
        "secret",
        "changeme",
        "change-me",
        "password",
        "jwt-secret",
        "your-secret",
        "dev",
        "development",
        "test",
        "default",
        "jurisgraph",
        "admin",
        "12345678",
        "supersecret",
    }
)
MIN_SECRET_LENGTH = 32
MIN_ADMIN_PASSWORD_LENGTH = 12


__all__ = [
    "KNOWN_WEAK_SECRETS",
    "MIN_ADMIN_PASSWORD_LENGTH",
    "MIN_SECRET_LENGTH",
    "AppSettings",
    "AuthSettings",
    "DatabaseSettings",
    "EmbeddingSettings",
    "LlmSettings",
    "PipelineSettings",
    "PortalSettings",
    "RedisSettings",
    "Settings",
    "StorageSettings",
    "VectorSettings",
    "load_settings",
]


class Settings(BaseModel):
    """The effective configuration: every section, read from the environment at startup."""

    app: AppSettings = Field(default_factory=AppSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vectors: VectorSettings = Field(default_factory=VectorSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    portal: PortalSettings = Field(default_factory=PortalSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)

    @property
    def public_read(self) -> bool:
        """Anonymous callers may read the public corpus: ``JURISGRAPH_AUTH_PUBLIC_READ``, or when it
        is not set, true except in production."""
        return self.auth.public_read if self.auth.public_read is not None else not self.is_production

    @property
    def is_production(self) -> bool:
        """True when ``JURISGRAPH_ENV=production``."""
        return self.app.env == "production"

    @property
    def home(self) -> Path:
        """Absolute home folder."""
        return self.app.home.expanduser().resolve()

    @property
    def database_url(self) -> str:
        """The configured database URL, or SQLite in the home folder."""
        return self.database.url or f"sqlite:///{self.home / 'jurisgraph.db'}"

    @property
    def vectors_path(self) -> Path:
        """Folder of the embedded Qdrant engine."""
        return self.vectors.path or self.home / "qdrant"

    @property
    def storage_path(self) -> Path:
        """Folder of the local storage backend."""
        return self.storage.path or self.home / "storage"

    @property
    def log_json(self) -> bool:
        """JSON logs in production unless forced."""
        return self.app.log_json if self.app.log_json is not None else self.is_production

    @property
    def log_file(self) -> Path | None:
        """The rotating log file under the home; None with JSON logs, which go to the console."""
        return None if self.log_json else self.home / "logs" / "jurisgraph.log"

    def problems(self) -> list[str]:
        """Every unsafe or inconsistent setting, each naming its variable (empty = fine)."""
        found: list[str] = []
        secret = self.auth.jwt_secret.get_secret_value()
        if self.is_production:
            if not secret:
                found.append("JWT_SECRET is not set (required in production).")
            elif secret.lower() in KNOWN_WEAK_SECRETS:
                found.append("JWT_SECRET is a known default value; generate one with `openssl rand -hex 32`.")
            elif len(secret) < MIN_SECRET_LENGTH:
                found.append(f"JWT_SECRET is too short ({len(secret)} chars; at least {MIN_SECRET_LENGTH}).")
            admin = self.auth.admin_password.get_secret_value()
            if admin and (len(admin) < MIN_ADMIN_PASSWORD_LENGTH or admin.lower() in KNOWN_WEAK_SECRETS):
                found.append(
                    f"ADMIN_PASSWORD is weak (at least {MIN_ADMIN_PASSWORD_LENGTH} chars, not a default)."
                )
            if not self.app.allowed_hosts or "*" in self.app.allowed_hosts:
                found.append(
                    "JURISGRAPH_APP_ALLOWED_HOSTS must list the public host names in production"
                    ' (e.g. ["juris.example.org"]).'
                )
            if self.app.workers > 1 and not self.database.url:
                found.append(
                    "JURISGRAPH_APP_WORKERS > 1 needs DATABASE_URL (a server database), not embedded SQLite."
                )
            if self.app.workers > 1 and not self.redis.url:
                found.append("JURISGRAPH_APP_WORKERS > 1 needs REDIS_URL for shared jobs and rate limits.")
        needs_gemini = self.llm.provider == "gemini" or self.embedding.provider == "gemini"
        if needs_gemini and not self.llm.gemini_api_key.get_secret_value():
            found.append("GEMINI_API_KEY is not set but a Gemini provider is configured.")
        if self.llm.provider == "openai" and not self.llm.openai_base_url:
            found.append("OPENAI_BASE_URL is not set but the openai LLM provider is configured.")
        if self.storage.backend == "s3" and not self.storage.s3_bucket:
            found.append("S3_BUCKET is not set but the s3 storage backend is configured.")
        if self.pipeline.chunk_overlap >= self.pipeline.chunk_size:
            found.append(
                "JURISGRAPH_PIPELINE_CHUNK_OVERLAP must be smaller than JURISGRAPH_PIPELINE_CHUNK_SIZE."
            )
        return found

    def validate_or_raise(self) -> None:
        """Raise :class:`ConfigError` listing every problem at once."""
        found = self.problems()
        if found:
            raise ConfigError("Invalid configuration:\n" + "\n".join(f"  - {p}" for p in found))

    def masked(self) -> dict[str, Any]:
        """The effective configuration as plain data, secrets replaced by ``***`` (or empty)."""
        data = self.model_dump(mode="json")
        for section in data.values():
            for key, value in list(section.items()):
                if isinstance(value, str) and _is_secret_field(key):
                    section[key] = "***" if value else ""
        data["database"]["url"] = mask_url(self.database_url)
        return data


def _is_secret_field(name: str) -> bool:
    return any(word in name for word in ("secret", "password", "api_key", "access_key"))


def load_settings() -> Settings:
    """Read the configuration from the environment (call at startup, never at import)."""
    settings = Settings()
    secret = settings.auth.jwt_secret.get_secret_value()
    if not secret and not settings.is_production:
        settings.auth.jwt_secret = SecretStr(_dev_secret(settings.home))
    return settings


def _dev_secret(home: Path) -> str:
    """A random JWT secret persisted in the home folder (dev only)."""
    import secrets

    path = home / ".jwt_secret"
    if path.exists():
        return path.read_text().strip()
    home.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value)
    path.chmod(0o600)
    return value
