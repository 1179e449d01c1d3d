"""The smoke steps, in order; each returns a :class:`Step` with its timing and never raises."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import httpx
from prometheus_client.parser import text_string_to_metric_families

Status = Literal["ok", "fail", "skipped"]
DOCUMENTS = "/api/v1/documents"
REQUIRED_METRIC = "jurisgraph_http_requests"
SMOKE_TEXT = (
    "Ementa de teste do smoke. Recurso especial. Direito do consumidor. "
    "A responsabilidade do fornecedor é objetiva, nos termos do art. 14 do CDC (Lei 8.078/1990)."
)


class StepFailed(Exception):
    """A step's check did not hold; the message says what was seen."""


@dataclass(frozen=True)
class Options:
    """Where and how to smoke-test."""

    base_url: str
    api_key: str
    email: str = ""
    password: str = ""
    metrics_token: str = ""
    query: str = "responsabilidade civil do fornecedor"
    timeout_s: float = 30.0
    document_timeout_s: float = 300.0
    headers: tuple[tuple[str, str], ...] = ()
    """Sent with every request (e.g. the header that routes to a canary)."""


@dataclass(frozen=True)
class Step:
    """The outcome of one step."""

    name: str
    status: Status
    detail: str
    ms: int

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return asdict(self)


@dataclass
class Report:
    """Every step of a run."""

    base_url: str
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no step failed (skipped steps pass)."""
        return all(step.status != "fail" for step in self.steps)

    @property
    def failed(self) -> list[str]:
        """The names of the failed steps, in order."""
        return [step.name for step in self.steps if step.status == "fail"]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "base_url": self.base_url,
            "ok": self.ok,
            "failed": self.failed,
            "steps": [s.as_dict() for s in self.steps],
        }


class Skip(Exception):
    """The step does not apply to this deployment."""


def _expect(response: httpx.Response, status: int = 200) -> Any:
    if response.status_code != status:
        raise StepFailed(
            f"{response.request.method} {response.request.url.path} answered {response.status_code}:"
            f" {response.text[:300]}"
        )
    return response.json() if "json" in response.headers.get("content-type", "") else response.text


class Smoke:
    """One run against ``options.base_url``."""

    def __init__(self, options: Options, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options
        self.client = httpx.Client(
            base_url=options.base_url.rstrip("/"),
            timeout=options.timeout_s,
            transport=transport,
            headers=dict(options.headers),
        )
        self.key_headers = {"Authorization": f"Bearer {options.api_key}"}
        self.poll_s = 1.0

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()

    # -- the steps ------------------------------------------------------------------------------

    def live(self) -> str:
        _expect(self.client.get("/health/live"))
        return "the process answers"

    def ready(self) -> str:
        response = self.client.get("/health/ready")
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        if response.status_code != 200:
            failing = body.get("failing") or []
            checks = body.get("checks") or {}
            named = "; ".join(f"{name}: {checks.get(name, '?')}" for name in failing)
            raise StepFailed(f"not ready ({response.status_code}): {named or response.text[:300]}")
        release = body.get("release") or {}
        return (
            f"database and vector store ok; version {release.get('version', '?')}"
            f" ({str(release.get('git_revision', '?'))[:12]}), schema {release.get('schema_revision', '?')},"
            f" embeddings {release.get('embedding_signature', '?')}"
        )

    def auth(self) -> str:
        anonymous = self.client.get("/api/v1/auth/me")
        if anonymous.status_code != 401:
            raise StepFailed(f"/api/v1/auth/me without credentials answered {anonymous.status_code}, not 401")
        me = _expect(self.client.get("/api/v1/auth/me", headers=self.key_headers))
        user = me.get("user", me) if isinstance(me, dict) else {}
        return f"API key accepted ({user.get('email', '?')}); anonymous refused"

    def login(self) -> str:
        if not (self.options.email and self.options.password):
            raise Skip("no --email/--password given")
        body = _expect(
            self.client.post(
                "/api/v1/auth/login", json={"email": self.options.email, "password": self.options.password}
            )
        )
        token = body.get("token") if isinstance(body, dict) else None
        if not token:
            raise StepFailed("login answered without a token")
        fresh = httpx.Client(
            base_url=self.client.base_url, timeout=self.options.timeout_s, headers=dict(self.options.headers)
        )
        try:
            _expect(fresh.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}))
        finally:
            fresh.close()
        return f"{self.options.email} signed in; the session token opens a protected route"

    def search(self) -> str:
        body = _expect(
            self.client.get(
                "/api/v1/search", params={"q": self.options.query, "k": 5}, headers=self.key_headers
            )
        )
        passages = body.get("passages") if isinstance(body, dict) else None
        if not passages:
            raise StepFailed(f"search for {self.options.query!r} found nothing")
        return f"{len(passages)} passages for {self.options.query!r}"

    def answer(self) -> str:
        body = _expect(
            self.client.post("/api/v1/ask", json={"question": self.options.query}, headers=self.key_headers)
        )
        citations = body.get("citations") if isinstance(body, dict) else None
        if not citations:
            raise StepFailed("the answer carries no citations")
        if not str(body.get("answer", "")).strip():
            raise StepFailed("the answer is empty")
        return (
            f"{body.get('answer_kind', '?')} answer with {len(citations)} citations (query {body.get('id')})"
        )

    def metrics(self) -> str:
        headers = (
            {"Authorization": f"Bearer {self.options.metrics_token}"} if self.options.metrics_token else {}
        )
        text = _expect(self.client.get("/metrics", headers=headers))
        if not isinstance(text, str):
            raise StepFailed("/metrics did not answer text")
        try:
            families = {family.name for family in text_string_to_metric_families(text)}
        except ValueError as exc:
            raise StepFailed(f"/metrics is not the Prometheus text format: {exc}") from exc
        if REQUIRED_METRIC not in families:
            raise StepFailed(f"/metrics has no {REQUIRED_METRIC}_total")
        return f"{len(families)} metric families"

    def document(self) -> str:
        spec = _expect(self.client.get("/openapi.json"))
        paths = spec.get("paths", {}) if isinstance(spec, dict) else {}
        if DOCUMENTS not in paths or "post" not in paths[DOCUMENTS]:
            raise Skip(f"the server has no {DOCUMENTS} (no uploads in this version)")
        part = ("smoke.txt", SMOKE_TEXT.encode(), "text/plain")
        response = self.client.post(DOCUMENTS, files=[("files", part)], headers=self.key_headers)
        if response.status_code not in (200, 201, 202):
            raise StepFailed(f"POST {DOCUMENTS} answered {response.status_code}: {response.text[:300]}")
        created = _document_of(response.json())
        doc_id = created.get("id")
        if doc_id is None:
            raise StepFailed(f"the upload answered no document id: {response.text[:200]}")
        deadline = time.monotonic() + self.options.document_timeout_s
        status = str(created.get("status", ""))
        try:
            while status != "embedded":
                if status == "error" or time.monotonic() > deadline:
                    error = created.get("error_message") or created.get("error") or ""
                    raise StepFailed(f"document {doc_id} stopped at {status or '?'} {error}".strip())
                time.sleep(self.poll_s)
                created = _document_of(
                    _expect(self.client.get(f"{DOCUMENTS}/{doc_id}", headers=self.key_headers))
                )
                status = str(created.get("status", ""))
        finally:
            self.client.delete(f"{DOCUMENTS}/{doc_id}", headers=self.key_headers)
        return f"document {doc_id} uploaded and embedded (then deleted)"


def _document_of(body: Any) -> dict[str, Any]:
    """The document of an upload or status reply: the object itself, the first of a list, or the
    first of ``documents`` / the ``document`` field."""
    if isinstance(body, list):
        body = body[0] if body else {}
    if isinstance(body, dict):
        if isinstance(body.get("documents"), list) and body["documents"]:
            body = body["documents"][0]
        elif isinstance(body.get("document"), dict):
            body = body["document"]
    return body if isinstance(body, dict) else {}


STEPS: tuple[str, ...] = ("live", "ready", "auth", "login", "search", "answer", "metrics", "document")


def run(options: Options, transport: httpx.BaseTransport | None = None, *, poll_s: float = 1.0) -> Report:
    """Every step in order; a failure does not stop the later ones (each says what it sees)."""
    smoke = Smoke(options, transport)
    smoke.poll_s = poll_s
    report = Report(options.base_url)
    try:
        for name in STEPS:
            step: Callable[[], str] = getattr(smoke, name)
            report.steps.append(_timed(name, step))
    finally:
        smoke.close()
    return report


def _timed(name: str, step: Callable[[], str]) -> Step:
    start = time.perf_counter()
    status: Status
    try:
        detail, status = step(), "ok"
    except Skip as exc:
        detail, status = str(exc), "skipped"
    except StepFailed as exc:
        detail, status = str(exc), "fail"
    except (httpx.HTTPError, ValueError) as exc:
        detail, status = f"{type(exc).__name__}: {exc}", "fail"
    return Step(name, status, detail, round((time.perf_counter() - start) * 1000))
