"""Documents service: uploads into the caller's private workspace, queueing their processing,
listing and re-processing, all in the caller's transaction (processing and deleting themselves
are long edges that commit as they go: :mod:`jurisgraph.documents.lifecycle`).

An upload is validated whole before anything is stored: every file's size, its type (from its
bytes), its text (pages, DOCX zip bomb, encryption, no text layer: whatever
:func:`jurisgraph.engine.documents.extract` refuses), duplicates, and the user's storage quota.
Only then are the files put in the object store and their rows inserted, in the caller's
transaction; if inserting fails, the objects this upload added are deleted again. Processing
is a job (``process_document``) queued once the rows are committed.

Only the owner of a document (and admins) see or touch it: for anyone else it does not exist
(:class:`NotFound`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import structlog

from jurisgraph.auth import service as auth
from jurisgraph.auth.principal import Principal
from jurisgraph.config import Settings
from jurisgraph.db import Session
from jurisgraph.documents import repository
from jurisgraph.engine.documents import DocumentRejected, extract
from jurisgraph.engine.text import safe_filename
from jurisgraph.errors import Conflict, InvalidInput, NotFound, TooLarge
from jurisgraph.integrations.storage import ObjectStore
from jurisgraph.jobs.queue import JobQueue, active_payloads, is_over
from jurisgraph.models import Document
from jurisgraph.pipeline import uploads
from jurisgraph.pipeline.logs import ActionCounts, record_action
from jurisgraph.runtime import Container
from jurisgraph.workspaces.service import ensure_private_workspace, hold

log = structlog.get_logger(__name__)

MB = 1024 * 1024
JOB_KIND = "process_document"
#: statuses a document is in while its job runs: it cannot be re-processed or deleted then
BUSY = frozenset(uploads.LIFECYCLE[1:-1])
MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
    "html": "text/html",
}

#: the type a file's extension names
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class IncomingFile:
    """One uploaded file as received: the name the client gave it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class _Checked:
    incoming: IncomingFile
    kind: str
    sha256: str
    pages: int


def _rejected(name: str, exc: DocumentRejected) -> InvalidInput:
    return InvalidInput(f"{name}: {exc.message}", code=exc.code, status_code=exc.status_code)


def _check(
    settings: Settings, files: Sequence[IncomingFile], workspace_id: int, session: Session
) -> list[_Checked]:
    storage = settings.storage
    if not files:
        raise InvalidInput("send at least one file", code="no_file")
    if len(files) > storage.max_files:
        raise InvalidInput(f"at most {storage.max_files} files per upload", code="too_many_files")
    limits = uploads.extract_limits(settings)
    checked: list[_Checked] = []
    seen: set[str] = set()
    for incoming in files:
        name = safe_filename(incoming.name, default="documento")
        if len(incoming.data) > storage.max_upload_mb * MB:
            raise TooLarge(f"{name}: larger than {storage.max_upload_mb} MB", code="document_too_large")
        try:
            extracted = extract(incoming.data, limits)
        except DocumentRejected as exc:
            raise _rejected(name, exc) from exc
        _check_extension(name, str(extracted.kind))
        sha = hashlib.sha256(incoming.data).hexdigest()
        earlier = repository.with_key(session, workspace_id, document_key(sha))
        if sha in seen or earlier is not None:
            where = f" (document {earlier.id})" if earlier is not None else ""
            raise Conflict(f"{name}: this file was already uploaded{where}", code="duplicate")
        seen.add(sha)
        checked.append(_Checked(incoming, str(extracted.kind), sha, len(extracted.pages)))
    return checked


def _check_extension(name: str, kind: str) -> None:
    """A file named as one accepted type must be of that type (a PDF renamed .docx is refused);
    a name without a known extension is judged by its content alone."""
    named = EXTENSIONS.get(PurePath(name).suffix.lower())
    if named is not None and named != kind:
        raise InvalidInput(
            f"{name}: named as {named.upper()} but its content is {kind.upper()}",
            code="document_type_mismatch",
            status_code=415,
        )


def document_key(sha256: str) -> str:
    """``documents.key`` of an uploaded file: its content (one copy per workspace)."""
    return f"upload:{sha256[:40]}"


