"""The database goes away under a running API and comes back (MariaDB reached through a TCP proxy
the test stops and starts: connections reset, new ones refused): requests answer 503
``database_unavailable`` with a clear message and Retry-After, never a bare 500; liveness still
answers; once the database is back the same requests succeed without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from jurisgraph import migrations
from jurisgraph.app import create_app
from tests.fakes.tcp_proxy import TcpProxy
from tests.fixtures.databases import _drop_mariadb_database, _mariadb_server_url, _new_mariadb_database
from tests.fixtures.homes import make_settings

pytestmark = pytest.mark.mariadb


def test_requests_get_a_503_while_the_database_is_gone_and_succeed_after(tmp_path: Path) -> None:
    server = _mariadb_server_url()
    if not server:
        pytest.skip("JURISGRAPH_TEST_MARIADB_URL not set (run `make test`)")
    name, url = _new_mariadb_database(server)
    real = make_url(url)
    try:
        migrations.upgrade(url)
        with TcpProxy((real.host or "127.0.0.1", real.port or 3306)) as proxy:
            proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            settings = make_settings(tmp_path / "home", proxied)
            settings.app.log_level = "WARNING"
            settings.pipeline.embed_on_start = False
            with TestClient(create_app(settings), raise_server_exceptions=False) as client:
                assert client.get("/api/v1/graph/stats").status_code == 200
                proxy.stop()
                for _ in range(2):  # a pooled connection that was reset, then a refused new one
                    answer = client.get("/api/v1/graph/stats")
                    assert answer.status_code == 503, answer.text
                    assert answer.json()["error"] == "database_unavailable"
                    assert answer.json()["detail"].startswith("database unavailable (")
                    assert answer.headers["Retry-After"] == "5"
                assert client.get("/health/live").status_code == 200
                assert client.get("/health/ready").status_code == 503
                proxy.start()
                assert client.get("/api/v1/graph/stats").status_code == 200
    finally:
        _drop_mariadb_database(server, name)
