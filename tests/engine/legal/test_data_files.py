"""The bundled reference files are exactly what ``datagen.py`` builds from the shared data."""

from __future__ import annotations

from importlib import resources

import pytest

from . import datagen
from .realdata import read_json


@pytest.mark.parametrize("name", sorted(datagen.BUILDERS))
def test_bundled_file_is_reproducible(name: str) -> None:
    bundled = resources.files("jurisgraph.engine.legal.data").joinpath(name).read_text(encoding="utf-8")
    assert bundled == datagen.render(name)


def test_bundled_files_are_small() -> None:
    folder = resources.files("jurisgraph.engine.legal.data")
    total = sum(len(folder.joinpath(name).read_bytes()) for name in datagen.BUILDERS)
    assert total < 300_000


def test_sumulas_are_copied_verbatim() -> None:
    source = read_json("derivados/sumulas_stj.json")["sumulas"]
    bundled = datagen.build_sumulas()
    assert len(bundled) == len(source) == 676
    for number, item in source.items():
        assert bundled[number] == [item["enunciado"], item["status"]]
