"""Load on a running server: questions in every mode plus searches, N concurrent clients.

Starts ``jurisgraph serve`` on 127.0.0.1 over a home with the bundled sample fully indexed
(prepared once under ``var/bench-load/home`` and reused), then runs, each after a warm-up that
is not counted (one request of each kind, then ``--warmup`` seconds of load):

- ``idle``: N clients (``--clients``) sending questions and searches, nothing else running;
- ``questions``: N clients sending questions only (every mode in turn), nothing else running —
  the questions/s of issue 14's target;
- ``idle-1``: one client, nothing else running;
- ``background-1``: one client while the server fills in dense vectors in the background (a
  copy of the home whose chunks are marked unembedded and whose embedding cache is empty, so
  the server's start-up job really embeds), and ``background`` with N clients the same way.

Each phase prints requests/s, p50/p95/p99 and errors, for questions, searches and both, and the
server's CPU per request (user + system time of its process over the measured part; one Python
process computes on one core at a time, so ~1,000 ms of CPU per second is its ceiling); the
background phases also print their p95 over the idle one of the same client count. The
per-user query rate limit (``JURISGRAPH_AUTH_QUERY_RATE_LIMIT``) is raised in the server's
environment. Each phase runs ``--repeat`` times; the medians are printed at the end. Usage::

    PYTHONPATH=src .venv/bin/python bench/load.py [--clients 10] [--duration 20] [--warmup 5]
        [--repeat 3] [--phases idle,questions,idle-1,background-1,background] [--home DIR]
        [--profile FILE]
        [--fresh]

The questions come from a pool of ~150 (the labelled query set and a few more), so a server
that caches query vectors answers repeats from its cache; ``--fresh`` makes every text unique.

``--profile FILE`` samples the server with py-spy (dev extra) during the measured part of the
first phase, keeps the collapsed stacks in FILE and prints the functions holding the most
samples (inclusive share), which is what says where a request's time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BENCH_HOME = ROOT / "var" / "bench-load"
QUERIES = Path(__file__).resolve().parent / "data" / "retrieval_queries.json"
MODES = ("naive", "local", "global", "hybrid", "auto")
QUESTIONS = (
    "Qual o entendimento do STJ sobre a Súmula 7?",
    "O que decidiu o Tema 1.076 sobre honorários por equidade?",
    "Quem foi o relator do REsp 1.850.512/SP?",
    "Quais os temas sobre prescrição intercorrente na execução fiscal?",
    "É possível a penhora de salário para pagamento de dívida não alimentar?",
    "Qual a tese sobre o reajuste de plano de saúde por faixa etária?",
    "Como o STJ trata a responsabilidade civil do Estado por omissão?",
    "O que diz o art. 1.022 do CPC sobre embargos de declaração?",
    "Quais decisões da Primeira Turma tratam de ICMS?",
    "Quais os principais temas da Corte Especial?",
)


@dataclass
class Sample:
    kind: str  # "ask" or "search"
    ms: float
    ok: bool


@dataclass
class Phase:
    name: str
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    #: CPU seconds of the server process over the measured part (None where unknown)
    cpu: float | None = None
    note: str = ""

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request, in ms (nan where unknown)."""
        return 1000 * self.cpu / len(self.samples) if self.cpu is not None and self.samples else float("nan")

    def figures(self, kind: str | None = None) -> dict[str, float]:
        chosen = [s for s in self.samples if kind is None or s.kind == kind]
        good = sorted(s.ms for s in chosen if s.ok)
        return {
            "n": len(chosen),
            "rps": len(chosen) / self.seconds if self.seconds else 0.0,
            "p50": _pct(good, 50),
            "p95": _pct(good, 95),
            "p99": _pct(good, 99),
            "errors": sum(1 for s in chosen if not s.ok),
        }


