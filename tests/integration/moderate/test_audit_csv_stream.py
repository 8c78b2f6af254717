"""/admin/audit.csv is streamed in batches inside its request's context: a download cut short
by the client ends the stream, gives the database connection back and leaves the app serving."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from testimonials.admin.audit_export_views import BATCH
from testimonials.models import AuditEntry
from testimonials.models.base import table_of


def _log(app: Flask, entries: int) -> None:
    when = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with app.extensions["waitline.sessionmaker"]() as session:
        session.execute(insert(table_of(AuditEntry)), [
            {"created_at": when, "action": "test.entry", "subject": f"entry:{number}",
             "actor_label": "test"} for number in range(entries)])
        session.commit()


def test_a_download_cut_short_gives_the_connection_back(app: Flask,
                                                        admin_client: FlaskClient) -> None:
    _log(app, 3 * BATCH)
    pool = app.extensions["waitline.engine"].pool
    response = admin_client.get("/admin/audit.csv", buffered=False)
    assert response.status_code == 200
    chunks = iter(response.response)
    first = next(chunks)  # one batch read; the client goes away before the rest
    assert first.count(b"\r\n") == BATCH + 1  # the header and the first batch
    assert pool.checkedout() >= 1  # the stream reads through its request's session
    response.close()
    assert pool.checkedout() == 0
    whole = admin_client.get("/admin/audit.csv").get_data(as_text=True)
    assert whole.count("test.entry") == 3 * BATCH
