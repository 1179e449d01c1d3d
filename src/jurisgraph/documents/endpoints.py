"""HTTP endpoints of uploaded documents (``/api/v1/documents``): upload, list, get, re-process, delete.

Every route needs a signed-in caller; a document of someone else is answered 404, as one that
does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from jurisgraph.deps import MAX_ID, ContainerDep, Page, SessionDep, UserDep, paging
from jurisgraph.documents import lifecycle, service
from jurisgraph.documents.form import files_of_form, read_files

router = APIRouter(tags=["documents"])
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID)]

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                    "required": ["files"],
                }
            }
        },
    }
}


@router.post("/api/v1/documents", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload(
    request: Request, principal: UserDep, session: SessionDep, container: ContainerDep
) -> list[dict[str, Any]]:
    """Upload PDF, DOCX, TXT or HTML files (multipart, field ``files``, several at once) into the
    caller's private workspace; each is processed by a job (poll ``GET /api/v1/documents/{id}``).
    A refused file refuses the whole upload and nothing is stored: 413 ``document_too_large`` or
    ``quota_exceeded``, 400 ``document_<reason>`` (empty, corrupt, encrypted, no text layer,
    too many pages, zip bomb, unsupported type), 409 ``duplicate``."""
    storage = container.settings.storage
    limits = {"max_file_bytes": storage.max_upload_mb * 1024 * 1024, "max_files": storage.max_files}
    try:
        files = await read_files(request.headers.get("content-type"), request.stream(), **limits)
    except RuntimeError:  # the CSRF check already read the body as a form (token sent as a field)
        files = await files_of_form(await request.form(), **limits)
    assert principal.user_id is not None

    def store_and_queue() -> list[dict[str, Any]]:
        rows = service.upload(
            session, container.storage(), container.settings, user_id=principal.user_id or 0, files=files
        )
        ids = [row.id for row in rows]
        session.commit()  # the job must find the rows
        jobs = service.start_processing(session, container.jobs(), ids, user_id=principal.user_id)
        session.commit()  # the log rows, at once: the jobs write to the same database
        session.expire_all()
        return [
            {**service.as_dict(row, container), "job_id": job} for row, job in zip(rows, jobs, strict=True)
        ]

    return await run_in_threadpool(store_and_queue)


@router.get("/api/v1/documents")
def documents(
    principal: UserDep,
    session: SessionDep,
    container: ContainerDep,
    response: Response,
    page: Annotated[Page, paging(50, 500)],
    every: bool = False,
) -> list[dict[str, Any]]:
    """The caller's uploaded documents, newest first (an admin may ask ``every=true`` for all
    users'); the total is in ``X-Total-Count``."""
    rows, total = service.listing(session, principal, limit=page.limit, offset=page.offset, every=every)
    response.headers["X-Total-Count"] = str(total)
    return [service.as_dict(row, container) for row in rows]


@router.get("/api/v1/documents/{document_id}")
def document(
    document_id: DocumentId, principal: UserDep, session: SessionDep, container: ContainerDep
) -> dict[str, Any]:
    """One document: status, progress (0–1 along the lifecycle), error message, counts."""
    return service.as_dict(service.owned(session, principal, document_id), container)


@router.post("/api/v1/documents/{document_id}/reprocess", status_code=202)
def reprocess(
    document_id: DocumentId, principal: UserDep, session: SessionDep, container: ContainerDep
) -> dict[str, Any]:
    """Process the document again from its stored file (409 while it is being processed)."""
    row = service.reprocess(session, principal, document_id)
    session.commit()
    [job] = service.start_processing(session, container.jobs(), [row.id], user_id=principal.user_id)
    session.commit()
    session.expire_all()
    return {**service.as_dict(service.owned(session, principal, document_id), container), "job_id": job}


@router.delete("/api/v1/documents/{document_id}", status_code=204)
def delete(document_id: DocumentId, principal: UserDep, container: ContainerDep) -> Response:
    """Delete the document and everything derived from it (409 while it is being processed)."""
    lifecycle.delete(container, principal, document_id)
    return Response(status_code=204)
