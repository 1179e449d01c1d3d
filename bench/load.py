"""Load on a running server: questions in every mode plus searches, N concurrent clients.

Starts ``jurisgraph serve`` on 127.0.0.1 over a home with the bundled sample fully indexed
(prepared once under ``var/bench-load/home`` and reused), then runs, each after a warm-up that
is not counted (one request of each kind, then ``--warmup`` seconds of load):

- ``idle``: N clients (``--clients``) sending questions and searches, nothing else running;
- ``questions``: N clients sending questions only (every mode in turn), nothing else running —
  the questions/s of issue 14's target;
- ``idle-1``: one client, nothing else running;
- ``users``: N signed-in users (accounts made through the admin API, one per client, each with
  its own bearer token), each sending the whole workload of a user: questions in every mode,
  searches, graph browsing (entity search, an entity, its neighbourhood, the overview, a
  community), listings (own documents, own query history, datasets, graph counts) and, every
  ``--upload-every`` requests, an upload of a small new PDF or text file into the user's private
  workspace. After the measured part it waits (up to ``--settle`` seconds) until every accepted
  upload is ``embedded`` and prints how many are, failed or are still on their way;
- ``background-1``: one client while the server fills in dense vectors in the background (a
  copy of the home whose chunks are marked unembedded and whose embedding cache is empty, so
  the server's start-up job really embeds), and ``background`` with N clients the same way.

Each phase prints requests/s, p50/p95/p99 and errors, for each kind of request and all, and the
server's CPU per request (user + system time of its process over the measured part; one Python
process computes on one core at a time, so ~1,000 ms of CPU per second is its ceiling); the
background phases also print their p95 over the idle one of the same client count. The
per-user query rate limit (``JURISGRAPH_AUTH_QUERY_RATE_LIMIT``) is raised in the server's
environment. Each phase runs ``--repeat`` times; the medians are printed at the end. Usage::

    PYTHONPATH=src .venv/bin/python bench/load.py [--clients 10] [--duration 20] [--warmup 5]
        [--repeat 3] [--phases idle,questions,idle-1,background-1,background,users] [--home DIR]
        [--max-requests N] [--upload-every 50] [--settle 300] [--profile FILE] [--fresh]

Every phase is bounded in time (``--duration``) and, with ``--max-requests``, in requests.

The questions come from a pool of ~150 (the labelled query set and a few more), so a server
that caches query vectors answers repeats from its cache; ``--fresh`` makes every text unique.

``--profile FILE`` samples the server with py-spy (dev extra) during the measured part of the
first phase, keeps the collapsed stacks in FILE and prints the functions holding the most
samples (inclusive share), which is what says where a request's time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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

import httpx
from load_clients import ADMIN, KINDS, PASSWORD, Sample, run_load, run_users

ROOT = Path(__file__).resolve().parents[1]
BENCH_HOME = ROOT / "var" / "bench-load"


@dataclass
class Phase:
    name: str
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    #: CPU seconds of the server process over the measured part (None where unknown)
    cpu: float | None = None
    note: str = ""
    #: the users phase's uploads once settled: accepted, embedded, failed, pending, settle_s
    uploads: dict[str, float] = field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        """The kinds of request this phase sent, in :data:`KINDS` order."""
        sent = {s.kind for s in self.samples}
        return [k for k in KINDS if k in sent]

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
    if name == "users":
        cli(home, "users", "create-admin", "--email", ADMIN, "--password", PASSWORD)
    with server(home, args.port, background=background, log=BENCH_HOME / "server.log") as (base, pid):
        spies: list[subprocess.Popen[bytes]] = []
        if args.profile is not None and run == 0 and name == args.phases.split(",")[0].strip():
            # sample the measured part only: start once the warm-up is over
            threading.Timer(
                args.warmup, lambda: spies.append(start_profile(pid, args.duration, args.profile))
            ).start()
        if name == "users":
            measured = asyncio.run(run_users(base, clients, args, run, pid))
        else:
            questions_only = name.startswith("questions")
            measured = asyncio.run(run_load(base, clients, args, run, questions_only, pid))
        if spies:
            spies[0].wait(timeout=60)
            show_profile(args.profile)
        phase = Phase(
            name, clients, measured.seconds, measured.samples, measured.cpu, uploads=measured.uploads
        )
        if background:
            phase.note = f"embed job at end: {embed_job(home)}"
    return phase


def show(phase: Phase) -> None:
    cpu = f"server CPU {phase.cpu_ms_per_request:.1f} ms/request"
    if phase.cpu is not None:
        cpu += f", {100 * phase.cpu / phase.seconds:.0f}% of a core"
    print(f"{phase.name} ({phase.clients} clients, {phase.seconds:.1f} s; {cpu}) {phase.note}")
    for kind in [*phase.kinds, None]:
        f = phase.figures(kind)
        label = kind or "all"
        print(
            f"  {label:<7} {f['n']:>6.0f} req {f['rps']:>7.1f}/s  p50 {f['p50']:>7.1f}  p95 {f['p95']:>7.1f}"
            f"  p99 {f['p99']:>7.1f} ms  errors {f['errors']:.0f}"
        )
    if phase.uploads:
        u = phase.uploads
        print(
            f"  uploads accepted {u['accepted']:.0f}: embedded {u['embedded']:.0f}, failed {u['failed']:.0f},"
            f" pending {u['pending']:.0f}, {u['settle_s']:.1f} s after the measured part"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=20.0, help="Seconds measured per phase.")
    parser.add_argument("--warmup", type=float, default=5.0, help="Seconds of load not counted.")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--phases", default="idle,questions,idle-1,background-1,background,users")
    parser.add_argument(
        "--max-requests", type=int, default=0, help="Requests measured per phase at most (0: no bound)."
    )
    parser.add_argument(
        "--upload-every",
        type=int,
        default=50,
        help="users phase: each user's n-th request uploads (0: none).",
    )
    parser.add_argument(
        "--settle", type=float, default=300.0, help="users phase: seconds to wait for the uploads to embed."
    )
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
        sent = {k for p in phases for k in p.kinds}
        for kind in [*(k for k in KINDS if k in sent), "all"]:
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
        settled = [p.uploads for p in phases if p.uploads]
        if settled:
            uploads = {
                key: sum(u[key] for u in settled) for key in ("accepted", "embedded", "failed", "pending")
            }
            uploads["settle_s"] = max(u["settle_s"] for u in settled)
            medians[(name, "uploads")] = uploads
            print(
                f"{name:<14} uploads: {uploads['accepted']:.0f} accepted, {uploads['embedded']:.0f} embedded,"
                f" {uploads['failed']:.0f} failed, {uploads['pending']:.0f} pending"
                f" (settled within {uploads['settle_s']:.0f} s)"
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
