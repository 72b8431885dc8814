"""Compile the gettext catalogues without GNU gettext.

Every ``src/startklar/locale/*/LC_MESSAGES/*.po`` is compiled into the ``.mo``
file next to it (untranslated and fuzzy entries are left out, as with ``msgfmt``).

Usage::

    uv run python scripts/compile_messages.py          # write the .mo files
    uv run python scripts/compile_messages.py --check  # exit 1 if any is stale

``--check`` writes nothing. It compares the parsed entries of each ``.po`` and
``.mo`` with polib, so it does not depend on byte-identical output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "startklar" / "locale"

Entries = set[tuple[str, str, str | None, str, tuple[tuple[int, str], ...]]]


def _entries(catalogue: polib.POFile | polib.MOFile) -> Entries:
    """The translatable content of a catalogue, comparable between .po and .mo."""
    return {
        (
            e.msgctxt or "",
            e.msgid,
            e.msgid_plural or None,
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
        )
        for e in catalogue.translated_entries()
    }


def _problem(po_path: Path, mo_path: Path) -> str | None:
    if not mo_path.exists():
        return "missing"
    po, mo = polib.pofile(str(po_path)), polib.mofile(str(mo_path))
    if _entries(po) != _entries(mo) or po.metadata != mo.metadata:
        return "out of date"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compile the gettext catalogues without GNU gettext."
    )
    parser.add_argument(
        "--check", action="store_true", help="only check that every .mo is up to date"
    )
    args = parser.parse_args(argv)

    po_paths = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    if not po_paths:
        print(f"No .po files found under {LOCALE_DIR}", file=sys.stderr)
        return 1

    stale = []
    for po_path in po_paths:
        mo_path = po_path.with_suffix(".mo")
        if args.check:
            problem = _problem(po_path, mo_path)
            if problem:
                stale.append(f"  {mo_path.relative_to(ROOT)}: {problem}")
        else:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            print(f"compiled {mo_path.relative_to(ROOT)}")

    if stale:
        print("Compiled translations are not up to date:", *stale, sep="\n", file=sys.stderr)
        print("Run: uv run python scripts/compile_messages.py", file=sys.stderr)
        return 1
    if args.check:
        print(f"All {len(po_paths)} .mo file(s) are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