def upload(
    session: Session, store: ObjectStore, settings: Settings, *, user_id: int, files: Sequence[IncomingFile]
) -> list[Document]:
    """Validate, store and insert uploaded files for ``user_id`` (status ``uploaded``).

    Refuses the whole upload (nothing stored) with a clear error when any file is refused:
    :class:`TooLarge` (``document_too_large``, ``quota_exceeded``), :class:`InvalidInput`
    (``document_<reason>``, ``no_file``, ``too_many_files``) or :class:`Conflict` (``duplicate``).
    The caller commits, then queues processing (:func:`start_processing`)."""
    workspace_id = ensure_private_workspace(session, user_id)
    checked = _check(settings, files, workspace_id, session)
    quota = settings.storage.quota_mb * MB
    # the user's uploads in flight wait for one another here, so the quota counts every earlier one
    hold(session, workspace_id)
    used = repository.used_bytes(session, user_id, current=True)
    adding = sum(len(c.incoming.data) for c in checked)
    if used + adding > quota:
        raise TooLarge(
            f"storage quota of {settings.storage.quota_mb} MB exceeded "
            f"({used} bytes used, {adding} more sent)",
            code="quota_exceeded",
        )
    stored: list[str] = []
    rows: list[Document] = []
    try:
        for c in checked:
            obj = store.put(c.incoming.data)
            stored.append(obj.key)
            name = safe_filename(c.incoming.name, default="documento")
            rows.append(
                repository.add(
                    session,
                    Document(
                        workspace_id=workspace_id,
                        key=document_key(c.sha256),
                        kind=repository.UPLOAD_KIND,
                        user_id=user_id,
                        title=PurePath(name).stem[:512] or name[:512],
                        filename=name[:512],
                        original_name=c.incoming.name[:512],
                        mime_type=MIME_TYPES.get(c.kind, "application/octet-stream"),
                        file_size=len(c.incoming.data),
                        file_url=obj.key,
                        text_content="",
                        content_hash=c.sha256,
                        metadata_={"pages": [], "page_count": c.pages, "type": c.kind},
                        status="uploaded",
                    ),
                )
            )
    except Exception:
        session.rollback()
        discard_files(session, store, stored)
        raise
    return rows


def discard_files(
    session: Session, store: ObjectStore, keys: Sequence[str], excluding: Sequence[int] = ()
) -> None:
    """Delete the stored objects no document (other than ``excluding``) references any more."""
    for key in dict.fromkeys(keys):
        if repository.file_references(session, key, excluding) == 0:
            store.delete(key)


def start_processing(
    session: Session, jobs: JobQueue, document_ids: Sequence[int], *, user_id: int | None
) -> list[str]:
    """Queue one ``process_document`` job for each committed upload and log it; returns the job
    ids (in the order of ``document_ids``). The caller commits the log rows (the jobs' own rows are
    the queue's, written as they are submitted)."""
    rows = {document_id: repository.get(session, document_id) for document_id in document_ids}
    # the job records its id on the document when it starts (writing it here would race it)
    queued = [
        jobs.submit(JOB_KIND, {"document_id": document_id}, user_id=user_id) for document_id in document_ids
    ]
    # logged once every job is queued: a pending row would hold SQLite's write lock against them
    for document_id, row in rows.items():
        name, size = (row.filename, row.file_size) if row is not None else ("", 0)
        counts = ActionCounts(records_processed=1, details=[f"{name}: {size} bytes"])
        record_action(session, "upload_document", counts, document_id=document_id)
    return queued


def resume_stranded(session: Session, jobs: JobQueue) -> list[int]:
    """Queue processing for the uploads left unfinished with no job that will finish them: an API
    process killed between committing an upload and queueing its job leaves such rows. A job a dead
    process held is not stranded: the job reaper takes it back. Returns the documents queued."""
    pending = repository.unfinished(session)
    covered = {payload.get("document_id") for payload in active_payloads(session, JOB_KIND)}
    stranded = [(document_id, owner) for document_id, owner in pending if document_id not in covered]
    for document_id, owner in stranded:
        jobs.submit(JOB_KIND, {"document_id": document_id}, user_id=owner)
    if stranded:
        log.warning("uploads_resumed", documents=[document_id for document_id, _ in stranded])
    return [document_id for document_id, _ in stranded]


