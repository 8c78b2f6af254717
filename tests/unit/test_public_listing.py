"""Query parameters of /stories, the feed and the API: filters and cursors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testimonials.public.listing import Cursor, Filters, ListingError, parse
from testimonials.vocab import CareType, Outcome

WHEN = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)


def test_cursor_round_trips_to_the_microsecond() -> None:
    cursor = Cursor(WHEN, 123)
    token = cursor.encode()
    assert token.replace("-", "").replace("_", "").isalnum()
    assert Cursor.decode(token) == cursor


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.just(dt.UTC)),
       st.integers(min_value=1, max_value=2**31 - 1))
def test_every_cursor_round_trips(when: dt.datetime, story_id: int) -> None:
    assert Cursor.decode(Cursor(when, story_id).encode()) == Cursor(when, story_id)


@pytest.mark.parametrize("token", ["", "x", "MTIz", "!!!!", "a" * 41, "bm90LmEuY3Vyc29y",
                                   "MTc2NzYwNTQwMDAwMDAwMC4w", "LTEuMQ",
                                   "é", "MTc2NzYwNTQwMDAwMDAwMC4xMjM0NTY3ODkwMTIz"])
def test_cursors_we_did_not_make_are_refused(token: str) -> None:
    with pytest.raises(ValueError):
        Cursor.decode(token)


@given(st.text(max_size=60))
def test_decoding_anything_either_works_or_raises_value_error(token: str) -> None:
    try:
        Cursor.decode(token)
    except ValueError:
        pass


def test_filters_parse_and_give_back_the_same_parameters() -> None:
    args = {"region": "east-bay", "facility": "12", "care": "group", "outcome": "got_worse",
            "q": "  long   wait ", "lang": "es"}
    listing = parse(args)
    assert listing.filters == Filters(region="east-bay", facility=12, care=CareType.GROUP,
                                      outcome=Outcome.GOT_WORSE, q="long wait")
    assert listing.filters.params() == {"region": "east-bay", "facility": "12",
                                        "care": "group", "outcome": "got_worse",
                                        "q": "long wait"}


def test_empty_values_mean_no_filter() -> None:
    listing = parse({"region": "", "facility": "", "care": "", "outcome": "", "q": " ",
                     "before": ""})
    assert listing.filters == Filters() and listing.before is None


@pytest.mark.parametrize("args,parameter,code", [
    ({"facility": "x"}, "facility", "invalid"),
    ({"facility": "1234567890"}, "facility", "invalid"),
    ({"region": "East Bay"}, "region", "invalid"),
    ({"care": "2"}, "care", "invalid"),
    ({"outcome": "nothing"}, "outcome", "invalid"),
    ({"q": "x" * 201}, "q", "too_long"),
    ({"before": "zz"}, "before", "cursor_invalid"),
    ({"before": Cursor(WHEN, 1).encode(), "after": Cursor(WHEN, 1).encode()}, "after",
     "both_directions"),
])
def test_malformed_parameters_name_themselves(args: dict[str, str], parameter: str,
                                              code: str) -> None:
    with pytest.raises(ListingError) as caught:
        parse(args)
    assert (caught.value.parameter, caught.value.code) == (parameter, code)


def test_a_repeated_parameter_is_refused() -> None:
    with pytest.raises(ListingError, match="care: repeated"):
        parse({"care": "group"}, multi={"care": ["group", "individual"]})
