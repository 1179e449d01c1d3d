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
from urllib.parse import quote

import httpx
import peca

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


KINDS = ("ask", "search", "browse", "list", "upload")
PASSWORD = "load benchmark password 1"
ADMIN = "load-admin@example.org"


@dataclass(frozen=True)
class Call:
    """One request of the workload."""

    kind: str  # one of KINDS
    method: str
    path: str
    params: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None


@dataclass
class Sample:
    kind: str  # one of KINDS
    ms: float
    ok: bool


@dataclass
class Budget:
    """Requests left in the measured part (None: bounded by time only)."""

    left: int | None = None

    def take(self) -> bool:
        if self.left is None:
            return True
        if self.left <= 0:
            return False
        self.left -= 1
        return True


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


def requests_mix(seed: int, fresh: bool = False, questions_only: bool = False) -> Iterator[Call]:
    """An endless, seeded mix: half questions (modes in turn), half searches (hybrid, some sparse);
    only the questions with ``questions_only``. With ``fresh`` every text is made unique (no cache
    of the server can answer it again)."""
    pool = question_pool()
    rng = random.Random(seed)
    modes = itertools.cycle(MODES)
    for n in itertools.count():
        text = rng.choice(pool)
        if fresh:
            text = f"{text} (consulta {seed}-{n})"
        if n % 2 == 0 or questions_only:
            yield Call("ask", "POST", "/api/v1/ask", body={"question": text, "mode": next(modes)})
        else:
            mode = "sparse" if n % 10 == 1 else "hybrid"
            yield Call("search", "GET", "/api/v1/search", params={"q": text, "mode": mode, "k": 10})


def question_pool() -> list[str]:
    labelled = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    return list(QUESTIONS) + labelled


@dataclass(frozen=True)
class Catalogue:
    """What a browsing user clicks on: entity keys, names to type and community ids."""

    keys: tuple[str, ...]
    names: tuple[str, ...]
    communities: tuple[str, ...]


#: a user's workload, by share of the requests that are not uploads
USER_SHARES = {"ask": 30, "search": 20, "browse": 30, "list": 20}


def user_mix(seed: int, user: int, catalogue: Catalogue, upload_every: int) -> Iterator[Call]:
    """An endless, seeded workload of one signed-in user (see :data:`USER_SHARES`); every
    ``upload_every``-th request (0: never) uploads a new one-page PDF or a short text file."""
    pool = question_pool()
    rng = random.Random(f"{seed}-{user}")
    modes = itertools.cycle(MODES)
    kinds, weights = zip(*USER_SHARES.items(), strict=True)
    for n in itertools.count(1):
        if upload_every and n % upload_every == 0:
            variant = f"{seed}-{user}-{n}"
            if (n // upload_every) % 2:
                upload = (f"peca-{variant}.pdf", peca.pdf(1, variant), "application/pdf")
            else:
                upload = (f"peca-{variant}.txt", peca.text(8, variant), "text/plain")
            yield Call("upload", "POST", "/api/v1/documents", files=[("files", upload)])
            continue
        kind = rng.choices(kinds, weights)[0]
        if kind == "ask":
            yield Call("ask", "POST", "/api/v1/ask", body={"question": rng.choice(pool), "mode": next(modes)})
        elif kind == "search":
            yield Call("search", "GET", "/api/v1/search", params={"q": rng.choice(pool), "k": 10})
        elif kind == "browse":
            yield browse_call(rng, catalogue)
        else:
            yield list_call(rng)


def browse_call(rng: random.Random, catalogue: Catalogue) -> Call:
    """What the graph page asks for: a name typed, an entity opened, its neighbourhood drawn, the
    overview, a community opened."""
    key = quote(rng.choice(catalogue.keys), safe=":")
    choice = rng.randrange(5)
    if choice == 0:
        return Call(
            "browse", "GET", "/api/v1/graph/entities", params={"q": rng.choice(catalogue.names), "limit": 20}
        )
    if choice == 1:
        return Call("browse", "GET", f"/api/v1/graph/entities/{key}")
    if choice == 2:
        return Call("browse", "GET", f"/api/v1/graph/entities/{key}/neighbourhood", params={"limit": 150})
    if choice == 3 or not catalogue.communities:
        return Call("browse", "GET", "/api/v1/graph/overview", params={"limit": 100})
    return Call("browse", "GET", f"/api/v1/graph/communities/{quote(rng.choice(catalogue.communities))}")


def list_call(rng: random.Random) -> Call:
    """A listing: the user's documents and query history, the datasets, graph counts, communities."""
    path, params = rng.choice(
        (
            ("/api/v1/documents", {"limit": 20}),
            ("/api/v1/queries", {"limit": 20}),
            ("/api/v1/datasets", None),
            ("/api/v1/graph/stats", None),
            ("/api/v1/graph/communities", {"limit": 20}),
        )
    )
    return Call("list", "GET", path, params=params)


async def _client(
    http: httpx.AsyncClient,
    mix: Iterator[Call],
    until: float,
    out: list[Sample],
    budget: Budget,
    headers: dict[str, str] | None = None,
    uploaded: list[int] | None = None,
) -> None:
    while time.perf_counter() < until and budget.take():
        call = next(mix)
        started = time.perf_counter()
        try:
            response = await http.request(
                call.method, call.path, params=call.params, json=call.body, files=call.files, headers=headers
            )
            ok = 200 <= response.status_code < 300
            if ok and call.kind == "upload" and uploaded is not None:
                uploaded += [int(d["id"]) for d in response.json()]
        except httpx.HTTPError:
            ok = False
        out.append(Sample(call.kind, (time.perf_counter() - started) * 1000, ok))


@dataclass
class Measured:
    samples: list[Sample]
    seconds: float
    cpu: float | None  # CPU seconds of the server over the measured part
    uploads: dict[str, float] = field(default_factory=dict)


async def _warm(http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
    """First use builds the caches and loads the model: one request of each kind, not counted."""
    for mode in MODES:
        await http.post("/api/v1/ask", json={"question": QUESTIONS[0], "mode": mode}, headers=headers)
    for mode in ("hybrid", "sparse"):
        await http.get("/api/v1/search", params={"q": QUESTIONS[0], "mode": mode}, headers=headers)


async def _measure(
    clients: list[tuple[Iterator[Call], dict[str, str] | None]],
    http: httpx.AsyncClient,
    args: argparse.Namespace,
    pid: int | None,
    uploaded: list[int] | None = None,
) -> Measured:
    if args.warmup > 0:
        ignored: list[Sample] = []
        until = time.perf_counter() + args.warmup
        await asyncio.gather(*(_client(http, mix, until, ignored, Budget(), h) for mix, h in clients))
    samples: list[Sample] = []
    budget = Budget(args.max_requests or None)
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    until = started + args.duration
    await asyncio.gather(*(_client(http, mix, until, samples, budget, h, uploaded) for mix, h in clients))
    elapsed = time.perf_counter() - started
    after = cpu_seconds(pid)
    return Measured(samples, elapsed, after - cpu if after is not None and cpu is not None else None)


def _limits(clients: int) -> httpx.Limits:
    return httpx.Limits(max_connections=clients + 1, max_keepalive_connections=clients + 1)


async def run_load(
    base: str, clients: int, args: argparse.Namespace, seed: int, questions_only: bool, pid: int | None
) -> Measured:
    """Anonymous clients sending questions (and searches unless ``questions_only``)."""
    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=_limits(clients)) as http:
        await _warm(http)
        mix = requests_mix(seed, args.fresh, questions_only)  # one sequence, shared by the clients
        return await _measure([(mix, None)] * clients, http, args, pid)


async def run_users(
    base: str, clients: int, args: argparse.Namespace, seed: int, pid: int | None
) -> Measured:
    """``clients`` users made through the admin API, each signed in and sending its workload;
    then the uploads settle (see :func:`settle`)."""
    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=_limits(clients)) as http:
        admin = await sign_in(http, ADMIN)
        tokens = []
        for n in range(clients):
            email = f"load-user-{n}@example.org"
            reply = await http.post(
                "/api/v1/users", json={"email": email, "password": PASSWORD}, headers=admin
            )
            reply.raise_for_status()
            tokens.append(await sign_in(http, email))
        catalogue = await browse_catalogue(http, admin)
        await _warm(http, tokens[0])
        mixes = [(user_mix(seed, n, catalogue, args.upload_every), tokens[n]) for n in range(clients)]
        uploaded: list[int] = []
        measured = await _measure(mixes, http, args, pid, uploaded)
        measured.uploads = await settle(http, admin, uploaded, args.settle)
        return measured


