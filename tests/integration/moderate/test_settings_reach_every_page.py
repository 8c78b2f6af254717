"""An admin's change to a runtime setting reaches every page, the API and the exports alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from test_admin_settings import VALID

from testimonials import runtime_settings
from testimonials.vocab import Status, WaitKind, WaitState
from tests import builders
from tests.builders import facility, submission

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "testimonials"
ADMIN_SETTABLE = tuple(runtime_settings.EDITABLE)


def test_a_changed_standard_is_the_one_used_everywhere(app: Flask, admin_client: FlaskClient,
                                                       session: Session) -> None:
    place = facility(session)
    story = submission(session, status=Status.APPROVED, place=place,
                       waits={WaitKind.INTAKE: (WaitState.ENDED, 12)})
    session.commit()
    story_id = story.id
    public = app.test_client()
    # Under the default (10 business days), 12 calendar days can be within the standard.
    before = public.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "10 business days" in before

    response = admin_client.post("/admin/settings", data={
        **VALID, "standard_intake_amount": "7", "standard_intake_unit": "days",
        "STATS_MIN_CELL": "1"})
    assert response.status_code == 302

    page = public.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "Legal standard: 7 days" in page
    assert "longer than the legal standard" in page

    listing = public.get("/stories").get_data(as_text=True)
    assert "longer than the legal standard" in listing

    (api_wait,) = public.get(f"/api/v1/stories/{story_id}").get_json()["data"]["waits"]
    assert (api_wait["standard_days"], api_wait["over_standard"]) == (7, True)
    (listed,) = public.get("/api/v1/stories").get_json()["data"]
    assert listed["waits"][0]["standard_days"] == 7

    result = app.test_cli_runner().invoke(args=["export", "stories"])
    assert result.exit_code == 0, result.output
    (exported,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert (exported["waits"][0]["standard_days"], exported["waits"][0]["over_standard"]) == (
        7, True)

    builders.release(app)  # statistics move only at a release, which uses the standard now
    stats = public.get("/stats").get_data(as_text=True)
    # One answer gives no headline share (its interval, 2.5% to 100%, says nothing), but the
    # chart of its wait is drawn against the new standard.
    assert "longer than the standard of 7 days" in stats
    assert "Too few answers to estimate the share" in stats and "an estimated –" not in stats


_DIRECT = re.compile(r"config(?:\[|\.get\()\s*[\"'](" + "|".join(ADMIN_SETTABLE) + r")[\"']")

_IN_TEMPLATE = re.compile(r"\bconfig\.(" + "|".join(ADMIN_SETTABLE) + r")\b")


def test_no_module_or_template_reads_an_admin_setting_from_the_configuration() -> None:
    """Only runtime_settings (the accessor), the start-up checks and the settings page (which
    shows the configured defaults) may read these keys from app.config."""
    allowed = {"runtime_settings.py", "configuration.py", "admin/settings_views.py"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in allowed:
            continue
        offenders += [f"{name}:{number}" for number, line in
                      enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                      if _DIRECT.search(line)]
    offenders += [f"templates/{path.relative_to(ROOT / 'templates').as_posix()}"
                  for path in sorted((ROOT / "templates").rglob("*.html"))
                  if _IN_TEMPLATE.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
