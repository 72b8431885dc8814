"""A broken catalogue or criteria file is refused with the file, the entry and the problem
named: each rule of the loader on a copy of the current content with one thing broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions
from startklar.usecases import content
from startklar.usecases.content import CURRENT_VERSION, VERSIONS, available_versions


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(VERSIONS.folder / CURRENT_VERSION, tmp_path / CURRENT_VERSION)
    monkeypatch.setattr(content, "VERSIONS", Versions("usecases", tmp_path))
    return tmp_path / CURRENT_VERSION


def replace_once(path: Path, old: str, new: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    path.write_text(source.replace(old, new, 1), encoding="utf-8")


def load_catalogue_error() -> str:
    with pytest.raises(ContentError) as raised:
        content.load_catalogue.__wrapped__(CURRENT_VERSION)
    return str(raised.value)


def test_the_versions_are_the_released_folders() -> None:
    assert CURRENT_VERSION in available_versions()
    assert set(available_versions()) == set(VERSIONS.released())


def test_an_entry_filed_under_another_function_is_refused(folder: Path) -> None:
    replace_once(
        folder / "catalogue" / "wissen.yaml", "- id: wissen.interne-suche", "- id: vertrieb.suche"
    )
    message = load_catalogue_error()
    assert message.startswith(
        f"usecases {CURRENT_VERSION}/catalogue/wissen.yaml: entry vertrieb.suche (line "
    )
    assert message.endswith("id must start with 'wissen.'")


def test_an_entry_without_an_id_is_refused(folder: Path) -> None:
    replace_once(folder / "catalogue" / "wissen.yaml", "- id: wissen.interne-suche", "- ident: x")
    assert load_catalogue_error().endswith("entry ? (line 3): id must start with 'wissen.'")


def test_an_entry_needs_two_to_four_kpis(folder: Path) -> None:
    path = folder / "catalogue" / "wissen.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines.index("    kpis:\n") + 1  # the first entry's KPIs: keep only the first one
    end = next(n for n in range(first, len(lines)) if not lines[n].startswith("      "))
    path.write_text("".join(lines[: first + 2] + lines[end:]), encoding="utf-8")
    message = load_catalogue_error()
    assert message.startswith(
        f"usecases {CURRENT_VERSION}/catalogue/wissen.yaml: entry wissen.interne-suche (line 3)"
    )
    assert message.endswith("needs 2 to 4 KPIs")


@pytest.mark.parametrize(
    ("old", "new"),
    [("function: wissen", "function: wissensmanagement"), ("function: wissen", "title: Wissen")],
)
def test_a_catalogue_file_must_name_its_function(folder: Path, old: str, new: str) -> None:
    replace_once(folder / "catalogue" / "wissen.yaml", old, new)
    assert load_catalogue_error() == (
        f"usecases {CURRENT_VERSION}/catalogue/wissen.yaml: "
        "'function' must be one of the known ids and the file's name"
    )


def test_a_catalogue_file_in_the_wrong_place_is_refused(folder: Path) -> None:
    catalogue = folder / "catalogue"
    (catalogue / "wissen.yaml").rename(catalogue / "wissensmanagement.yaml")
    assert load_catalogue_error().endswith(
        "catalogue/wissensmanagement.yaml: 'function' must be one of the known ids and the "
        "file's name"
    )


def test_a_function_without_entries_is_allowed(folder: Path) -> None:
    (folder / "catalogue" / "wissen.yaml").write_text("function: wissen\n", encoding="utf-8")
    catalogue = content.load_catalogue.__wrapped__(CURRENT_VERSION)
    assert catalogue.function("wissen") is not None
    assert not [e for e in catalogue.entries if e.function == "wissen"]


@pytest.mark.parametrize("weight", ["0", "-1", "viel"])
def test_a_criterion_weight_must_be_a_positive_number(folder: Path, weight: str) -> None:
    replace_once(folder / "criteria.yaml", "weight: 3", f"weight: {weight}")
    with pytest.raises(ContentError) as raised:
        content.load_criteria.__wrapped__(CURRENT_VERSION)
    assert str(raised.value) == (
        f"usecases {CURRENT_VERSION}/criteria.yaml: criterion geschaeftswert (line 7): "
        "weight must be positive"
    )
