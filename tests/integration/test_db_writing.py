"""`with db.writing():` commits at its end, rolls back on an exception, refuses to begin
inside a transaction already open, and on SQLite makes writers queue at BEGIN."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from testimonials import db
from testimonials.models import Region


def region_names(app: Flask) -> list[str]:
    """The regions as a fresh app context (another request) sees them."""
    with app.app_context():
        return list(db.session().scalars(select(Region.name).order_by(Region.name)))


def test_the_end_of_the_block_commits(app: Flask) -> None:
    with app.app_context(), db.writing() as session:
        session.add(Region(name="North", slug="north"))
    assert region_names(app) == ["North"]


def test_an_exception_in_the_block_rolls_it_back(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(LookupError), db.writing() as session:
            session.add(Region(name="North", slug="north"))
            session.flush()
            raise LookupError("refused after the flush")
        assert not db.session().in_transaction()  # nothing left open for the next block
        with db.writing() as session:
            session.add(Region(name="South", slug="south"))
    assert region_names(app) == ["South"]


def test_a_failed_commit_rolls_back_and_raises(app: Flask) -> None:
    with app.app_context():
        with db.writing() as session:
            session.add(Region(name="North", slug="north"))
        with pytest.raises(Exception, match="(?i)unique"), db.writing() as session:
            session.add(Region(name="North", slug="north-again"))  # fails at the commit's flush
        assert not db.session().in_transaction()
    assert region_names(app) == ["North"]


def test_the_decorator_form_commits_what_the_function_wrote(app: Flask) -> None:
    @db.writing()
    def add_east() -> None:
        db.session().add(Region(name="East", slug="east"))

    with app.app_context():
        add_east()
    assert region_names(app) == ["East"]


def test_a_block_after_reads_is_refused_and_says_why(app: Flask) -> None:
    with app.app_context():
        db.session().scalar(select(func.count()).select_from(Region))  # a read begins it
        with pytest.raises(db.WriteAfterRead, match="database is locked"), db.writing():
            pytest.fail("the block must not run")
        db.session().rollback()  # the reads ended: now the block may begin
        with db.writing() as session:
            session.add(Region(name="West", slug="west"))
    assert region_names(app) == ["West"]


def test_after_reads_ends_them_and_reads_again_under_the_lock(app: Flask) -> None:
    with app.app_context(), db.writing() as session:
        session.add(Region(name="North", slug="north"))
    with app.app_context():
        region = db.session().scalars(select(Region)).one()  # read outside the block
        with app.extensions["waitline.sessionmaker"]() as other, other.begin():
            other.execute(text("UPDATE region SET name = 'Northern' WHERE slug = 'north'"))
        with db.writing(after_reads=True):
            assert region.name == "Northern"  # read again, not the copy read before
            region.slug = "northern"
    assert region_names(app) == ["Northern"]


def test_after_reads_still_refuses_unsaved_changes(app: Flask) -> None:
    with app.app_context():
        session = db.session()
        session.scalar(select(func.count()).select_from(Region))
        session.add(Region(name="Lost", slug="lost"))  # written outside any block: a bug
        with pytest.raises(db.WriteAfterRead), db.writing(after_reads=True):
            pytest.fail("the block must not run")


def test_a_block_inside_a_block_is_refused(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(db.WriteAfterRead, match="inside another"), db.writing() as session:
            session.add(Region(name="North", slug="north"))
            with db.writing():
                pytest.fail("the inner block must not run")
    assert region_names(app) == []  # the outer block rolled back with the error


@pytest.fixture
def sqlite_app(tmp_path: Path, sqlite_template: Path) -> Flask:
    path = tmp_path / "waitline.db"
    shutil.copyfile(sqlite_template, path)
    from testimonials import create_app
    return create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing"})


def add_one_slowly(app: Flask, ready: threading.Barrier, failures: list[BaseException]) -> None:
    """Read the counter, wait, write it plus one: lost or failed unless writers take turns."""
    with app.app_context():
        try:
            ready.wait()
            with db.writing() as session:
                value = session.scalar(text("SELECT value FROM content_version WHERE id = 1"))
                time.sleep(0.15)
                session.execute(text("UPDATE content_version SET value = :v WHERE id = 1"),
                                {"v": value + 1})
        except BaseException as error:  # noqa: BLE001 - reported to the test's thread
            failures.append(error)


def test_sqlite_writers_queue_at_begin_instead_of_failing(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        start = db.session().scalar(text("SELECT value FROM content_version WHERE id = 1"))
    ready, failures = threading.Barrier(3), []
    writers = [threading.Thread(target=add_one_slowly, args=(sqlite_app, ready, failures))
               for _ in range(3)]
    started = time.perf_counter()
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(10)
    assert failures == []
    assert time.perf_counter() - started >= 3 * 0.15  # one after the other
    with sqlite_app.app_context():
        assert db.session().scalar(text("SELECT value FROM content_version")) == start + 3
    sqlite_app.extensions["waitline.engine"].dispose()


def test_sqlite_without_the_block_a_write_after_reads_fails(sqlite_app: Flask) -> None:
    """What the block prevents: two transactions begun by reads; the second to write fails
    at once with "database is locked" (SQLite cannot upgrade a stale snapshot)."""
    maker = sqlite_app.extensions["waitline.sessionmaker"]
    first, second = maker(), maker()
    try:
        read = "SELECT value FROM content_version WHERE id = 1"
        write = "UPDATE content_version SET value = value + 1 WHERE id = 1"
        first.scalar(text(read))
        second.scalar(text(read))
        first.execute(text(write))
        first.commit()
        with pytest.raises(OperationalError, match="database is locked"):
            second.execute(text(write))
    finally:
        first.close()
        second.close()
        sqlite_app.extensions["waitline.engine"].dispose()


def test_sqlite_a_bulk_block_skips_waiting_for_the_disk(sqlite_app: Flask) -> None:
    with sqlite_app.app_context(), db.writing(bulk=True) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 0  # OFF
    with sqlite_app.app_context():
        assert db.session().execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL again
    sqlite_app.extensions["waitline.engine"].dispose()



def test_sqlite_a_durable_block_waits_for_the_disk_at_its_commit(sqlite_app: Flask) -> None:
    with sqlite_app.app_context(), db.writing(durable=True) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    with sqlite_app.app_context():
        assert db.session().execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL again
    sqlite_app.extensions["waitline.engine"].dispose()