def _pct(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def requests_mix(
    seed: int, fresh: bool = False, questions_only: bool = False
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """An endless, seeded mix: half questions (modes in turn), half searches (hybrid, some sparse);
    only the questions with ``questions_only``. With ``fresh`` every text is made unique (no cache
    of the server can answer it again)."""
    labelled = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    pool = list(QUESTIONS) + labelled
    rng = random.Random(seed)
    modes = itertools.cycle(MODES)
    for n in itertools.count():
        text = rng.choice(pool)
        if fresh:
            text = f"{text} (consulta {seed}-{n})"
        if n % 2 == 0 or questions_only:
            yield "ask", "/api/v1/ask", {"question": text, "mode": next(modes)}
        else:
            mode = "sparse" if n % 10 == 1 else "hybrid"
            yield "search", "/api/v1/search", {"q": text, "mode": mode, "k": 10}


async def _client(
    http: httpx.AsyncClient, mix: Iterator[tuple[str, str, dict[str, Any]]], until: float, out: list[Sample]
) -> None:
    while time.perf_counter() < until:
        kind, path, body = next(mix)
        started = time.perf_counter()
        try:
            if kind == "ask":
                response = await http.post(path, json=body)
            else:
                response = await http.get(path, params=body)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        out.append(Sample(kind, (time.perf_counter() - started) * 1000, ok))


async def run_load(
    base: str,
    clients: int,
    seconds: float,
    warmup: float,
    seed: int,
    fresh: bool = False,
    questions_only: bool = False,
    pid: int | None = None,
) -> tuple[list[Sample], float, float | None]:
    """Samples of the measured part, its seconds, and the CPU seconds process ``pid`` spent in it."""
    mix = requests_mix(seed, fresh, questions_only)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=limits) as http:
        # first use builds the caches and loads the model: one request of each kind, not counted
        for mode in MODES:
            await http.post("/api/v1/ask", json={"question": QUESTIONS[0], "mode": mode})
        for mode in ("hybrid", "sparse"):
            await http.get("/api/v1/search", params={"q": QUESTIONS[0], "mode": mode})
        if warmup > 0:
            ignored: list[Sample] = []
            until = time.perf_counter() + warmup
            await asyncio.gather(*(_client(http, mix, until, ignored) for _ in range(clients)))
        samples: list[Sample] = []
        cpu = cpu_seconds(pid)
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(_client(http, mix, until, samples) for _ in range(clients)))
        elapsed = time.perf_counter() - started
        after = cpu_seconds(pid)
    return samples, elapsed, (after - cpu if after is not None and cpu is not None else None)


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (None off Linux or without a pid)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cli(home: Path, *args: str) -> None:
    env = {**os.environ, "JURISGRAPH_HOME": str(home), "JURISGRAPH_PIPELINE_EMBED_ON_START": "false"}
    subprocess.run([sys.executable, "-m", "jurisgraph.cli.main", *args], env=env, check=True)


def prepare(home: Path) -> None:
    """Ingest the bundled sample and embed it fully, once (a marker file says it is done)."""
    marker = home / ".bench-ready"
    if marker.exists():
        return
    print(f"preparing {home} (bundled sample, dense vectors included; minutes) ...", flush=True)
    started = time.perf_counter()
    cli(home, "demo", "--no-serve")
    cli(home, "index", "--dense")
    marker.write_text(f"{time.perf_counter() - started:.0f} s\n")


