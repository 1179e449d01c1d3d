"""CSV cells never start a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest

from jurisgraph.kit.csvcells import csv_line, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","clique")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1+1"],
)
def test_formula_prefixes_are_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text
    (cell,) = next(csv.reader(io.StringIO(csv_line([text]), newline="")))
    assert cell == "'" + text


@pytest.mark.parametrize("value", ["Tema 1.076", "a=b", "", 42, -3, 1.5, None])
def test_other_cells_are_kept(value: object) -> None:
    assert safe_cell(value) == value


def test_a_cell_with_line_breaks_stays_one_row() -> None:
    line = csv_line(["a\rb", "c\nd", "e"])
    assert list(csv.reader(io.StringIO(line, newline=""))) == [["a\rb", "c\nd", "e"]]
