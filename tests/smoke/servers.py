"""A `jurisgraph serve` process for smoke tests, and a TCP relay that can cut a server off."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0
ADMIN_EMAIL = "admin@localhost"
ADMIN_PASSWORD = "Adm1n-Smoke-Pass-9zQx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(home: Path, **variables: str) -> dict[str, str]:
    """The environment of a server process: none of the developer's settings, ``home``, ``variables``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("JURISGRAPH_") and not k.startswith("JURISGRAPH_TEST_"))
        and k not in ("DATABASE_URL", "QDRANT_URL", "REDIS_URL", "PROMETHEUS_MULTIPROC_DIR", "JWT_SECRET")
    }
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "JURISGRAPH_HOME": str(home),
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
            "JURISGRAPH_PORTAL_REQUEST_INTERVAL_S": "0",
            "JURISGRAPH_AUTH_QUERY_RATE_LIMIT": "1000/minute",
            "OMP_NUM_THREADS": "1",
            **variables,
        }
    )
    return env


def cli(env: dict[str, str], log: Path, *args: str) -> str:
    """Run a `jurisgraph` command; its stdout (it must succeed)."""
    with log.open("a", encoding="utf-8") as err:
        done = subprocess.run(
            [sys.executable, "-m", "jurisgraph.cli.main", *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, log.read_text(encoding="utf-8")[-3000:] + done.stdout[-2000:]
    return done.stdout


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """`jurisgraph serve` on a free port until the block ends; yields its URL once it is live."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jurisgraph.cli.main", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text(encoding='utf-8')[-3000:]}")
            try:
                if httpx.get(f"{url}/health/live", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Relay:
    """A TCP relay 127.0.0.1:<port> → ``target``; :meth:`cut` closes the listener and every
    connection, as if the server behind it were gone."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._cut:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._cut:
                    client.close()
                    upstream.close()
                    return
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            sockets, self._open = self._open, []
        self.listener.close()
        for s in sockets:
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
