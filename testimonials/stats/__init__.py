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
`document`, `tidy` and `csvfile` (the JSON and CSV files); `chart_files` and `share_card` (charts as
SVG and PNG files, the share image) use Pillow, still pure.
"""
