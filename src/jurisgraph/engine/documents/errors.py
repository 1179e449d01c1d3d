"""The one refusal of document extraction: :class:`~jurisgraph.errors.DocumentRejected` with its reason."""

from __future__ import annotations

from jurisgraph.errors import DocumentRejected, RejectReason


def reject(reason: RejectReason, *, detail: str | None = None) -> DocumentRejected:
    """A :class:`DocumentRejected` for ``reason`` with its standard message (and ``detail``)."""
    return DocumentRejected(reason, detail=detail)
