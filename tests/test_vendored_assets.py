"""The vendored front-end assets are complete, pinned, licensed and untampered."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "src" / "startklar" / "core" / "static" / "vendor"
PACKAGES: list[dict[str, Any]] = json.loads((VENDOR_DIR / "manifest.json").read_text())["packages"]
VENDORED_FILES = [
    (pkg["dir"], rel, digest) for pkg in PACKAGES for rel, digest in pkg["sha256"].items()
]


def _ids(pkg: dict[str, Any]) -> str:
    return str(pkg["name"])


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_static", ROOT / "scripts" / "vendor_static.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_lists_all_expected_packages() -> None:
    names = {pkg["name"] for pkg in PACKAGES}
    assert names == {
        "bootstrap",
        "bootstrap-icons",
        "htmx.org",
        "vega",
        "vega-lite",
        "vega-embed",
        "vega-interpreter",
    }


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids)
def test_every_version_is_an_exact_pin(pkg: dict[str, Any]) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", pkg["version"]), pkg["version"]


@pytest.mark.parametrize(("pkg_dir", "rel", "digest"), VENDORED_FILES)
def test_every_vendored_file_matches_its_pinned_hash(pkg_dir: str, rel: str, digest: str) -> None:
    path = VENDOR_DIR / pkg_dir / rel
    assert path.is_file(), f"{path} is missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids)
def test_every_listed_file_and_licence_has_a_hash(pkg: dict[str, Any]) -> None:
    expected = set(pkg["files"].values()) | {Path(pkg["license_file"]).name}
    assert set(pkg["sha256"]) == expected


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids)
def test_every_package_dir_ships_its_licence_file(pkg: dict[str, Any]) -> None:
    licence = VENDOR_DIR / pkg["dir"] / Path(pkg["license_file"]).name
    assert licence.is_file()
    assert pkg["license"], "SPDX licence id missing"
    assert licence.stat().st_size > 0


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids)
def test_package_dirs_contain_no_unlisted_files(pkg: dict[str, Any]) -> None:
    pkg_dir = VENDOR_DIR / pkg["dir"]
    on_disk = {p.relative_to(pkg_dir).as_posix() for p in pkg_dir.rglob("*") if p.is_file()}
    assert on_disk == set(pkg["sha256"])


def test_relative_references_in_vendored_css_and_js_resolve() -> None:
    """Fonts and source maps must exist, or collectstatic's manifest storage fails."""
    css_url = re.compile(r"url\(\s*['\"]?([^'\")?#]+)")
    source_map = re.compile(r"sourceMappingURL=([^\s*]+)")
    refs: list[tuple[Path, str]] = []
    for path in VENDOR_DIR.rglob("*"):
        patterns = {".css": [css_url, source_map], ".js": [source_map]}.get(path.suffix, [])
        text = path.read_text(encoding="utf-8") if patterns else ""
        refs += [(path, ref) for pattern in patterns for ref in pattern.findall(text)]
    local = [(path, ref) for path, ref in refs if not ref.startswith("data:")]
    assert len(local) >= 6  # the two icon fonts plus the source maps
    for path, ref in local:
        assert (path.parent / ref).is_file(), f"{path.name} references missing {ref}"


def test_check_mode_accepts_the_committed_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _load_script().main(["--check"]) == 0
    assert "ok" in capsys.readouterr().out


def test_check_mode_reports_modified_and_unlisted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _load_script()
    copy = tmp_path / "vendor"
    shutil.copytree(VENDOR_DIR, copy)
    monkeypatch.setattr(script, "VENDOR_DIR", copy)
    assert script.check(PACKAGES) == []

    (copy / "htmx" / "htmx.min.js").write_text("alert(1)")
    (copy / "htmx" / "extra.js").write_text("")
    (copy / "vega" / "LICENSE").unlink()
    problems = script.check(PACKAGES)
    assert "htmx/htmx.min.js: sha256 differs from the manifest" in problems
    assert "htmx/extra.js: not listed in the manifest" in problems
    assert "vega/LICENSE: missing" in problems
