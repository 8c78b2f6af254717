"""The bench's ceilings (SPEC section 7): a separate, minimal Flask application.

No extensions, no request hooks, nothing of ours but two routes:
- GET /ceiling renders a 5 KB Jinja template compiled once: every page budget is a ratio
  to it;
- POST /insert stores one row through the same database as the application under test, on
  disk at its commit as the application's stories are: the ceiling of the submission budget.
Served by gunicorn with the application's own server settings (bench/ceiling_gunicorn.py).
Our application holds a copy of the first route (testimonials/bench_routes.py); the bench
reports that copy against this one as the application's own overhead per request.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template, request
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, event, insert

# The very template the application's copy renders (templates/bench/ceiling.html): one file,
# so that the two routes compare like with like.
app = Flask(__name__, template_folder=str(Path(__file__).resolve().parents[1] / "templates"
                                          / "bench"))
engine = create_engine(os.environ["DATABASE_URL"], pool_size=2, max_overflow=3) \
    if os.environ["DATABASE_URL"].startswith("postgresql") \
    else create_engine(os.environ["DATABASE_URL"], connect_args={"timeout": 30})
if engine.dialect.name == "sqlite":
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Each row on disk at its commit, as the application stores a patient's story
        # (db.writing(durable=True)) and as every PostgreSQL commit is: like with like.
        dbapi_connection.execute("PRAGMA synchronous=FULL")
rows = Table("bench_ceiling_row", MetaData(), Column("id", Integer, primary_key=True),
             Column("body", Text, nullable=False))
rows.create(engine, checkfirst=True)
engine.dispose()  # each worker opens its own connections after the fork


@app.get("/ceiling")
def ceiling() -> str:
    return render_template("ceiling.html", title="Ceiling", note="A plain page.",
                           first=1, items=["one", "two", "three"])


@app.post("/insert")
def insert_row() -> tuple[str, int]:
    with engine.begin() as connection:
        connection.execute(insert(rows).values(body=request.form.get("body", "")))
    return "", 201
