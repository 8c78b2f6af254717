"""The tidy statistics file's pure parts: ids from group keys, months as text, the schema."""

from __future__ import annotations

from testimonials.filter_params import CARE_NAMES
from testimonials.stats import tidy
from testimonials.stats.export import SUMMARY_COLUMNS


def test_a_group_key_gives_its_ids_in_their_own_columns() -> None:
    care = CARE_NAMES["group"]
    found = tidy._dimensions(f"intake|region=3&care={care}&month=2026-03")
    assert found == {"region_id": 3, "care": "group", "period": "2026 M03", "year": 2026,
                     "month": 3}
    assert tidy._dimensions("respondents|facility=12") == {"facility_id": 12}
    assert tidy._dimensions("intake|all|none:month") == {"not_stated": "month"}


def test_months_are_text_that_spreadsheets_keep_as_text() -> None:
    period = tidy._dimensions("intake|month=2026-11")["period"]
    # Not YYYY-MM, which Excel and LibreOffice turn into a date.
    assert period == "2026 M11" and "-" not in period


def test_the_schema_names_every_column_and_every_measure() -> None:
    schema = tidy.schema()
    assert [field["name"] for field in schema["fields"]] == list(tidy.NAMES)
    assert all(field["description"] for field in schema["fields"])
    measure = next(field for field in schema["fields"] if field["name"] == "measure")
    assert measure["constraints"]["enum"] == list(SUMMARY_COLUMNS)
    value = next(field for field in schema["fields"] if field["name"] == "value")
    assert value["type"] == "number"
