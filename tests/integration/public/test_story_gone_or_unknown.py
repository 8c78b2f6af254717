"""A story id answers 410 only when the story was once public; otherwise it is unknown (404).

Answering 410 for a rejected or spam item would tell anyone counting ids how moderation went.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from testimonials import db, migrate
from testimonials.models import Account, utcnow
from testimonials.paths import MIGRATIONS_DIR
from testimonials.services import accounts, moderation, submissions
from testimonials.vocab import Role, Status
from tests import builders

PATHS = ("/stories/{id}", "/api/v1/stories/{id}")


def _moderator(session: Session) -> Account:
    return accounts.create_account(session, "m@example.org", "correct horse battery staple",
                                   Role.MODERATOR, utcnow())


def _answers(client: FlaskClient, story_id: int) -> list[int]:
    return [client.get(path.format(id=story_id)).status_code for path in PATHS]


@pytest.mark.parametrize("status", [Status.REJECTED, Status.SPAM, Status.PENDING,
                                    Status.WITHDRAWN])
def test_a_story_never_public_is_unknown(client: FlaskClient, session: Session,
                                         status: Status) -> None:
    item = builders.submission(session, status=status)
    session.commit()
    assert _answers(client, item.id) == [404, 404]


def test_decided_through_moderation_rejected_is_unknown_unpublished_is_gone(
        client: FlaskClient, session: Session) -> None:
    actor = _moderator(session)
    rejected, kept = builders.submission(session), builders.submission(session)
    moderation.reject(session, rejected, actor, builders.NOW, version=rejected.version,
                      reason="Not about waiting.")
    moderation.approve(session, kept, actor, builders.NOW, version=kept.version,
                       title="Kept", story="I waited four months for a first appointment.")
    session.commit()
    assert kept.first_published_at == builders.NOW
    assert _answers(client, kept.id) == [200, 200]
    moderation.unpublish(session, kept, actor, builders.NOW + dt.timedelta(days=1),
                         version=kept.version)
    session.commit()
    assert _answers(client, rejected.id) == [404, 404]
    assert _answers(client, kept.id) == [410, 410]


def test_once_public_stays_gone_when_withdrawn_or_back_in_the_queue(
        client: FlaskClient, session: Session) -> None:
    withdrawn = builders.submission(session, status=Status.APPROVED)
    requeued = builders.submission(session, status=Status.APPROVED)
    submissions.withdraw(session, withdrawn, builders.NOW)
    moderation.return_to_queue(session, requeued, builders.NOW)
    session.commit()
    assert withdrawn.published_at is None and requeued.published_at is None
    assert _answers(client, withdrawn.id) == [410, 410]
    assert _answers(client, requeued.id) == [410, 410]


def test_approved_without_consent_to_publish_is_unknown(client: FlaskClient,
                                                        session: Session) -> None:
    actor = _moderator(session)
    item = builders.submission(session, consent_publish=False)
    moderation.approve(session, item, actor, builders.NOW, version=item.version,
                       title=None, story="I waited four months for a first appointment.")
    session.commit()
    assert item.first_published_at is None
    assert _answers(client, item.id) == [404, 404]


def _migration() -> object:
    (path,) = MIGRATIONS_DIR.glob("versions/*_first_published.py")
    spec = importlib.util.spec_from_file_location("first_published", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_remembers_stories_published_before_it(tmp_path: Path,
                                                              sqlite_template: Path) -> None:
    """Published now, unpublished by a moderator, withdrawn after publication: all were public;
    rejected and withdrawn while pending were not."""
    path = tmp_path / "old.db"
    shutil.copyfile(sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    migrate.downgrade(engine, _migration().down_revision)  # type: ignore[attr-defined]
    approve_after = '{"status": "approved", "published_at": "2026-01-02T00:00:00+00:00"}'
    with engine.begin() as connection:
        for number, (status, published, action, after) in enumerate([
            ("approved", "2026-01-02 00:00:00", "approve", approve_after),
            ("approved", None, "unpublish", '{"published_at": null}'),
            ("withdrawn", None, "approve", approve_after),
            ("rejected", None, "reject", '{"status": "rejected"}'),
            ("withdrawn", None, "withdraw", '{"status": "withdrawn"}'),
        ], 1):
            connection.execute(text(
                "INSERT INTO submission (id, status, language, reporter, care_types, outcomes, "
                "consent_publish, consent_stats, consent_share, consent_contact, flags, "
                "is_urgent, counted_in_stats, token_hash, created_at, updated_at, "
                "moderated_at, published_at, version) VALUES (:id, :status, 'en', 'patient', "
                "1, 0, 1, 0, 0, 0, 0, 0, 0, :token, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00', '2026-01-02 00:00:00', :published, 1)"),
                {"id": number, "status": status, "token": f"{number:064d}",
                 "published": published})
            connection.execute(text(
                "INSERT INTO audit_entry (created_at, actor_label, action, submission_id, "
                "after) VALUES ('2026-01-02 00:00:00', 'm@example.org', :action, :id, :after)"),
                {"action": action, "id": number, "after": after})
    migrate.upgrade(engine)
    with engine.connect() as connection:
        once = dict(connection.execute(text(
            "SELECT id, first_published_at IS NOT NULL FROM submission ORDER BY id")).all())
    engine.dispose()
    assert once == {1: 1, 2: 1, 3: 1, 4: 0, 5: 0}
