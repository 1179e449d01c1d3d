"""Vector index port: value types, filters, collection naming and the ``VectorIndex`` protocol.

Pure: no client, no I/O. Adapters live in ``jurisgraph.integrations.qdrant``.

Conventions shared by every adapter:

* A collection holds a dense named vector ``"dense"`` (cosine, so stored vectors come back
  L2-normalised) and a sparse named vector ``"sparse"`` (IDF modifier: the index weighs
  terms, the encoder only supplies term frequencies).
* Our ids are strings (chunk ids, entity keys); the point id is ``uuid5(POINT_NAMESPACE, id)``
  and our id is kept in the payload under ``ID_FIELD``. Callers never see the uuid.
* Physical collections are named ``<kind>__<model-slug>__<dim>``; the alias ``<kind>`` points
  at the one in service, so a re-index writes a new collection and swaps the alias.
"""

from __future__ import annotations

import re
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

from jurisgraph.errors import InvalidInput, ServiceUnavailable

DENSE = "dense"
SPARSE = "sparse"
ID_FIELD = "_id"
POINT_NAMESPACE = uuid.UUID("6f1d3a52-8c4e-5b7a-9e21-4d0c7b3f9a18")
CHUNK_KIND = "chunks"
ENTITY_KIND = "entities"
REPORT_KIND = "reports"
KINDS = (CHUNK_KIND, ENTITY_KIND, REPORT_KIND)
"""What a collection holds; each kind is also the alias of its live collection."""
KEYWORD_FIELDS = ("workspace_id", "dataset", "orgao_julgador", "relator", "classe", "entities")
DATE_FIELDS = ("date",)
DEFAULT_LIMIT = 10

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,190}$")
_SLUG_MAX = 80

Scalar: TypeAlias = str | int | bool
Bound: TypeAlias = date | datetime | str | int | float
DenseVector: TypeAlias = Sequence[float] | npt.NDArray[np.floating[Any]]


class VectorStoreError(ServiceUnavailable):
    """The vector store failed in a way that is not the caller's fault."""

    code = "vector_store_error"


@dataclass(frozen=True, slots=True)
class SparseVector:
    """Sparse vector: distinct non-negative term ids and their weights, same length."""

    indices: tuple[int, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.indices) != len(self.values):
            raise InvalidInput("sparse vector: indices and values differ in length")
        if len(set(self.indices)) != len(self.indices):
            raise InvalidInput("sparse vector: repeated index")
        if any(i < 0 or i > 0xFFFFFFFF for i in self.indices):
            raise InvalidInput("sparse vector: index outside 0..2**32-1")

    @classmethod
    def of(cls, indices: Iterable[int], values: Iterable[float]) -> SparseVector:
        """Build from any iterables (coerces to int/float)."""
        return cls(tuple(int(i) for i in indices), tuple(float(v) for v in values))

    def __len__(self) -> int:
        return len(self.indices)


@dataclass(frozen=True, slots=True)
class VectorPoint:
    """One point to write or read back: our string ``id``, optional vectors, JSON-like payload."""

    id: str
    dense: DenseVector | None = None
    sparse: SparseVector | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result: our id, the store's score (higher is better) and the payload."""

    id: str
    score: float
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """``payload[field] == value``."""

    field: str
    value: Scalar


@dataclass(frozen=True, slots=True)
class FieldIn:
    """``payload[field]`` is one of ``values`` (all strings or all ints)."""

    field: str
    values: tuple[Scalar, ...]

    def __post_init__(self) -> None:
        if not self.values:
            raise InvalidInput(f"empty value list for {self.field!r}")
        all_str = all(isinstance(v, str) for v in self.values)
        all_int = all(isinstance(v, int) and not isinstance(v, bool) for v in self.values)
        if not (all_str or all_int):
            raise InvalidInput(f"values for {self.field!r} must be all strings or all integers")


