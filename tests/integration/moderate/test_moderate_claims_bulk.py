"""Claims (two moderators never read the same item unless one chooses to) and bulk spam and
rejection (never an item flagged for personal data or crisis; one transaction; audited)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from moderate_helpers import make_account, sign_in
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from testimonials.models import (
    AuditEntry,
    Claim,
    ModeratorNote,
    RejectionReason,
    Submission,
    SubmissionTheme,
    TextSignature,
    Theme,
    utcnow,
)
from testimonials.services import submissions
from testimonials.vocab import Flag, Language, Reporter, Role, Status
from tests import builders


def _items(app: Flask, count: int, **fields: object) -> list[int]:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        ids = [builders.submission(session, **fields).id for _ in range(count)]
        session.commit()
        return ids


def _second(app: Flask) -> FlaskClient:
    other = make_account(app, "second@example.org", Role.MODERATOR)
    client = app.test_client()
    sign_in(app, client, other)
    return client


def test_an_opened_item_is_shown_to_others_as_being_reviewed(
        app: Flask, mod_client: FlaskClient) -> None:
    first, second_item = _items(app, 2)
    assert mod_client.get(f"/moderate/{first}").status_code == 200
    other = _second(app)
    queue = other.get("/moderate/").get_data(as_text=True)
    assert "Being reviewed by mod@example.org" in queue
    warning = other.get(f"/moderate/{first}").get_data(as_text=True)
    assert "Being reviewed by mod@example.org" in warning and 'id="take-over"' in warning
    assert 'name="public_story"' not in warning  # the item is not shown until they choose
    # "Next unclaimed item" passes it by.
    response = other.get("/moderate/next")
    assert response.headers["Location"].endswith(f"/moderate/{second_item}")


def test_continuing_on_a_claimed_item_takes_it_over_and_is_logged(
        app: Flask, mod_client: FlaskClient) -> None:
    (item,) = _items(app, 1)
    mod_client.get(f"/moderate/{item}")
    other = _second(app)
    response = other.post(f"/moderate/{item}/claim")
    assert response.status_code == 302
    assert 'name="public_story"' in other.get(f"/moderate/{item}").get_data(as_text=True)
    assert "Being reviewed by second@example.org" in \
        mod_client.get(f"/moderate/{item}").get_data(as_text=True)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.submission_id == item).order_by(AuditEntry.id)).all()
        assert actions == ["claim", "claim.take_over"]


def test_a_claim_lapses_by_itself(app: Flask, mod_client: FlaskClient) -> None:
    (item,) = _items(app, 1)
    mod_client.get(f"/moderate/{item}")
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        session.execute(update(Claim).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
        session.commit()
    other = _second(app)
    assert "Being reviewed" not in other.get("/moderate/").get_data(as_text=True)
    assert 'name="public_story"' in other.get(f"/moderate/{item}").get_data(as_text=True)


def test_a_kept_queue_page_shows_a_claim_at_once_and_drops_it_when_it_lapses(
        app: Flask, mod_client: FlaskClient) -> None:
    (item,) = _items(app, 1)
    other = _second(app)
    other.get("/moderate/")
    assert "Being reviewed" not in other.get("/moderate/").get_data(as_text=True)  # kept
    mod_client.get(f"/moderate/{item}")
    assert "Being reviewed by mod@example.org" in other.get("/moderate/").get_data(as_text=True)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        session.execute(update(Claim).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
        session.commit()
    assert "Being reviewed" not in other.get("/moderate/").get_data(as_text=True)


def test_a_kept_queue_page_reads_the_claims_in_the_accounts_own_statement(
        app: Flask, mod_client: FlaskClient) -> None:
    """One round trip for the whole of a kept page on PostgreSQL (the bench's queue line)."""
    (item,) = _items(app, 1)
    _second(app).get(f"/moderate/{item}")  # a live claim, so that its columns are read
    mod_client.get("/moderate/")
    mod_client.get("/moderate/")  # kept from here on
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    engine = app.extensions["waitline.engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = mod_client.get("/moderate/").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert "Being reviewed by second@example.org" in page
    reads = [s for s in statements if "claim" in s or "account_session" in s]
    assert len(reads) == 1 and "claim" in reads[0] and "account_session" in reads[0]


def _place(app: Flask) -> int:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        place = builders.facility(session, name="Spam Clinic")
        session.commit()
        return place.id


def test_bulk_spam_over_a_filter_leaves_flagged_items_and_names_the_count(
        app: Flask, mod_client: FlaskClient) -> None:
    place = _place(app)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        plain = [builders.submission(session, facility_id=place).id for _ in range(30)]
        personal = builders.submission(session, facility_id=place,
                                       flags=int(Flag.PERSONAL_DATA)).id
        crisis = builders.submission(session, facility_id=place, flags=int(Flag.CRISIS),
                                     is_urgent=True).id
        elsewhere = builders.submission(session).id
        session.commit()
    queue = mod_client.get(f"/moderate/?facility={place}").get_data(as_text=True)
    assert "All 32 items matching these filters" in queue
    page = mod_client.get(f"/moderate/bulk?facility={place}&scope=all&action=spam")
    text = page.get_data(as_text=True)
    assert "Mark 30 items as spam?" in text
    assert "2 items flagged for personal data or crisis language were left" in text
    ids = [("id", str(item)) for item in plain]
    response = mod_client.post("/moderate/bulk", data=MultiDict([("action", "spam"),
                                                                   ("facility", str(place)), *ids]))
    assert response.status_code == 302
    with maker() as session:
        statuses = dict(session.execute(select(Submission.id, Submission.status)).all())
        assert all(statuses[item] is Status.SPAM for item in plain)
        assert statuses[personal] is statuses[crisis] is statuses[elsewhere] is Status.PENDING
        logged = session.scalar(select(func.count()).where(AuditEntry.action == "spam",
                                                           AuditEntry.subject == "bulk:30"))
        assert logged == 30


def test_bulk_never_approves(mod_client: FlaskClient, app: Flask) -> None:
    (item,) = _items(app, 1)
    assert mod_client.get(f"/moderate/bulk?action=approve&id={item}").status_code == 400
    assert mod_client.post("/moderate/bulk", data={"action": "approve",
                                                   "id": str(item)}).status_code == 400


def test_bulk_rejection_gives_each_patient_the_reason_in_their_language(
        app: Flask, mod_client: FlaskClient) -> None:
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        english = builders.submission(session).id
        spanish = builders.submission(session, language=Language.ES).id
        reason = RejectionReason(text_en="This is an advertisement.",
                                 text_es="Esto es un anuncio.")
        session.add(reason)
        session.commit()
        reason_id = reason.id
    missing = mod_client.post("/moderate/bulk", data=MultiDict([
        ("action", "reject"), ("id", str(english)), ("reason", "")]))
    assert missing.status_code == 400 and "Choose a reason" in missing.get_data(as_text=True)
    done = mod_client.post("/moderate/bulk", data=MultiDict([
        ("action", "reject"), ("id", str(english)), ("id", str(spanish)),
        ("reason_id", str(reason_id))]))
    assert done.status_code == 302
    with maker() as session:
        reasons = dict(session.execute(select(Submission.id, Submission.decision_reason)).all())
        assert reasons == {english: "This is an advertisement.", spanish: "Esto es un anuncio."}


def test_a_story_sent_again_with_small_changes_is_flagged_with_the_earlier_one_linked(
        app: Flask, mod_client: FlaskClient) -> None:
    template = ("I am a patient of this health system and I waited more than three months for a "
                "return appointment with my therapist. The system must hire more therapists now.")
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        now = utcnow()
        first = submissions.submit(session, _answers(template), Language.EN, now).submission
        other = submissions.submit(session, _answers(
            "My daughter was sent to the emergency room twice because her psychiatrist had no "
            "openings until spring, and nobody called back."), Language.EN, now).submission
        again = submissions.submit(session, _answers(
            template.replace("three", "four").replace("now", "today")), Language.EN,
            now + dt.timedelta(days=2)).submission
        session.commit()
        assert again.has_flag(Flag.DUPLICATE) and not other.has_flag(Flag.DUPLICATE)
        first_id, again_id = first.id, again.id
    page = mod_client.get(f"/moderate/{again_id}").get_data(as_text=True)
    assert "Likely a near-duplicate of an earlier story" in page
    assert f'href="/moderate/{first_id}">#{first_id}</a>' in page
    # Withdrawal takes the signature with the words.
    with maker() as session:
        submissions.withdraw(session, session.get(Submission, first_id), utcnow())
        session.commit()
        assert session.scalar(select(func.count()).select_from(TextSignature)
                              .where(TextSignature.submission_id == first_id)) == 0


def _answers(story: str) -> submissions.Answers:
    return submissions.Answers(
        story=story, title=None, reporter=Reporter.PATIENT, facility_id=None,
        facility_other=None, care_types=0, outcomes=0, experience_month=None, waits=(),
        consent_publish=False, consent_stats=True, consent_share=False, consent_contact=False,
        display_name=None, email=None)


def test_notes_are_kept_with_their_author_and_erased_on_withdrawal(
        app: Flask, mod_client: FlaskClient) -> None:
    (item,) = _items(app, 1)
    assert mod_client.post(f"/moderate/{item}/notes", data={"note": ""}).status_code == 400
    assert mod_client.post(f"/moderate/{item}/notes",
                           data={"note": "Same wording as the union flyer."}).status_code == 302
    page = mod_client.get(f"/moderate/{item}").get_data(as_text=True)
    assert "Same wording as the union flyer." in page and "mod@example.org" in page
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        assert session.scalar(select(func.count()).where(AuditEntry.action == "note")) == 1
        submissions.withdraw(session, session.get(Submission, item), utcnow())
        session.commit()
        assert session.scalars(select(ModeratorNote.body)).all() == [None]


def test_moderators_tag_themes_and_the_change_is_logged(
        app: Flask, mod_client: FlaskClient) -> None:
    (item,) = _items(app, 1)
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        _themes(session)
        themes = {theme.slug: theme.id for theme in session.scalars(select(Theme))}
    chosen = MultiDict([("theme", str(themes["medication-gap"])),
                        ("theme", str(themes["child-or-teen"])), ("theme", "999999")])
    assert mod_client.post(f"/moderate/{item}/themes", data=chosen).status_code == 302
    with maker() as session:
        assert set(session.scalars(select(SubmissionTheme.theme_id))) == {
            themes["medication-gap"], themes["child-or-teen"]}
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "themes")).one()
        assert entry.after == {"themes": ["child-or-teen", "medication-gap"]}


