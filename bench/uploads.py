"""Benchmark of uploaded documents on an empty embedded home (SQLite, local folder, the bundled
embedding model): the upload request (validate, store, insert), processing to ``embedded`` (extract,
chunk, legal extraction, graph, communities, sparse + dense index) and delete, for a 3-page brief
and a 30-page document; and how fast a file over the size limit is refused while it streams in
(the limit is 1 MB here; the body sent is 30 MB).
Run: ``python bench/uploads.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import summary
from fastapi.testclient import TestClient
from peca import pdf

from jurisgraph import migrations
from jurisgraph.app import create_app
from jurisgraph.auth import service as auth
from jurisgraph.config import load_settings
from jurisgraph.db import session_scope
from jurisgraph.documents import lifecycle

PASSWORD = "benchmark password 1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    summary.add_option(parser)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home:
        os.environ["JURISGRAPH_HOME"] = home
        os.environ["JURISGRAPH_STORAGE_MAX_UPLOAD_MB"] = "25"
        settings = load_settings()
        settings.app.log_level = "WARNING"
        migrations.upgrade(settings.database_url)
        app = create_app(settings)
        with TestClient(app) as client:
            container = app.state.container
            with session_scope(container.sessions) as session:
                user = auth.create_user(session, email="bench@example.org", password=PASSWORD)
                token = auth.session_token(user, settings.auth)
                principal = auth.principal_of(user, "bearer")
            headers = {"Authorization": f"Bearer {token}"}
            container.embedder().embed_query("aquecimento")  # load the model outside the timings
            print(f"{'document':<12} {'bytes':>8} {'upload ms':>10} {'process s':>10} {'delete s':>9} chunks")
            variant = 0
            for pages in (3, 30):
                uploads, processes, deletes = [], [], []
                for _ in range(args.repeat):
                    variant += 1
                    data = pdf(pages, variant)
                    started = time.perf_counter()
                    reply = client.post(
                        "/api/v1/documents",
                        files=[("files", ("peça.pdf", data, "application/pdf"))],
                        headers=headers,
                    )
                    uploads.append((time.perf_counter() - started) * 1000)
                    document = reply.json()[0]
                    started = time.perf_counter()
                    container.jobs().wait(document["job_id"], 600)
                    processes.append(time.perf_counter() - started)
                    got = client.get(f"/api/v1/documents/{document['id']}", headers=headers).json()
                    assert got["status"] == "embedded", got
                    started = time.perf_counter()
                    lifecycle.delete(container, principal, document["id"])
                    deletes.append(time.perf_counter() - started)
                print(
                    f"{pages:>3} pages    {len(data):>8} {statistics.median(uploads):>10.1f} "
                    f"{statistics.median(processes):>10.2f} {statistics.median(deletes):>9.2f} "
                    f"{got['chunk_count']}"
                )
                figures |= {
                    f"{pages}_pages.upload_ms": statistics.median(uploads),
                    f"{pages}_pages.process_s": statistics.median(processes),
                    f"{pages}_pages.delete_s": statistics.median(deletes),
                }
            container.settings.storage.max_upload_mb = 1
            big = b"a" * (30 * 1024 * 1024)
            started = time.perf_counter()
            reply = client.post(
                "/api/v1/documents", files=[("files", ("grande.txt", big, "text/plain"))], headers=headers
            )
            refused = (time.perf_counter() - started) * 1000
            print(f"30 MB body, 1 MB limit: {reply.status_code} {reply.json()['error']} in {refused:.0f} ms")
            keys = list(container.storage().keys())
            print(f"stored objects left after the deletes and the refusal: {len(keys)}")
    summary.write(args.summary, figures | {"oversize_refused_ms": refused, "objects_left": len(keys)})


if __name__ == "__main__":
    main()
