"""No log line carries a story's text, an e-mail address or a receipt token."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask.testing import FlaskClient
from share_helpers import TOKEN_IN_LOCATION

SECRET_WORDS = "Zyzzogeton-unique-words"
EMAIL = "hidden.person@example.org"


def test_share_flows_log_no_text_email_or_token(client: FlaskClient, form_data: dict[str, Any],
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    data = {**form_data, "story": form_data["story"] + " " + SECRET_WORDS, "email": EMAIL}
    client.post("/share", data={**data, "consent_publish": ""  , "consent_stats": ""})
    response = client.post("/share", data=data)
    found = TOKEN_IN_LOCATION.search(response.headers["Location"])
    assert found is not None
    token = found.group(1)
    client.post("/share", data=data)  # the duplicate
    for path in ("", "/receipt", "/edit", "/wait-ended", "/complaint", "/withdraw"):
        client.get(f"/my/{token}{path}")
    client.post(f"/my/{token}/edit", data={**data, "story": "short"})
    client.post(f"/my/{token}/edit", data={**data, "title": "Changed " + SECRET_WORDS})
    client.post(f"/my/{token}/wait-ended", data={"first_return-amount": "9",
                                                 "first_return-unit": "months"})
    client.post(f"/my/{token}/withdraw")
    client.get("/my/" + "B" * 43)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    for secret in (SECRET_WORDS, EMAIL, "hidden.person", token, token[:20]):
        assert secret not in logged
