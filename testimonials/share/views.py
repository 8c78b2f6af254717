"""The whole story in one POST (the bench's and scripts' way), the one write step both ways of
sending share, and what follows: the receipt, the duplicate notice, the robots' thanks."""

from __future__ import annotations

import datetime as dt
import enum

from flask import abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, to_user_timezone
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from testimonials import db
from testimonials.extensions import csrf
from testimonials.models import Submission, utcnow
from testimonials.services import submissions
from testimonials.share import bp, limits
from testimonials.share.forms import LinkForm, ShareForm
from testimonials.share.queries import offered_among
from testimonials.share.reading import read_share_form
from testimonials.siteurl import absolute_url
from testimonials.vocab import Language


@bp.post("/share")
@csrf.exempt  # checked by the form itself, so that an expired token never loses a story
def form() -> ResponseReturnValue:
    """The whole story in one POST (the journey's start page is GET /share): the path of the
    bench, scripts and old bookmarks; stored once and answered with a redirect to the receipt.
    A story that cannot be taken goes to the journey's check page (sending.refused_post)."""
    from testimonials.share.sending import refused_post  # the journey builds on this module
    story_form = ShareForm()
    if story_form.trap_filled():
        limits.count(limits.SUBMIT)
        return redirect(url_for(".received"), 303)
    # The service checks the chosen facility again inside the write.
    offered = offered_among(db.session(), story_form.facility.data)
    answers = read_share_form(story_form, offered, today())
    if answers is None:
        return refused_post(None, story_form)
    # The slow part, done before the write lock.
    checked = submissions.check(answers, db.session())
    token = submissions.form_token(secret_key(), story_form.nonce.data, checked.fingerprint)
    return store(story_form, answers, checked, token)


class Refused(enum.Enum):
    RETIRED = "the facility was retired a moment ago"
    LIMITED = "the address's limit of stories is reached"


class StoryRefused(Exception):
    """The story cannot be stored now; `reason` says why."""

    def __init__(self, reason: Refused) -> None:
        super().__init__(reason.value)
        self.reason = reason


def write_story(session: Session, answers: submissions.Answers, checked: submissions.Checked,
                token: str | None, places: limits.Places) -> submissions.Receipt:
    """The story added in the caller's writing block, or StoryRefused (the block rolls back).

    Both ways of sending (the journey's Send and the single POST) store through here. The
    limit is taken inside the write, once the service knows whether this is the same form
    sent again (a double tap): that is not a new story, and it never meets the limit.
    `places` is limits.places(limits.SUBMIT), read before the write began.
    """
    try:
        receipt = submissions.submit(session, answers, page_language(), utcnow(), checked, token)
    except submissions.SubmissionError:
        raise StoryRefused(Refused.RETIRED) from None
    if not receipt.resent and not limits.take(places):
        raise StoryRefused(Refused.LIMITED)
    return receipt


def store(story_form: ShareForm, answers: submissions.Answers,
          checked: submissions.Checked, token: str | None) -> ResponseReturnValue:
    """The story stored once and committed; the patient sent on to the receipt."""
    from testimonials.share.sending import refused_post, retired_error
    places = limits.places(limits.SUBMIT)
    try:
        # The form's reads are over; the story is on disk before the receipt.
        with db.writing(after_reads=True, durable=True) as session:
            receipt = write_story(session, answers, checked, token, places)
    except StoryRefused as refused:
        if refused.reason is Refused.RETIRED:
            return refused_post(None, story_form, errors=retired_error(None))
        return refused_post(None, story_form, status=429)
    if receipt.resent:  # the same form sent again: nothing new stored, the same receipt
        return redirect(url_for(".receipt", token=receipt.token), 303)
    if receipt.is_recent_duplicate:
        return redirect(url_for(".duplicate"), 303)
    # An urgent story's alert goes out once this response is sent (testimonials.alerts).
    return redirect(url_for(".receipt", token=receipt.token), 303)


@bp.get("/share/received")
def received() -> str:
    """The thanks a robot gets for filling in the honeypot: nothing was stored."""
    return render_template("share/received.html")


@bp.get("/share/already-received")
def duplicate() -> str:
    return render_template("share/duplicate.html")


@bp.get("/my/<token>/receipt")
def receipt(token: str) -> str:
    submission = submission_for(token)
    return render_template("share/receipt.html", submission=submission,
                           link=absolute_url("share.status", token=token),
                           status_href=url_for(".status", token=token), errors=[],
                           link_form=LinkForm(data={"email": submission.email or ""}))


def csrf_expired(form: FlaskForm) -> bool:
    """Whether the form's CSRF token was missing or stale (views that check it themselves)."""
    return "csrf_token" in form and bool(form["csrf_token"].errors)


def submission_for(token: str) -> Submission:
    """The submission of a receipt token; 404 for an unknown one (and the miss is counted).

    Only misses count, and a token that is found is never refused: a patient on a shared
    network (a clinic, a library) keeps their link whatever others there have guessed.
    """
    found = submissions.find_by_token(db.session(), token)
    if found is not None:
        return found
    if not limits.allowed(limits.TOKEN_LOOKUP):
        abort(429)
    limits.count(limits.TOKEN_LOOKUP)
    # A page for a person (werkzeug's Response alone would say text/plain).
    abort(Response(render_template("share/unknown_link.html"), 404, mimetype="text/html"))


def secret_key() -> bytes:
    key = current_app.config["SECRET_KEY"]
    return key if isinstance(key, bytes) else str(key).encode("utf-8")


def today() -> dt.date:
    """Today where the site's patients are (the configured time zone)."""
    local: dt.datetime = to_user_timezone(utcnow())  # Flask-Babel leaves its return untyped
    return local.date()


def page_language() -> Language:
    locale = get_locale()
    code = locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]
    return Language(code) if code in {lang.value for lang in Language} else Language.EN

