"""A hidden count that the shown counts give exactly is shown (`stats.determined`)."""

from __future__ import annotations

import time

import pytest
from babel.support import Translations

from testimonials.stats import protection
from testimonials.stats.determined import determined
from testimonials.stats.methods import methods_note
from tests import adversary
from tests.unit.stats.test_stats_adversary import cut
from tests.unit.stats.test_stats_methods_note import TRANSLATIONS
from tests.unit.stats.test_stats_release_document import counts_of_people

ALL, EAST, VALLEY = "respondents|all", "respondents|region=1", "respondents|region=2"
BIG, SMALL, FAR = "respondents|facility=10", "respondents|facility=11", "respondents|facility=20"


def clinics(big: int, far: int) -> list:  # type: ignore[type-arg]
    """`big` people at the big clinic of region 1 and `far` at the clinic of region 2, all
    of one care type and of April 2026 (so of 2026-Q2)."""
    return ([((1, 10), 1, "2026-04", 0, [("intake", "ended", 30 + n)]) for n in range(big)]
            + [((2, 20), 1, "2026-04", 0, [("intake", "ended", 3 + n)]) for n in range(far)])


def test_a_small_sites_total_that_its_quarters_add_up_to_is_shown() -> None:
    # Issue 14's review: 30 people at one clinic and 4 at another. The audit hides both
    # regions (the one small, the other to protect it) and, as a partner, the site's total,
    # while 2026-Q2 shows 34 and "quarter not given" 0: anyone adds up the 34. The page said
    # the number was withheld to protect people.
    release = cut(clinics(30, 4), [], 1, quarterly=True)
    assert release.shown("respondents|quarter=2026-Q2") == 34
    assert release.shown("respondents|all|none:quarter") == 0
    assert release.shown(ALL) == 34 and release.shown("intake|all") == 34
    # The regions stay hidden: 34 = East Bay + Valley, two unknowns; Valley's 4 is [1, 33].
    assert release.shown(EAST) is None and release.shown(VALLEY) is None
    assert adversary.narrowed([release], 5) == {}
    # Nothing hidden is left that the shown counts give, but what the rules hide.
    site = protection.system(release.dims, counts_of_people(clinics(30, 4), quarterly=True))
    hidden = {key for key in site.count if release.shown(key) is None}
    assert set(determined(site.equal, hidden)) <= protection.primary(site.count, 5, {}, {})


def test_a_release_after_one_that_hid_its_total_shows_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Release 1 was cut before this pass: it hid the total. Release 2, the same people, is
    # audited with it (release 1's hidden counts are unknowns of the audit too) and carries
    # its pattern, total and all; the pass gives back this release's total only.
    with monkeypatch.context() as before_the_pass:
        before_the_pass.setattr(protection, "shown_when_determined",
                                lambda _current, hidden, *_rest: frozenset(hidden))
        first = cut(clinics(30, 4), [], 1, quarterly=True)
    assert first.shown(ALL) is None
    second = cut(clinics(30, 4), [first], 2, quarterly=True)
    assert second.shown(ALL) == 34 and second.shown("intake|all") == 34
    assert second.shown(EAST) is None and second.shown(VALLEY) is None
    assert adversary.narrowed([first, second], 5) == {}
    assert adversary.differences([first, second], 5) == {}


def relations(counts: dict[str, int], *partitions: tuple[str, tuple[str, ...]]
              ) -> protection.System:
    return protection.System(dict(counts), {partition: None for partition in partitions})


SITE = relations({ALL: 60, EAST: 40, VALLEY: 20, BIG: 25, SMALL: 15, FAR: 20},
                 (ALL, (EAST, VALLEY)), (EAST, (BIG, SMALL)), (VALLEY, (FAR,)))


def given_back(system: protection.System, hidden: set[str],
               sensitive: frozenset[str] = frozenset(), before: dict[str, int] | None = None,
               stories: dict[str, int] | None = None) -> set[str]:
    """The hidden keys the pass shows."""
    kept = protection.shown_when_determined(system, hidden, sensitive, 5, before or {},
                                            stories or {})
    assert kept <= hidden
    return hidden - kept


