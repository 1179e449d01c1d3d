"""The environment of a `jurisgraph serve` process for smoke tests, and a TCP relay that can cut a
server off (the process itself: :mod:`tests.fixtures.processes`)."""

from __future__ import annotations

import socket
import threading
from contextlib import suppress
from pathlib import Path

from tests.fixtures.processes import process_env

START_TIMEOUT_S = 120.0
ADMIN_EMAIL = "admin@localhost"
ADMIN_PASSWORD = "Adm1n-Smoke-Pass-9zQx"


def clean_env(home: Path, **variables: str) -> dict[str, str]:
    """The environment of a server process: none of the developer's settings, ``home``, ``variables``."""
    return process_env(
        {
            "JURISGRAPH_HOME": str(home),
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "JURISGRAPH_PIPELINE_EMBED_ON_START": "false",
            "JURISGRAPH_PORTAL_REQUEST_INTERVAL_S": "0",
            "JURISGRAPH_AUTH_QUERY_RATE_LIMIT": "1000/minute",
            "OMP_NUM_THREADS": "1",
            **variables,
        }
    )


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