def any_document(session: Session, document_id: int) -> Document:
    """The uploaded document ``document_id`` whoever owns it (the command line acts as the
    installation's operator); :class:`NotFound` when there is none."""
    row = repository.get(session, document_id)
    if row is None:
        raise NotFound(f"document {document_id} not found")
    return row


def owned(session: Session, principal: Principal, document_id: int) -> Document:
    """The uploaded document ``document_id`` if the caller owns it (or is an admin); else
    :class:`NotFound`."""
    row = repository.get(session, document_id)
    if row is None or not (
        principal.is_admin or (principal.is_authenticated and row.user_id == principal.user_id)
    ):
        raise NotFound(f"document {document_id} not found")
    return row


def listing(
    session: Session, principal: Principal, *, limit: int, offset: int, every: bool = False
) -> tuple[list[Document], int]:
    """The caller's uploaded documents newest first (every user's for an admin asking
    ``every``), and the total."""
    if not principal.is_authenticated:
        return [], 0
    return repository.page(
        session, None if every and principal.is_admin else principal.user_id, limit=limit, offset=offset
    )


def busy(session: Session, row: Document, *, queued: bool = False) -> bool:
    """Whether the document is being processed: mid-lifecycle with its job not over (a job that
    died mid-way leaves the document free to re-process or delete); with ``queued``, also
    ``uploaded`` with its job still to run."""
    if row.status not in BUSY and not (queued and row.status == "uploaded"):
        return False
    job_id = (row.metadata_ or {}).get("job_id")
    return isinstance(job_id, str) and not is_over(session, job_id)


def reprocess(session: Session, principal: Principal, document_id: int) -> Document:
    """Put an owned document back to ``uploaded`` to process it again (:class:`Conflict` while its
    job waits or runs: a second job would process it twice); the caller commits, then calls
    :func:`start_processing`."""
    row = owned(session, principal, document_id)
    if busy(session, row, queued=True):
        state = "waiting to be processed" if row.status == "uploaded" else f"being processed ({row.status})"
        raise Conflict(f"document {document_id} is {state}", code="busy")
    row.status, row.error_message = "uploaded", None
    return row


def owner_for_cli(session: Session, email: str | None) -> int:
    """Whose documents a command works on: the user with ``email``; without one, the only user,
    else the only admin (a fresh install has one admin); otherwise :class:`InvalidInput`."""
    if email:
        return auth.user_by_email(session, email).id
    users = auth.list_users(session, limit=1000)
    if len(users) == 1:
        return users[0].id
    admins = [u for u in users if u.role == "admin"]
    if len(admins) == 1:
        return admins[0].id
    raise InvalidInput("several users: say whose documents with --user EMAIL", code="user_required")


def page_texts(row: Document) -> list[dict[str, Any]]:
    """The text of each page of a processed document (``number``, ``text``), in order; the whole
    text as page 1 when it has no page spans; empty before its text was extracted."""
    text = row.text_content or ""
    spans = (row.metadata_ or {}).get("pages") or []
    if not spans:
        return [{"number": 1, "text": text}] if text else []
    return [{"number": int(p["number"]), "text": text[int(p["start"]) : int(p["end"])]} for p in spans]


def as_dict(row: Document, container: Container | None = None) -> dict[str, Any]:
    """What the API and the pages show of an uploaded document."""
    meta = row.metadata_ or {}
    job_id = meta.get("job_id")
    live = container.jobs().live_progress(job_id) if container is not None and job_id else None
    return {
        "id": row.id,
        "name": row.original_name or row.filename,
        "filename": row.filename,
        "mime_type": row.mime_type,
        "size": row.file_size,
        "pages": meta.get("page_count") or len(meta.get("pages") or []),
        "status": row.status,
        "progress": 1.0 if row.status == "embedded" else uploads.progress_of(row.status),
        "error": row.error_message,
        "chunk_count": row.chunk_count,
        "entity_count": row.entity_count,
        "job_id": job_id,
        "job_progress": live,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
        "url": f"/documentos/{row.id}",
    }
