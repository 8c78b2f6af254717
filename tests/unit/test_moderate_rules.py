"""Pure rules of moderation: `next` checks, highlighted segments, TOTP steps, settings values."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from testimonials import runtime_settings
from testimonials.moderate.access import safe_next
from testimonials.moderate.review import segments
from testimonials.services.sign_in import normalise_recovery_code, totp_step

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = dt.datetime(2026, 11, 1, 12, 0, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example",
    "HTTP://evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "http:/evil.example",
    "/\t/evil.example", "/\n/evil.example", " /moderate/", "evil.example", "moderate/",
    "", None, "/" + "a" * 2001, "data:text/html,hi", "//", "/\\",
])
def test_next_outside_the_site_falls_back(value: str | None) -> None:
    assert safe_next(value) == "/moderate/"


@pytest.mark.parametrize("value", ["/moderate/", "/moderate/12?language=es", "/admin/settings",
                                   "/moderate/audit?item=3&action=approve"])
def test_next_inside_the_site_is_kept(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize("text", [
    "I waited <3 months & cried. Call 510-555-0199 or mail a.b@example.com please.",
    "Dr. Maria Lopez said no. Ending with a match 510-555-0199",
    "Nothing to see here at all, only a long wait for care.",
    "",
])
def test_segments_join_back_to_exactly_the_text(text: str) -> None:
    pieces = segments(text)
    assert "".join(piece.text for piece in pieces) == text
    assert all(piece.text for piece in pieces)


def test_segments_mark_the_matches_by_kind() -> None:
    kinds = {piece.text: piece.kind for piece in segments(
        "Write to a.b@example.com or call 510-555-0199; I want to die some nights, suicide.")}
    assert kinds["a.b@example.com"] == "email"
    assert kinds["510-555-0199"] == "phone"
    assert kinds["suicide"] == "crisis"


def test_a_totp_code_is_accepted_near_now_and_only_after_the_last_step() -> None:
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(NOW)
    assert totp_step(SECRET, totp.generate_otp(step), NOW, None) == step
    assert totp_step(SECRET, totp.generate_otp(step - 1), NOW, None) == step - 1
    assert totp_step(SECRET, totp.generate_otp(step - 3), NOW, None) is None
    assert totp_step(SECRET, totp.generate_otp(step), NOW, step) is None  # replay
    assert totp_step(SECRET, "12 34 5", NOW, None) is None
    spaced = totp.generate_otp(step)
    assert totp_step(SECRET, f"{spaced[:3]} {spaced[3:]}", NOW, None) == step


def test_recovery_codes_are_read_loosely() -> None:
    assert normalise_recovery_code(" ABCDE-fghjk ") == "abcdefghjk"


@pytest.mark.parametrize("key,raw,expected", [
    ("SUBMIT_RATE_LIMIT", " 5  per hour ", "5 per hour"),
    ("SUBMIT_RATE_LIMIT", "5/hour;100/day", "5/hour;100/day"),
    ("STATS_MIN_CELL", "11", 11),
    ("SESSION_IDLE_MINUTES", " 45 ", 45),
    ("WAIT_STANDARDS", {"intake": {"days": "7"}, "bogus": {"days": 1}}, {"intake": {"days": 7}}),
    ("REGULATOR", {"name": " DMHC ", "phone": "", "url": ""},
     {"name": "DMHC", "phone": "", "url": ""}),
])
def test_settings_values_are_checked_and_normalised(key: str, raw: object,
                                                    expected: object) -> None:
    assert runtime_settings.validate(key, raw) == expected


@pytest.mark.parametrize("key,raw,code", [
    ("SUBMIT_RATE_LIMIT", "0 per hour", "rate_limit"),
    ("SUBMIT_RATE_LIMIT", "", "rate_limit"),
    ("STATS_MIN_CELL", "0", "out_of_range"),
    ("STATS_MIN_CELL", "1.5", "whole_number"),
    ("WAIT_STANDARDS", {"intake": {"weeks": 2}}, "standards"),
    ("WAIT_STANDARDS", {"urgent": {"hours": 5000}}, "out_of_range"),
    ("REGULATOR", {"name": "x", "url": "javascript:alert(1)"}, "https"),
])
def test_bad_settings_values_are_refused(key: str, raw: object, code: str) -> None:
    with pytest.raises(runtime_settings.SettingError) as raised:
        runtime_settings.validate(key, raw)
    assert raised.value.code == code
