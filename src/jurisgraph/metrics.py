"""Prometheus metrics of the service (one registry per process, exposed at ``/metrics``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "jurisgraph_http_requests_total",
    "HTTP requests by method, route and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "jurisgraph_http_request_duration_seconds",
    "HTTP request latency by route.",
    ["route"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PIPELINE_RECORDS = Counter(
    "jurisgraph_pipeline_records_total",
    "Records processed by pipeline stage and outcome.",
    ["stage", "outcome"],
    registry=REGISTRY,
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
    "LLM calls by provider, model, purpose and status.",
    ["provider", "model", "purpose", "status"],
    registry=REGISTRY,
)
