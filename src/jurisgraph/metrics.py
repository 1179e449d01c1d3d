"""Prometheus metrics of the service, exposed at ``/metrics``.

One process (no ``PROMETHEUS_MULTIPROC_DIR``): the families live in :data:`REGISTRY` and a scrape
renders it. Several processes (``jurisgraph serve --workers N``, workers): every process writes its
values to files in the folder named by ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's
multiprocess mode, chosen when the library is imported, so the variable must be set before the
process starts) and a scrape of any process aggregates every file with ``MultiProcessCollector``:
counters and histograms add up, gauges follow their ``multiprocess_mode``.

Values that belong to the deployment rather than to a process (jobs by status, the configured
daily LLM budget) are computed at scrape time by :class:`ScrapeTimeCollector`.

Families (all prefixed ``jurisgraph_``): HTTP requests and latency by route template and status;
pipeline stage durations and items; jobs by status; LLM calls, tokens and cost by provider, model
and purpose (errors are calls whose status is not ``ok``/``cached``); embedding batches, texts and
latency; vector-store latency by operation; RAG query latency by mode; readiness by component.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

P = ParamSpec("P")
R = TypeVar("R")

#: the environment variable of prometheus-client's multiprocess mode (a folder shared by processes)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REGISTRY = CollectorRegistry(auto_describe=True)

if _folder := os.environ.get(MULTIPROC_ENV, "").strip():
    # prometheus-client writes its files there from the first value on: a missing folder would fail
    Path(_folder).mkdir(parents=True, exist_ok=True)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_SLOW_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

HTTP_REQUESTS = Counter(
    "jurisgraph_http_requests_total",
    "HTTP requests by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "jurisgraph_http_request_duration_seconds",
    "HTTP request latency by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
    buckets=_LATENCY_BUCKETS,
)
PIPELINE_RECORDS = Counter(
    "jurisgraph_pipeline_records_total",
    "Records processed by pipeline stage and outcome.",
    ["stage", "outcome"],
    registry=REGISTRY,
)
PIPELINE_STAGE_DURATION = Histogram(
    "jurisgraph_pipeline_stage_duration_seconds",
    "Duration of pipeline stages by stage and outcome (ok or failed).",
    ["stage", "outcome"],
    registry=REGISTRY,
    buckets=_SLOW_BUCKETS,
)
LLM_TOKENS = Counter(
    "jurisgraph_llm_tokens_total",
    "LLM tokens by provider, model, purpose and direction.",
    ["provider", "model", "purpose", "direction"],
    registry=REGISTRY,
)
LLM_COST = Counter(
    "jurisgraph_llm_cost_usd_total",
    "LLM cost in USD by provider, model and purpose.",
    ["provider", "model", "purpose"],
    registry=REGISTRY,
)
LLM_CALLS = Counter(
    "jurisgraph_llm_calls_total",
    "LLM calls by provider, model, purpose and status (ok, error, cached, budget_exhausted).",
    ["provider", "model", "purpose", "status"],
    registry=REGISTRY,
)
EMBEDDING_BATCHES = Counter(
    "jurisgraph_embedding_batches_total",
    "Embedding model calls by provider, kind (document or query) and outcome.",
    ["provider", "kind", "outcome"],
    registry=REGISTRY,
)
EMBEDDING_TEXTS = Counter(
    "jurisgraph_embedding_texts_total",
    "Texts embedded by provider and kind.",
    ["provider", "kind"],
    registry=REGISTRY,
)
EMBEDDING_LATENCY = Histogram(
    "jurisgraph_embedding_batch_duration_seconds",
    "Latency of one embedding model call by provider and kind.",
    ["provider", "kind"],
    registry=REGISTRY,
    buckets=_LATENCY_BUCKETS,
)
VECTOR_LATENCY = Histogram(
    "jurisgraph_vector_store_duration_seconds",
    "Vector-store latency by backend (server or embedded), operation and outcome.",
    ["backend", "operation", "outcome"],
    registry=REGISTRY,
    buckets=_LATENCY_BUCKETS,
)
RAG_LATENCY = Histogram(
    "jurisgraph_rag_query_duration_seconds",
    "Latency of a question answered (retrieval and answer) by mode and outcome.",
    ["mode", "outcome"],
    registry=REGISTRY,
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
READY = Gauge(
    "jurisgraph_ready",
    "1 when the component answered the latest readiness check (of any process), else 0.",
    ["component"],
    registry=REGISTRY,
    multiprocess_mode="mostrecent",
)


@contextmanager
def timed(histogram: Histogram, *labels: str) -> Iterator[None]:
    """Observe the duration of the block in ``histogram`` with ``labels`` and an outcome (ok or
    failed, the last label)."""
    started = time.perf_counter()
    outcome = "failed"
    try:
        yield
        outcome = "ok"
    finally:
        histogram.labels(*labels, outcome).observe(time.perf_counter() - started)


def multiprocess_dir() -> Path | None:
    """The folder of multiprocess mode, when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    value = os.environ.get(MULTIPROC_ENV, "").strip()
    return Path(value) if value else None


