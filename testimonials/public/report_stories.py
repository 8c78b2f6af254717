"""The stories of a report, grouped by theme when the moderators' picks carry themes.

Moderators tag stories with themes (`models.Theme`); a report whose picked stories carry
any shows them under one heading per theme, in the moderators' order: a theme comes where
its first picked story comes, and each story once, under the first of its themes to come.
Stories without a theme close the report under "Other stories". Without any theme the
report keeps the moderators' single list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import SubmissionTheme, Theme

T = TypeVar("T")


@dataclass(frozen=True)
class ThemeGroup(Generic[T]):
    """One theme's stories; `theme` None for the stories without one."""

    theme: str | None
    stories: tuple[T, ...]


def themes_of(session: Session, submission_ids: Sequence[int], language: str
              ) -> dict[int, list[str]]:
    """Each story's theme names in the reader's language, alphabetical (English order)."""
    if not submission_ids:
        return {}
    rows = session.execute(
        select(SubmissionTheme.submission_id, Theme.name_en, Theme.name_es)
        .join(Theme, Theme.id == SubmissionTheme.theme_id)
        .where(SubmissionTheme.submission_id.in_(list(submission_ids)))
        .order_by(Theme.name_en, Theme.id))
    found: dict[int, list[str]] = {}
    for submission_id, english, spanish in rows:
        found.setdefault(submission_id, []).append(spanish if language == "es" else english)
    return found


def by_theme(stories: Sequence[tuple[int, T]], themes: Mapping[int, Sequence[str]]
             ) -> list[ThemeGroup[T]]:
    """The stories ((id, story) in the moderators' order) under their themes (pure).

    An empty list when no story carries a theme: the report then lists them as picked.
    """
    if not any(themes.get(story_id) for story_id, _ in stories):
        return []
    order: dict[str, None] = {}
    for story_id, _ in stories:
        order.update(dict.fromkeys(themes.get(story_id, ())))
    rank = {theme: index for index, theme in enumerate(order)}
    grouped: dict[str | None, list[T]] = {theme: [] for theme in order}
    untagged: list[T] = []
    for story_id, story in stories:
        found = themes.get(story_id)
        if found:
            grouped[min(found, key=rank.__getitem__)].append(story)
        else:
            untagged.append(story)
    groups = [ThemeGroup(theme, tuple(found)) for theme, found in grouped.items() if found]
    if untagged:
        groups.append(ThemeGroup(None, tuple(untagged)))
    return groups
