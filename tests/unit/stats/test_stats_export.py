"""The shapes handed to templates, JSON and CSV, and the methods note."""

import csv
import io
import json

from testimonials.stats.export import SUMMARY_COLUMNS, group_dict, rows, summary_row
from testimonials.stats.histogram import histogram_of, merge
from testimonials.stats.methods import METHODS_NOTE, methods_note, suppressed_text
from testimonials.stats.report import Breakdown, Group
from testimonials.stats.summary import summarise
from testimonials.stats.suppression import protect
from testimonials.vocab import WaitState

E, W = WaitState.ENDED, WaitState.WAITING


def small_report():
    small = histogram_of([(3, E), (4, W)])
    rest = histogram_of([(day, E) for day in range(40)])
    big = merge(small, rest)
    groups = (
        Group("intake/north", "North", 2, summarise(small, 14)),
        Group("intake/south", "South", 40, summarise(rest, 14)),
    )
    return [
        Group(
            "intake",
            "Intake",
            42,
            summarise(big, 14),
            (Breakdown("Region", groups, partition=True),),
        )
    ]


def test_summary_row_has_every_column_in_order_and_blanks_for_hidden_groups():
    summary = summarise(histogram_of([(3, E), (20, W)]), 14)
    row = summary_row(summary)
    assert tuple(row) == SUMMARY_COLUMNS
    assert row["median_days"] == 3
    assert row["p75_days"] is None and row["p75_more_than"] == 20
    assert row["band_0-14_ended"] == 1 and row["band_15-28_waiting"] == 1
    assert summary_row(None) == dict.fromkeys(SUMMARY_COLUMNS)


def test_protected_report_serialises_to_json_without_hidden_figures():
    [shown] = protect(small_report())
    data = json.loads(json.dumps(group_dict(shown)))
    assert data["count"] == 42 and data["figures"]["percentiles"]["median"]["reached"]
    hidden = [group for group in data["breakdowns"][0]["groups"] if group["suppressed"]]
    assert [(group["label"], group["count"], group["figures"]) for group in hidden] == [
        ("North", None, None),
        ("South", None, None),  # shown, it would give North as 42 - 40
    ]


def test_rows_list_groups_parents_first_with_their_path():
    listed = list(rows(protect(small_report())))
    assert [(row.path, row.breakdowns, row.depth) for row in listed] == [
        (("Intake",), (), 0),
        (("Intake", "North"), ("Region",), 1),
        (("Intake", "South"), ("Region",), 1),
    ]


def test_rows_make_a_csv_with_one_marker_for_hidden_groups():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", *SUMMARY_COLUMNS])
    for row in rows(protect(small_report())):
        values = summary_row(row.group.figures)
        if row.group.suppressed:
            values["count"] = suppressed_text()
        writer.writerow([" / ".join(row.path), *values.values()])
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    # (Quoted: the marker names both reasons a group is hidden, with commas between.)
    assert lines[2].startswith('Intake / North,"hidden (fewer than 11 answers, or a change')


def test_methods_note_explains_every_figure_and_the_cell_size():
    for words in (
        "Kaplan-Meier",
        "still waiting",
        "Gave up",
        "standard",
        "15 to 28",
        "fewer than 11 answers",
        suppressed_text(11),
        "zero are shown",
    ):
        assert words in METHODS_NOTE
    assert "fewer than 5 answers" in methods_note(5)