def _themes(session: Session) -> None:
    """The migration's four themes (PostgreSQL tests start from emptied tables)."""
    for slug, english, spanish in (("medication-gap", "Medication gap", "Sin medicación"),
                                   ("child-or-teen", "Child or teen", "Niño o adolescente")):
        if session.scalar(select(Theme.id).where(Theme.slug == slug)) is None:
            session.add(Theme(slug=slug, name_en=english, name_es=spanish))
    session.commit()


def test_stories_older_than_the_index_are_signed_by_the_command(app: Flask) -> None:
    template = ("We waited five months for a first appointment for our son at the clinic and "
                "were told the waiting list was closed for new patients until next year.")
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        first = builders.submission(session, story=template).id
        short = builders.submission(session, story="Too long a wait.").id
        copy = builders.submission(session, story=template.replace("five", "six")).id
        session.commit()
    result = app.test_cli_runner().invoke(args=["duplicates", "index", "--batch", "2"])
    assert result.exit_code == 0 and "signed 3 stories" in result.output
    with maker() as session:
        assert session.get(Submission, copy).has_flag(Flag.DUPLICATE)  # type: ignore[union-attr]
        unflagged = session.get(Submission, short)
        assert unflagged is not None and not unflagged.has_flag(Flag.DUPLICATE)
        link = session.get(TextSignature, copy)
        assert link is not None and link.similar_to_id == first


