"""Schemathesis over the app's OpenAPI schema, in process (ASGI), on its own ingested sample, every
generated request sent as a user and as an admin (fresh bearer tokens each time): no 5xx, and every
response conforms to the schema where the schema declares one.

Bounded: a few derandomised examples per operation and phase. Left out: the two routes that start a
long job on the corpus (``POST /api/v1/ingest`` may ingest the sample again, ``POST
/api/v1/communities/build`` re-runs Leiden); their own tests and the route matrix cover them. Catalogue
sync, downloads and processing stay in, against a configured portal (an empty local mirror) that
refuses quickly, within the job caps."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from jurisgraph.app import create_app
from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from jurisgraph.integrations.embeddings import build_embedder
from jurisgraph.runtime import Container
from tests.fixtures.accounts import add_user
from tests.fixtures.sample import QueryEmbedder, ingest_sample

pytestmark = pytest.mark.slow

#: generated cases per operation and phase (kept small: about 40 operations, two callers each);
#: JURISGRAPH_FUZZ_EXAMPLES asks for a deeper run
MAX_EXAMPLES = int(os.environ.get("JURISGRAPH_FUZZ_EXAMPLES", "6"))
LONG_JOBS = r"^/api/v1/(ingest|communities/build)$"
ROLES = ("user", "admin")


@dataclass
class Fuzzed:
    """The started app's schema and container, and the ids of the two callers."""

    app: FastAPI
    schema: OpenApiSchema
    container: Container
    users: dict[str, int]

    def headers(self, role: str) -> dict[str, str]:
        """A fresh bearer token of the ``role`` caller, re-enabled with its role first: a generated
        request may have logged it out, disabled or demoted it, or reset its password."""
        user_id = self.users[role]
        with session_scope(self.container.sessions) as session:
            user = auth.get_user(session, user_id)
            if user.role != role or not user.is_active:
                user = auth.update_user(session, user_id, is_active=True, role=role)
            token = auth.session_token(user, self.container.settings.auth)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    home: Path = tmp_path_factory.mktemp("schemathesis")
    ingested = ingest_sample(home / "home")
    ingested.container.close()  # the app's own container opens the embedded store
    mirror = home / "empty-mirror"
    mirror.mkdir()
    (mirror / "catalog.json").write_text(json.dumps({"packages": []}), encoding="utf-8")
    settings_ = ingested.settings
    settings_.portal.url = str(mirror)
    app = create_app(settings_)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)  # starts the app's lifespan
    try:
        container: Container = app.state.container
        signature = build_embedder(
            "local", model=settings_.embedding.model, dim=settings_.embedding.dim
        ).signature
        container.provide(embedder=QueryEmbedder(signature))
        users = {role: add_user(container, f"fuzz.{role}@example.org", role=role) for role in ROLES}
        yield Fuzzed(app, schema, container, users)
    finally:
        shutdown_lifespans()


# The operations, from the schema of an app that is not started (FastAPI builds it without a
# lifespan); the cases are sent to the started app of the ``fuzzed`` fixture.
schema = schemathesis.openapi.from_dict(create_app().openapi()).exclude(path_regex=LONG_JOBS)


def test_schema_declares_the_auth_schemes(fuzzed: Fuzzed) -> None:
    schemes = fuzzed.schema.raw_schema["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearer"]["description"],
    }
    assert (schemes["cookie"]["type"], schemes["cookie"]["in"]) == ("apiKey", "cookie")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_as_user_or_admin(case: schemathesis.Case, fuzzed: Fuzzed) -> None:
    for role in ROLES:
        response = case.call(app=fuzzed.app, headers=fuzzed.headers(role))
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
