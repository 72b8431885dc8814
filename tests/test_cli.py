"""The ``startklar`` command as a new user runs it."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from startklar.cli import build_parser, terminal_language
from startklar.testing import run_startklar

NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def run(
    *args: str, var: Path, locale: dict[str, str] = NO_LOCALE
) -> subprocess.CompletedProcess[str]:
    return run_startklar(*args, env={"STARTKLAR_VAR_DIR": str(var), **NO_LOCALE, **locale})


def login_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("  ")]


@pytest.mark.own_sqlite
def test_demo_sets_up_a_wal_database_prints_the_login_reuses_it_and_starts_over(
    tmp_path: Path,
) -> None:
    first = run("demo", "--no-serve", var=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo-Firma Muster Metallbau GmbH (neu angelegt)." in first.stdout
    assert "Task id=" not in first.stdout + first.stderr  # no background-task log lines
    assert login_lines(first.stdout) == [
        "  Adresse:  http://127.0.0.1:8000/",
        "  E-Mail:   demo@startklar.example",
        "  Passwort: startklar-demo",
    ]
    database = tmp_path / "startklar.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        connection.execute("UPDATE organisations_organisation SET headcount = 86")

    again = run("demo", "--no-serve", "--port", "8123", var=tmp_path)
    assert "Muster Metallbau GmbH (vorhandene Daten; --reset beginnt von vorn)." in again.stdout
    assert "http://127.0.0.1:8123/" in again.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT headcount FROM organisations_organisation"
        ).fetchone() == (86,)

    # --reset starts over; the terminal's locale speaks English here (LANG, then LC_MESSAGES).
    fresh = run("demo", "--no-serve", "--reset", var=tmp_path, locale={"LANG": "en_US.UTF-8"})
    assert fresh.returncode == 0, fresh.stderr
    assert "Demo company Muster Metallbau GmbH (created)." in fresh.stdout
    assert login_lines(fresh.stdout) == [
        "  Address:  http://127.0.0.1:8000/",
        "  E-mail:   demo@startklar.example",
        "  Password: startklar-demo",
    ]
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT headcount FROM organisations_organisation"
        ).fetchone() == (85,)
    english = run("demo", "--no-serve", var=tmp_path, locale={"LC_MESSAGES": "en_GB.UTF-8"})
    assert "Demo company Muster Metallbau GmbH (reused; --reset starts over)." in english.stdout


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "de"),
        ({"LANG": "C.UTF-8"}, "de"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LANG": "", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "de_AT.UTF-8"}, "de"),  # LC_ALL wins
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "EN_us"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "de"),  # German first: no French catalogue
    ],
)
def test_the_terminal_language_follows_the_posix_locale_order(
    environ: dict[str, str], language: str
) -> None:
    assert terminal_language(environ) == language


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "--port", "99999"], "the port must be between 1 and 65535"),
        (["demo", "--port", "acht"], "'acht' is not a port number"),
        (["serve", "--workers", "0"], "'0' is not a positive whole number"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_bad_arguments_get_a_clear_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_serve_explains_a_missing_secret_key(tmp_path: Path) -> None:
    result = run("serve", var=tmp_path)
    assert result.returncode != 0
    assert "configuration error: SECRET_KEY must be set" in result.stderr


def test_serve_explains_an_unreachable_database_in_one_line(tmp_path: Path) -> None:
    env = {
        "STARTKLAR_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://startklar@127.0.0.1:9/startklar",  # nothing listens there
        **NO_LOCALE,
    }
    result = run_startklar("serve", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "startklar: the database cannot be used" in result.stderr
    assert "Check DATABASE_URL" in result.stderr
