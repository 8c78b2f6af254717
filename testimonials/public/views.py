"""Home page and health check."""

from __future__ import annotations

from flask import Response, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from testimonials import db
from testimonials.public import bp, queries


@bp.get("/")
def home() -> str:
    session = db.session()
    return render_template(
        "public/home.html",
        published_count=queries.published_count(session),
        recent=queries.recent_stories(session, limit=3),
    )


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True), 200
