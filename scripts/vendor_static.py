"""Vendor the front-end assets (Bootstrap, htmx, Vega, ...) from npm into the repo.

The app serves these files itself, so it runs fully offline without any CDN.
Everything is driven by ``src/startklar/core/static/vendor/manifest.json``,
which pins every npm package to an exact version and lists, per package, which
files to copy (path inside the npm tarball -> path under ``vendor/<dir>/``),
its licence file and the sha256 of every vendored file.

Usage::

    uv run python scripts/vendor_static.py          # re-vendor everything
    uv run python scripts/vendor_static.py --check  # verify files vs. manifest

Re-vendoring needs ``npm`` on PATH: for each package it runs
``npm pack <name>@<version>`` in a temporary directory, replaces
``vendor/<dir>/`` with the listed files plus the licence file, and writes the
new hashes back into the manifest. To upgrade a package, edit its ``version``
(and ``files`` if paths moved), re-vendor and review the diff.

``--check`` needs no network; it exits 1 and names every missing, modified or
unexpected file if the vendor directory does not match the manifest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "src" / "startklar" / "core" / "static" / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"
EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+$")

Package = dict[str, Any]


def load_manifest(path: Path = MANIFEST) -> list[Package]:
    """Return the package entries of the manifest."""
    packages: list[Package] = json.loads(path.read_text(encoding="utf-8"))["packages"]
    return packages


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def destinations(pkg: Package) -> dict[str, str]:
    """Map tarball path -> destination path (relative to the package dir)."""
    license_file: str = pkg["license_file"]
    return {**pkg["files"], license_file: Path(license_file).name}


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    """Download ``name@version`` as a tarball into ``workdir`` and return its path."""
    result = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--ignore-scripts"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"npm pack {name}@{version} failed:\n{result.stderr}")
    filename: str = json.loads(result.stdout)[0]["filename"]
    return workdir / filename


def extract(tarball: Path, mapping: dict[str, str], dest: Path) -> None:
    """Copy the mapped files out of an npm tarball (whose top folder is stripped)."""
    with tarfile.open(tarball) as tar:
        members = {m.name.split("/", 1)[-1]: m for m in tar.getmembers() if m.isfile()}
        for src, rel in mapping.items():
            if src not in members:
                raise SystemExit(f"{tarball.name}: no file {src!r} in the package")
            target = (dest / rel).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise SystemExit(f"{rel!r} would be written outside {dest}")
            source = tar.extractfile(members[src])
            assert source is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())


def vendor(packages: list[Package]) -> None:
    """Re-download every package and refresh the hashes in the manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        for pkg in packages:
            name, version = pkg["name"], pkg["version"]
            if not EXACT_VERSION.match(version):
                raise SystemExit(f"{name}: version {version!r} is not an exact pin")
            print(f"vendoring {name}@{version} -> vendor/{pkg['dir']}/")
            dest = VENDOR_DIR / pkg["dir"]
            shutil.rmtree(dest, ignore_errors=True)
            mapping = destinations(pkg)
            extract(npm_pack(name, version, Path(tmp)), mapping, dest)
            pkg["sha256"] = {rel: sha256_of(dest / rel) for rel in sorted(mapping.values())}
    text = json.dumps({"packages": packages}, indent=2, ensure_ascii=False)
    MANIFEST.write_text(text + "\n", encoding="utf-8")


def check(packages: list[Package]) -> list[str]:
    """Return one message per file that does not match the manifest."""
    problems: list[str] = []
    for pkg in packages:
        dest = VENDOR_DIR / pkg["dir"]
        hashes: dict[str, str] = pkg.get("sha256", {})
        for rel in sorted(set(destinations(pkg).values()) | set(hashes)):
            path = dest / rel
            if rel not in hashes:
                problems.append(f"{pkg['dir']}/{rel}: no sha256 in the manifest")
            elif not path.is_file():
                problems.append(f"{pkg['dir']}/{rel}: missing")
            elif sha256_of(path) != hashes[rel]:
                problems.append(f"{pkg['dir']}/{rel}: sha256 differs from the manifest")
        on_disk = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
        for rel in sorted(on_disk - set(hashes)):
            problems.append(f"{pkg['dir']}/{rel}: not listed in the manifest")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="verify vendored files against the manifest hashes",
    )
    args = parser.parse_args(argv)
    packages = load_manifest()
    if args.check:
        problems = check(packages)
        for problem in problems:
            print(f"vendor check failed: {problem}", file=sys.stderr)
        if problems:
            print(
                "Re-vendor with: uv run python scripts/vendor_static.py",
                file=sys.stderr,
            )
            return 1
        print(f"vendor check ok: {len(packages)} packages match {MANIFEST.name}")
        return 0
    vendor(packages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
