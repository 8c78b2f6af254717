"""Reviewing and deciding: the original beside the public version, the decisions, the race."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import Person, make_account, sign_in, version_of
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Account, AuditEntry, Submission, utcnow
from testimonials.services import moderation, statistics
from testimonials.vocab import Flag, Role, Status, WaitKind, WaitState
from tests import builders

STORY = ("I waited <3 months & cried. My therapist Dr. Maria Lopez said to call 510-555-0199 "
         "or write to ana.perez@example.com, but nobody answered for weeks.")


def _pending(session: Session, **fields: object) -> Submission:
    item = builders.submission(session, story=fields.pop("story", STORY), **fields)
    session.commit()
    return item


def _decide(client: FlaskClient, item: Submission, action: str, **form: str) -> object:
    page = client.get(f"/moderate/{item.id}").get_data(as_text=True)
    data = {"action": action, "version": version_of(page), **form}
    return client.post(f"/moderate/{item.id}/decide", data=data)


def _fresh(session: Session, item: Submission) -> None:
    """Read the item as committed now (a read transaction keeps its snapshot on SQLite)."""
    session.rollback()
    session.refresh(item)


def _stats_exact(session: Session) -> bool:
    session.rollback()
    return statistics.stored_cells(session) == statistics.recount(session)


def test_the_original_is_escaped_and_its_personal_data_marked(mod_client: FlaskClient,
                                                              session: Session) -> None:
    item = _pending(session)
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert "I waited &lt;3 months &amp; cried." in page
    assert '<mark class="match match-phone">510-555-0199</mark>' in page
    assert '<mark class="match match-email">ana.perez@example.com</mark>' in page
    assert '<mark class="match match-name">Dr. Maria Lopez</mark>' in page
    # The editable public version starts as the original, escaped inside the textarea.
    assert '<textarea id="public_story" name="public_story" rows="14">I waited &lt;3 months' in page


def test_the_answers_are_readable_at_a_glance(mod_client: FlaskClient, session: Session) -> None:
    item = _pending(session, waits={WaitKind.INTAKE: (WaitState.ENDED, 40),
                                    WaitKind.PSYCHIATRY: (WaitState.WAITING, 5)},
                    consent_publish=False, consent_stats=True)
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert "First (intake) appointment" in page and "Over the standard" in page
    assert "Within the standard" in page
    assert "Publish the story: <strong>no</strong>" in page
    assert "Count the answers in the statistics: <strong>yes</strong>" in page
    assert "approving keeps it off the site" in page


def test_approve_publishes_the_edited_text_and_counts_it(mod_client: FlaskClient,
                                                         session: Session) -> None:
    item = _pending(session)
    response = _decide(mod_client, item, "approve", public_title="Months <waiting>",
                       public_story="I waited <3 months & cried. <b>Nobody</b> answered.",
                       confirm_personal_data="yes")
    assert response.status_code == 302
    _fresh(session, item)
    assert item.status is Status.APPROVED and item.published_at is not None
    assert item.public_story == "I waited <3 months & cried. Nobody answered."
    assert item.public_title == "Months"  # markup stripped, as on the way in
    assert item.original_story == STORY  # kept for moderators only
    assert item.counted_in_stats and _stats_exact(session)


def test_approve_without_consent_neither_publishes_nor_counts(mod_client: FlaskClient,
                                                              session: Session) -> None:
    item = _pending(session, consent_publish=False, consent_stats=False,
                    story="I waited four months for a return appointment, every week I called.")
    assert _decide(mod_client, item, "approve", public_title="t",
                   public_story="I waited four months.").status_code == 302
    _fresh(session, item)
    assert item.status is Status.APPROVED
    assert item.published_at is None and not item.counted_in_stats
    assert _stats_exact(session)


def test_approving_personal_data_asks_first(mod_client: FlaskClient, session: Session) -> None:
    item = _pending(session)
    response = _decide(mod_client, item, "approve", public_title="", public_story=STORY)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "still looks like it has personal data" in page
    assert 'name="confirm_personal_data" value="yes"' in page
    _fresh(session, item)
    assert item.status is Status.PENDING


def test_reject_needs_a_reason_and_keeps_what_was_typed(mod_client: FlaskClient,
                                                        session: Session) -> None:
    item = _pending(session)
    response = _decide(mod_client, item, "reject", reason="  ", public_story="my edit")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#reason">Enter the reason the patient will read.' in page
    assert ">my edit</textarea>" in page
    assert _decide(mod_client, item, "reject",
                   reason="Please leave out names & numbers <3").status_code == 302
    _fresh(session, item)
    assert item.status is Status.REJECTED
    assert item.decision_reason == "Please leave out names & numbers <3"


def test_spam_and_unpublish_and_return_to_queue(mod_client: FlaskClient,
                                                session: Session) -> None:
    spam = _pending(session, story="Buy cheap pills now at our wonderful online pharmacy!!!")
    assert _decide(mod_client, spam, "spam").status_code == 302
    _fresh(session, spam)
    assert spam.status is Status.SPAM and not spam.counted_in_stats
    published = builders.submission(session, status=Status.APPROVED)
    session.commit()
    assert _decide(mod_client, published, "unpublish").status_code == 302
    _fresh(session, published)
    assert published.status is Status.APPROVED and published.published_at is None
    assert published.counted_in_stats  # still in the statistics it consented to
    assert _decide(mod_client, published, "requeue").status_code == 302
    _fresh(session, published)
    assert published.status is Status.PENDING and not published.counted_in_stats
    assert _stats_exact(session)


def test_unpublish_reason_is_kept_for_the_patient(mod_client: FlaskClient,
                                                 session: Session) -> None:
    published = builders.submission(session, status=Status.APPROVED)
    session.commit()
    page = mod_client.get(f"/moderate/{published.id}").get_data(as_text=True)
    assert 'id="unpublish-reason" name="reason"' in page
    assert _decide(mod_client, published, "unpublish",
                   reason="It names a nurse & her clinic.").status_code == 302
    _fresh(session, published)
    assert published.published_at is None
    assert published.decision_reason == "It names a nurse & her clinic."


def _audited_actions(session: Session, item: Submission) -> list[str]:
    return list(session.scalars(select(AuditEntry.action)
                                .where(AuditEntry.submission_id == item.id)))


def test_unpublish_refuses_a_reason_too_long_rather_than_cutting_it(moderator: Person,
                                                                    session: Session) -> None:
    published = builders.submission(session, status=Status.APPROVED)
    session.commit()
    actor = session.get(Account, moderator.id)
    assert actor is not None
    with pytest.raises(moderation.ModerationError) as refused:
        moderation.unpublish(session, published, actor, utcnow(), version=published.version,
                             note="a" * (moderation.REASON_MAX + 1))
    assert refused.value.code == "reason_too_long"
    session.rollback()
    _fresh(session, published)
    assert published.published_at is not None and published.decision_reason is None
    assert _audited_actions(session, published) == []
    # Measured once cleaned, as a rejection's reason: markup and spaces around do not count.
    whole = "a" * moderation.REASON_MAX
    moderation.unpublish(session, published, actor, utcnow(), version=published.version,
                         note=f"  <b>{whole}</b>\n")
    session.commit()
    _fresh(session, published)
    assert published.published_at is None and published.decision_reason == whole


def test_an_unpublish_reason_too_long_is_refused_and_kept_in_the_box(mod_client: FlaskClient,
                                                                     session: Session) -> None:
    published = builders.submission(session, status=Status.APPROVED)
    session.commit()
    typed = "It names a nurse & her clinic. " * 70  # 2,170 characters
    response = _decide(mod_client, published, "unpublish", reason=typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#unpublish-reason">The reason must be 2,000 characters or fewer.' in page
    assert '<p class="field-error" id="unpublish-reason-error">' in page
    box = typed.replace("&", "&amp;")
    assert (f'aria-describedby="unpublish-reason-hint unpublish-reason-error">{box}</textarea>'
            in page)
    _fresh(session, published)
    assert published.published_at is not None and published.decision_reason is None
    assert _audited_actions(session, published) == []


def test_a_decision_leads_to_the_next_item(mod_client: FlaskClient, session: Session) -> None:
    first = _pending(session, story="The first story, long enough to be a story of waiting.")
    second = _pending(session, story="The second story, long enough to be a story of waiting.")
    response = _decide(mod_client, first, "approve", public_title="",
                       public_story=first.original_story or "")
    assert response.headers["Location"] == f"/moderate/{second.id}"
    last = _decide(mod_client, second, "spam")
    assert last.headers["Location"] == "/moderate/"


def test_two_moderators_at_once_the_second_is_told(app: Flask, mod_client: FlaskClient,
                                                   session: Session) -> None:
    other = make_account(app, "other@example.org", Role.MODERATOR)
    second = app.test_client()
    sign_in(app, second, other)
    item = _pending(session, story="Waited half a year for my son's first appointment there.")
    # Both open the item and read the same version: the second is warned that the first is
    # reviewing it (a claim), and chooses to continue.
    first_version = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    assert "Being reviewed by mod@example.org" in \
        second.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert second.post(f"/moderate/{item.id}/claim").status_code == 302
    second_version = version_of(second.get(f"/moderate/{item.id}").get_data(as_text=True))
    assert first_version == second_version
    approved = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": first_version, "public_title": "Half a year",
        "public_story": "Waited half a year for a first appointment."})
    assert approved.status_code == 302
    late = second.post(f"/moderate/{item.id}/decide", data={
        "action": "reject", "version": second_version, "reason": "Too short."})
    assert late.status_code == 409
    assert "Someone else decided this item while you were reading" in late.get_data(as_text=True)
    _fresh(session, item)
    assert item.status is Status.APPROVED and item.decision_reason is None
    assert item.public_story == "Waited half a year for a first appointment."
    actions = session.scalars(select(AuditEntry.action)
                              .where(AuditEntry.submission_id == item.id)).all()
    assert actions == ["claim", "claim.take_over", "approve"]


def test_a_write_racing_past_the_check_fails_on_the_version(app: Flask, moderator: Person,
                                                            session: Session) -> None:
    """Both read version 1 before either writes: the database's version check stops the second."""
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite: the decide view takes the write lock before it reads (BEGIN "
                    "IMMEDIATE), so two decisions never interleave; the explicit check covers it")

    item = _pending(session, story="Waited half a year for my son's first appointment there.")
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as first, maker() as second:
        mine, theirs = first.get(Submission, item.id), second.get(Submission, item.id)
        actor = first.get(Account, moderator.id)
        assert mine is not None and theirs is not None and actor is not None
        version = mine.version
        moderation.approve(first, mine, actor, utcnow(), version=version, title="t",
                           story="Waited half a year.")
        first.commit()
        try:
            moderation.reject(second, theirs, actor, utcnow(), version=version, reason="No.")
        except moderation.Conflict:
            second.rollback()
        else:
            raise AssertionError("the stale write was not refused")
    _fresh(session, item)
    assert item.status is Status.APPROVED


