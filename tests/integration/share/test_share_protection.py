"""CSRF, the rate limits and the token guessing limit, switched on as in production."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from share_helpers import STORY, TOKEN_IN_LOCATION
from sqlalchemy import func, select

from testimonials import create_app, db
from testimonials.models import Setting, Submission, utcnow
from testimonials.vocab import Status
from tests import builders

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                        r'|type="hidden" name="csrf_token" value="([^"]+)"'
                        r'|id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def guarded(database_url: str) -> Iterator[Flask]:
    """The app with CSRF and the limiter on, 2 stories an hour, 3 failed lookups an hour."""
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True,
                      "SUBMIT_RATE_LIMIT": "2 per hour", "TOKEN_LOOKUP_RATE_LIMIT": "3 per hour"})
    with app.app_context():
        builders.facility(db.session())
        db.session().commit()
    yield app
    app.extensions["waitline.engine"].dispose()


def csrf_token(client: FlaskClient, path: str = "/share") -> str:
    page = client.get(path).get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    assert found, "no CSRF field on " + path
    return next(group for group in found.groups() if group)


def story(n: int, **changes: Any) -> dict[str, Any]:
    return {"story": f"{STORY} Number {n}.", "reporter": "patient", "consent_stats": "y",
            **changes}


WAITING = {"intake-state": "waiting", "intake-amount": "2", "intake-unit": "weeks"}


def stored(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Submission)) or 0


def test_missing_csrf_token_brings_the_form_back_filled_in(guarded: Flask) -> None:
    client = guarded.test_client()
    client.get("/share")
    response = client.post("/share", data=story(1, title="Kept title"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired, please send the form again." in page
    assert "I waited &lt;3 months &amp; cried" in page and 'value="Kept title"' in page
    assert CSRF_FIELD.search(page)  # a fresh token, so sending again works
    assert stored(guarded) == 0


def test_expired_session_then_resend_is_stored_once(guarded: Flask) -> None:
    client = guarded.test_client()
    token = csrf_token(client)
    client.delete_cookie("waitline_session")  # the session cookie is gone: token is stale
    first = client.post("/share", data=story(1, csrf_token=token))
    assert first.status_code == 400 and stored(guarded) == 0
    fresh = CSRF_FIELD.search(first.get_data(as_text=True))
    assert fresh is not None
    again = client.post("/share", data=story(1, csrf_token=next(g for g in fresh.groups() if g)))
    assert again.status_code == 303 and stored(guarded) == 1


def test_post_routes_under_my_refuse_a_missing_token(guarded: Flask) -> None:
    client = guarded.test_client()
    response = client.post("/share", data=story(1, csrf_token=csrf_token(client), **WAITING))
    found = TOKEN_IN_LOCATION.search(response.headers["Location"])
    assert found
    token = found.group(1)
    for path in (f"/my/{token}/edit", f"/my/{token}/wait-ended", f"/my/{token}/withdraw"):
        refused = client.post(path, data=story(2, **{"intake-amount": "2",
                                                     "intake-unit": "days"}))
        assert refused.status_code == 400, path
    assert "Waiting for a moderator" in client.get(f"/my/{token}").get_data(as_text=True)


def receipt_token(client: FlaskClient, **changes: Any) -> str:
    response = client.post("/share", data=story(1, csrf_token=csrf_token(client), **changes))
    found = TOKEN_IN_LOCATION.search(response.headers["Location"])
    assert found
    return found.group(1)


def test_expired_token_on_wait_ended_keeps_the_answer(guarded: Flask) -> None:
    client = guarded.test_client()
    token = receipt_token(client, **WAITING)
    form = csrf_token(client, f"/my/{token}/wait-ended")
    client.delete_cookie("waitline_session")  # the session cookie is gone: token is stale
    refused = client.post(f"/my/{token}/wait-ended", data={
        "csrf_token": form, "intake-amount": "7", "intake-unit": "weeks"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Your session expired, please send the form again." in page
    assert 'value="7"' in page and '<option value="weeks" selected>' in page
    fresh = CSRF_FIELD.search(page)
    assert fresh is not None
    again = client.post(f"/my/{token}/wait-ended", data={
        "csrf_token": next(g for g in fresh.groups() if g), "intake-amount": "7",
        "intake-unit": "weeks"})
    assert again.status_code == 303
    with guarded.app_context():
        (wait,) = db.session().scalars(select(Submission)).one().waits
        assert wait.days == 49


def test_expired_token_on_withdraw_says_so_and_keeps_the_story(guarded: Flask) -> None:
    client = guarded.test_client()
    token = receipt_token(client)
    form = csrf_token(client, f"/my/{token}/withdraw")
    client.delete_cookie("waitline_session")
    refused = client.post(f"/my/{token}/withdraw", data={"csrf_token": form})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Your session expired" in page and "Withdraw and erase my story" in page
    fresh = CSRF_FIELD.search(page)
    assert fresh is not None
    with guarded.app_context():
        assert db.session().scalars(select(Submission)).one().status is Status.PENDING
    done = client.post(f"/my/{token}/withdraw",
                       data={"csrf_token": next(g for g in fresh.groups() if g)})
    assert done.status_code == 303
    with guarded.app_context():
        assert db.session().scalars(select(Submission)).one().status is Status.WITHDRAWN


def test_admins_submit_limit_applies_at_once(guarded: Flask) -> None:
    with guarded.app_context():
        db.session().add(Setting(key="SUBMIT_RATE_LIMIT", value="1 per hour",
                                 updated_at=utcnow()))
        db.session().commit()
    client = guarded.test_client()
    assert client.post("/share", data=story(1, csrf_token=csrf_token(client))).status_code == 303
    refused = client.post("/share", data=story(2, csrf_token=csrf_token(client)))
    assert refused.status_code == 429 and stored(guarded) == 1


def test_limited_crisis_story_comes_back_with_the_crisis_help(guarded: Flask) -> None:
    client = guarded.test_client()
    for n in range(2):
        client.post("/share", data=story(n, csrf_token=csrf_token(client)))
    refused = client.post("/share", data=story(3, csrf_token=csrf_token(client),
                                               title="I want to end my life"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "You do not have to wait to talk to someone" in page


def test_double_tap_after_the_limit_still_leads_to_the_receipt(guarded: Flask) -> None:
    client = guarded.test_client()
    client.post("/share", data=story(0, csrf_token=csrf_token(client)))
    data = story(1, csrf_token=csrf_token(client), nonce=secrets.token_urlsafe(24))
    first = client.post("/share", data=data)
    second = client.post("/share", data=data)  # the limit of 2 is used up by now
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert stored(guarded) == 2


def test_submit_limit_counts_stories_and_keeps_the_one_refused(guarded: Flask) -> None:
    client = guarded.test_client()
    for _ in range(3):  # invalid forms do not count
        client.post("/share", data={"story": "short", "csrf_token": csrf_token(client)})
    for n in range(2):
        sent = client.post("/share", data=story(n, csrf_token=csrf_token(client)))
        assert sent.status_code == 303
    refused = client.post("/share", data=story(9, title="Mine", csrf_token=csrf_token(client)))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Your story is still here" in page
    assert "Number 9." in page and 'value="Mine"' in page
    assert refused.headers["Cache-Control"] == "no-store"
    assert stored(guarded) == 2


def test_guessing_tokens_is_limited_per_address(guarded: Flask) -> None:
    client = guarded.test_client()
    for n in range(3):
        assert client.get(f"/my/guess{n:040d}").status_code == 404
    assert client.get("/my/guess-four").status_code == 429
    other = guarded.test_client()
    assert other.get("/my/guess", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 404


def test_a_valid_receipt_link_is_never_refused_and_never_counted(guarded: Flask) -> None:
    client = guarded.test_client()
    response = client.post("/share", data=story(1, csrf_token=csrf_token(client)))
    token = response.headers["Location"].split("/my/")[1].split("/")[0]
    for _ in range(5):  # more visits than the 3 misses allowed: found tokens do not count
        assert client.get(f"/my/{token}").status_code == 200
    for n in range(3):  # a shared network's strangers use up the misses...
        assert client.get(f"/my/guess{n:040d}").status_code == 404
    assert client.get("/my/guess-four").status_code == 429
    # ...and the patient's own link still opens, from the same address.
    assert client.get(f"/my/{token}").status_code == 200
    assert client.get(f"/my/{token}/complaint").status_code == 200


def test_rate_limit_storage_down_lets_patients_through(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing",
                      "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    client = app.test_client()
    response = client.post("/share", data=story(1))
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    app.extensions["waitline.engine"].dispose()
