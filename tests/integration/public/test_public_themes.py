"""Readers filter /stories (and the API's list) by a theme moderators tagged stories with."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from testimonials.models import SubmissionTheme, Theme
from testimonials.vocab import Status
from tests import builders

STORY_LINK = re.compile(r'href="/stories/(\d+)"')


def test_readers_narrow_the_stories_to_a_theme_in_their_language(
        app: Flask, client: FlaskClient) -> None:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        theme = Theme(slug="waitlist-closed", name_en="Waiting list closed",
                      name_es="Lista de espera cerrada")
        session.add(theme)
        tagged = builders.submission(session, status=Status.APPROVED)
        untagged = builders.submission(session, status=Status.APPROVED)
        session.flush()
        session.add(SubmissionTheme(submission_id=tagged.id, theme_id=theme.id))
        session.commit()
        tagged_id, untagged_id = tagged.id, untagged.id
    everything = client.get("/stories").get_data(as_text=True)
    assert 'href="/stories?theme=waitlist-closed"' in everything  # offered in the filters
    page = client.get("/stories?theme=waitlist-closed").get_data(as_text=True)
    assert [int(found) for found in STORY_LINK.findall(page)] == [tagged_id]
    spanish = client.get("/stories?theme=waitlist-closed&lang=es",
                         headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Lista de espera cerrada" in spanish
    api = client.get("/api/v1/stories?theme=waitlist-closed").get_json()
    assert [story["id"] for story in api["data"]] == [tagged_id]
    assert untagged_id not in [story["id"] for story in api["data"]]
    assert client.get("/stories?theme=Not%20a%20slug").status_code == 400
