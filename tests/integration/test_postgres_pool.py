"""PostgreSQL's pool pings only a connection that idled (not one just made), and gets over a
lost one by itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from testimonials import db


@pytest.fixture
def engine(live_postgres_url: str) -> Iterator[Engine]:
    made = db.make_engine(live_postgres_url, pool_size=1, max_overflow=0)
    yield made
    made.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")))


def terminate(engine: Engine, pid: int) -> None:
    killer = db.make_engine(engine.url.render_as_string(hide_password=False))
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def count_pings(engine: Engine) -> list[int]:
    pings: list[int] = []
    original = engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pings.append(1)
        return original(dbapi_connection)

    engine.dialect.do_ping = counted  # type: ignore[method-assign]
    return pings


def test_a_connection_in_steady_use_is_not_pinged(engine: Engine) -> None:
    pings = count_pings(engine)
    first = backend_pid(engine)  # a new connection: just made, so not pinged
    for _ in range(20):
        assert backend_pid(engine) == first
    assert len(pings) == 0


def test_a_connection_lost_while_idle_is_replaced_before_use(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    first = backend_pid(engine)
    terminate(engine, first)
    monkeypatch.setattr(db, "IDLE_BEFORE_PING_S", 0.0)  # it has idled long enough
    assert backend_pid(engine) != first  # no error reached the caller


def test_a_connection_lost_in_use_fails_once_and_the_pool_recovers(engine: Engine) -> None:
    first = backend_pid(engine)
    terminate(engine, first)
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # used a moment ago: not pinged, and it is gone
    assert backend_pid(engine) != first
