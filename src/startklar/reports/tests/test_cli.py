"""``startklar report ORG_SLUG -o bericht.pdf [--lang en]``: the PDF written; clear errors for an
unknown organisation, a file that cannot be written and a language other than de or en."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from startklar.cli import main
from startklar.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_report_is_written(organisation: Organisation, owner: Any, tmp_path: Path) -> None:
    """With the real document (the organisation has no data yet: its short report)."""
    target = tmp_path / "bericht.pdf"
    assert main(["report", organisation.slug, "-o", str(target), "--lang", "en"]) == 0
    assert target.read_bytes().startswith(b"%PDF")


def test_the_language_and_the_person_it_is_made_for(
    organisation: Organisation, owner: Any, tmp_path: Path, fake_build: Any
) -> None:
    target = tmp_path / "bericht.pdf"
    assert main(["report", organisation.slug, "-o", str(target)]) == 0
    assert main(["report", organisation.slug, "-o", str(target), "--lang", "en"]) == 0
    assert [language for _tenant, language in fake_build.calls] == ["de", "en"]
    [(tenant, _language), _] = fake_build.calls
    assert tenant.membership.user == owner


def test_standard_output(
    organisation: Organisation,
    owner: Any,
    fake_build: Any,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    assert main(["report", organisation.slug, "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


def test_an_unknown_organisation(
    tmp_path: Path, fake_build: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "gibt-es-nicht", "-o", str(tmp_path / "b.pdf")]) == 2
    assert "no organisation with the slug 'gibt-es-nicht'" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()


def test_an_organisation_without_members(
    organisation: Organisation, tmp_path: Path, fake_build: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", organisation.slug, "-o", str(tmp_path / "b.pdf")]) == 2
    assert "has no members" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["missing/b.pdf", ".", "a-file/b.pdf"])
def test_a_file_that_cannot_be_written(
    organisation: Organisation,
    owner: Any,
    tmp_path: Path,
    fake_build: Any,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    (tmp_path / "a-file").write_text("x")
    assert main(["report", organisation.slug, "-o", str(tmp_path / where)]) == 2
    assert capsys.readouterr().err.startswith("startklar report: ")
    assert fake_build.calls == []  # refused before the report is made


def test_a_write_that_fails_late(
    organisation: Organisation, owner: Any, fake_build: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the permissions look right but the write fails (here /proc, even for root)."""
    assert main(["report", organisation.slug, "-o", "/proc/bericht.pdf"]) == 2
    assert "/proc/bericht.pdf: cannot write the file" in capsys.readouterr().err


def test_a_bad_language(
    organisation: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", organisation.slug, "-o", str(tmp_path / "b.pdf"), "--lang", "fr"])
    assert exited.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_a_failing_build_exits_1(
    organisation: Organisation,
    owner: Any,
    tmp_path: Path,
    fake_build: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("typst says no")

    monkeypatch.setattr("startklar.reports.document.build", broken)
    assert main(["report", organisation.slug, "-o", str(tmp_path / "b.pdf")]) == 1
    assert "could not be made (RuntimeError: typst says no)" in capsys.readouterr().err
