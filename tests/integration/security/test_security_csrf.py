"""CSRF on every POST route, found by walking the URL map (a new route cannot escape): each of
the site's own forms, sent as its page would send it but without the token (or with another
session's), answers 4xx and changes nothing in the database."""

from __future__ import annotations

import pytest
from flask import Flask
from security_helpers import PASSWORD, Arranged, checksum, csrf_of, forms_of, sign_in, urls_for

from tests.integration.hostile.hostile_corpus import share_fields

# Pages where the site's forms live; every POST route's forms are taken from them.
FORM_PAGES = ["/share", "/my/{token}/edit", "/my/{token}/wait-ended", "/my/{token}/withdraw",
              "/moderate/", "/moderate/{submission_id}", "/moderate/alerts",
              "/moderate/set-password/{invite_token}", "/admin/accounts", "/admin/facilities",
              "/admin/facilities/{facility_id}", "/admin/settings", "/moderate/login"]


def bodies_by_action(client, things: Arranged) -> dict[str, list[dict[str, str]]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[dict[str, str]]] = {}
    for template in FORM_PAGES:
        path = template.format(**vars(things))
        page = client.get(path)
        for action, fields in forms_of(page.get_data(as_text=True)):
            fields.pop("csrf_token", None)
            found.setdefault(action or path, []).append(fields)  # no action: the page itself
    # What a real person would send, so that only the missing token can stop it.
    found["/share"] = [share_fields("A story for the CSRF test", 1)]
    for fields in found.get(f"/my/{things.token}/edit", []):
        fields["story"] = fields.get("story", "") + " And one more thing."
    found[f"/my/{things.token}/wait-ended"] = [{"first_return-amount": "5",
                                                "first_return-unit": "months"}]
    for fields in found.get(f"/moderate/{things.submission_id}/decide", []):
        if fields.get("action") == "reject":
            fields["reason"] = "Please send it again without the name."
    return found


def test_every_post_route_refuses_a_request_without_its_token(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    client = strict.test_client()
    sign_in(strict, client)  # an admin: nothing but the token stands in the way
    posts = [rule for rule in strict.url_map.iter_rules() if "POST" in (rule.methods or ())]
    assert len(posts) >= 15
    bodies = bodies_by_action(client, things)
    before = checksum(strict)
    tried = 0
    for rule in posts:
        for url in urls_for(rule, things):
            for body in bodies.get(url, [{}]):
                response = client.post(url, data=body)
                assert 400 <= response.status_code < 500, (url, body, response.status_code)
                assert checksum(strict) == before, f"{url} changed the database without a token"
                tried += 1
    assert tried >= len(posts)
    # The forms really were the site's: approve, reject and spam of the pending story.
    assert len(bodies[f"/moderate/{things.submission_id}/decide"]) >= 3


def test_another_sessions_token_does_not_work(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    mallory = strict.test_client()
    stolen = csrf_of(mallory.get("/share").get_data(as_text=True))
    victim = strict.test_client()
    sign_in(strict, victim)
    review = victim.get(f"/moderate/{things.submission_id}").get_data(as_text=True)
    before = checksum(strict)
    for action, fields in forms_of(review):
        if action.endswith("/decide"):
            fields["csrf_token"] = stolen
            fields["reason"] = "Forged."
            response = victim.post(action, data=fields)
            assert response.status_code == 400
    assert checksum(strict) == before


def test_with_its_token_the_same_form_goes_through(strict: Flask, things: Arranged) -> None:  # type: ignore[no-untyped-def]
    """The control: the body the walk sends is a real one; only the token was missing."""
    client = strict.test_client()
    form = share_fields("A story for the CSRF control", 2)
    form["csrf_token"] = csrf_of(client.get("/share").get_data(as_text=True))
    before = checksum(strict)
    response = client.post("/share", data=form)
    assert response.status_code == 303
    assert checksum(strict) != before


@pytest.mark.parametrize("path", ["/share", "/moderate/login"])
def test_an_expired_form_comes_back_filled_in(strict: Flask, path: str) -> None:  # type: ignore[no-untyped-def]
    client = strict.test_client()
    client.get(path)
    data = share_fields("Kept when the token is gone", 3) if path == "/share" else \
        {"email": "someone@example.org", "password": "x"}
    response = client.post(path, data=data | {"csrf_token": "expired"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    if path == "/share":
        assert "Kept when the token is gone" in page  # the story is never lost


# Methods that are never CSRF-checked (HEAD, OPTIONS) or that no route of ours takes.
OTHER_METHODS = ["HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]


def test_no_method_but_a_checked_post_changes_anything(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged) -> None:
    """Every rule, every other method, with every body the site's forms send (in the body and
    in the query string): the database is unchanged, whoever sends it."""
    client = strict.test_client()
    sign_in(strict, client)  # a signed-in admin: the alerts and admin forms are in reach
    bodies = bodies_by_action(client, things)
    bodies["/moderate/alerts"] = [{"urgent": "yes", "digest": "yes"}, {}]
    for rule in strict.url_map.iter_rules():  # what a GET computes and keeps (a stats release)
        if "GET" in (rule.methods or ()):
            for url in urls_for(rule, things):
                client.get(url)
    before = checksum(strict)
    tried = 0
    for rule in strict.url_map.iter_rules():
        for url in urls_for(rule, things):
            for body in bodies.get(url, [{}]):
                for method in OTHER_METHODS:
                    response = client.open(url, method=method, data=body, query_string=body)
                    assert response.status_code < 500, (method, url, response.status_code)
                    tried += 1
                # Once per address and body, after its five methods rather than after each:
                # the checksum was a third of this test's time (issue 19). A change still
                # fails here, naming the address and body; the methods are these five.
                assert checksum(strict) == before, (
                    f"{' or '.join(OTHER_METHODS)} {url} {body} changed the database")
    assert tried >= 5 * len(list(strict.url_map.iter_rules()))


@pytest.mark.parametrize("method", OTHER_METHODS)
def test_no_method_but_a_checked_post_signs_anyone_in(  # type: ignore[no-untyped-def]
        strict: Flask, things: Arranged, method: str) -> None:
    client = strict.test_client()
    credentials = {"email": "sec-admin@example.org", "password": PASSWORD}
    client.open("/moderate/login", method=method, data=credentials, query_string=credentials)
    # No password step was passed: the code page sends the visitor back to sign in.
    response = client.get("/moderate/login/code")
    assert response.status_code == 302 and "/moderate/login" in response.headers["Location"]
