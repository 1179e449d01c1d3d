"""Sparse copies: identical bytes, holes where the source had zero blocks."""

from __future__ import annotations

import os
from pathlib import Path

from jurisgraph.kit.files import BLOCK, copy_sparse, copy_tree


def test_a_mostly_zero_file_copies_identical_and_sparse(tmp_path: Path) -> None:
    src = tmp_path / "src.dat"
    with src.open("wb") as fh:
        fh.write(b"head")
        fh.write(bytes(8 * BLOCK))
        fh.write(b"\x01middle")
        fh.write(bytes(3 * BLOCK + 17))
    os.chmod(src, 0o640)
    dst = tmp_path / "dst.dat"
    copy_sparse(src, dst)
    assert dst.read_bytes() == src.read_bytes()
    assert dst.stat().st_size == src.stat().st_size
    assert dst.stat().st_mode & 0o777 == 0o640
    # at least the 7 whole zero blocks between the data are holes
    assert dst.stat().st_blocks * 512 < src.stat().st_size - 6 * BLOCK


def test_trailing_zeros_and_empty_files_keep_their_size(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "zeros").write_bytes(bytes(2 * BLOCK))
    (tmp_path / "a" / "empty").write_bytes(b"")
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "a" / "sub" / "text").write_text("texto com acentuação")
    copy_tree(tmp_path / "a", tmp_path / "b")
    for name in ("zeros", "empty", "sub/text"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()
