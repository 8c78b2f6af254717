"""The statistics CSV: cells a spreadsheet would run are made text, numbers stay numbers, and the
notes come before the table."""

from __future__ import annotations

import csv
import io

import pytest

from testimonials.stats import csvfile


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\r=1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_made_text(text) -> None:
    assert csvfile.safe_cell(text) == "'" + text


def test_csv_keeps_numbers_and_ordinary_text() -> None:
    assert csvfile.safe_cell(12) == 12
    assert csvfile.safe_cell(0.25) == 0.25
    assert csvfile.safe_cell("I waited <3 months & cried") == "I waited <3 months & cried"


def test_csv_file_has_notes_then_a_table() -> None:
    text = csvfile.write([("title", "Waitline"), ("methods", "Line one,\nline two")],
                         [["group", "count"], ["=Evil clinic", 12]])
    assert text.startswith(csvfile.BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["title", "Waitline"], ["methods", "Line one,\nline two"], [],
                    ["group", "count"], ["'=Evil clinic", "12"]]
