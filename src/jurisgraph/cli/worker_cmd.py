"""`jurisgraph worker`: run queued jobs (Dramatiq on the Redis broker of ``REDIS_URL``)."""

from __future__ import annotations

import signal
import subprocess
import sys
from types import FrameType

import typer

from jurisgraph.cli.common import container_scope, err_console, settings_or_exit
from jurisgraph.datasets import service  # registers the job handlers
from jurisgraph.documents import lifecycle as _documents  # noqa: F401  (registers process_document)
from jurisgraph.jobs.broker import ALL_QUEUES, DramatiqJobs
from jurisgraph.metrics import prepare_multiprocess_dir, serve_http


def worker(
    queues: list[str] = typer.Option(
        [], "--queues", "-Q", help=f"Queues to consume (repeat the option); default: {', '.join(ALL_QUEUES)}."
    ),
    processes: int = typer.Option(1, "--processes", "-p", min=1, max=64, help="Worker processes."),
    threads: int = typer.Option(2, "--threads", "-t", min=1, max=64, help="Threads per process."),
    metrics_port: int = typer.Option(
        0, "--metrics-port", min=0, max=65535, help="Serve Prometheus metrics on this port (0: none)."
    ),
    metrics_host: str = typer.Option(
        "127.0.0.1", "--metrics-host", help="Address of the metrics port (0.0.0.0 in a container)."
    ),
) -> None:
    """Run jobs from Redis until stopped (SIGTERM or Ctrl-C); start it on any number of machines.

    With ``--metrics-port`` the worker serves ``/metrics``; with ``--processes N`` the parent serves
    the sum of its N processes (through ``PROMETHEUS_MULTIPROC_DIR``, set to
    ``$JURISGRAPH_HOME/metrics-worker`` and emptied when unset)."""
    settings = settings_or_exit()
    if not settings.redis.url:
        err_console.print("[bold red]error:[/] REDIS_URL is not set: jobs run inside the API process")
        raise typer.Exit(2)
    unknown = sorted(set(queues) - set(ALL_QUEUES))
    if unknown:
        err_console.print(f"[bold red]error:[/] unknown queue(s): {', '.join(unknown)}")
        raise typer.Exit(2)
    if processes > 1:
        if metrics_port:
            prepare_multiprocess_dir(settings.home / "metrics-worker")
            serve_http(metrics_port, metrics_host)
        _supervise(processes, queues, threads)
        return
    if metrics_port:
        serve_http(metrics_port, metrics_host)
    with container_scope(settings) as container:
        jobs = container.jobs()
        if not isinstance(jobs, DramatiqJobs):  # pragma: no cover - settled by REDIS_URL above
            raise typer.Exit(2)

        def stop(signum: int, frame: FrameType | None) -> None:
            jobs.close()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        assert service.handler_kinds()
        jobs.work(queues or None, threads, grace_s=settings.app.shutdown_grace_s)


def _supervise(processes: int, queues: list[str], threads: int) -> None:
    """Start ``processes`` single-process workers and wait for them; SIGTERM/SIGINT reach them all."""
    command = [sys.executable, "-m", "jurisgraph.cli.main", "worker", "--threads", str(threads)]
    for queue in queues:
        command += ["--queues", queue]
    children = [subprocess.Popen(command) for _ in range(processes)]

    def forward(signum: int, frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    codes = [child.wait() for child in children]
    if any(codes):
        raise typer.Exit(1)
