"""An upgrade from releases cut without the audit: what they already gave away (pure).

A site that cut releases with the old code (or with STATS_PROTECTION_AUDIT off) published
them with only small-cell and complementary suppression: a reader of those releases alone can
already narrow some of their hidden counts below the protection width. The first audited
release after them used to judge those counts again with all the others; nothing it hides can
widen what the old releases already published (hiding more only takes rows away from this
release's part of the system, never from theirs), so it hid count after count in vain, nearly
everything, for minutes, or failed.

So, before the main audit, the history is audited alone, as its last release's audit would
have judged it (`Audit` with that release as the current one): the earlier hidden counts it
finds narrowed are lost already, whatever this release hides. They are reported
(`Protection.lost`, stored with the release) and left out of this release's judging; every
other earlier hidden count is judged as before. Adding this release to the system only adds
rows, so a count narrowed by the history alone is narrowed in the main audit's system too:
none is left out that the main audit could have protected.

An audited history (its last release audited: `Earlier.audited`) costs nothing: the lost
counts its first audited release found are stored with each release after it and carried
on (`Earlier.lost`), so that a review, or a release after a withdrawal, which judges every
earlier release again, does not find them again and hide everything.
"""

from __future__ import annotations

import logging

from testimonials.stats.protection import (
    Audit,
    History,
    System,
    published_system,
    shown_before_each,
)

log = logging.getLogger(__name__)


def lost_already(history: History, min_cell: int, width: int) -> frozenset[str]:
    """The earlier releases' hidden counts (as the main audit names its unknowns: "2#key"
    for a key of the history's third release) that the history alone narrows below `width`.
    """
    if not history:
        return frozenset()
    if history[-1].audited:  # judged by audits since: what the first one found, carried on
        return frozenset(history[-1].lost)
    *before, last = history
    index = len(before)
    befores = shown_before_each(history)
    # The last release as the current one of an audit of the history: its hidden counts as
    # unknowns (their true counts, where stored, as a point of the system; otherwise 0,
    # which only tells the audit that it has no such point).
    layout = published_system(last.dims, last.published)
    secret = {key for key, count in layout.count.items() if count is None}
    current = System({key: count if count is not None else last.hidden_counts.get(key, 0)
                      for key, count in layout.count.items()}, layout.equal, layout.at_most)
    floors = {key: count for key, count in last.stories.items()}
    for at, old in enumerate(before):
        floors.update({f"{at}#{key}": count for key, count in old.stories.items()})
    # Every release of the history judged (not left to `Audit.growth`: the last release's
    # true counts are not stored), as the main audit judges the earlier ones: none of their
    # counts counts as hidden by rules 1 to 3 (`Audit.sensitive`).
    history_audit = Audit(current, [published_system(old.dims, old.published) for old in before],
                          min_cell, width, floors, before=befores[index],
                          befores=befores[:index],
                          truths=[old.hidden_counts for old in before])
    narrowed = history_audit.narrowed(secret, history_audit.rows(secret))
    lost = frozenset(name if "#" in name else f"{index}#{name}" for name in narrowed)
    if lost:
        log.warning("%d hidden counts of releases cut without the audit are already narrowed "
                    "by those releases: lost, not judged again", len(lost))
    return lost