@dataclass(frozen=True, slots=True)
class FieldRange:
    """Range on a field; dates, datetimes and ISO strings compare as datetimes, numbers as numbers."""

    field: str
    gte: Bound | None = None
    lte: Bound | None = None
    gt: Bound | None = None
    lt: Bound | None = None

    def __post_init__(self) -> None:
        bounds = self.bounds()
        if not bounds:
            raise InvalidInput(f"range on {self.field!r} has no bound")
        temporal = [isinstance(b, date | str) for b in bounds.values()]
        if any(temporal) and not all(temporal):
            raise InvalidInput(f"range on {self.field!r} mixes dates and numbers")

    def bounds(self) -> dict[str, Bound]:
        """The bounds that are set, by name (gte, lte, gt, lt)."""
        pairs = (("gte", self.gte), ("lte", self.lte), ("gt", self.gt), ("lt", self.lt))
        return {k: v for k, v in pairs if v is not None}

    @property
    def is_temporal(self) -> bool:
        """True when the bounds are dates/ISO strings (datetime range), False for numbers."""
        return any(isinstance(b, date | str) for b in self.bounds().values())

    def iso_bounds(self) -> dict[str, str]:
        """Temporal bounds as ISO strings."""
        return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in self.bounds().items()}

    def number_bounds(self) -> dict[str, float]:
        """Numeric bounds as floats."""
        return {k: float(v) for k, v in self.bounds().items() if isinstance(v, int | float)}


Condition: TypeAlias = FieldMatch | FieldIn | FieldRange


@dataclass(frozen=True, slots=True)
class Filter:
    """A conjunction of conditions; the empty filter matches everything."""

    conditions: tuple[Condition, ...] = ()

    @classmethod
    def where(cls, **fields: Scalar | Sequence[Scalar] | None) -> Filter:
        """``Filter.where(workspace_id="pub", orgao_julgador=["T1", "T2"])``; ``None`` values are skipped."""
        conds: list[Condition] = []
        for name, value in fields.items():
            if value is None:
                continue
            if isinstance(value, str | int | bool):
                conds.append(FieldMatch(name, value))
            else:
                conds.append(FieldIn(name, tuple(value)))
        return cls(tuple(conds))

    def and_(self, *conditions: Condition) -> Filter:
        """A new filter with ``conditions`` added."""
        return Filter(self.conditions + conditions)

    def between(self, field_name: str, start: Bound | None = None, end: Bound | None = None) -> Filter:
        """A new filter adding ``start <= field <= end`` (either end may be open)."""
        if start is None and end is None:
            return self
        return self.and_(FieldRange(field_name, gte=start, lte=end))

    def __bool__(self) -> bool:
        return bool(self.conditions)


def model_slug(model: str) -> str:
    """Lower-case ``[a-z0-9-]`` slug of a model name; long names keep a crc32 suffix."""
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    if not slug:
        raise InvalidInput(f"model name {model!r} has no letters or digits")
    if len(slug) > _SLUG_MAX:
        slug = f"{slug[: _SLUG_MAX - 9].rstrip('-')}-{zlib.crc32(model.encode()):08x}"
    return slug


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """What a collection stores: ``kind`` (chunks|entities|reports), dense ``model`` and ``dim``."""

    kind: str
    model: str
    dim: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput(f"collection kind must be one of {KINDS}, not {self.kind!r}")
        if self.dim <= 0:
            raise InvalidInput(f"dimension must be positive, not {self.dim}")
        model_slug(self.model)

    @property
    def name(self) -> str:
        """Physical collection name: ``<kind>__<model-slug>__<dim>``."""
        return f"{self.kind}__{model_slug(self.model)}__{self.dim}"

    @property
    def alias(self) -> str:
        """The alias that serves this kind."""
        return self.kind


Target: TypeAlias = CollectionSpec | str


def parse_collection_name(name: str) -> tuple[str, str, int] | None:
    """``(kind, model_slug, dim)`` of a physical name, or ``None`` if it does not follow the scheme."""
    parts = name.split("__")
    if len(parts) != 3 or parts[0] not in KINDS or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe collection/alias name, else raise InvalidInput."""
    if not _NAME_RE.match(name):
        raise InvalidInput(f"invalid collection or alias name {name!r}")
    return name


def point_uuid(point_id: str) -> str:
    """The store's point id for our id: ``uuid5(POINT_NAMESPACE, point_id)`` as a string."""
    if not isinstance(point_id, str) or not point_id:
        raise InvalidInput("point id must be a non-empty string")
    return str(uuid.uuid5(POINT_NAMESPACE, point_id))


