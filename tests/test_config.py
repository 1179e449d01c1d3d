"""Configuration: defaults, environment names, production checks, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from jurisgraph.config import Settings, load_settings
from jurisgraph.errors import ConfigError


def test_defaults_are_embedded(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("/home/jurisgraph.db")
    assert settings.vectors.qdrant_url == ""
    assert settings.llm.provider == "none"
    assert settings.embedding.provider == "local"
    assert settings.problems() == []
    # dev mode generates a persistent secret in the home folder
    assert len(settings.auth.jwt_secret.get_secret_value()) >= 32
    assert load_settings().auth.jwt_secret == settings.auth.jwt_secret


def test_original_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://u:pw@db:3306/jg")
    monkeypatch.setenv("EMBEDDING_BATCH_SIZE", "50")
    monkeypatch.setenv("EMBEDDING_CONCURRENCY", "4")
    monkeypatch.setenv("EMBEDDING_MAX_RETRIES", "7")
    monkeypatch.setenv("QDRANT_URL", "http://qdrant:6333")
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    settings = Settings()
    assert settings.database_url == "mysql+pymysql://u:pw@db:3306/jg"
    assert (settings.embedding.batch_size, settings.embedding.concurrency) == (50, 4)
    assert settings.embedding.max_retries == 7
    assert settings.vectors.qdrant_url == "http://qdrant:6333"
    assert settings.app.port == 9001
    assert settings.app.log_level == "DEBUG"


@pytest.mark.parametrize("secret", [None, "changeme", "short-but-not-default"])
def test_production_refuses_missing_weak_or_default_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    monkeypatch.setenv("JURISGRAPH_ENV", "production")
    if secret is not None:
        monkeypatch.setenv("JWT_SECRET", secret)
    settings = load_settings()
    with pytest.raises(ConfigError) as info:
        settings.validate_or_raise()
    assert "JWT_SECRET" in info.value.message


def test_production_reports_every_problem_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_ENV", "production")
    monkeypatch.setenv("ADMIN_PASSWORD", "admin")
    monkeypatch.setenv("JURISGRAPH_LLM_PROVIDER", "gemini")
    problems = load_settings().problems()
    joined = "\n".join(problems)
    assert "JWT_SECRET" in joined and "ADMIN_PASSWORD" in joined and "GEMINI_API_KEY" in joined


def test_production_accepts_a_strong_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_ENV", "production")
    monkeypatch.setenv("JWT_SECRET", "b" * 16 + "0123456789abcdef0123")
    monkeypatch.setenv("JURISGRAPH_APP_ALLOWED_HOSTS", '["juris.example.org"]')
    assert load_settings().problems() == []


def test_production_needs_a_list_of_allowed_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURISGRAPH_ENV", "production")
    monkeypatch.setenv("JWT_SECRET", "b" * 16 + "0123456789abcdef0123")
    assert load_settings().app.allowed_hosts == ["*"]
    assert any("JURISGRAPH_APP_ALLOWED_HOSTS" in p for p in load_settings().problems())


def test_masked_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql+pymysql://user:hunter2pass@db/jg")
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-very-secret")
    monkeypatch.setenv("JWT_SECRET", "x" * 40)
    text = repr(load_settings().masked())
    assert "hunter2pass" not in text and "AIza-very-secret" not in text and "x" * 40 not in text
    assert "***" in text


def test_every_field_has_a_description() -> None:
    settings = Settings()
    for section_name in Settings.model_fields:
        section = getattr(settings, section_name)
        for name, info in type(section).model_fields.items():
            assert info.description, f"{section_name}.{name} has no description"
