"""Reading the files of a multipart upload as the body streams in, never holding more of one
file than its limit plus the chunk that crossed it (a file over the limit stops the read)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

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
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except (InvalidInput, TooLarge):
        raise
    except Exception as exc:  # the parser's own errors: a malformed body
        raise InvalidInput(f"malformed multipart body: {exc}", code="bad_multipart") from exc
    return reader.files
