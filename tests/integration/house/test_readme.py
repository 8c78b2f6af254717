"""The README stands alone and documents only commands that exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from flask import Flask

from testimonials import create_app
from testimonials.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cli_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    path: Path = tmp_path_factory.mktemp("readme") / "waitline.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "ENV_NAME": "testing"})
    yield app
    app.extensions["waitline.engine"].dispose()


def documented_commands() -> set[tuple[str, ...]]:
    found = set()
    for match in re.finditer(r"flask --app app ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", README):
        found.add(tuple(match.group(1).split()))
    return found


def test_the_readme_stands_alone_without_the_product_contract() -> None:
    assert "../shared" not in README
    assert "SPEC" not in README


def test_the_readme_starts_with_the_two_commands_then_production() -> None:
    headings = re.findall(r"^## (.+)$", README, flags=re.MULTILINE)
    assert README.index("make run") < README.index("make test") < README.index("## ")
    order = ["Production set-up", "Configuration", "Architecture", "Benchmarks"]
    assert [h for h in headings if h in order] == order


def test_every_flask_command_in_the_readme_exists(cli_app: Flask) -> None:
    commands = documented_commands()
    assert ("db", "upgrade") in commands and ("purge",) in commands
    missing = []
    with click.Context(cli_app.cli) as context:
        for words in sorted(commands):
            command: click.Command | None = cli_app.cli
            for word in words:
                if not isinstance(command, click.Group):
                    break  # the next word is an argument, not a subcommand
                command = command.get_command(context, word)
                if command is None:
                    break
            if command is None:
                missing.append(" ".join(words))
    assert missing == []


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    documented = set(re.findall(r"`make ([a-z][a-z-]*)", README)) | set(
        re.findall(r"^make ([a-z][a-z-]*)", README, flags=re.MULTILINE))
    assert {"run", "test", "catalogs", "bench"} <= documented
    assert documented - targets == set()


def test_the_production_set_up_covers_what_an_operator_must_set() -> None:
    production = README[README.index("## Production set-up"):README.index("## Configuration")]
    for needed in ("SECRET_KEY", "SITE_URL", "SITE_NAME", "ORGANISATION", "CONTACT_EMAIL",
                   "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_SECURITY",
                   "MAIL_FROM", "DB_MAX_CONNECTIONS", "FORWARDED_ALLOW_IPS", "TRUSTED_PROXIES",
                   "TEST_DATABASE_URL", "TEST_REDIS_URL", "createdb", "createuser",
                   "flask --app app purge", "flask --app app notify digest",
                   "flask --app app stats release", "make catalogs"):
        assert needed in production, needed
    assert "make translations" not in production  # it installs the test dependencies
