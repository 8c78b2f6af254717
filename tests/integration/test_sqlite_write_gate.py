"""SQLite's writers take turns at the write gate: the next one goes in as soon as the last
commits, none waits for ever, and a process that dies frees it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from testimonials import db
from testimonials.db import WriteGate, make_engine


@pytest.fixture
def database(tmp_path: Path, sqlite_template: Path) -> Path:
    path = tmp_path / "waitline.db"
    shutil.copyfile(sqlite_template, path)
    return path


def write_one(engine: Engine, value: int) -> float:
    """A write transaction as the views open it; the seconds it took to begin."""
    with Session(engine) as own:
        started = time.perf_counter()
        with db.writing(own) as session:
            began = time.perf_counter() - started
            session.execute(text("UPDATE content_version SET value = :v WHERE id = 1"),
                            {"v": value})
    return began


def test_a_writer_waits_at_the_gate_and_goes_in_when_it_is_left(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    held = WriteGate(f"{database}-writers", 5).enter()
    assert held is not None
    threading.Timer(0.3, held.close).start()
    assert write_one(engine, 7) >= 0.25
    # Left at commit: another writer (another worker) gets in at once.
    again = WriteGate(f"{database}-writers", 0).enter()
    assert again is not None
    again.close()
    engine.dispose()


def test_a_gate_never_left_delays_a_writer_only_for_the_busy_timeout(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}", busy_timeout_ms=300)
    held = WriteGate(f"{database}-writers", 5).enter()
    assert held is not None
    began = write_one(engine, 8)  # SQLite itself is free: the write goes ahead after 0.3 s
    assert 0.25 <= began < 5
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT value FROM content_version")) == 8
    held.close()
    engine.dispose()


def test_a_process_that_dies_holding_the_gate_frees_it(database: Path) -> None:
    with subprocess.Popen(
            [sys.executable, "-c",
             "import time; from testimonials.db import WriteGate; "
             f"g = WriteGate({str(database) + '-writers'!r}, 5).enter(); "
             "print('held' if g else 'not', flush=True); time.sleep(60)"],
            stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert WriteGate(f"{database}-writers", 0).enter() is None
        holder.kill()
    freed = WriteGate(f"{database}-writers", 1).enter()
    assert freed is not None
    freed.close()


def test_readers_and_memory_databases_pass_no_gate(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    held = WriteGate(f"{database}-writers", 5).enter()
    assert held is not None
    with Session(engine) as session:  # an ordinary (deferred) transaction: never gated
        started = time.perf_counter()
        assert session.execute(text("SELECT value FROM content_version")).scalar() is not None
        assert time.perf_counter() - started < 0.2
    held.close()
    engine.dispose()
    memory = make_engine("sqlite://")
    with Session(memory) as own, db.writing(own) as session:
        assert "gate" not in session.connection().connection.info
    memory.dispose()
