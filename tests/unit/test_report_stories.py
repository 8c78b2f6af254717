"""The report's stories under their themes, in the moderators' order (pure)."""

from __future__ import annotations

from testimonials.public.report_stories import ThemeGroup, by_theme

STORIES = [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")]


def test_without_themes_the_report_keeps_its_single_list() -> None:
    assert by_theme(STORIES, {}) == []
    assert by_theme(STORIES, {1: []}) == []


def test_stories_go_under_the_first_of_their_themes_in_the_moderators_order() -> None:
    themes = {1: ["Medication gap"], 2: ["Cancelled appointment"],
              3: ["Cancelled appointment", "Medication gap"], 5: ["Child or teen"]}
    assert by_theme(STORIES, themes) == [
        ThemeGroup("Medication gap", ("a", "c")),
        ThemeGroup("Cancelled appointment", ("b",)),
        ThemeGroup("Child or teen", ("e",)),
        ThemeGroup(None, ("d",)),  # no theme: last, under "Other stories"
    ]
    shown = [story for group in by_theme(STORIES, themes) for story in group.stories]
    assert sorted(shown) == ["a", "b", "c", "d", "e"]  # each story once