def test_keyboard_shortcuts_are_shown(mod_client: FlaskClient, session: Session) -> None:
    item = _pending(session)
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert "Keys: a a approve" in page
    assert 'data-key="a"' in page and 'data-focus-key="r"' in page and 'data-key="s"' in page
    assert re.search(r'src="/static/js/moderate\.[0-9a-f]{12}\.js"', page)


def test_the_urgent_flag_is_shown_on_review(mod_client: FlaskClient, session: Session) -> None:
    item = _pending(session, is_urgent=True, flags=int(Flag.CRISIS),
                    story="Some nights I think about suicide while I wait for the call back.")
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert "Crisis language" in page
    assert '<mark class="match match-crisis">suicide</mark>' in page


def test_an_unknown_item_is_not_found(mod_client: FlaskClient) -> None:
    assert mod_client.get("/moderate/999999").status_code == 404


def _patient_edits(session: Session, item: Submission, story: str) -> None:
    """The patient changes the story meanwhile (the version goes up, as with /my/<token>)."""
    _fresh(session, item)
    item.original_story, item.public_title, item.public_story = story, None, None
    session.commit()


def test_a_patient_edit_before_the_personal_data_question_is_not_overwritten(
        mod_client: FlaskClient, session: Session) -> None:
    item = _pending(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    _patient_edits(session, item, "I changed my mind about the names: please read this one.")
    asked = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": read, "public_title": "", "public_story": STORY})
    assert asked.status_code == 409
    page = asked.get_data(as_text=True)
    assert "changed while you were reviewing it; here is the new version" in page
    assert "Someone else decided" not in page  # it is still pending
    assert "still looks like it has personal data" not in page
    confirmed = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": read, "public_title": "", "public_story": STORY,
        "confirm_personal_data": "yes"})
    assert confirmed.status_code == 409
    _fresh(session, item)
    assert item.status is Status.PENDING and item.public_story is None
    assert item.original_story == "I changed my mind about the names: please read this one."