def test_a_kept_reason_reaches_the_patient_in_their_language(
        app: Flask, mod_client: FlaskClient) -> None:
    from moderate_helpers import version_of

    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        item = builders.submission(session, language=Language.ES)
        reason = RejectionReason(text_en="It names a member of staff.",
                                 text_es="Nombra a una persona del personal.")
        session.add(reason)
        session.commit()
        item_id, reason_id = item.id, reason.id
        token = "token-" + (item.original_title or "").split()[-1]  # as tests.builders makes it
    page = mod_client.get(f"/moderate/{item_id}").get_data(as_text=True)
    assert "It names a member of staff." in page  # offered on the reject form
    response = mod_client.post(f"/moderate/{item_id}/decide", data={
        "action": "reject", "version": version_of(page), "reason_id": str(reason_id),
        "reason": ""})
    assert response.status_code == 302
    patient = app.test_client().get(f"/my/{token}").get_data(as_text=True)
    assert "Nombra a una persona del personal." in patient


def test_a_patient_edit_that_repeats_an_earlier_story_flags_it(app: Flask) -> None:
    template = ("We waited five months for a first appointment for our son at the clinic and "
                "were told the waiting list was closed for new patients until next year.")
    maker = app.extensions["waitline.sessionmaker"]
    with maker() as session:
        now = utcnow()
        first = submissions.submit(session, _answers(template), Language.EN, now).submission
        later = submissions.submit(session, _answers(
            "The psychiatrist left in March and nobody refilled my prescription for weeks, so "
            "I went without my medication until the emergency room saw me."), Language.EN,
            now).submission
        session.commit()
        assert not later.has_flag(Flag.DUPLICATE)
        assert submissions.edit(session, later, _answers(template.replace("five", "seven")),
                                now + dt.timedelta(hours=1))
        session.commit()
        assert later.has_flag(Flag.DUPLICATE)
        link = session.get(TextSignature, later.id)
        assert link is not None and link.similar_to_id == first.id
