"""Pure wait-time statistics: Kaplan-Meier percentiles, the share over a legal standard, bands,
and small-cell suppression, all computed from pre-aggregated histograms.

No Flask, no database, standard library only (tests/unit/test_module_imports.py checks it),
with two exceptions kept apart: `served` (reads published releases and keeps what is made
from them) and `commands` (flask stats release / check / rebuild). The aggregates a release
is cut from are read by services.aggregates. `releases` turns the protected views of every
filter into one release document and back.
Everything else takes plain values and returns plain values: `cells` (what one submission
adds), `universe` (every group any view publishes, and which to hide), `page` (one filtered
view), `filters`, `headlines`, `uncertainty`, `presenter` and `charts` (what /stats shows),
`document` and `csvfile` (the JSON and CSV files); `chart_files` and `share_card` (charts as
SVG and PNG files, the share image) use Pillow, still pure.
"""

from testimonials.stats.bands import BANDS, Band, BandCount, band_of, count_bands
from testimonials.stats.export import (
    SUMMARY_COLUMNS,
    Row,
    group_dict,
    rows,
    summary_dict,
    summary_row,
)
from testimonials.stats.histogram import (
    MAX_DAYS,
    Histogram,
    Tally,
    histogram_of,
    merge,
    normalise,
    tally,
)
from testimonials.stats.kaplan_meier import Curve, Percentile, Step, kaplan_meier
from testimonials.stats.methods import METHODS_NOTE, methods_note, suppressed_text
from testimonials.stats.report import Breakdown, Group, ShownBreakdown, ShownGroup
from testimonials.stats.summary import (
    PERCENTILES,
    Summary,
    count_over_standard,
    share_over_standard,
    summarise,
)
from testimonials.stats.suppression import DEFAULT_MIN_CELL, protect, suppressed_keys

__all__ = [
    "BANDS",
    "DEFAULT_MIN_CELL",
    "MAX_DAYS",
    "METHODS_NOTE",
    "PERCENTILES",
    "SUMMARY_COLUMNS",
    "Band",
    "BandCount",
    "Breakdown",
    "Curve",
    "Group",
    "Histogram",
    "Percentile",
    "Row",
    "ShownBreakdown",
    "ShownGroup",
    "Step",
    "Summary",
    "Tally",
    "band_of",
    "count_bands",
    "count_over_standard",
    "group_dict",
    "histogram_of",
    "kaplan_meier",
    "merge",
    "methods_note",
    "normalise",
    "protect",
    "rows",
    "share_over_standard",
    "summarise",
    "summary_dict",
    "summary_row",
    "suppressed_keys",
    "suppressed_text",
    "tally",
]