def test_the_personal_data_question_carries_the_version_read(mod_client: FlaskClient,
                                                             session: Session) -> None:
    item = _pending(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    asked = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": read, "public_title": "", "public_story": STORY})
    assert asked.status_code == 200 and version_of(asked.get_data(as_text=True)) == read
    _patient_edits(session, item, "A new version of my story, with no names in it at all.")
    confirmed = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "approve", "version": read, "public_title": "", "public_story": STORY,
        "confirm_personal_data": "yes"})
    assert confirmed.status_code == 409
    _fresh(session, item)
    assert item.status is Status.PENDING and item.public_story is None


def test_a_refused_form_carries_the_version_read(mod_client: FlaskClient,
                                                 session: Session) -> None:
    item = _pending(session)
    read = version_of(mod_client.get(f"/moderate/{item.id}").get_data(as_text=True))
    refused = mod_client.post(f"/moderate/{item.id}/decide", data={
        "action": "reject", "version": read, "reason": " ", "public_story": "my edit"})
    assert refused.status_code == 400 and version_of(refused.get_data(as_text=True)) == read


def test_saving_an_unpublished_story_keeps_it_off_the_site(mod_client: FlaskClient,
                                                           session: Session) -> None:
    item = builders.submission(session, status=Status.APPROVED)
    session.commit()
    assert _decide(mod_client, item, "unpublish").status_code == 302
    page = mod_client.get(f"/moderate/{item.id}").get_data(as_text=True)
    assert "saving the public version keeps it off the site" in page
    assert "Approving publishes this story." not in page
    saved = _decide(mod_client, item, "approve", public_title="Edited later",
                    public_story="A calmer public version, written after it was taken down.")
    assert saved.status_code == 302
    _fresh(session, item)
    assert item.status is Status.APPROVED and item.published_at is None
    assert item.public_story == "A calmer public version, written after it was taken down."


def test_saving_a_published_story_keeps_its_date(mod_client: FlaskClient,
                                                 session: Session) -> None:
    item = builders.submission(session, status=Status.APPROVED)
    session.commit()
    published_at = item.published_at
    assert published_at is not None
    assert _decide(mod_client, item, "approve", public_title="Edited",
                   public_story="A public version edited after publication.").status_code == 302
    _fresh(session, item)
    assert item.published_at == published_at
