"""Pick the parser for a portal resource from its file name and dataset, and run it."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path, PurePosixPath

from jurisgraph.engine.stj.espelhos import parse_espelhos, parse_espelhos_zip
from jurisgraph.engine.stj.integra_texts import attach_integra_texts
from jurisgraph.engine.stj.integras import parse_integra_metadata
from jurisgraph.engine.stj.precedentes import parse_precedentes
from jurisgraph.engine.stj.public_documents import is_document, parse_public_document
from jurisgraph.engine.stj.results import ParseResult, Skip
from jurisgraph.errors import InvalidInput


class ResourceKind(StrEnum):
    """What a resource holds. Companion kinds are parsed together with their main resource."""

    ESPELHO = "espelho"  # monthly JSON array of an espelhos dataset
    ESPELHO_ZIP = "espelho_zip"  # historical ZIP of monthly JSONs of an espelhos dataset
    INTEGRA_METADATA = "integra_metadata"  # metadadosYYYYMMDD.json
    INTEGRA_TEXTS = "integra_texts"  # ZIP of <seqDocumento>.txt: companion of the metadata
    PRECEDENTES = "precedentes"  # temas.csv (processos.csv is its companion)
    PRECEDENTES_PROCESSOS = "precedentes_processos"  # processos.csv: companion of temas.csv
    DICTIONARY = "dictionary"  # dicionario*.csv: documentation, no records
    PUBLIC_DOCUMENT = "public_document"  # a PDF, DOCX, TXT or HTML document (atas de distribuição…)


COMPANION_KINDS = frozenset(
    {ResourceKind.INTEGRA_TEXTS, ResourceKind.PRECEDENTES_PROCESSOS, ResourceKind.DICTIONARY}
)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_METADATA = re.compile(r"^metadados\d{8}\.json$")
_MONTH_FILE = re.compile(r"^\d{8}\.json$")


def resource_date(file_name: str) -> date | None:
    """The ``YYYYMMDD`` date in a resource name (``metadados20230104.json``, ``20220531.json``)."""
    match = _DATE_IN_NAME.search(PurePosixPath(file_name).name)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def guess_kind(file_name: str, dataset: str | None = None, fmt: str | None = None) -> ResourceKind | None:
    """Guess a resource's kind from its name, its dataset slug (or its mirror folder) and its
    CKAN ``fmt`` (format).

    ``20220531.json`` in an espelhos dataset (or with no dataset given) is an espelho month;
    ``metadados20220901.json`` íntegras metadata; a ZIP in the íntegras dataset the texts;
    ``temas.csv``/``processos.csv`` the precedentes; any other resource whose format or
    extension is PDF, DOCX, TXT or HTML a public document. None when nothing fits.
    """
    path = PurePosixPath(file_name.replace("\\", "/"))
    name = path.name.lower()
    slug = (dataset or (path.parent.name if len(path.parts) > 1 else "")).lower()
    if name.startswith("dicionario"):
        return ResourceKind.DICTIONARY
    if _METADATA.match(name):
        return ResourceKind.INTEGRA_METADATA
    if name.endswith(".zip"):
        if "integras" in slug:
            return ResourceKind.INTEGRA_TEXTS
        return ResourceKind.ESPELHO_ZIP if "espelhos" in slug else None
    if name.endswith(".csv") and (not slug or "precedentes" in slug):
        if name.startswith("temas"):
            return ResourceKind.PRECEDENTES
        if name.startswith("processos"):
            return ResourceKind.PRECEDENTES_PROCESSOS
    if name.endswith(".json") and (_MONTH_FILE.match(name) or "espelhos" in slug):
        return ResourceKind.ESPELHO if (not slug or "espelhos" in slug) else None
    if is_document(name, fmt):
        return ResourceKind.PUBLIC_DOCUMENT
    return None


def parse_resource(
    kind: ResourceKind | str,
    data: bytes,
    *,
    source_name: str,
    source_url: str | None = None,
    companion: bytes | None = None,
) -> ParseResult:
    """Run the parser for ``kind``.

    ``companion`` is ``processos.csv`` for :attr:`ResourceKind.PRECEDENTES` and the texts ZIP
    for :attr:`ResourceKind.INTEGRA_METADATA`. Companion kinds alone yield an empty result
    (their content reaches documents through the main resource). Unknown kinds raise
    :class:`InvalidInput`.
    """
    try:
        kind = ResourceKind(kind)
    except ValueError:
        raise InvalidInput(f"no parser for resource kind {kind!r}") from None
    if kind in COMPANION_KINDS:
        return ParseResult()
    if kind is ResourceKind.ESPELHO:
        return parse_espelhos(data, source_name=source_name, source_url=source_url)
    if kind is ResourceKind.ESPELHO_ZIP:
        return parse_espelhos_zip(data, source_name=source_name, source_url=source_url)
    if kind is ResourceKind.PRECEDENTES:
        return parse_precedentes(data, companion, source_name=source_name, source_url=source_url)
    if kind is ResourceKind.PUBLIC_DOCUMENT:
        published = resource_date(source_name)
        return parse_public_document(
            data, source_name=source_name, source_url=source_url, published=published
        )
    result = parse_integra_metadata(data, source_name=source_name, source_url=source_url)
    if companion is not None:
        attached = attach_integra_texts(result.documents, companion)
        result.documents = attached.documents
        result.skipped.extend(Skip(s.index, s.record_id, f"texts ZIP: {s.reason}") for s in attached.skipped)
        result.errors.extend(attached.errors)
    return result


def parse_path(path: Path, *, dataset: str | None = None, source_url: str | None = None) -> ParseResult:
    """Read a local file and parse it by the kind its name gives (see :func:`guess_kind`).

    ``temas.csv`` is joined with a ``processos.csv`` found next to it. Raises
    :class:`InvalidInput` when the kind cannot be guessed.
    """
    kind = guess_kind(path.as_posix() if dataset is None else path.name, dataset)
    if kind is None:
        raise InvalidInput(f"cannot tell what {path.name} holds")
    companion = None
    if kind is ResourceKind.PRECEDENTES and (path.parent / "processos.csv").is_file():
        companion = (path.parent / "processos.csv").read_bytes()
    return parse_resource(
        kind, path.read_bytes(), source_name=path.name, source_url=source_url, companion=companion
    )
