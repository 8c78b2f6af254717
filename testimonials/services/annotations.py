"""What moderators add to an item besides a decision: internal notes and themes.

Notes are for moderators only; their words may quote the story, so withdrawal erases them
(`erase_notes`). Themes are tags from the admins' list that readers filter stories by.
Both go in the audit log; a note's words never do (only that one was added).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from testimonials import caching
from testimonials.models import Account, ModeratorNote, Submission, SubmissionTheme, Theme
from testimonials.services import audit
from testimonials.text import clean

NOTE_MAX = 2_000
SLUG_MAX = 60


class NoteError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def add_note(session: Session, submission: Submission, author: Account, now: dt.datetime,
             body: str | None) -> ModeratorNote:
    text = clean(body)
    if not text:
        raise NoteError("note_missing")
    if len(text) > NOTE_MAX:
        raise NoteError("note_too_long")
    note = ModeratorNote(submission_id=submission.id, author_id=author.id, created_at=now,
                         body=text)
    session.add(note)
    session.flush()
    audit.record(session, now, author, "note", submission_id=submission.id,
                 after={"note_id": note.id})
    return note


def notes(session: Session, submission_id: int) -> list[tuple[ModeratorNote, str | None]]:
    """The item's notes, oldest first, with their authors' e-mail."""
    rows = session.execute(select(ModeratorNote, Account.email)
                           .outerjoin(Account, Account.id == ModeratorNote.author_id)
                           .where(ModeratorNote.submission_id == submission_id)
                           .order_by(ModeratorNote.id))
    return [(note, email) for note, email in rows]


def erase_notes(session: Session, submission_id: int) -> None:
    """Withdrawal: the notes stay (who wrote one, when), their words go."""
    session.execute(update(ModeratorNote).where(ModeratorNote.submission_id == submission_id)
                    .values(body=None))


def all_themes(session: Session) -> list[Theme]:
    return list(session.scalars(select(Theme).order_by(Theme.name_en)))


def theme_ids(session: Session, submission_id: int) -> set[int]:
    return set(session.scalars(select(SubmissionTheme.theme_id)
                               .where(SubmissionTheme.submission_id == submission_id)))


def set_themes(session: Session, submission: Submission, moderator: Account, now: dt.datetime,
               chosen: set[int]) -> bool:
    """The item's themes become `chosen` (unknown ids ignored); False when nothing changed."""
    known = {theme.id: theme.slug for theme in all_themes(session)}
    chosen = {theme for theme in chosen if theme in known}
    current = theme_ids(session, submission.id)
    if chosen == current:
        return False
    session.execute(delete(SubmissionTheme).where(
        SubmissionTheme.submission_id == submission.id,
        SubmissionTheme.theme_id.in_(current - chosen)))
    session.add_all(SubmissionTheme(submission_id=submission.id, theme_id=theme)
                    for theme in chosen - current)
    if submission.published_at is not None:
        caching.public_changed(session)  # readers filter by theme: the public pages change
    session.flush()
    audit.record(session, now, moderator, "themes", submission_id=submission.id,
                 before={"themes": sorted(known[t] for t in current if t in known)},
                 after={"themes": sorted(known[t] for t in chosen)})
    return True
