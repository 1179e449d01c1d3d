"""Reading the files of a multipart upload as the body streams in, never holding more of one
file than its limit plus the chunk that crossed it (a file over the limit stops the read)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import FormData, UploadFile

from jurisgraph.documents.service import IncomingFile
from jurisgraph.errors import InvalidInput, TooLarge


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


class _Reader:
    """Callbacks of :class:`MultipartParser` collecting file parts (other fields are ignored)."""

    def __init__(self, max_file_bytes: int, max_files: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.max_files = max_files
        self.files: list[IncomingFile] = []
        self._part = _Part()
        self._field = bytearray()
        self._value = bytearray()
        self._is_file = False

    def _filename(self) -> str | None:
        _, options = parse_options_header(self._part.headers.get(b"content-disposition", b""))
        name = options.get(b"filename")
        return None if name is None else name.decode("utf-8", "replace")

    def on_part_begin(self) -> None:
        self._part = _Part()
        self._is_file = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._part.headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def on_headers_finished(self) -> None:
        self._is_file = self._filename() is not None
        if self._is_file and len(self.files) >= self.max_files:
            raise InvalidInput(f"at most {self.max_files} files per upload", code="too_many_files")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._is_file:
            if len(self._part.data) + end - start > 64 * 1024:
                raise TooLarge("form field too large", code="field_too_large")
        elif len(self._part.data) + end - start > self.max_file_bytes:
            mb = self.max_file_bytes // (1024 * 1024)
            raise TooLarge(f"{self._filename()}: larger than {mb} MB", code="document_too_large")
        self._part.data += data[start:end]

    def on_part_end(self) -> None:
        if self._is_file:
            self.files.append(IncomingFile(name=self._filename() or "", data=bytes(self._part.data)))
        self._part = _Part()


async def read_files(
    content_type: str | None, body: AsyncIterator[bytes], *, max_file_bytes: int, max_files: int
) -> list[IncomingFile]:
    """The files of a ``multipart/form-data`` body; :class:`TooLarge` as soon as one passes
    ``max_file_bytes``, :class:`InvalidInput` for another body or more than ``max_files`` files."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInput("send the files as multipart/form-data", code="not_multipart")
    reader = _Reader(max_file_bytes, max_files)
    callbacks = {
        f"on_{name}": getattr(reader, f"on_{name}")
        for name in (
            "part_begin",
            "header_field",
            "header_value",
            "header_end",
            "headers_finished",
            "part_data",
            "part_end",
        )
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    async for chunk in body:
        _parse(parser.write, chunk)
    _parse(parser.finalize)
    return reader.files


def _parse(step: Callable[..., Any], *args: Any) -> None:
    """One step of the parser; its own errors (a malformed body) become :class:`InvalidInput`."""
    try:
        step(*args)
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(f"malformed multipart body: {exc}", code="bad_multipart") from exc


async def files_of_form(form: FormData, *, max_file_bytes: int, max_files: int) -> list[IncomingFile]:
    """The files of a form the request already parsed (a cookie session that sent its CSRF token
    as a form field instead of the header), with the same limits."""
    uploads = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
    try:
        if len(uploads) > max_files:
            raise InvalidInput(f"at most {max_files} files per upload", code="too_many_files")
        files: list[IncomingFile] = []
        for upload in uploads:
            data = await upload.read(max_file_bytes + 1)
            if len(data) > max_file_bytes:
                mb = max_file_bytes // (1024 * 1024)
                raise TooLarge(f"{upload.filename}: larger than {mb} MB", code="document_too_large")
            files.append(IncomingFile(name=upload.filename or "", data=data))
        return files
    finally:
        await form.close()
