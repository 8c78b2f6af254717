"""Withdrawal and purge leave no copy of the story or the e-mail in the database files.

A story holding a word found nowhere else is approved (so it reaches the search index and the
audit log), then erased; the test then reads the raw bytes of the database files. On SQLite:
the .db file, its -wal and -shm. On PostgreSQL: the erased row versions must be gone from the
pages (vacuumed) and, after a rewrite (`flask purge --rewrite`), from the relation files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from share_helpers import fresh
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.models import Account, AuditEntry, Submission, utcnow
from testimonials.services import accounts, moderation
from testimonials.vocab import Role, Status
from tests import builders
from tests.conftest import service_missing

# Words that appear in no other text of the test, and no prefix of another word (the search
# index stores each word's tail after what it shares with the word before it).
MARKER = "zqxjvorpalmarker"
EDITED = "zqwkyeditedmarker"
MAIL = "zqxjcontact@example.org"
TOKEN = "erasure-test-token-0123456789abcdefghijklmnop"
STORY = (f"I waited five months for a return visit; {MARKER} was the only word I had for it. "
         "The clinic never called back.")


def _arrange(app: Flask, session: Session, *, status: Status = Status.APPROVED) -> int:
    """A published story with the marker in every text field and in the audit log."""
    moderator = accounts.create_account(session, "mod@example.org", "a long password here",
                                        Role.MODERATOR, utcnow())
    row = builders.submission(session, story=STORY, email=MAIL, consent_contact=True,
                              display_name=f"Ana {MARKER}", original_title=f"Title {MARKER}",
                              token_hash=hashlib.sha256(TOKEN.encode()).hexdigest())
    session.commit()
    # A redacted public version: the audit log records the words before and after.
    moderation.approve(session, row, session.get(Account, moderator.id), utcnow(),
                       version=row.version, title=f"Heading {EDITED}",
                       story=STORY.replace("five", f"five {EDITED}"))
    session.commit()
    if status is not Status.APPROVED:
        row.status, row.moderated_at = status, utcnow() - dt.timedelta(days=400)
        session.commit()
    return row.id


def _sqlite_bytes(database_url: str) -> bytes:
    path = Path(str(make_url(database_url).database))
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return b"".join(file.read_bytes() for file in files if file.exists())


def _postgres_tuples(session: Session, needle: bytes) -> int:
    """Row versions, live or dead, whose stored bytes hold `needle`, in every table we own."""
    session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public"))
    session.commit()
    relations = session.scalars(text(
        "SELECT c.oid::regclass::text FROM pg_class c "
        "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' "
        "UNION SELECT t.oid::regclass::text FROM pg_class c JOIN pg_class t "
        "ON t.oid = c.reltoastrelid WHERE c.relnamespace = current_schema()::regnamespace"
    )).all()
    found = 0
    for relation in relations:
        found += session.scalar(text(
            "SELECT count(*) FROM generate_series(0, "
            "  pg_relation_size(CAST(:r AS regclass)) / current_setting('block_size')::int - 1) b,"
            " public.heap_page_items(public.get_raw_page(CAST(:t AS text), b::int)) i "
            "WHERE i.t_data IS NOT NULL AND position(:n IN i.t_data) > 0"),
            {"r": relation, "t": relation, "n": needle}) or 0
    session.commit()
    return found


def _postgres_files(session: Session) -> bytes:
    """The raw bytes of every relation file (tables, TOAST, indexes) of this schema."""
    session.execute(text("CHECKPOINT"))
    directory = Path(session.scalar(text("SHOW data_directory")) or "")
    paths = session.scalars(text(
        "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
        "WHERE c.relnamespace IN (current_schema()::regnamespace, 'pg_toast'::regnamespace) "
        "AND c.relkind IN ('r', 't', 'i') AND pg_relation_filepath(c.oid) IS NOT NULL")).all()
    session.commit()
    if not directory.is_dir() or not (directory / "base").exists():
        service_missing("the PostgreSQL data directory is not readable here")
    chunks = []
    for relative in paths:
        for file in sorted(directory.glob(f"{relative}*")):
            if file.name.split(".")[0] == Path(relative).name and "_" not in file.name:
                chunks.append(file.read_bytes())
    return b"".join(chunks)


def _present(app: Flask, session: Session, database_url: str, needle: str) -> bool:
    if database_url.startswith("sqlite"):
        return needle.encode() in _sqlite_bytes(database_url)
    return _postgres_tuples(session, needle.encode()) > 0


NEEDLES = (MARKER, EDITED, MAIL)


def test_every_sqlite_connection_zeroes_what_it_deletes(app: Flask) -> None:
    with app.app_context():
        if db.engine().dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only")
        # Each pooled connection, not only the first: two at once.
        with db.engine().connect() as first, db.engine().connect() as second:
            for connection in (first, second):
                assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_withdrawal_leaves_no_copy_in_the_database_files(
        app: Flask, client: FlaskClient, session: Session, database_url: str) -> None:
    _arrange(app, session)
    assert client.get(f"/stories?q={MARKER}").get_data(as_text=True).count(EDITED) >= 1
    assert all(_present(app, session, database_url, needle) for needle in NEEDLES)

    response = client.post(f"/my/{TOKEN}/withdraw")
    assert response.status_code == 303

    fresh(session)
    assert [n for n in NEEDLES if _present(app, session, database_url, n)] == []


def test_purge_leaves_no_copy_in_the_database_files(
        app: Flask, runner: FlaskCliRunner, session: Session, database_url: str) -> None:
    _arrange(app, session, status=Status.REJECTED)
    assert all(_present(app, session, database_url, needle) for needle in NEEDLES)

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "erased 1 rejected or spam stories" in result.output

    fresh(session)
    assert [n for n in NEEDLES if _present(app, session, database_url, n)] == []


def test_the_audit_log_keeps_no_erased_words(app: Flask, client: FlaskClient,
                                             session: Session) -> None:
    item = _arrange(app, session)
    assert client.post(f"/my/{TOKEN}/withdraw").status_code == 303
    fresh(session)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.submission_id == item)).all()
    assert len(entries) >= 2
    logged = repr([(e.before, e.after, e.reason, e.subject) for e in entries])
    assert all(needle not in logged for needle in NEEDLES)
    assert session.get(Submission, item).status is Status.WITHDRAWN


@pytest.mark.slow
def test_a_rewrite_leaves_no_copy_in_postgresql_files(
        app: Flask, runner: FlaskCliRunner, session: Session, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite leaves no copy without a rewrite (the tests above)")
    _arrange(app, session, status=Status.REJECTED)
    assert all(needle.encode() in _postgres_files(session) for needle in NEEDLES)
    result = runner.invoke(args=["purge", "--rewrite"])
    assert result.exit_code == 0, result.output
    raw = _postgres_files(session)
    assert [n for n in NEEDLES if n.encode() in raw] == []



def test_a_story_sent_back_to_the_queue_leaves_the_index_when_withdrawn(
        app: Flask, client: FlaskClient, session: Session, database_url: str) -> None:
    item = _arrange(app, session)
    row = session.get(Submission, item)
    moderation.return_to_queue(session, row, utcnow())  # as a patient's edit does
    session.commit()
    assert row.status is Status.PENDING and row.published_at is None
    assert client.post(f"/my/{TOKEN}/withdraw").status_code == 303
    fresh(session)
    assert [n for n in NEEDLES if _present(app, session, database_url, n)] == []
