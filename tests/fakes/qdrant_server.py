"""A Qdrant-protocol server on 127.0.0.1 for tests: Qdrant's REST API over the qdrant-edge engine.

No Qdrant server can be installed on the test machines, and the embedded engine belongs to one
process, so processes that must share vectors (API replicas, workers) talk to this server, through
qdrant-client's real HTTP path (``QdrantClient(url=…, prefer_grpc=False)``).

What it serves (every call ``ServerVectorIndex`` makes, plus snapshots for backups):

- collections: list, exists, create (one unnamed or several named dense vectors, named sparse
  vectors with the IDF modifier), info (config, points count, payload schema), delete;
- aliases: ``POST /collections/aliases`` (create, delete, rename; all actions or none), list
  (all, or one collection's);
- payload indexes: create (keyword with ``is_tenant``, integer, float, datetime, …), delete;
- points: upsert (list or batch), update vectors, delete by ids or by filter, retrieve (many,
  one), scroll, count, query (nearest dense or sparse vector, ``prefetch`` stages, RRF or DBSF
  fusion, filters with must/should/must_not/min_should, match value/any/except/text, ranges of
  numbers and datetimes, has_id, is_empty, is_null, nested), query batch;
- snapshots of a collection: create, list, download, delete, recover from a ``file://`` or
  ``http://127.0.0.1`` location, upload (multipart). A snapshot is a tar of the shard folder:
  it restores on this server (or the embedded adapter), not on a real Qdrant.

Answers use Qdrant's envelope (``{"result": …, "status": "ok", "time": …}``) and its error shape
(``{"status": {"error": "Not found: …"}, "time": …}`` with 400/404/409/500), so qdrant-client's
own models parse them. Writes are applied before the answer (``wait`` is always true).

With ``api_key`` (``--api-key``) every route but ``/`` and the health probes needs it, as an
``api-key`` header or a bearer token (401 otherwise, as Qdrant answers); JWT claims are not read.

What it does not do: gRPC, JWT access control, clustering,
shards and replicas, quantisation, HNSW tuning (segments are searched as the engine has them),
payload updates (set/overwrite/delete payload), recommend/discover/order-by/formula queries,
full-storage snapshots, and real Qdrant's snapshot format. The production path remains a real
Qdrant server; this one exists so that tests can run several processes against one store.

Data persists in ``path`` (the embedded adapter's layout): a server restarted on the same folder
keeps its collections, points and aliases. Run it as a process with
``python -m tests.fakes.qdrant_server --port P --path DIR`` (it prints ``listening on URL``).
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from tests.fakes import qdrant_codec as codec
from tests.fakes.protocol_server import ProtocolServer, Recorded, Reply
from tests.fakes.qdrant_store import ApiError, BadRequest, NotFoundError, QdrantStore, edge_failure

VERSION = "1.15.0"
C = r"/collections/(?P<collection>[^/]+)"


def ok(result: Any, started: float) -> Reply:
    return Reply(200, {"result": result, "status": "ok", "time": time.perf_counter() - started})


def error(status: int, message: str, started: float) -> Reply:
    return Reply(status, {"status": {"error": message}, "time": time.perf_counter() - started})


def _query_params(rec: Recorded) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(rec.path).query))


class QdrantServer(ProtocolServer):
    """Qdrant's REST protocol over a :class:`QdrantStore` in ``path``."""

    def __init__(self, path: str | Path, *, port: int = 0, api_key: str | None = None) -> None:
        super().__init__(port=port, log_limit=1000)
        self.store = QdrantStore(path)
        self.api_key = api_key
        get, post, put, delete = "GET", "POST", "PUT", "DELETE"
        title = {"title": "qdrant - vector search engine"}
        self._add("root", get, r"/", lambda rec, body: title, raw=True, public=True)
        for probe in ("healthz", "livez", "readyz"):
            self.add_route(probe, get, rf"/{probe}", lambda rec: Reply(200, b"healthz check passed"))
        self._add("list_collections", get, r"/collections", self._collections)
        self._add("update_aliases", post, r"/collections/aliases", self._update_aliases)
        self._add("list_aliases", get, r"/aliases", lambda rec, body: {"aliases": self.store.aliases()})
        self._add("collection_aliases", get, C + "/aliases", self._collection_aliases)
        self._add("collection_exists", get, C + "/exists", self._exists)
        self._add("get_collection", get, C, lambda rec, body: self.store.info(self._name(rec)))
        self._add("create_collection", put, C, self._create)
        self._add(
            "update_collection", "PATCH", C, lambda rec, body: bool(self.store.resolve(self._name(rec)))
        )
        self._add("delete_collection", delete, C, lambda rec, body: self.store.delete(self._name(rec)))
        self._add("create_index", put, C + "/index", self._create_index)
        self._add("delete_index", delete, C + r"/index/(?P<field>[^/]+)", self._delete_index)
        self._add("upsert", put, C + "/points", self._upsert)
        self._add("retrieve", post, C + "/points", self._retrieve)
        self._add("update_vectors", put, C + "/points/vectors", self._update_vectors)
        self._add("delete_points", post, C + "/points/delete", self._delete_points)
        self._add("scroll", post, C + "/points/scroll", self._scroll)
        self._add("count", post, C + "/points/count", self._count)
        self._add("query", post, C + "/points/query", self._query)
        self._add("query_batch", post, C + "/points/query/batch", self._query_batch)
        self._add("get_point", get, C + r"/points/(?P<id>[^/]+)", self._get_point)
        self._add("create_snapshot", post, C + "/snapshots", self._create_snapshot)
        self._add("list_snapshots", get, C + "/snapshots", self._list_snapshots)
        self._add("recover_snapshot", put, C + "/snapshots/recover", self._recover)
        self._add("upload_snapshot", post, C + "/snapshots/upload", self._upload)
        self.add_route("download_snapshot", get, C + r"/snapshots/(?P<snapshot>[^/]+)", self._download)
        self._add("delete_snapshot", delete, C + r"/snapshots/(?P<snapshot>[^/]+)", self._delete_snapshot)
        for method in (get, post, put, delete, "PATCH"):
            self.add_route(f"unknown_{method.lower()}", method, r".*", self._unknown)

    def stop(self) -> None:
        """Stop serving, then flush and close every shard."""
        super().stop()
        self.store.close()

    # -- plumbing ----------------------------------------------------------------------------

    def _add(
        self,
        name: str,
        method: str,
        pattern: str,
        fn: Callable[[Recorded, Any], Any],
        *,
        raw: bool = False,
        public: bool = False,
    ) -> None:
        def handler(rec: Recorded) -> Reply:
            started = time.perf_counter()
            refused = None if public else self._refuse(rec)
            if refused is not None:
                return error(401, refused, started)
            try:
                result = fn(rec, rec.body if isinstance(rec.body, dict) else {})
            except ApiError as exc:
                return error(exc.status, str(exc), started)
            except codec.WrongInput as exc:
                return error(400, f"Wrong input: {exc}", started)
            except (KeyError, TypeError, ValueError) as exc:
                return error(400, f"Format error in JSON body: {type(exc).__name__}: {exc}", started)
            except Exception as exc:
                failure = edge_failure(exc)
                return error(failure.status, str(failure), started)
            if isinstance(result, Reply):
                return result
            return Reply(200, {**result, "version": VERSION}) if raw else ok(result, started)

        self.add_route(name, method, pattern, handler)

    def _refuse(self, rec: Recorded) -> str | None:
        """Why a request is refused when the server has an API key (``api-key`` or bearer), else None."""
        if self.api_key is None:
            return None
        given = rec.headers.get("api-key") or rec.headers.get("authorization", "").removeprefix("Bearer ")
        if not given:
            return "Must provide an API key or an Authorization bearer token"
        return None if given == self.api_key else "Invalid API key or JWT"

    @staticmethod
    def _name(rec: Recorded) -> str:
        return urllib.parse.unquote(rec.params["collection"])

    def _unknown(self, rec: Recorded) -> Reply:
        return error(404, f"Not found: no route for {rec.method} {rec.path}", time.perf_counter())

    # -- collections and aliases -------------------------------------------------------------

    def _collections(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return {"collections": [{"name": n} for n in self.store.collections()]}

    def _exists(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return {"exists": self.store.exists(self._name(rec))}

    def _create(self, rec: Recorded, body: dict[str, Any]) -> Any:
        self.store.create(self._name(rec), body)
        return True

    def _update_aliases(self, rec: Recorded, body: dict[str, Any]) -> Any:
        self.store.update_aliases(list(body.get("actions", [])))
        return True

    def _collection_aliases(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return {"aliases": self.store.aliases(self.store.resolve(self._name(rec)))}

    def _create_index(self, rec: Recorded, body: dict[str, Any]) -> Any:
        schema = codec.index_schema(body.get("field_schema"))
        return self.store.update(
            self._name(rec), qe.UpdateOperation.create_field_index(body["field_name"], schema)
        )

    def _delete_index(self, rec: Recorded, body: dict[str, Any]) -> Any:
        field = urllib.parse.unquote(rec.params["field"])
        return self.store.update(self._name(rec), qe.UpdateOperation.delete_field_index(field))

    # -- points ------------------------------------------------------------------------------

    def _upsert(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return self.store.update(self._name(rec), qe.UpdateOperation.upsert_points(codec.points(body)))

    def _update_vectors(self, rec: Recorded, body: dict[str, Any]) -> Any:
        items = codec.point_vectors(body)
        return self.store.update(self._name(rec), qe.UpdateOperation.update_vectors(items))

    def _delete_points(self, rec: Recorded, body: dict[str, Any]) -> Any:
        if "points" in body:
            ids: list[Any] = [codec.point_id(i) for i in body["points"]]
            operation = qe.UpdateOperation.delete_points(ids)
        else:
            filter = codec.edge_filter(body.get("filter"))
            if filter is None:
                raise BadRequest("delete needs points or a filter")
            operation = qe.UpdateOperation.delete_points_by_filter(filter)
        return self.store.update(self._name(rec), operation)

    def _retrieve(self, rec: Recorded, body: dict[str, Any]) -> Any:
        ids: list[Any] = [codec.point_id(i) for i in body.get("ids", [])]
        selector, vectors = body.get("with_payload", True), body.get("with_vector", False)
        with self.store.shard(self._name(rec)) as shard:
            records = shard.retrieve(ids, with_payload=True, with_vector=codec.with_vector(vectors))
        return [codec.record(r, selector, vectors) for r in records]

    def _get_point(self, rec: Recorded, body: dict[str, Any]) -> Any:
        raw = urllib.parse.unquote(rec.params["id"])
        ident: Any = codec.point_id(int(raw) if raw.isdigit() else raw)
        with self.store.shard(self._name(rec)) as shard:
            records = shard.retrieve([ident], with_payload=True, with_vector=True)
        if not records:
            raise NotFoundError(f"No point with id {raw} found")
        return codec.record(records[0], True, True)

    def _scroll(self, rec: Recorded, body: dict[str, Any]) -> Any:
        offset = body.get("offset")
        selector, vectors = body.get("with_payload", True), body.get("with_vector", False)
        request = qe.ScrollRequest(
            offset=codec.point_id(offset) if offset is not None else None,
            limit=int(body.get("limit") or 10),
            filter=codec.edge_filter(body.get("filter")),
            with_payload=True,
            with_vector=codec.with_vector(vectors),
        )
        with self.store.shard(self._name(rec)) as shard:
            records, next_offset = shard.scroll(request)
        return {
            "points": [codec.record(r, selector, vectors) for r in records],
            "next_page_offset": codec.out_id(next_offset) if next_offset is not None else None,
        }

    def _count(self, rec: Recorded, body: dict[str, Any]) -> Any:
        request = qe.CountRequest(exact=True, filter=codec.edge_filter(body.get("filter")))
        with self.store.shard(self._name(rec)) as shard:
            return {"count": int(shard.count(request))}

    def _run_query(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        request = codec.query_request(body)
        with self.store.shard(name) as shard:
            found = shard.query(request)
        selector, vectors = body.get("with_payload", False), body.get("with_vector", False)
        return {"points": [codec.record(p, selector, vectors) for p in found]}

    def _query(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return self._run_query(self._name(rec), body)

    def _query_batch(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return [self._run_query(self._name(rec), search) for search in body.get("searches", [])]

    # -- snapshots ---------------------------------------------------------------------------

    def _create_snapshot(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return self.store.create_snapshot(self._name(rec))

    def _list_snapshots(self, rec: Recorded, body: dict[str, Any]) -> Any:
        return self.store.list_snapshots(self._name(rec))

    def _download(self, rec: Recorded) -> Reply:
        started = time.perf_counter()
        refused = self._refuse(rec)
        if refused is not None:
            return error(401, refused, started)
        try:
            path = self.store.snapshot_path(self._name(rec), urllib.parse.unquote(rec.params["snapshot"]))
        except ApiError as exc:
            return error(exc.status, str(exc), started)
        return Reply(200, path.read_bytes(), {"Content-Type": "application/octet-stream"})

    def _delete_snapshot(self, rec: Recorded, body: dict[str, Any]) -> Any:
        self.store.delete_snapshot(self._name(rec), urllib.parse.unquote(rec.params["snapshot"]))
        return True

    def _recover(self, rec: Recorded, body: dict[str, Any]) -> Any:
        location = str(body["location"])
        parsed = urllib.parse.urlsplit(location)
        if parsed.scheme == "file":
            self.store.recover(self._name(rec), Path(urllib.parse.unquote(parsed.path)), body.get("checksum"))
            return True
        if parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost"):
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "download.snapshot"
                with urllib.request.urlopen(location, timeout=60) as response:
                    target.write_bytes(response.read())
                self.store.recover(self._name(rec), target, body.get("checksum"))
            return True
        raise BadRequest(f"snapshot location {location!r}: only file:// and http://127.0.0.1 are served")

    def _upload(self, rec: Recorded, body: dict[str, Any]) -> Any:
        content_type = rec.headers.get("content-type", "")
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + rec.raw
        )
        parts = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition")]
        if not parts:
            raise BadRequest("upload needs a multipart form with a 'snapshot' file")
        data = parts[0].get_payload(decode=True)
        if not isinstance(data, bytes):
            raise BadRequest("upload needs a multipart form with a 'snapshot' file")
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "upload.snapshot"
            target.write_bytes(data)
            self.store.recover(self._name(rec), target, _query_params(rec).get("checksum"))
        return True


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM or SIGINT; print ``listening on URL`` once ready."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.qdrant_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=6333, help="TCP port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument(
        "--path", required=True, help="data folder (created if missing; kept across restarts)"
    )
    parser.add_argument("--api-key", default=None, help="require this API key (api-key header or bearer)")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server = QdrantServer(args.path, port=args.port, api_key=args.api_key).start()
    print(f"listening on {server.url}", flush=True)
    try:
        stop.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
