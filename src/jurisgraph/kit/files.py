"""File copies that keep holes: preallocated, mostly-zero files (vector-store pages and WAL
segments) stay sparse in the copy instead of being written out in full."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

BLOCK = 1024 * 1024
_ZEROS = bytes(BLOCK)


def copy_sparse(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> str:
    """Copy ``src`` to ``dst`` with its permission bits and times; runs of zero blocks become holes
    (the content reads back identical). Returns ``dst`` (a ``copy_function`` for ``shutil.copytree``)."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        size = 0
        while block := fin.read(BLOCK):
            size += len(block)
            if block == _ZEROS[: len(block)]:
                fout.seek(len(block), os.SEEK_CUR)
            else:
                fout.write(block)
        fout.truncate(size)
    shutil.copystat(src, dst)
    return str(dst)


def copy_tree(src: Path, dst: Path, *, dirs_exist_ok: bool = False) -> None:
    """``shutil.copytree`` with :func:`copy_sparse` for every file."""
    shutil.copytree(src, dst, copy_function=copy_sparse, dirs_exist_ok=dirs_exist_ok)
