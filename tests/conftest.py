"""The test suite's shared fixtures live in ``tests/fixtures`` (see its ``__init__``)."""

from __future__ import annotations

pytest_plugins = [
    "tests.fixtures.environment",
    "tests.fixtures.databases",
    "tests.fixtures.sample",
    "tests.fixtures.mirrors",
    "tests.fixtures.llm",
    "tests.fixtures.vectors",
    "tests.fixtures.qdrant",
    "tests.fixtures.accounts",
    "tests.fixtures.s3",
    "tests.fixtures.fuzzing",
]
