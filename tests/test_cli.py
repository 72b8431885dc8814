"""The ``startklar`` command as a new user runs it."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from startklar.cli import build_parser
from startklar.testing import run_startklar


def run(*args: str, var: Path) -> subprocess.CompletedProcess[str]:
    return run_startklar(*args, env={"STARTKLAR_VAR_DIR": str(var)})


def test_demo_sets_up_a_wal_database_prints_the_login_and_reuses_it(tmp_path: Path) -> None:
    first = run("demo", "--no-serve", var=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Muster Metallbau GmbH (created)" in first.stdout
    assert "demo@startklar.example" in first.stdout
    assert "http://127.0.0.1:8000/" in first.stdout
    database = tmp_path / "startklar.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        connection.execute("UPDATE organisations_organisation SET headcount = 86")

    again = run("demo", "--no-serve", "--port", "8123", var=tmp_path)
    assert "(reused)" in again.stdout
    assert "http://127.0.0.1:8123/" in again.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT headcount FROM organisations_organisation"
        ).fetchone() == (86,)

    fresh = run("demo", "--no-serve", "--reset", var=tmp_path)
    assert "(created)" in fresh.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT headcount FROM organisations_organisation"
        ).fetchone() == (85,)


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