def test_a_total_with_two_hidden_parts_gives_nothing_back() -> None:
    # 60 = East Bay + Valley, both hidden: the total is one equation of three unknowns.
    assert given_back(SITE, {ALL, EAST, VALLEY, BIG, FAR}) == set()
    # Shown, the total still leaves two unknowns in its sum.
    assert given_back(SITE, {EAST, VALLEY, BIG, FAR}) == set()


def test_peeling_one_count_gives_another() -> None:
    # East Bay is its two clinics (both shown); once known, the total less East Bay is Valley,
    # and Valley is its one clinic.
    assert determined(SITE.equal, {EAST, VALLEY, FAR}) == [EAST, VALLEY, FAR]
    assert given_back(SITE, {EAST, VALLEY, FAR}) == {EAST, VALLEY, FAR}
    # Backwards too: a total whose parts come out one by one.
    assert given_back(SITE, {ALL, EAST, SMALL}) == set()  # East Bay and Small: two unknowns
    assert given_back(SITE, {ALL, VALLEY, FAR}) == set()  # Valley and Far: a sum of two
    assert given_back(SITE, {ALL, EAST, VALLEY}) == {ALL, EAST, VALLEY}


@pytest.mark.parametrize(("counts", "before"), [
    ({VALLEY: 3, FAR: 3, ALL: 43}, {}),  # a few people: rule 1
    ({VALLEY: 20, FAR: 20, ALL: 60}, {VALLEY: 17}),  # a move by a few since shown: rule 2
    ({VALLEY: 0, FAR: 0, ALL: 40}, {VALLEY: 2}),  # and a zero that moved by a few
])
def test_a_count_hidden_for_a_few_people_that_the_shown_counts_give_fails_the_release(
        counts: dict[str, int], before: dict[str, int]) -> None:
    site = relations({**SITE.count, **counts}, *SITE.equal)
    sensitive = frozenset(protection.primary(site.count, 5, before, {}))
    assert VALLEY in sensitive
    # Valley is hidden, but the total less East Bay gives it: the audit let it be pinned.
    with pytest.raises(protection.ProtectionError, match="region=2"):
        given_back(site, {VALLEY, FAR}, sensitive, before)
    # Hidden with a partner it is not given, and nothing is shown.
    assert given_back(site, {VALLEY, FAR, EAST, BIG}, sensitive, before) == set()


@pytest.mark.parametrize("count", [2, 0])
def test_an_outcome_count_hidden_by_a_rule_stays_hidden_when_given(count: int) -> None:
    # Rule 3 hides the outcome counts of a group with a few people beyond its stories, zeros
    # too; the audit with the stories lets a reader pin them short of all of the few. Given
    # by the shown counts, they are not shown.
    total, east, valley = (f"outcome:emergency_room|{scope}"
                           for scope in ("all", "region=1", "region=2"))
    site = relations({total: 7 + count, east: 7, valley: count}, (total, (east, valley)))
    assert given_back(site, {valley}, frozenset({valley}), stories={ALL: 50}) == set()
    if count:  # without stories, a few people's outcome pinned: a failure
        with pytest.raises(protection.ProtectionError):
            given_back(site, {valley}, frozenset({valley}))


def test_the_pass_is_linear_in_the_partitions() -> None:
    # A chain of 100,000 sums, each given by the next once that one is known: found one by
    # one, each sum looked at once (taking them again and again would take hours).
    chain = [(f"c|{index}", (f"c|{index + 1}", f"s|{index}")) for index in range(100_000)]
    hidden = {f"c|{index}" for index in range(100_000)}
    started = time.process_time()
    assert determined(chain, hidden | {"c|100000"}) == []  # no end shown: nothing given
    assert determined(chain, hidden) == [f"c|{index}" for index in reversed(range(100_000))]
    assert time.process_time() - started < 5


def test_the_methods_note_says_a_number_the_shown_ones_give_is_not_hidden() -> None:
    assert ("But a group whose number the shown ones already give exactly (a total whose "
            "parts are all shown) is not hidden: hiding it would protect no one."
            in methods_note(11))
    spanish = Translations.load(str(TRANSLATIONS), ["es"])
    assert ("Pero un grupo cuyo número ya dan exactamente los mostrados (un total cuyas "
            "partes se muestran todas) no se oculta: ocultarlo no protegería a nadie."
            in methods_note(11, spanish.gettext))
