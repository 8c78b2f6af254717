"""CSV files of the statistics: `write_table` for the tidy file of /stats.csv (stats/tidy.py),
`write` for a table with notes on top (name/value rows, a blank row, then the table).

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return, which some
strip first) as a formula; every such text cell is written with a leading apostrophe, which
spreadsheets show as text. Place names come from admins and labels from translators, so no
text is trusted. Pure: rows in, text out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from testimonials.stats.export import Scalar

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so that spreadsheets read the file as UTF-8 (accents, "≤")


def safe_cell(value: Scalar) -> Scalar:
    """The value, with a text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_table(header: Sequence[str], rows: Iterable[Sequence[Scalar]]) -> str:
    """A plain table: the header, then the rows; no notes (they go in a datapackage.json)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    starts = _FORMULA_STARTS
    # safe_cell, inlined: a tidy file has hundreds of thousands of cells, mostly numbers.
    writer.writerows([("'" + value) if type(value) is str and value.startswith(starts)
                      else value for value in row] for row in rows)
    return BOM + out.getvalue()


def write(notes: Sequence[tuple[str, Scalar]], rows: Iterable[Sequence[Scalar]]) -> str:
    """The whole file: `notes` as name/value rows, a blank row, then the table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for name, value in notes:
        writer.writerow([safe_cell(name), safe_cell(value)])
    writer.writerow([])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return BOM + out.getvalue()
