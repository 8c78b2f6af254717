"""`flask users create` and `flask facilities import`: what they add, and what they refuse."""

from __future__ import annotations

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.models import Account, Facility, Region
from testimonials.passwords import verify_password
from testimonials.vocab import Role


def test_users_create_reads_a_piped_password(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["users", "create", "Mod@Example.org", "--role", "admin"],
                           input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    account = session.scalar(select(Account))
    assert account is not None
    assert account.email == "mod@example.org" and account.role is Role.ADMIN
    assert account.password_hash.startswith("$argon2id$")
    assert verify_password(account.password_hash, "correct horse battery")


@pytest.mark.parametrize("password,message", [("short", "at least 12"), ("", "at least 12")])
def test_users_create_refuses_weak_passwords(runner: FlaskCliRunner, password: str,
                                             message: str) -> None:
    result = runner.invoke(args=["users", "create", "m@example.org"], input=f"{password}\n")
    assert result.exit_code != 0
    assert message in result.output


def test_users_create_refuses_a_duplicate(runner: FlaskCliRunner) -> None:
    args = ["users", "create", "m@example.org"]
    assert runner.invoke(args=args, input="long enough password\n").exit_code == 0
    result = runner.invoke(args=args, input="long enough password\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_facilities_import_adds_then_updates(runner: FlaskCliRunner, session: Session,
                                             tmp_path) -> None:  # type: ignore[no-untyped-def]
    csv_file = tmp_path / "f.csv"
    csv_file.write_text("name,city,region,latitude,longitude\n"
                        "Clinic A,Oakland,East Bay,37.80,-122.27\n"
                        "Clinic B,Fresno,Central Valley,36.74,-119.78\n", encoding="utf-8")
    result = runner.invoke(args=["facilities", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "2 facilities added" in result.output
    csv_file.write_text("name,city,region,latitude,longitude\n"
                        "Clinic A,Oakland,North Bay,37.81,-122.27\n", encoding="utf-8")
    result = runner.invoke(args=["facilities", "import", str(csv_file)])
    assert "1 updated" in result.output
    clinic = session.scalar(select(Facility).where(Facility.name == "Clinic A"))
    assert clinic is not None and clinic.region.name == "North Bay"
    assert session.scalar(select(func.count()).select_from(Region)) == 3


@pytest.mark.parametrize("content,message", [
    ("name,city\nA,B\n", "missing column"),
    ("name,city,region,latitude,longitude\nA,,R,1,2\n", "line 2"),
    ("name,city,region,latitude,longitude\nA,B,R,north,2\n", "latitude is not a number"),
    ("name,city,region,latitude,longitude\nA,B,R,91,2\n", "latitude is out of range"),
])
def test_facilities_import_names_the_bad_line(runner: FlaskCliRunner, tmp_path,  # type: ignore[no-untyped-def]
                                              content: str, message: str) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["facilities", "import", str(csv_file)])
    assert result.exit_code != 0
    assert message in result.output
