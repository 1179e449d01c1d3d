"""The client side of ``bench/load.py``: the workloads (anonymous questions and searches; the
whole workload of a signed-in user) and the asyncio clients that send them, bounded in time and
requests, and that follow a users phase's uploads until they are embedded."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import peca

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
PAGE = 500  # documents listed per request (the route's most)


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
        status = {i: s for i, s in (await statuses(http, admin)).items() if i in wanted}
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


async def statuses(http: httpx.AsyncClient, admin: dict[str, str]) -> dict[int, str]:
    """Every uploaded document's status, a page of 500 at a time."""
    found: dict[int, str] = {}
    while True:
        params = {"every": "true", "limit": PAGE, "offset": len(found)}
        reply = await http.get("/api/v1/documents", params=params, headers=admin)
        reply.raise_for_status()
        page = reply.json()
        found |= {int(d["id"]): d["status"] for d in page}
        if len(page) < PAGE:
            return found


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (None off Linux or without a pid)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