async def sign_in(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    """Bearer headers of ``email`` signed in with :data:`PASSWORD`."""
    reply = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    reply.raise_for_status()
    return {"Authorization": f"Bearer {reply.json()['token']}"}


async def browse_catalogue(http: httpx.AsyncClient, headers: dict[str, str]) -> Catalogue:
    """The most mentioned entities of a few types, their names' first words and communities."""
    keys: list[str] = []
    names: set[str] = set()
    for kind in ("TEMA", "MINISTRO", "SUMULA", "LEGISLACAO", "PROCESSO", None):
        params: dict[str, Any] = {"limit": 40} | ({"type": kind} if kind else {})
        reply = await http.get("/api/v1/graph/entities", params=params, headers=headers)
        reply.raise_for_status()
        for entity in reply.json():
            keys.append(entity["id"])
            names.update(word for word in entity["name"].split()[:2] if len(word) > 3)
    reply = await http.get("/api/v1/graph/communities", params={"limit": 40}, headers=headers)
    reply.raise_for_status()
    communities = tuple(str(c["id"]) for c in reply.json())
    if not keys:
        raise RuntimeError("the served home has no entities to browse")
    return Catalogue(tuple(dict.fromkeys(keys)), tuple(sorted(names)), communities)


async def settle(
    http: httpx.AsyncClient, admin: dict[str, str], uploaded: list[int], seconds: float
) -> dict[str, float]:
    """Wait up to ``seconds`` for every accepted upload to be ``embedded`` (or ``error``); counts
    by outcome and the seconds it took after the measured part."""
    started = time.perf_counter()
    wanted = set(uploaded)
    status: dict[int, str] = {}
    while True:
        reply = await http.get("/api/v1/documents", params={"every": "true", "limit": 500}, headers=admin)
        reply.raise_for_status()
        status = {int(d["id"]): d["status"] for d in reply.json() if int(d["id"]) in wanted}
        done = sum(1 for s in status.values() if s in ("embedded", "error"))
        if done == len(wanted) or time.perf_counter() - started > seconds:
            break
        await asyncio.sleep(1.0)
    embedded = sum(1 for s in status.values() if s == "embedded")
    failed = sum(1 for s in status.values() if s == "error")
    return {
        "accepted": len(wanted),
        "embedded": embedded,
        "failed": failed,
        "pending": len(wanted) - embedded - failed,
        "settle_s": time.perf_counter() - started,
    }


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