class SparseEncoder(Protocol):
    """Text to sparse vector. Documents get term-frequency weights; the store applies IDF."""

    @property
    def name(self) -> str:
        """Stable name of the encoding (tokeniser + hashing); stored vectors need the same one."""
        ...

    def encode_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        """Vectors of texts to index, one per text, in order."""
        ...

    def encode_query(self, text: str) -> SparseVector:
        """Vector of a search query."""
        ...


class VectorIndex(Protocol):
    """A store of named dense + sparse vectors with payload filters and aliases.

    ``target`` arguments take a spec (its physical collection) or a name (an alias, else a
    collection). Errors: NotFound for a missing collection, DimensionMismatch for a wrong
    vector size, InvalidInput for bad arguments, VectorStoreError/RetryableUpstreamError
    when the store fails.
    """

    def ensure_collection(self, spec: CollectionSpec) -> bool:
        """Create the collection with vectors and payload indexes if missing; True if created."""
        ...

    def upsert(self, spec: CollectionSpec, points: Iterable[VectorPoint]) -> int:
        """Validate all points (DimensionMismatch), then insert or replace them; returns the count."""
        ...

    def update_dense(self, spec: CollectionSpec, vectors: Mapping[str, DenseVector]) -> None:
        """Set the dense vector of existing points, keeping sparse vectors and payload."""
        ...

    def retrieve(
        self, target: Target, ids: Iterable[str], *, with_vectors: bool = False
    ) -> list[VectorPoint]:
        """The stored points among ``ids`` (missing ids are skipped)."""
        ...

    def delete(self, target: Target, ids: Iterable[str]) -> None:
        """Delete points by our id; missing ids are ignored."""
        ...

    def delete_by_filter(self, target: Target, filter: Filter) -> None:
        """Delete every point matching a non-empty filter."""
        ...

    def search_dense(
        self, target: Target, vector: DenseVector, *, filter: Filter | None = None, limit: int = DEFAULT_LIMIT
    ) -> list[SearchHit]:
        """Nearest points by cosine similarity."""
        ...

    def search_sparse(
        self,
        target: Target,
        vector: SparseVector,
        *,
        filter: Filter | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[SearchHit]:
        """Best points by sparse dot product with IDF weights."""
        ...

    def search_hybrid(
        self,
        target: Target,
        *,
        dense: DenseVector | None = None,
        sparse: SparseVector | None = None,
        filter: Filter | None = None,
        limit: int = DEFAULT_LIMIT,
        candidates: int | None = None,
    ) -> list[SearchHit]:
        """Prefetch dense and sparse candidates, fuse with RRF; one side alone is a plain search."""
        ...

    def count(self, target: Target, filter: Filter | None = None) -> int:
        """Exact number of points (matching ``filter``)."""
        ...

    def scroll(
        self, target: Target, *, batch: int = 256, filter: Filter | None = None
    ) -> Iterator[VectorPoint]:
        """Every point with vectors and payload, in store order (for export and migration)."""
        ...

    def set_alias(self, alias: str, collection: Target) -> None:
        """Point ``alias`` at ``collection`` in one atomic step (readers see old or new, never none)."""
        ...

    def resolve_alias(self, alias: str) -> str | None:
        """The collection an alias points at, or None."""
        ...

    def aliases(self) -> dict[str, str]:
        """All aliases and their collections."""
        ...

    def list_collections(self) -> list[str]:
        """Physical collection names, sorted."""
        ...

    def drop_collection(self, collection: Target) -> None:
        """Delete a collection and the aliases pointing at it; missing is not an error."""
        ...

    def optimize(self, target: Target) -> None:
        """Build indexes and merge segments now (may block); a no-op where the store does it itself."""
        ...

    def close(self) -> None:
        """Release files and connections; the object is unusable afterwards."""
        ...
