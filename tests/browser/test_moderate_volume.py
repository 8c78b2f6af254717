"""Moderating at volume in a real browser: two moderators working the queue at once with
claims, a bulk spam action over a filtered queue of 200 items, themes set and filtered on,
and a near-duplicate flagged with the earlier item linked."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from testimonials import create_app, db, migrate
from testimonials.models import Submission, utcnow
from testimonials.services import submissions
from testimonials.vocab import Flag, Language, Reporter, Role, Status
from tests import builders
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.e2e.e2e_support import make_account, sign_in

pytestmark = pytest.mark.browser
MODERATOR, ADMIN = "volume.moderator@example.org", "volume.admin@example.org"
WAVE = 200  # a spam wave at one clinic
FLAGGED = 5  # in the wave, but flagged for personal data: never taken in bulk
TEMPLATE = ("I am a patient of this health system and I waited more than three months for a "
            "return appointment with my therapist. The system must hire more therapists now so "
            "that nobody waits this long again.")


@pytest.fixture(scope="module")
def volume_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("volume") / "waitline.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing",
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        migrate.upgrade(db.engine())
    # No statistics release: nothing here reads figures, and cutting one costs ~25 s of CPU.
    result = app.test_cli_runner().invoke(args=["demo", "load", "--count", "150", "--seed", "9",
                                                "--no-release"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = db.session()
        place = builders.facility(session, name="Template Clinic", city="Fresno",
                                  region="Central Valley")
        now = utcnow() - dt.timedelta(hours=3)
        for number in range(WAVE + FLAGGED):
            builders.submission(session, place=place, now=now + dt.timedelta(seconds=number),
                                story=f"Buy cheap watches at our shop, offer {number}!",
                                flags=int(Flag.PERSONAL_DATA) if number < FLAGGED else 0)
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SITE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(server, app)
    server.shutdown()
    app.extensions["waitline.engine"].dispose()


@pytest.fixture(scope="module")
def two_moderators(volume_server, browser) -> Iterator[tuple[object, object]]:  # type: ignore[no-untyped-def]
    """A moderator and an admin, signed in, each in a browser context of their own (enrolling
    a second factor is the moderation journey's to test: these accounts are enrolled)."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    sign_in(first, volume_server, make_account(volume_server, MODERATOR))
    sign_in(second, volume_server, make_account(volume_server, ADMIN, Role.ADMIN))
    yield first, second
    for context in contexts:
        context.close()


def _item_id(page) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r"/moderate/(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))


def test_two_moderators_work_the_queue_at_once_without_reading_the_same_item(  # type: ignore[no-untyped-def]
        volume_server, two_moderators) -> None:
    server, (first, second) = volume_server, two_moderators
    first.goto(server.url + "/moderate/")
    with first.expect_navigation():
        first.keyboard.press("n")  # the next unclaimed item: now theirs
    first.wait_for_url(re.compile(r"/moderate/\d+"))
    mine = _item_id(first)

    second.goto(server.url + "/moderate/")
    claimed_row = second.locator(".queue-item", has=second.locator(f"#pick-{mine}"))
    assert f"Being reviewed by {MODERATOR}" in claimed_row.inner_text()
    screenshot(second, "moderate-queue-claimed-desktop")
    with second.expect_navigation():
        second.keyboard.press("n")
    second.wait_for_url(re.compile(r"/moderate/\d+"))
    theirs = _item_id(second)
    assert theirs != mine  # "next unclaimed" passed the first moderator's item by

    # Opening the first moderator's item anyway: a warning, and a choice.
    second.goto(f"{server.url}/moderate/{mine}")
    assert f"Being reviewed by {MODERATOR}" in second.locator("#claimed-warning").inner_text()
    assert second.locator("textarea[name=public_story]").count() == 0
    screenshot(second, "moderate-claimed-warning-desktop")
    with second.expect_navigation():
        second.keyboard.press("c")  # taking over asks for the key twice
        second.keyboard.press("c")
    second.wait_for_url(re.compile(rf"/moderate/{mine}$"))
    assert second.locator("textarea[name=public_story]").count() == 1
    first.goto(server.url + "/moderate/")
    row = first.locator(".queue-item", has=first.locator(f"#pick-{mine}"))
    assert "Being reviewed by " + ADMIN in row.inner_text()


def _spam(server: LiveServer, place: int) -> int:
    with server.app.app_context():
        return db.session().scalar(select(func.count()).select_from(Submission).where(
            Submission.facility_id == place, Submission.status == Status.SPAM)) or 0


def test_a_spam_wave_of_200_is_cleared_in_one_bulk_action_by_keyboard(  # type: ignore[no-untyped-def]
        volume_server, two_moderators, capsys) -> None:
    server, (page, _second) = volume_server, two_moderators
    with server.app.app_context():
        from testimonials.models import Facility

        place = db.session().scalar(select(Facility.id).where(Facility.name == "Template Clinic"))
    page.goto(f"{server.url}/moderate/?facility={place}")
    assert f"All {WAVE + FLAGGED} items matching these filters" in page.content()
    started = time.perf_counter()
    page.keyboard.press("b")  # to "all matching"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # "Mark as spam…"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    heading = page.locator("#bulk-heading").inner_text()
    assert heading == f"Mark {WAVE} items as spam?"
    assert f"{FLAGGED} items flagged for personal data or crisis language were left" in \
        page.locator("#bulk-left").inner_text()
    screenshot(page, "moderate-bulk-confirm-desktop")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the confirmation has the focus
    page.wait_for_load_state("load")
    elapsed = time.perf_counter() - started
    assert f"Marked {WAVE} items as spam." in page.locator(".mod-flash").inner_text()
    assert _spam(server, place) == WAVE
    assert f"All {FLAGGED} items matching these filters" in page.content()
    with capsys.disabled():
        print(f"\n  cleared {WAVE} items by keyboard (one bulk spam action) in {elapsed:.1f} s")
    assert elapsed < 60


def test_themes_are_set_by_a_moderator_and_readers_filter_on_them(  # type: ignore[no-untyped-def]
        volume_server, two_moderators, page_at) -> None:
    server, (page, _second) = volume_server, two_moderators
    with server.app.app_context():
        story = db.session().scalar(select(Submission.id).where(
            Submission.published_at.is_not(None)).order_by(Submission.published_at.asc()).limit(1))
    page.goto(f"{server.url}/moderate/{story}")
    page.get_by_label("Medication gap").check()
    page.get_by_label("Child or teen").check()
    with page.expect_navigation():
        page.locator("#save-themes").click()
    assert "Themes of #" in page.locator(".mod-flash").inner_text()

    reader = page_at("phone")
    reader.goto(server.url + "/stories")
    reader.locator("#theme-picker summary").click()
    with reader.expect_navigation():
        reader.get_by_role("link", name="Medication gap").click()
    assert "theme=medication-gap" in reader.url
    listed = {int(found) for found in re.findall(r'href="/stories/(\d+)"', reader.content())}
    assert listed == {story}
    screenshot(reader, "stories-theme-filter-phone")


def test_a_story_sent_again_with_small_changes_is_flagged_with_the_earlier_linked(  # type: ignore[no-untyped-def]
        volume_server, two_moderators) -> None:
    server, (page, _second) = volume_server, two_moderators

    def answers(story: str) -> submissions.Answers:
        return submissions.Answers(
            story=story, title=None, reporter=Reporter.PATIENT, facility_id=None,
            facility_other=None, care_types=0, outcomes=0, experience_month=None, waits=(),
            consent_publish=True, consent_stats=True, consent_share=False,
            consent_contact=False, display_name=None, email=None)

    with server.app.app_context():
        with db.writing() as session:
            earlier = submissions.submit(session, answers(TEMPLATE), Language.EN, utcnow())
        with db.writing() as session:
            copy = submissions.submit(session, answers(TEMPLATE.replace("three", "five")),
                                      Language.EN, utcnow() + dt.timedelta(days=2))
        earlier_id, copy_id = earlier.submission.id, copy.submission.id
    page.goto(f"{server.url}/moderate/?flag=duplicate")
    assert f"#{copy_id}" in page.content()
    page.goto(f"{server.url}/moderate/{copy_id}")
    notice = page.locator("#near-duplicate")
    assert "Likely a near-duplicate of an earlier story" in notice.inner_text()
    screenshot(page, "moderate-near-duplicate-desktop")
    with page.expect_navigation():
        notice.get_by_role("link", name=f"#{earlier_id}").click()
    assert page.url.endswith(f"/moderate/{earlier_id}")
