"""Pure wait-time statistics: Kaplan-Meier percentiles and their intervals, the share over a
legal standard, bands, and disclosure control, all computed from pre-aggregated histograms.

No Flask, no database, no session: plain values in, plain values out
(tests/unit/test_module_imports.py checks it). The read side lives in services/:
`services.aggregates` reads what a release is cut from, `services.releases` cuts and publishes
one in a snapshot transaction, `services.published` serves published ones; the flask commands
are in `testimonials.stats_commands`.
Here: `cells` (what one submission adds), `universe` (every group any view publishes, and which
to hide), `protection` and `audit` (what a reader could infer), `releases` (the protected views
of every filter as one document and back), `page` (one filtered view), `filters`, `headlines`,
`uncertainty`, `presenter` and `charts` (what /stats shows), `document`, `tidy` and `csvfile`
(the JSON and CSV files); `chart_files` and `share_card` (charts as SVG and PNG files, the share
image) use Pillow, still pure.
"""
