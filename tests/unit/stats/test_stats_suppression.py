"""Primary and complementary suppression on small hand-checked reports."""

import pytest

from testimonials.stats.audit import pinned
from testimonials.stats.report import Breakdown, Group, Identity, counts_and_identities
from testimonials.stats.suppression import protect, suppressed_keys


def one_level(total, children, partition=True):
    groups = tuple(Group(f"c{i}", f"child {i}", count) for i, count in enumerate(children))
    return [Group("T", "total", total, breakdowns=(Breakdown("part", groups, partition),))]


CASES = {
    "primary hides 1 to 10, shows 0 and 11": (40, [0, 1, 10, 11, 18], True, {"c1", "c2"}),
    "one small child takes the smallest shown one with it": (100, [5, 40, 55], True, {"c0", "c1"}),
    "small children under 11 together take one more": (
        100,
        [3, 4, 50, 43],
        True,
        {"c0", "c1", "c3"},
    ),
    "small children of 11 or more together suffice": (100, [6, 7, 87], True, {"c0", "c1"}),
    "zeros are shown and never used to protect": (50, [0, 5, 0, 45], True, {"c1", "c3"}),
    "a small total hides itself and its children": (8, [8, 0], True, {"T", "c0"}),
    "all children small": (20, [5, 5, 10], True, {"c0", "c1", "c2"}),
    "eleven ones add up to 11 but are each pinned at 1": (
        40,
        [1] * 11 + [29],
        True,
        {f"c{i}" for i in range(12)},
    ),
    "ties go to the first key": (100, [5, 30, 30, 35], True, {"c0", "c1"}),
    "overlapping breakdown gets primary suppression only": (100, [5, 60, 70], False, {"c0"}),
    "nothing small, nothing hidden": (100, [11, 89], True, set()),
}


@pytest.mark.parametrize("total, children, partition, hidden", CASES.values(), ids=CASES.keys())
def test_one_level_suppression(total, children, partition, hidden):
    assert suppressed_keys(one_level(total, children, partition)) == hidden


def test_min_cell_is_a_parameter():
    report = one_level(100, [2, 3, 95])
    assert suppressed_keys(report, min_cell=1) == set()
    assert suppressed_keys(report, min_cell=3) == {"c0", "c1"}  # 2 alone would be 100 - 98
    assert suppressed_keys(report, min_cell=5) == {"c0", "c1"}  # 2 + 3 = 5 is enough
    assert suppressed_keys(report, min_cell=6) == {"c0", "c1", "c2"}  # 2 + 3 is not


def test_a_chain_of_subtractions_across_partitions_is_caught():
    # a + b = 30, b + c = 40, a + c = 20: every partition has two hidden cells summing to 11
    # or more, yet together they give a = (30 - 40 + 20) / 2 = 5.
    a, b, c = (Group(key, key, count) for key, count in (("a", 5), ("b", 25), ("c", 15)))
    report = [
        Group("P1", "P1", 30, breakdowns=(Breakdown("x", (a, b), True),)),
        Group("P2", "P2", 40, breakdowns=(Breakdown("x", (b, c), True),)),
        Group("P3", "P3", 20, breakdowns=(Breakdown("x", (a, c), True),)),
    ]
    counts, identities = counts_and_identities(tuple(report))
    assert "a" in pinned(identities, counts, {"a", "b", "c"})
    hidden = suppressed_keys(report)
    assert {"a", "b", "c"} <= hidden
    assert "a" not in pinned(identities, counts, hidden)
    assert len(hidden) == 4  # one of the parents goes too


def test_a_facility_hidden_in_one_table_is_hidden_in_every_table():
    f1, f2 = Group("f1", "F1", 25), Group("f2", "F2", 5)
    f3, f4 = Group("f3", "F3", 20), Group("f4", "F4", 50)
    r1 = Group("r1", "R1", 30, breakdowns=(Breakdown("facility", (f1, f2), True),))
    r2 = Group("r2", "R2", 70, breakdowns=(Breakdown("facility", (f3, f4), True),))
    total = Group(
        "t",
        "All",
        100,
        breakdowns=(
            Breakdown("region", (r1, r2), True),
            Breakdown("facility", (f1, f2, f3, f4), True),
        ),
    )
    hidden = suppressed_keys([total])
    # F2 alone in R1 would be R1 - F1, so F1 goes with it.
    counts, identities = counts_and_identities((total,))
    assert hidden == {"f1", "f2"}  # F1 + F2 = 30 in both tables
    assert not pinned(identities, counts, hidden)
    shown = protect([total])[0]
    region_table, facility_table = shown.breakdowns
    nested = {g.key: g.suppressed for r in region_table.groups for g in r.breakdowns[0].groups}
    flat = {g.key: g.suppressed for g in facility_table.groups}
    assert nested == flat


def test_protect_removes_count_and_figures_of_hidden_groups_only():
    groups = (Group("a", "A", 4, figures="secret"), Group("b", "B", 96, figures="fine"))
    report = [Group("t", "T", 100, figures="all", breakdowns=(Breakdown("x", groups, True),))]
    [shown] = protect(report)
    assert (shown.suppressed, shown.count, shown.figures) == (False, 100, "all")
    a, b = shown.breakdowns[0].groups
    assert (a.suppressed, a.count, a.figures, a.label) == (True, None, None, "A")
    assert (b.suppressed, b.count, b.figures) == (True, None, None)  # protects A
    assert not hasattr(a, "reason")  # small and protecting cells look the same