def prepare_multiprocess_dir(default: Path) -> Path:
    """In the parent of several processes, before they start: use ``PROMETHEUS_MULTIPROC_DIR`` or
    set it to ``default``, and empty the folder (values of an earlier run would be added up)."""
    folder = multiprocess_dir() or default
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


class ScrapeTimeCollector(Collector):
    """Values of the deployment read when scraped: jobs by status and the daily LLM budget."""

    def __init__(self, jobs: Callable[[], Mapping[str, int]], daily_budget_usd: float) -> None:
        self._jobs = jobs
        self._budget = daily_budget_usd

    def collect(self) -> Iterable[Metric]:
        jobs = GaugeMetricFamily(
            "jurisgraph_jobs", "Jobs by status (queued, running, failed…).", labels=["status"]
        )
        counts = dict(self._jobs())
        for status in ("queued", "running", "failed"):
            counts.setdefault(status, 0)
        for status, count in sorted(counts.items()):
            jobs.add_metric([status], count)
        yield jobs
        yield GaugeMetricFamily(
            "jurisgraph_llm_budget_daily_usd",
            "The configured daily LLM budget in USD (0 = none).",
            value=self._budget,
        )


def _source() -> CollectorRegistry:
    """Every process's values in multiprocess mode, this process's otherwise."""
    if multiprocess_dir() is None:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def serve_http(port: int, host: str = "127.0.0.1") -> int:
    """Expose the metrics (as :func:`render` without scrape-time values) at ``http://host:port/metrics``
    from a daemon thread of this process: how a ``jurisgraph worker`` is scraped. Returns the port
    bound (``port`` 0 picks a free one)."""
    server, _ = start_http_server(port, addr=host, registry=_source())
    bound: int = server.server_port
    return bound


def render(extra: Collector | None = None) -> bytes:
    """The exposition text: every process's values in multiprocess mode, this process's otherwise,
    plus ``extra`` (scrape-time values)."""
    registry = _source()
    if extra is None:
        return generate_latest(registry)
    combined = CollectorRegistry()
    combined.register(_Both(registry, extra))
    return generate_latest(combined)


class _Both(Collector):
    def __init__(self, registry: CollectorRegistry, extra: Collector) -> None:
        self._registry = registry
        self._extra = extra

    def collect(self) -> Iterable[Metric]:
        yield from self._registry.collect()
        yield from self._extra.collect()


def measured_stage(stage: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a pipeline stage's ``run``: its duration goes to
    ``jurisgraph_pipeline_stage_duration_seconds{stage, outcome}``."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with timed(PIPELINE_STAGE_DURATION, stage):
                return fn(*args, **kwargs)

        return wrapper

    return decorate


@contextmanager
def observe_embedding(provider: str, kind: str, texts: int) -> Iterator[None]:
    """Count one embedding model call of ``texts`` texts and time it."""
    started = time.perf_counter()
    outcome = "failed"
    try:
        yield
        outcome = "ok"
    finally:
        EMBEDDING_BATCHES.labels(provider, kind, outcome).inc()
        if outcome == "ok":
            EMBEDDING_TEXTS.labels(provider, kind).inc(texts)
            EMBEDDING_LATENCY.labels(provider, kind).observe(time.perf_counter() - started)
