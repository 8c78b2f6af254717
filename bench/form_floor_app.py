"""A reference for the submissions line (not a budget): the least a form with CSRF can cost.

A minimal Flask application with Flask-WTF and nothing else of ours: GET /form renders a
small page with the form and its CSRF token, POST /form checks the token and five fields and
inserts one row through the same database as the bare insert route (bench/ceiling_app.py),
then redirects, as /share does. The bench drives it as it drives /share (a page for the
token, then the post), so its ratio to the bare insert shows how much of a story's cost any
Flask form pays before the product does anything: what the 0.25 budget leaves for the rest.
"""

from __future__ import annotations

import os

from flask import Flask, redirect, render_template_string
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, event, insert
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
URL = os.environ["DATABASE_URL"]
engine = create_engine(URL, pool_size=2, max_overflow=3) if URL.startswith("postgresql") \
    else create_engine(URL, connect_args={"timeout": 30})
if engine.dialect.name == "sqlite":
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA synchronous=FULL")  # as bench/ceiling_app.py
rows = Table("bench_floor_row", MetaData(), Column("id", Integer, primary_key=True),
             Column("body", Text, nullable=False), Column("days", Integer))
rows.create(engine, checkfirst=True)
engine.dispose()  # each worker opens its own connections after the fork

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Share</title></head>
<body><main><h1>Share your story</h1><form method="post">{{ form.csrf_token }}
<label>Your story {{ form.story() }}</label><label>Days {{ form.days() }}</label>
<label>Unit {{ form.unit() }}</label><label>{{ form.consent_stats() }} Count me</label>
<label>{{ form.consent_publish() }} Publish</label><button>Send</button></form></main></body></html>
"""


class StoryForm(FlaskForm):  # type: ignore[misc]
    story = TextAreaField(validators=[DataRequired(), Length(max=5000)])
    days = IntegerField(validators=[Optional()])
    unit = StringField(validators=[Length(max=10)])
    consent_stats = BooleanField()
    consent_publish = BooleanField()


@app.route("/form", methods=["GET", "POST"])
def form() -> ResponseReturnValue:
    story = StoryForm()
    if story.validate_on_submit():
        with engine.begin() as connection:
            connection.execute(insert(rows).values(body=story.story.data, days=story.days.data))
        return redirect("/form/thanks", 303)
    return render_template_string(PAGE, form=story)