@pytest.mark.parametrize(
    "report",
    [
        one_level(10, [3, 3]),  # partition does not add up
        one_level(-1, []),
        one_level(5, [5.0]),
        [Group("t", "T", 5, breakdowns=(Breakdown("x", (Group("t", "T", 5),), True),))],
        [
            Group(
                "t",
                "T",
                5,
                breakdowns=(Breakdown("x", (Group("a", "A", 5), Group("a", "A", 5)), False),),
            )
        ],
        [Group("a", "A", 5), Group("a", "A", 6)],  # one key, two counts
    ],
    ids=["sum", "negative", "float", "own key", "repeated key", "two counts"],
)
def test_inconsistent_reports_are_refused(report):
    with pytest.raises(ValueError):
        suppressed_keys(report)


@pytest.mark.parametrize("min_cell", [0, -3, 2.5, True])
def test_min_cell_must_be_a_positive_whole_number(min_cell):
    with pytest.raises(ValueError):
        suppressed_keys(one_level(10, [10]), min_cell)


def test_pinned_sees_single_unknowns_and_their_chains():
    counts, identities = counts_and_identities(tuple(one_level(100, [5, 40, 55])))
    assert pinned(identities, counts, {"c0"}) == {"c0"}
    assert pinned(identities, counts, {"c0", "c1"}) == set()
    assert pinned(identities, counts, {"T"}) == {"T"}
    assert pinned(identities, counts, {"T", "c0"}) == set()


def test_pinned_uses_that_hidden_counts_are_at_least_one():
    counts, identities = counts_and_identities(tuple(one_level(40, [1, 1, 1, 37])))
    assert pinned(identities, counts, {"c0", "c1", "c2"}) == {"c0", "c1", "c2"}
    assert pinned(identities, counts, {"c0", "c1", "c2", "c3"}) == set()


def test_pinned_chains_bounds_across_a_two_way_table():
    # Rows r0 = 4 and r2 = 4 over three hidden cells each, column m0 = 4 over two of them:
    # r0m0 <= 2 and r2m0 <= 2 (the other cells are at least 1), so both are exactly 2, and then
    # the remaining cells of each row add up to 2 and are 1 each.
    cells = {"r0m0": 2, "r0m1": 1, "r0m2": 1, "r2m0": 2, "r2m1": 1, "r2m2": 1}
    group = {key: Group(key, key, count) for key, count in cells.items()}
    report = [
        Group(
            "r0",
            "r0",
            4,
            breakdowns=(Breakdown("m", tuple(group[f"r0m{m}"] for m in range(3)), True),),
        ),
        Group(
            "r2",
            "r2",
            4,
            breakdowns=(Breakdown("m", tuple(group[f"r2m{m}"] for m in range(3)), True),),
        ),
        Group("m0", "m0", 4, breakdowns=(Breakdown("r", (group["r0m0"], group["r2m0"]), True),)),
    ]
    counts, identities = counts_and_identities(tuple(report))
    assert pinned(identities, counts, set(cells)) == set(cells)
    hidden = suppressed_keys(report, min_cell=3)
    assert not pinned(identities, counts, hidden) & {key for key, n in cells.items() if n < 3}


def test_pinned_sees_what_only_all_the_sums_together_bound():
    # A region x facility and region x month report of 7 people (the attack test's
    # IMPLICIT_ONES). T = r0 + r1 + r2, r0 = r0m0 + r0m2, r1 = r1m2 and m2 = r0m2 + r1m2 = 3
    # give r0m0 + r2 = 4, so r2 <= 3; r2 is three hidden facilities, so r2 >= 3. Then r2 = 3,
    # r0m0 = 1 and each of r2's facilities is 1; no equation's bounds alone show it.
    counts = {"T": 7, "r0": 3, "r1": 1, "r2": 3, "m0": 3, "m1": 1, "m2": 3}
    facilities = [[2, 1, 0], [0, 1, 0], [1, 1, 1]]
    months = [[1, 0, 2], [0, 0, 1], [2, 1, 0]]
    for r in range(3):
        for i in range(3):
            counts[f"r{r}f{i}"], counts[f"r{r}m{i}"] = facilities[r][i], months[r][i]
    identities = [
        Identity("T", ("r0", "r1", "r2")),
        Identity("T", ("m0", "m1", "m2")),
        Identity("T", tuple(f"r{r}f{f}" for r in range(3) for f in range(3))),
        *(Identity(f"m{m}", tuple(f"r{r}m{m}" for r in range(3))) for m in range(3)),
        *(Identity(f"r{r}", tuple(f"r{r}f{f}" for f in range(3))) for r in range(3)),
        *(Identity(f"r{r}", tuple(f"r{r}m{m}" for m in range(3))) for r in range(3)),
    ]
    hidden = {key for key, count in counts.items() if 0 < count < 3} | {"r0", "r2", "m0"}
    assert pinned(identities, counts, hidden) == {"r2", "r0m0", "r2f0", "r2f1", "r2f2"}
