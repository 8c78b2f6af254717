"""Languages: `?lang=` remembered only by pages, `Content-Language` on every answer written in
a language, and a story's own language beside the interface's it was sent from."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.vocab import Status
from tests import builders

NOT_PAGES = ["/api/v1/stories", "/api/v1/stats", "/api/openapi.json", "/stats.csv",
             "/stats.json", "/stats/releases/1.csv", "/stats/releases/1.json", "/stories.atom",
             "/healthz", "/static/css/site.css"]


def test_lang_on_an_api_csv_json_or_feed_address_sets_no_cookie(app: Flask, client: FlaskClient,
                                                                 session: Session) -> None:
    builders.submission(session, status=Status.APPROVED, place=builders.facility(session))
    session.commit()
    builders.release(app)
    for path in NOT_PAGES:
        response = client.get(f"{path}?lang=es")
        response.close()
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
    assert "lang=es" in client.get("/stories?lang=es").headers["Set-Cookie"]


def test_every_answer_in_a_language_says_which(client: FlaskClient, session: Session) -> None:
    builders.submission(session, status=Status.APPROVED, place=builders.facility(session))
    session.commit()
    assert client.get("/stories").headers["Content-Language"] == "en"
    assert client.get("/stories?lang=es").headers["Content-Language"] == "es"
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    assert client.get("/stories.atom", headers=spanish).headers["Content-Language"] == "es"
    assert client.get("/nowhere", headers=spanish).headers["Content-Language"] == "es"
    assert client.get("/share", headers=spanish).headers["Content-Language"] == "es"
    # English by design, whatever the reader's language: no claim to be in theirs.
    assert "Content-Language" not in client.get("/api/v1/stories", headers=spanish).headers


SPANISH_STORY = ("Esperé cuatro meses para una cita con mi terapeuta y la clínica nunca me "
                 "llamó. Cuando por fin me dieron la cita, ya había perdido el trabajo.")


def _sent_on_the_english_form(app: Flask, story: str) -> int:
    """A story sent through the share service from the English interface, then approved."""
    import datetime as dt

    from testimonials.services import submissions
    from testimonials.vocab import Language, Reporter
    from tests.integration.share.share_helpers import approve

    with app.extensions["waitline.sessionmaker"]() as session:
        place = builders.facility(session)
        answers = submissions.Answers(
            story=story, title="Cuatro meses", reporter=Reporter.PATIENT,
            facility_id=place.id, facility_other=None, care_types=1, outcomes=0,
            experience_month=dt.date(2026, 3, 1), waits=(), consent_publish=True,
            consent_stats=False, consent_share=False, consent_contact=False,
            display_name=None, email=None)
        receipt = submissions.submit(session, answers, Language.EN, builders.NOW)
        approve(session, receipt.submission)
        session.commit()
        return receipt.submission.id


def test_a_spanish_story_sent_from_the_english_form_records_both_languages(
        app: Flask, client: FlaskClient, session: Session) -> None:
    from testimonials.models import Submission
    from testimonials.vocab import Language

    story_id = _sent_on_the_english_form(app, SPANISH_STORY)
    stored = session.get(Submission, story_id)
    assert stored is not None
    assert (stored.language, stored.story_language) == (Language.EN, Language.ES)
    data = client.get(f"/api/v1/stories/{story_id}").get_json()["data"]
    assert (data["language"], data["story_language"]) == ("en", "es")


def test_the_story_text_carries_its_own_lang_for_screen_readers(app: Flask,
                                                                client: FlaskClient) -> None:
    story_id = _sent_on_the_english_form(app, SPANISH_STORY)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<div class="story-text" lang="es">' in page
    assert '<h1 id="story-title" lang="es">' in page
    listing = client.get("/stories").get_data(as_text=True)
    assert '<p class="story-excerpt" lang="es">' in listing
    feed = client.get("/stories.atom").get_data(as_text=True)
    assert '<entry xml:lang="es">' in feed


def test_a_moderators_edit_into_english_changes_the_story_language(
        app: Flask, session: Session) -> None:
    from testimonials.models import Submission
    from testimonials.vocab import Language

    story_id = _sent_on_the_english_form(app, SPANISH_STORY)
    stored = session.get(Submission, story_id)
    assert stored is not None
    stored.public_story = "I waited four months for my therapist and the clinic never called."
    session.commit()
    assert stored.story_language is Language.EN


def test_a_story_from_before_languages_were_recorded_is_told_from_its_words(
        client: FlaskClient, session: Session) -> None:
    from sqlalchemy import update

    from testimonials.models import Submission

    made = builders.submission(session, status=Status.APPROVED, story=SPANISH_STORY,
                               place=builders.facility(session))
    session.execute(update(Submission).where(Submission.id == made.id)
                    .values(story_language=None))
    session.commit()
    data = client.get(f"/api/v1/stories/{made.id}").get_json()["data"]
    assert data["story_language"] == "es"


def test_templates_speak_the_language_of_each_render_even_under_force_locale(app: Flask) -> None:
    # The templates' gettext functions are bound once per render (i18n.bound_gettext): a
    # render inside force_locale (a release's wording, in every language) speaks its language,
    # and markup in the arguments is escaped as Jinja's newstyle gettext escapes it.
    from flask import render_template_string
    from flask_babel import force_locale

    page = ("{{ _('Share your story') }}|{{ ngettext('%(num)s day', '%(num)s days', 3) }}|"
            "{{ _('Still waiting: %(length)s so far', length='<b>3</b>') }}")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(page)
        with force_locale("es"):
            spanish = render_template_string(page)
        again = render_template_string(page)
    assert english == again == (
        "Share your story|3 days|Still waiting: &lt;b&gt;3&lt;/b&gt; so far")
    assert spanish == (
        "Comparte tu historia|3 días|Todavía esperando: &lt;b&gt;3&lt;/b&gt; hasta ahora")
