"""The audit's shortcut at a review: points where a group's hidden counts move together.

At a review every earlier release is judged again, and the audit's programs hold every
release's hidden counts (thousands of unknowns each). Most of those counts are shown wide
enough by points of the system where each group's hidden counts, in every release that hid
it, move by one same amount from their true values (`protection.shifted`): one unknown per
group. Those points must be points of the whole system: a range found there that the whole
system does not allow would let a narrowed count through as protected.
"""

from __future__ import annotations

import math

import hypothesis.strategies as st
from hypothesis import given, settings

from testimonials.stats.protection import _extremes, _Row, shifted

KEYS = ("a", "b", "c", "d")


@st.composite
def releases(draw: st.DrawFn) -> tuple[list[_Row], dict[str, float], float]:
    """Rows over two releases' hidden counts ("0#a" ... and "a" ...), with true counts that
    keep them: sums, "part at most its whole" and "never falls" between the releases."""
    truth: dict[str, float] = {}
    for key in KEYS:
        before = draw(st.integers(1, 15))
        truth[f"0#{key}"] = float(before)
        truth[key] = float(before + draw(st.integers(0, 6)))
    rows: list[_Row] = []
    for release in ("0#", ""):
        for _ in range(draw(st.integers(1, 3))):
            parts = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True))
            signs = draw(st.lists(st.sampled_from((1.0, -1.0)), min_size=len(parts),
                                  max_size=len(parts)))
            terms = {f"{release}{key}": sign for key, sign in zip(parts, signs, strict=True)}
            total = sum(sign * truth[name] for name, sign in terms.items())
            slack = draw(st.integers(0, 3))
            rows.append(_Row(terms, total if not slack else -math.inf, total + slack, ()))
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True)):
        rows.append(_Row({f"0#{key}": 1.0, key: -1.0}, -math.inf, 0.0, ()))  # never falls
    return rows, truth, float(draw(st.integers(25, 40)))


@settings(max_examples=150, deadline=None)
@given(releases())
def test_every_range_of_the_moving_together_points_is_within_the_whole_systems(
        case: tuple[list[_Row], dict[str, float], float]) -> None:
    rows, truth, ceiling = case
    rows = [row for row in rows if row.coefficients]
    moved_rows, limits = shifted(rows, truth, ceiling, frozenset())
    keys = sorted(limits)
    moved = _extremes(moved_rows, ceiling, frozenset(), keys, highest=True, limits=limits)
    exact = _extremes(rows, ceiling, frozenset(), sorted(truth), highest=True)
    for name, value in truth.items():
        key = name.rpartition("#")[2]
        low, high = moved.get(key, limits[key])
        assert low <= 1e-6 <= high + 2e-6  # no shift at all: the true counts
        if name in exact:
            assert exact[name][0] - 1e-6 <= value + low
            assert value + high <= exact[name][1] + 1e-6
        else:  # in no row: only its own bounds hold it
            assert 1.0 - 1e-6 <= value + low and value + high <= ceiling + 1e-6


def test_a_group_hidden_in_both_releases_moves_in_both_at_once() -> None:
    # A region of two facilities, both hidden in two releases, the region shown: each
    # facility ranges over what the other leaves, in both releases together.
    truth = {"0#a": 4.0, "0#b": 9.0, "a": 6.0, "b": 9.0}
    rows = [_Row({"0#a": 1.0, "0#b": 1.0}, 13.0, 13.0, ()),
            _Row({"a": 1.0, "b": 1.0}, 15.0, 15.0, ()),
            _Row({"0#a": 1.0, "a": -1.0}, -math.inf, 0.0, ()),
            _Row({"0#b": 1.0, "b": -1.0}, -math.inf, 0.0, ())]
    moved_rows, limits = shifted(rows, truth, 20.0, frozenset())
    moved = _extremes(moved_rows, 20.0, frozenset(), ["a", "b"], highest=True, limits=limits)
    # The shifts keep both sums at once (a's shift is b's, negated): a's from -3 (0#a at 1)
    # to 8 (b's -8: 0#b and b at 1), b's from -8 to 3 (0#a at 1 again).
    assert moved["a"] == (-3.0, 8.0)
    assert moved["b"] == (-8.0, 3.0)
    assert len(moved_rows) == 1  # the two sums became one row over the shifts