def fresh_copy(home: Path, dest: Path) -> None:
    """A copy of the prepared home for one phase (every phase starts from the same files)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(home, dest)


def unembedded_copy(home: Path, dest: Path) -> int:
    """A copy of ``home`` whose chunks all wait for dense vectors and whose embedding cache is
    empty: a server started on it embeds for minutes. Returns the chunks to embed."""
    fresh_copy(home, dest)
    with sqlite3.connect(dest / "jurisgraph.db") as db:
        db.execute("UPDATE chunks SET embedded_at = NULL")
        db.execute("DELETE FROM embedding_cache")
        db.execute("DELETE FROM jobs")
        (count,) = db.execute("SELECT COUNT(*) FROM chunks").fetchone()
    return int(count)


def embed_job(home: Path) -> str:
    with sqlite3.connect(home / "jurisgraph.db") as db:
        row = db.execute(
            "SELECT status, progress FROM jobs WHERE kind = 'embed' ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
    return f"{row[0]} {row[1]}" if row else "none"


@contextmanager
def server(home: Path, port: int, *, background: bool, log: Path) -> Iterator[tuple[str, int]]:
    env = {
        **os.environ,
        "JURISGRAPH_HOME": str(home),
        "JURISGRAPH_PIPELINE_EMBED_ON_START": "true" if background else "false",
        "JURISGRAPH_AUTH_QUERY_RATE_LIMIT": "1000000/minute",
    }
    command = [sys.executable, "-m", "jurisgraph.cli.main", "serve"]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
            try:
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready after 120 s; see {log}")
            time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_profile(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling ``pid`` for ``seconds`` into ``out`` (collapsed stacks)."""
    command = ["py-spy", "record", "--pid", str(pid), "--duration", str(int(seconds))]
    command += ["--rate", "200", "--format", "raw", "--nonblocking", "--gil", "--output", str(out)]
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen([spy, *command[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def show_profile(out: Path, top: int = 40) -> None:
    """The functions with the largest inclusive share of the samples."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        names = {frame.split(" (")[0] + " (" + _module(frame) + ")" for frame in stack.split(";")}
        for name in names:
            inclusive[name] += n
    print(f"profile: {total} samples in {out}; inclusive share of the top functions")
    for name, n in inclusive.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {name}")


def _module(frame: str) -> str:
    inside = frame.split(" (", 1)[1] if " (" in frame else ""
    path = inside.rstrip(")").rsplit(":", 1)[0]
    marker = "site-packages/"
    return path.split(marker, 1)[1] if marker in path else path.rsplit("src/", 1)[-1]


def run_phase(name: str, args: argparse.Namespace, run: int) -> Phase:
    background = name.startswith("background")
    clients = 1 if name.endswith("-1") else args.clients
    home = BENCH_HOME / "phase-home"
    if background:
        unembedded_copy(args.home, home)
    else:
        fresh_copy(args.home, home)
    with server(home, args.port, background=background, log=BENCH_HOME / "server.log") as (base, pid):
        spies: list[subprocess.Popen[bytes]] = []
        if args.profile is not None and run == 0 and name == args.phases.split(",")[0].strip():
            # sample the measured part only: start once the warm-up is over
            threading.Timer(
                args.warmup, lambda: spies.append(start_profile(pid, args.duration, args.profile))
            ).start()
        samples, elapsed, cpu = asyncio.run(
            run_load(
                base,
                clients,
                args.duration,
                args.warmup,
                seed=run,
                fresh=args.fresh,
                questions_only=name.startswith("questions"),
                pid=pid,
            )
        )
        if spies:
            spies[0].wait(timeout=60)
            show_profile(args.profile)
        phase = Phase(name, clients, elapsed, samples, cpu)
        if background:
            phase.note = f"embed job at end: {embed_job(home)}"
    return phase


def show(phase: Phase) -> None:
    cpu = f"server CPU {phase.cpu_ms_per_request:.1f} ms/request"
    if phase.cpu is not None:
        cpu += f", {100 * phase.cpu / phase.seconds:.0f}% of a core"
    print(f"{phase.name} ({phase.clients} clients, {phase.seconds:.1f} s; {cpu}) {phase.note}")
    for kind in ("ask", "search", None):
        f = phase.figures(kind)
        label = kind or "all"
        print(
            f"  {label:<7} {f['n']:>6.0f} req {f['rps']:>7.1f}/s  p50 {f['p50']:>7.1f}  p95 {f['p95']:>7.1f}"
            f"  p99 {f['p99']:>7.1f} ms  errors {f['errors']:.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=20.0, help="Seconds measured per phase.")
    parser.add_argument("--warmup", type=float, default=5.0, help="Seconds of load not counted.")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--phases", default="idle,questions,idle-1,background-1,background")
    parser.add_argument("--home", type=Path, default=BENCH_HOME / "home")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument(
        "--fresh", action="store_true", help="Every question unique (no query-vector cache hits)."
    )
    parser.add_argument("--profile", type=Path, default=None, help="py-spy the first phase into FILE.")
    parser.add_argument("--summary", type=Path, default=None, help="Write the medians as JSON to FILE.")
    args = parser.parse_args()
    BENCH_HOME.mkdir(parents=True, exist_ok=True)
    prepare(args.home)
    names = [n.strip() for n in args.phases.split(",") if n.strip()]
    results: dict[str, list[Phase]] = {n: [] for n in names}
    for run in range(args.repeat):
        for name in names:
            phase = run_phase(name, args, run)
            results[name].append(phase)
            show(phase)
    print(f"\nmedians of {args.repeat} run(s):")
    head = ("phase", "kind", "req/s", "p50", "p95", "p99", "errors", "cpu ms")
    print(f"{head[0]:<14} {head[1]:<7} " + " ".join(f"{h:>7}" for h in head[2:]))
    medians: dict[tuple[str, str], dict[str, float]] = {}
    for name, phases in results.items():
        for kind in ("ask", "search", "all"):
            figs = [p.figures(None if kind == "all" else kind) for p in phases]
            med = {key: statistics.median(f[key] for f in figs) for key in ("rps", "p50", "p95", "p99")}
            med["errors"] = sum(f["errors"] for f in figs)
            if kind == "all":
                med["cpu_ms"] = statistics.median(p.cpu_ms_per_request for p in phases)
            medians[(name, kind)] = med
            print(
                f"{name:<14} {kind:<7} {med['rps']:>7.1f} {med['p50']:>7.1f} {med['p95']:>7.1f}"
                f" {med['p99']:>7.1f} {med['errors']:>6.0f} {med.get('cpu_ms', float('nan')):>7.1f}"
            )
    for bg, idle in (("background-1", "idle-1"), ("background", "idle")):
        if (bg, "all") in medians and (idle, "all") in medians:
            for kind in ("ask", "search", "all"):
                ratio = medians[(bg, kind)]["p95"] / medians[(idle, kind)]["p95"]
                print(f"p95 {bg} / {idle} ({kind}): {ratio:.2f}")
                medians[(f"{bg}/{idle}", kind)] = {"p95_ratio": ratio}
    if args.summary is not None:
        figures = {f"{n}.{k}.{key}": v for (n, k), med in medians.items() for key, v in med.items()}
        args.summary.write_text(json.dumps({"figures": figures}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
