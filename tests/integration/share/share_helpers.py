"""Helpers for the patients' page tests (fixtures are in conftest.py beside this file)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from testimonials.models import Account, Submission, utcnow
from testimonials.services import accounts, submissions
from testimonials.services.statistics import keep_stats_current, recount, stored_cells
from testimonials.vocab import Role, Status
from tests import builders

STORY = "I waited <3 months & cried. The clinic said no therapist had any opening until June."
TOKEN_IN_LOCATION = re.compile(r"/my/([A-Za-z0-9_-]{43})/receipt$")


def fresh(session: Session) -> None:
    """Read what requests committed since: a new transaction (SQLite in WAL mode reads as of
    BEGIN) and no stale objects (the session keeps them loaded across commits)."""
    session.rollback()
    session.expire_all()


def stored(session: Session, token: str) -> Submission:
    fresh(session)
    found = submissions.find_by_token(session, token)
    assert found is not None
    return found


def approve(session: Session, submission: Submission,
            now: dt.datetime = builders.NOW) -> None:
    """What a moderator's approval does, enough for the patient's side (published, counted)."""
    with keep_stats_current(session, submission):
        submission.status = Status.APPROVED
        submission.public_title = submission.original_title
        submission.public_story = submission.original_story
        submission.moderated_at = now
        submission.published_at = now if submission.consent_publish else None
    session.commit()


def stats_are_exact(session: Session) -> bool:
    fresh(session)
    return recount(session) == stored_cells(session)


def error_links(page: str) -> list[tuple[str, str]]:
    """(target, message) of each entry of the error summary (its link's #fragment)."""
    return [(href.rsplit("#", 1)[1], message) for href, message in error_hrefs(page)]


def error_hrefs(page: str) -> list[tuple[str, str]]:
    """(link, message) of each entry of the error summary: "#field" on the page itself, or
    "/share/where?change=1#month" on the check page, which links to the question's page."""
    return re.findall(r'<li><a href="([^"]*#[^"]+)">([^<]+)</a></li>', page)


def count(session: Session) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Submission)) or 0


def moderator(session: Session, email: str = "mod@example.org", *, urgent: bool) -> Account:
    account = accounts.create_account(session, email, "a long enough pass phrase 42",
                                      Role.MODERATOR, utcnow())
    session.execute(update(Account).where(Account.id == account.id).values(alert_urgent=urgent))
    session.commit()
    return account
